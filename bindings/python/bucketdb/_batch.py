"""Batches: writes staged for one atomic commit."""

from . import _values as v
from ._closing import Closing
from ._record import Record


class Batch(Closing):
    """Writes staged for one atomic commit. As a context manager it commits when the block
    ends without an exception (the sequence number is then in ``sequence``) and drops the
    writes otherwise."""

    __slots__ = ("_db", "_n", "sequence")

    def __init__(self, db, native):
        self._db = db  # keeps the database open while the batch is reachable
        self._n = native
        self.sequence = None

    def close(self):
        self._n.close()

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.sequence = self.commit()
        finally:
            self.close()

    def insert(self, table, values=None):
        """Stages an insert (commit raises AlreadyExists if the key is taken). values: a mapping
        or a Record (or a Record alone, in place of table)."""
        return self._stage(self._n.insert, table, values)

    def update(self, table, values=None):
        """Stages an upsert of a whole row."""
        return self._stage(self._n.update, table, values)

    def patch(self, table, values=None):
        """Stages new values for some fields of a row."""
        return self._stage(self._n.patch, table, values)

    def delete(self, table, key=None):
        """Stages the deletion of the row with primary key key (or of a Record's key)."""
        if isinstance(table, Record):
            self._n.remove(table.native)
        else:
            self._n.deleteKey(v.text(table, "table"), v.literal(key))
        return self

    def insert_json(self, table, json_text):
        self._n.insertJson(v.text(table, "table"), v.text(json_text, "json"))
        return self

    def update_json(self, table, json_text):
        self._n.updateJson(v.text(table, "table"), v.text(json_text, "json"))
        return self

    def patch_json(self, table, json_text):
        self._n.patchJson(v.text(table, "table"), v.text(json_text, "json"))
        return self

    def delete_key_text(self, table, key_text):
        """Deletes by bucketdb.h's key text (a JSON literal, or text verbatim for a varchar key)."""
        self._n.deleteKey(v.text(table, "table"), v.text(key_text, "key"))
        return self

    def expect_version(self, version):
        """The last staged operation applies only if the row is at version (0: it must not
        exist); otherwise commit raises Conflict."""
        self._n.expectVersion(v.count(version, "version"))
        return self

    def expect_exists(self):
        """The last staged operation applies only if its row exists; otherwise commit raises
        NotFound and nothing of the batch is written (a delete that must find its key)."""
        self._n.expectExists()
        return self

    def __len__(self):
        return self._n.size()

    def clear(self):
        self._n.clear()
        return self

    def commit(self):
        """Writes the batch as one log entry; returns its sequence number (the rows' version)."""
        return self._n.commit()

    def _stage(self, op, table, values):
        if isinstance(table, Record) or isinstance(values, Record):
            op((values if isinstance(values, Record) else table).native)
        else:
            with self._db.record(table, values) as r:
                op(r.native)
        return self
