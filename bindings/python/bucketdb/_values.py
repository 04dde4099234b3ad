"""Python values to what the library takes (JSON literals, milliseconds) and back."""

import base64
import datetime
import json
import math

from ._errors import InvalidArgument, TypeMismatch

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MS = datetime.timedelta(milliseconds=1)
UINT64_MAX = (1 << 64) - 1
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
UNSIGNED = frozenset((1, 2, 3, 12))
BYTES_LIKE = (bytes, bytearray, memoryview)

# Field type ids (bdb_type in bucketdb.h) and their names.
TYPES = {1: "uint8", 2: "uint32", 3: "uint64", 4: "int32", 5: "int64", 6: "boolean",
         7: "float64", 8: "timestamp", 9: "json", 10: "varchar", 11: "blob", 12: "uint16",
         13: "int8", 14: "int16", 15: "float32", 16: "bytes"}


class Blob:
    """New content for a blob field, uploaded when the batch commits. (A str in a blob field is
    the id the row already holds.)"""

    __slots__ = ("data",)

    def __init__(self, data):
        if not isinstance(data, BYTES_LIKE):
            raise TypeMismatch(f"a Blob holds bytes, not {type(data).__name__}")
        self.data = bytes(data)

    def __repr__(self):
        return f"Blob({len(self.data)} bytes)"


class Row:
    """A record encoded as a row, for generated codecs (bucketdb-schemac)."""

    __slots__ = ("version", "fixed", "heap")

    def __init__(self, version, fixed, heap):
        self.version, self.fixed, self.heap = version, fixed, heap

    def __repr__(self):
        return (f"Row(version={self.version}, fixed={len(self.fixed)} bytes, "
                f"heap={len(self.heap)} bytes)")


def text(value, what):
    """A name the library takes as text (table, field, URI...): a str without NUL."""
    if not isinstance(value, str):
        raise TypeMismatch(f"{what}: expected str, not {type(value).__name__}")
    if "\0" in value:
        raise InvalidArgument(f"{what}: contains a NUL character")
    return value


def data(value, what):
    """A bytes-like argument."""
    if not isinstance(value, BYTES_LIKE):
        raise TypeMismatch(f"{what}: expected bytes, not {type(value).__name__}")
    return value


def count(value, what):
    """A non-negative 64-bit integer argument."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeMismatch(f"{what}: expected int, not {type(value).__name__}")
    if not 0 <= value <= UINT64_MAX:
        raise InvalidArgument(f"{what}: {value} is outside 0..{UINT64_MAX}")
    return value


def to_ms(value):
    """Milliseconds since the epoch of a datetime (naive ones are UTC), floored."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return (value - EPOCH) // _MS


def from_ms(ms):
    """A UTC datetime, or the milliseconds themselves outside datetime's years 1 to 9999."""
    try:
        return EPOCH + datetime.timedelta(milliseconds=ms)
    except OverflowError:
        return ms


def encode_utf8(value, what):
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise TypeMismatch(f"{what}: not valid UTF-8 text ({e.reason})") from None


def _json_default(value):
    if isinstance(value, BYTES_LIKE):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.datetime):
        return to_ms(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def dumps(value):
    """JSON text of a value for a json field: ints exact, bytes as base64, datetimes as ms."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_json_default,
                          separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise TypeMismatch(str(e)) from None


def literal(value):
    """A value as the JSON literal the library expects for a key or a condition: integers
    exact, bytes as base64, datetimes as milliseconds, NaN and the infinities as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return '"NaN"' if math.isnan(value) else ('"Infinity"' if value > 0 else '"-Infinity"')
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(literal(v) for v in value) + "]"
    if isinstance(value, datetime.datetime):
        return str(to_ms(value))
    if value is None or isinstance(value, (bool, int, float, str, dict) + BYTES_LIKE):
        return dumps(value)
    raise TypeMismatch(f"cannot write a {type(value).__name__} as JSON")


def option_name(key):
    """read_staleness_ms -> readStalenessMs; prefix -> dbPrefix."""
    if key == "prefix":
        return "dbPrefix"
    first, *rest = key.split("_")
    return first + "".join(p.capitalize() for p in rest)


def option_value(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
