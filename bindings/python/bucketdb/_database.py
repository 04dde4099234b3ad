"""Databases."""

import json
import logging

from . import native as _native
from . import _values as v
from ._batch import Batch
from ._closing import Closing
from ._errors import NotFound, TypeMismatch
from ._query import Query
from ._record import Record

# bdb_log_level to the logging module's levels.
_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)


def _log_to(logger):
    """What the library calls for each line, from its own threads (the extension takes the
    GIL): the line goes to logger as "SUBSYSTEM: message" at its level."""
    if not callable(getattr(logger, "log", None)):
        raise TypeMismatch("logger: expected a logging.Logger (or anything with .log(level, msg)), "
                           f"not {type(logger).__name__}")

    def emit(level, subsystem, message):
        logger.log(_LEVELS[level] if 0 <= level < len(_LEVELS) else logging.ERROR,
                   "%s: %s", subsystem, message)
    return emit


def _progress_to(fn):
    """What the library calls with the progress of long work, from its own threads (the
    extension hands it over as a log line: the task, then "DONE TOTAL"): fn(task, done, total),
    total 0 when not known yet."""
    if not callable(fn):
        raise TypeMismatch(f"progress: expected a callable(task, done, total), not {type(fn).__name__}")

    def emit(_level, task, numbers):
        done, total = numbers.split()
        fn(task, int(done), int(total))
    return emit


def native_options(options):
    """The extension's Options from open()'s keyword arguments (logger: a logging.Logger;
    progress: a callable(task, done, total))."""
    o = _native.Options()
    for key, value in options.items():
        if key == "logger":
            if value is not None:
                o.setLogger(_log_to(value))
        elif key == "progress":
            if value is not None:
                o.setProgress(_progress_to(value))
        else:
            o.set(v.option_name(key), v.option_value(value))
    return o


