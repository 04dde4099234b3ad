"""Queries and cursors."""

import datetime

from . import _values as v
from ._closing import Closing
from ._record import Record

_NO_VALUE_OPS = ("isnull", "notnull")


class Query(Closing):
    """A query on one table. Iterating runs it and gives each row as a dict (every iteration
    reads afresh); the builder methods return the query, so they chain."""

    __slots__ = ("_db", "_n")

    def __init__(self, db, native):
        self._db = db  # keeps the database open while the query is reachable
        self._n = native

    def close(self):
        self._n.close()

    def where(self, field, op, value=None):
        """op: "=", "!=", "<", "<=", ">", ">=", "in" (a list), "prefix", "isnull", "notnull"."""
        op = v.text(op, "op")
        text = "" if op in _NO_VALUE_OPS else v.literal(value)
        self._n.where(v.text(field, "field"), op, text)
        return self

    def or_(self):
        """Closes the group of conditions so far: where(a).where(b).or_().where(c) is
        (a AND b) OR c."""
        self._n.orGroup()
        return self

    def order(self, field, desc=False):
        self._n.order(v.text(field, "field"), 1 if desc else 0)
        return self

    def order_then(self, field, desc=False):
        """A further sort key: rows equal in the keys before are ordered by this one."""
        self._n.orderThen(v.text(field, "field"), 1 if desc else 0)
        return self

    def limit(self, n):
        self._n.limit(v.count(n, "limit"))
        return self

    def offset(self, n):
        self._n.offset(v.count(n, "offset"))
        return self

    def as_of(self, seq):
        """The table as it was after commit seq."""
        self._n.asOf(v.count(seq, "as_of"))
        return self

    def as_of_time(self, when):
        """The table as it was at a datetime, or at MISC milliseconds."""
        ms = v.to_ms(when) if isinstance(when, datetime.datetime) else when
        self._n.asOfTime(v.count(ms, "as_of_time"))
        return self

    def select(self, *fields):
        """Only these fields (and the key) in the rows."""
        for f in fields:
            for name in ([f] if isinstance(f, str) else f):
                self._n.selectField(v.text(name, "select"))
        return self

    def after(self, token):
        """Keyset pagination: continue after the position a cursor's page_token() gave, for a
        query on the same table with the same order. "" or None: the beginning."""
        self._n.after(None if token is None else v.text(token, "page token"))
        return self

    def count(self):
        return self._n.count()

    def explain(self):
        """How the query would run (key lookup, index or scan) and the objects it would read
        at most, as one line."""
        return self._n.explain()

    def cursor(self):
        """Runs the query: a Cursor reading the database as of now."""
        return Cursor(self._db, self._n.exec_())

    def __iter__(self):
        with self.cursor() as c:
            yield from c

    def records(self):
        """Runs the query and yields Records (typed accessors)."""
        with self.cursor() as c:
            yield from c.records()


class Cursor(Closing):
    """The rows of one run of a query, read once: iterating gives dicts. Closes itself at the
    end; ``with`` closes it early."""

    __slots__ = ("_db", "_n", "_done", "_token", "_token_error")

    def __init__(self, db, native):
        self._db = db
        self._n = native
        self._done = False
        self._token = ""
        self._token_error = None

    def close(self):
        if not self._done:
            try:
                self._token = self._n.pageToken()
            except Exception as e:  # closing never fails; page_token() reports it
                self._token_error = e
        self._done = True
        self._n.close()

    def page_token(self):
        """Where the rows returned so far end, for the next page's Query.after(); still
        readable once the cursor has closed (at its end, or by close())."""
        if not self._done:
            return self._n.pageToken()
        if self._token_error is not None:
            raise self._token_error
        return self._token

    def next_record(self):
        """The next row as a Record, or None at the end (or once closed)."""
        if self._done:
            return None
        d = self._n.next()
        if d is not None:
            return Record(self._db, d)
        self.close()
        return None

    def __iter__(self):
        return self

    def __next__(self):
        r = self.next_record()
        if r is None:
            raise StopIteration
        try:
            return r.to_dict()
        finally:
            r.close()

    def records(self):
        """Yields the remaining rows as Records."""
        while (r := self.next_record()) is not None:
            yield r
