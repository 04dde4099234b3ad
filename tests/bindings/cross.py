"""The Python side of bindings.cross: checks the row the Go program wrote, exactly, then writes
one for it to check (the values cross.rb writes, under the id "python").

    python3 cross.py URI
"""

import datetime
import math
import sys

import bucketdb

SCHEMA = ('{"name":"extremes","version":1,"primaryKey":"id","fields":{'
          '"id":{"typeId":10},"u64":{"typeId":3},"i64":{"typeId":5},"u8":{"typeId":1},'
          '"f64":{"typeId":7},"b":{"typeId":6},"ts":{"typeId":8},"js":{"typeId":9},'
          '"name":{"typeId":10},"raw":{"typeId":16},"blob":{"typeId":11}}}')
UTC = datetime.timezone.utc

with bucketdb.open(sys.argv[1], read_staleness_ms=0, log_level="warn") as db:
    db.register_schema(SCHEMA)
    row = db.fetch("extremes", "go")
    blob = db.read_blob(row.pop("blob"))
    want = {
        "id": "go", "u64": (1 << 64) - 1, "i64": -(1 << 63), "u8": 255, "f64": math.pi,
        "b": True, "ts": datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
        "js": {"n": (1 << 64) - 1, "s": "Zoë 😀", "a": [True, None]}, "name": "Zoë 😀",
        "raw": b"\x00\x01\xfe\xff",
    }
    if row != want:
        sys.exit(f"go's row:\n got  {row!r}\n want {want!r}")
    if blob != b"\x00\xffgo" * 1000:
        sys.exit(f"go's blob differs ({len(blob)} bytes)")
    print("python read go's row exactly")
    db.update("extremes", {
        "id": "python", "u64": (1 << 64) - 2, "i64": -(1 << 63) + 1, "u8": 254, "f64": -math.e,
        "b": False, "ts": datetime.datetime(2009, 2, 13, 23, 31, 30, 123000, tzinfo=UTC),
        "js": {"from": "python", "big": (1 << 64) - 2}, "name": "Ünïcödé ✓", "raw": b"\xff\x00r",
        "blob": bucketdb.Blob(b"python\x00" * 999),
    })
    print("python wrote its row")