class Database(Closing):
    """An open database; safe to share between threads. ``with`` closes it at the end."""

    __slots__ = ("_n", "_tables", "__weakref__")

    def __init__(self, uri, **options):
        self._n = _native.Database(v.text(uri, "uri"), native_options(options))
        self._tables = {}

    def close(self):
        """Waits for calls under way and background work, runs the merge at close when one is
        due, and closes the database: later calls on it, and on its batches, queries and
        cursors, raise InvalidArgument. A merge at close that failed raises (StorageError,
        ...), yet loses nothing: every commit is in the log, and the database is closed all
        the same. Records stay usable. Closing twice is harmless."""
        self._n.close()

    @property
    def closed(self):
        return self._n.isOpen() == 0

    def __repr__(self):
        return "<bucketdb.Database (closed)>" if self.closed else "<bucketdb.Database>"

    def register_schema(self, schema, *, allow_lossy=False):
        """Registers a schema: its JSON text, a dict, or a list of them (all or none). A new
        version of a table that would lose values of the newest one (a field dropped, a
        maxLength narrowed, a type changed) raises SchemaError naming each field, unless
        allow_lossy: then reads convert what fits and null the rest."""
        text = schema if isinstance(schema, str) else v.dumps(schema)
        self._n.registerSchema(text, _native.BDB_SCHEMA_ALLOW_LOSSY if allow_lossy else 0)

    def schemas(self):
        """Every registered schema version."""
        return json.loads(self._n.schemasJson())

    def drop_table(self, table):
        """Drops a table: its rows, schema versions and indexes are gone from the next read on,
        and its name is free. History queries from before the drop still read it until
        gcGraceMs after the next merge. SchemaError for an unknown table."""
        self._n.dropTable(v.text(table, "table"))
        # A table registered later under the name starts again, with fields of its own.
        for key in [k for k in self._tables if k[0] == table]:
            self._tables.pop(key, None)

    def drop_index(self, table, field):
        """Drops the index on field: registers the table's next version without it."""
        self._n.dropIndex(v.text(table, "table"), v.text(field, "field"))

    # ---- records -------------------------------------------------------------------------

    def record(self, table, values=None):
        """A new record of table, with the fields of values."""
        r = Record(self, self._n.newDoc(v.text(table, "table")))
        if values is not None:
            try:
                r.update(values)
            except BaseException:
                r.close()
                raise
        return r

    def record_from_json(self, table, json_text):
        return Record(self, self._n.docFromJson(v.text(table, "table"), v.text(json_text, "json")))

    def record_from_row(self, table, row):
        """A record decoded from a row (Record.to_row, or a generated codec)."""
        if not isinstance(row, v.Row):
            raise TypeMismatch(f"row: expected bucketdb.Row, not {type(row).__name__}")
        doc = self._n.docFromRow(v.text(table, "table"), v.count(row.version, "row version"),
                                 v.data(row.fixed, "row fixed"), v.data(row.heap, "row heap"))
        return Record(self, doc)

    def key_record(self, table, key):
        """A record holding only the primary key."""
        return Record(self, self._n.keyDoc(v.text(table, "table"), v.literal(key)))

    # ---- reads ---------------------------------------------------------------------------

    def get(self, table, key):
        """The row with primary key key as a dict, or None."""
        r = self.get_record(table, key)
        if r is None:
            return None
        with r:
            return r.to_dict()

    def fetch(self, table, key):
        """Like get, but raises NotFound when there is no such row."""
        with self.key_record(table, key) as k:
            r = Record(self, self._n.get(k.native))
        with r:
            return r.to_dict()

    def get_record(self, table, key):
        """The row as a Record (typed accessors), or None."""
        with self.key_record(table, key) as k:
            return self.lookup(k)

    def lookup(self, key_record):
        """The row with the primary key a record holds, or None."""
        try:
            return Record(self, self._n.get(key_record.native))
        except NotFound:
            return None

    def get_json(self, table, key):
        """The row as JSON text, or None."""
        try:
            return self._n.getJson(v.text(table, "table"), v.literal(key))
        except NotFound:
            return None

    def query(self, table):
        return Query(self, self._n.query(v.text(table, "table")))

    def read_blob(self, blob_id):
        """The bytes of a managed blob."""
        return self._n.blobRead(v.text(blob_id, "blob id"))

    # ---- writes --------------------------------------------------------------------------

    def batch(self):
        """A batch; ``with db.batch() as b:`` commits it when the block ends."""
        return Batch(self, self._n.batch())

    def _one(self, op, table, values):
        with self.batch() as b:
            op(b, table, values)
        return b.sequence

    def insert(self, table, values):
        """Inserts one row; returns the commit's sequence number."""
        return self._one(Batch.insert, table, values)

    def update(self, table, values):
        return self._one(Batch.update, table, values)

    def patch(self, table, values):
        return self._one(Batch.patch, table, values)

    def delete(self, table, key):
        return self._one(Batch.delete, table, key)

    # ---- maintenance ---------------------------------------------------------------------

    def merge(self):
        return self._n.merge()

    def gc(self):
        return self._n.gc()

    def inspect_storage(self, what):
        """"block0", "log" or "blocks", parsed."""
        return json.loads(self._n.inspectJson(v.text(what, "what")))

    def stats(self):
        return json.loads(self._n.statsJson())

    def refresh(self):
        self._n.refresh()

    def interrupt(self):
        """Stops every call on this database under way, from any thread (bdb_db_interrupt, as
        sqlite3's Connection.interrupt): each raises Interrupted soon; calls started later run
        normally. An interrupted commit either landed (no error) or left its batch intact."""
        self._n.interrupt()

    def verify(self):
        """Reads and checks every object the database reaches, straight from storage; the
        report as a dict: ok, objects, bytes, rows, checked (count by kind), damaged (key,
        kind, problem of each damaged or missing object)."""
        return json.loads(self._n.verifyJson())

    def export_to(self, path):
        """Writes the whole database to the file at path as NDJSON; returns the rows."""
        return self._n.exportTo(v.text(str(path), "path"))

    def import_from(self, path, *, batch_rows=0, upsert=False):
        """Reads an export into this database, committing every batch_rows rows (0: one
        batch); a row whose key exists raises AlreadyExists unless upsert. Returns the rows."""
        flags = _native.BDB_IMPORT_UPSERT if upsert else 0
        return self._n.importFrom(v.text(str(path), "path"), v.count(batch_rows, "batch_rows"), flags)

    # ---- internals -----------------------------------------------------------------------

    def _layout(self, doc):
        """Field names and type ids of a table version, in declaration order."""
        key = (doc.table(), doc.schemaVersion())
        layout = self._tables.get(key)
        if layout is None:
            names = (doc.fieldName(i) for i in range(doc.fieldCount()))
            layout = tuple((name, doc.fieldType(name)) for name in names)
            self._tables[key] = layout
        return layout
