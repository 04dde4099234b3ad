"""Records: documents with typed accessors by field name."""

import json

from . import _values as v
from ._closing import Closing
from ._errors import TypeMismatch


def _read(n, name, t):
    """A field's value by its type id (t > 0, the field holds a value)."""
    if t in (1, 2, 3, 12):
        return n.getUint(name)
    if t in (4, 5, 13, 14):
        return n.getInt(name)
    if t == 6:
        return n.getBool(name) == 1
    if t in (7, 15):
        return n.getDouble(name)
    if t == 8:
        return v.from_ms(n.getInt(name))
    if t == 9:
        return json.loads(n.getString(name).decode("utf-8", "surrogateescape"))
    if t == 10:
        return n.getString(name).decode("utf-8", "surrogateescape")
    if t == 11:
        return n.getBlobId(name)
    if t == 16:
        return n.getBytes(name)
    return json.loads(n.getJson(name))  # a type this binding does not know yet


def _write_int(n, name, t, value):
    # Integers go to the library whole (a json field's as JSON text, checked there).
    if t == 9:
        n.setJson(name, str(value))
    elif not v.INT64_MIN <= value <= v.UINT64_MAX:
        raise TypeMismatch(f"field '{name}': {value} does not fit 64 bits")
    elif value < 0 or (t not in v.UNSIGNED and value <= v.INT64_MAX):
        n.setInt(name, value)
    else:
        n.setUint(name, value)


def _write(n, name, t, value):
    if value is None:
        n.setNull(name)
    elif isinstance(value, bool):
        n.setBool(name, 1 if value else 0)
    elif isinstance(value, int):
        _write_int(n, name, t, value)
    elif isinstance(value, float):
        if t == 9:
            n.setJson(name, v.literal(value))
        else:
            n.setDouble(name, value)
    elif isinstance(value, v.datetime.datetime):
        n.setInt(name, v.to_ms(value))
    elif isinstance(value, v.Blob):
        n.setBlob(name, value.data)
    elif isinstance(value, str):
        if t == 16:
            n.setBytes(name, v.encode_utf8(value, f"field '{name}'"))
        elif t in (9, 11):
            n.setJson(name, v.dumps(value))
        else:
            n.setString(name, v.encode_utf8(value, f"field '{name}'"))
    elif isinstance(value, v.BYTES_LIKE):
        if t == 9:
            n.setJson(name, v.literal(value))
        else:
            n.setBytes(name, value)
    elif isinstance(value, (dict, list, tuple)):
        n.setJson(name, v.dumps(value) if t == 9 else v.literal(value))
    else:
        raise TypeMismatch(f"field '{name}': cannot store a value of type {type(value).__name__}")


