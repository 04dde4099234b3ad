"""BucketDB: an embedded document database whose durable state lives in object storage (S3
and compatibles, or a local directory).

    import bucketdb
    with bucketdb.open("file:./data", read_staleness_ms=0) as db:
        db.register_schema({"name": "users", "version": 1, "primaryKey": "id",
                            "fields": {"id": {"typeId": 10}, "age": {"typeId": 1}}})
        db.insert("users", {"id": "u1", "age": 30})
        db.get("users", "u1")                      # {'id': 'u1', 'age': 30}
        for user in db.query("users").where("age", ">=", 18).order("age", desc=True):
            print(user)

Rows are dicts with exact ints. Every failure raises a subclass of bucketdb.Error (one per
status code, e.g. bucketdb.NotFound) with ``code`` and BucketDB's message. Calls that reach
storage release the GIL.
"""

import json as _json

from . import native as _native
from ._batch import Batch
from ._database import Database, native_options as _native_options
from ._errors import (AlreadyExists, BadURI, Busy, Conflict, Corrupt, Error, InternalError,
                      Interrupted, InvalidArgument, JSONError, NotFound, OutOfMemory, PermissionDenied,
                      SchemaError, StorageError, StorageFull, TypeMismatch, error_class)
from ._query import Cursor, Query
from ._record import Record
from . import _values
from ._values import TYPES, Blob, Row, text as _text

__version__ = _native.version()

__all__ = [
    "AlreadyExists", "BadURI", "Batch", "Blob", "Busy", "Conflict", "Corrupt", "Cursor",
    "Database", "Error", "InternalError", "Interrupted", "InvalidArgument", "JSONError", "NotFound",
    "OutOfMemory", "PermissionDenied", "Query", "Record", "Row", "SchemaError", "StorageError",
    "StorageFull", "TYPES", "TypeMismatch", "abi_version", "driver_check", "error_class",
    "header_abi_version", "open", "recover", "status_string", "version",
]


def open(uri, **options):  # noqa: A001 - the module's verb, like sqlite3.connect
    """Opens the database at uri ("file:PATH", "memory:", "memory:NAME", "s3://...",
    "plugin:/path/driver.so?config", any "scheme:..." with a driver plugin), creating it when
    it does not exist unless create_if_missing=False (then NotFound) or read_only=True (a
    handle that never writes: commits raise InvalidArgument). Options are the names of
    bucketdb.h in snake_case or as written (prefix is dbPrefix; True/False are 1/0), e.g.
    read_staleness_ms=0, max_requests_in_flight=16, log_level="debug"; logger=a
    logging.Logger takes the database's log lines instead of stderr."""
    return Database(uri, **options)


def recover(uri, *, write=False, accept_lost_entries=False, schemas=None, **options):
    """Examines the database at uri (under the prefix option) without opening it, as SQLite's
    .recover does: a dict with "block0" ("present" or "missing"), "log" ({"entries", "first",
    "last", "missing"}), "tables", "problems", "actions" and "written". write=True rebuilds a
    lost Block 0 from what remains (creating only absent objects); accept_lost_entries=True
    also gives up missing log entries for good; schemas (a dict, a list of them or JSON text)
    describes tables no remaining log entry registers. Raises Corrupt, writing nothing, when
    a problem stands in the way."""
    flags = ((_native.BDB_RECOVER_WRITE if write else 0) |
             (_native.BDB_RECOVER_ACCEPT_LOST_ENTRIES if accept_lost_entries else 0))
    if schemas is None:
        schemas = ""
    elif not isinstance(schemas, str):
        schemas = _values.dumps(schemas)
    report = _native.recoverJson(_text(uri, "uri"), _native_options(options), schemas, flags)
    return _json.loads(report)


def driver_check(uri):
    """Runs the storage-driver conformance checks against the store of uri under a scratch
    key prefix it deletes afterwards: the report as a dict ("driver", "capabilities",
    "passed", "failed", "skipped", "checks"). Raises only when the driver cannot be loaded or
    opened. Takes seconds."""
    return _json.loads(_native.driverCheck(_text(uri, "uri")))


def version():
    """The library's version, e.g. "0.1.0"."""
    return _native.version()


def abi_version():
    """The C ABI version of the loaded library."""
    return _native.abiVersion()


def header_abi_version():
    """The C ABI version these bindings were compiled against."""
    return _native.headerAbiVersion()


def status_string(code):
    """The name of a status code of bucketdb.h."""
    return _native.statusString(code)
