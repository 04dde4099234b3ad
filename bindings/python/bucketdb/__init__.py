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
from ._database import Database
from ._errors import (AlreadyExists, BadURI, Busy, Conflict, Corrupt, Error, InternalError,
                      InvalidArgument, JSONError, NotFound, OutOfMemory, PermissionDenied,
                      SchemaError, StorageError, StorageFull, TypeMismatch, error_class)
from ._query import Cursor, Query
from ._record import Record
from ._values import TYPES, Blob, Row, text as _text

__version__ = _native.version()

__all__ = [
    "AlreadyExists", "BadURI", "Batch", "Blob", "Busy", "Conflict", "Corrupt", "Cursor",
    "Database", "Error", "InternalError", "InvalidArgument", "JSONError", "NotFound",
    "OutOfMemory", "PermissionDenied", "Query", "Record", "Row", "SchemaError", "StorageError",
    "StorageFull", "TYPES", "TypeMismatch", "abi_version", "driver_check", "error_class",
    "header_abi_version", "open", "status_string", "version",
]


def open(uri, **options):  # noqa: A001 - the module's verb, like sqlite3.connect
    """Opens the database at uri ("file:PATH", "memory:", "memory:NAME", "s3://...",
    "plugin:/path/driver.so?config", any "scheme:..." with a driver plugin). Options are the
    names of bucketdb.h in snake_case or as written (prefix is dbPrefix); True/False are 1/0."""
    return Database(uri, **options)


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