class Record(Closing):
    """One document. Getters raise NotFound when the field is null, SchemaError when unknown,
    TypeMismatch when the value does not convert. ``with`` (or close()) frees it at once."""

    __slots__ = ("_db", "_n")

    def __init__(self, db, native):
        self._db = db
        self._n = native

    @property
    def native(self):
        """The SWIG document (for the library's calls)."""
        return self._n

    def close(self):
        """Frees the document now (the garbage collector does otherwise)."""
        self._n.dispose()

    @property
    def closed(self):
        return self._n.isOpen() == 0

    @property
    def table(self):
        return self._n.table()

    @property
    def schema_version(self):
        return self._n.schemaVersion()

    @property
    def fields(self):
        """Every field of the table version, in declaration order."""
        return [name for name, _ in self._db._layout(self._n)]

    @property
    def version(self):
        """The commit sequence that wrote the row (0 for a record not read from the database)."""
        return self._n.version()

    @property
    def misc(self):
        """The commit's MISC timestamp, in milliseconds."""
        return self._n.misc()

    @property
    def commit_time(self):
        return v.from_ms(self.misc)

    def type(self, field):
        """The type of a field ("uint8", "varchar", ...), None if unknown."""
        return v.TYPES.get(self._n.fieldType(v.text(field, "field")))

    def has(self, field):
        return self._n.has(v.text(field, "field")) == 1

    def __contains__(self, field):
        return isinstance(field, str) and self.has(field)

    def to_dict(self):
        """The fields that hold a value."""
        n = self._n
        layout = self._db._layout(n)
        out = {}
        for i, t in enumerate(n.present()):
            if t and i < len(layout):
                name = layout[i][0]
                out[name] = _read(n, name, t)
        return out

    def __getitem__(self, field):
        """A field's value converted by its type; None when null."""
        name = v.text(field, "field")
        t = self._n.fieldType(name)
        if t == 0:
            return self._n.getJson(name)  # unknown: the library's SchemaError
        return _read(self._n, name, t) if self.has(name) else None

    def get(self, field, default=None):
        value = self[field]
        return default if value is None else value

    def __setitem__(self, field, value):
        """Sets a field by its type: None; bool; int (exact, range checked); float; datetime;
        str (varchar text, bytes, the id a blob field holds); bytes; Blob (new blob content);
        any JSON-able value for a json field."""
        name = v.text(field, "field")
        _write(self._n, name, self._n.fieldType(name), value)

    def update(self, values):
        """Sets every pair of a mapping."""
        if not hasattr(values, "items"):
            raise TypeMismatch(f"values: expected a mapping, not {type(values).__name__}")
        for k, val in values.items():
            self[k] = val
        return self

    def to_json(self):
        """The library's JSON of the record (fields with a value)."""
        return self._n.toJson()

    def to_row(self):
        r = self._n.toRow()
        return v.Row(r.version(), r.fixed(), r.heap())

    def __repr__(self):
        if self.closed:
            return "<bucketdb.Record (closed)>"
        return f"<bucketdb.Record {self.to_json()}>"

    # Typed accessors, straight to the library.
    def get_bool(self, f):
        return self._n.getBool(v.text(f, "field")) == 1

    def get_int(self, f):
        return self._n.getInt(v.text(f, "field"))

    def get_uint(self, f):
        return self._n.getUint(v.text(f, "field"))

    def get_float(self, f):
        return self._n.getDouble(v.text(f, "field"))

    def get_str(self, f):
        return self._n.getString(v.text(f, "field")).decode("utf-8", "surrogateescape")

    def get_bytes(self, f):
        return self._n.getBytes(v.text(f, "field"))

    def get_time(self, f):
        return v.from_ms(self._n.getInt(v.text(f, "field")))

    def get_json(self, f):
        """The field's value as JSON text."""
        return self._n.getJson(v.text(f, "field"))

    def blob_id(self, f):
        return self._n.getBlobId(v.text(f, "field"))

    def set_null(self, f):
        self._n.setNull(v.text(f, "field"))
        return self

    def set_bool(self, f, value):
        self._n.setBool(v.text(f, "field"), 1 if value else 0)
        return self

    def set_int(self, f, value):
        _write_int(self._n, v.text(f, "field"), 5, _int(value))
        return self

    def set_uint(self, f, value):
        _write_int(self._n, v.text(f, "field"), 3, _int(value))
        return self

    def set_float(self, f, value):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeMismatch(f"field '{f}': expected float, not {type(value).__name__}")
        self._n.setDouble(v.text(f, "field"), float(value))
        return self

    def set_str(self, f, value):
        name = v.text(f, "field")
        self._n.setString(name, v.encode_utf8(v.text(value, f"field '{name}'"), f"field '{name}'"))
        return self

    def set_bytes(self, f, value):
        self._n.setBytes(v.text(f, "field"), v.data(value, f"field '{f}'"))
        return self

    def set_json(self, f, json_text):
        """Sets a field from JSON text (any field type)."""
        self._n.setJson(v.text(f, "field"), v.text(json_text, "json"))
        return self

    def set_blob(self, f, data):
        self._n.setBlob(v.text(f, "field"), v.data(data, f"field '{f}'"))
        return self

    def set_time(self, f, value):
        if not isinstance(value, v.datetime.datetime):
            raise TypeMismatch(f"field '{f}': expected datetime, not {type(value).__name__}")
        self._n.setInt(v.text(f, "field"), v.to_ms(value))
        return self


def _int(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeMismatch(f"expected int, not {type(value).__name__}")
    return value
