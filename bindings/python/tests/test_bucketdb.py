"""The bucketdb package over the C ABI: values, errors, batches, queries, cursors, blobs."""

import base64
import datetime
import json
import math
import threading
import time

import pytest

import bucketdb
from bucketdb import native
from conftest import U64_MAX, USERS, raises_bdb

UTC = datetime.timezone.utc


def test_versions():
    assert bucketdb.version() == bucketdb.__version__
    assert bucketdb.version().count(".") == 2
    assert bucketdb.abi_version() == bucketdb.header_abi_version()


def test_error_classes_match_the_header():
    # One class per status code of bucketdb.h, in its order; their names are the library's.
    codes = {"NotFound": native.BDB_E_NOT_FOUND, "InvalidArgument": native.BDB_E_INVALID,
             "SchemaError": native.BDB_E_SCHEMA, "TypeMismatch": native.BDB_E_TYPE,
             "JSONError": native.BDB_E_JSON, "AlreadyExists": native.BDB_E_EXISTS,
             "Conflict": native.BDB_E_CONFLICT, "Corrupt": native.BDB_E_CORRUPT,
             "StorageError": native.BDB_E_IO, "PermissionDenied": native.BDB_E_PERMISSION,
             "BadURI": native.BDB_E_URI, "OutOfMemory": native.BDB_E_NOMEM,
             "StorageFull": native.BDB_E_NO_SPACE, "Busy": native.BDB_E_BUSY,
             "InternalError": native.BDB_E_INTERNAL, "Interrupted": native.BDB_E_INTERRUPTED}
    for name, code in codes.items():
        cls = getattr(bucketdb, name)
        assert issubclass(cls, bucketdb.Error) and cls.code == code
        assert bucketdb.error_class(code) is cls
        assert bucketdb.status_string(code)
    assert bucketdb.error_class(999) is bucketdb.Error
    assert issubclass(bucketdb.TypeMismatch, TypeError)
    assert issubclass(bucketdb.InvalidArgument, ValueError)


def test_open_errors(tmp_path):
    # Where it looked, and what to install.
    with raises_bdb(bucketdb.BadURI, "no driver for 'nosuch:'", "looked for",
                    "bucketdb-driver-nosuch.so", "/bucketdb:", "install the plugin",
                    "BUCKETDB_PLUGIN_PATH"):
        bucketdb.open("nosuch:x")
    with raises_bdb(bucketdb.BadURI, "expected scheme"):
        bucketdb.open("no-scheme")
    with raises_bdb(bucketdb.InvalidArgument, "noSuchOption"):
        bucketdb.open("memory:", no_such_option=1)
    with raises_bdb(bucketdb.TypeMismatch, "uri: expected str, not int"):
        bucketdb.open(42)
    with raises_bdb(bucketdb.InvalidArgument, "NUL"):
        bucketdb.open("memory:\0x")


def test_with_closes_and_close_is_idempotent_and_final(tmp_path):
    with bucketdb.open(f"file:{tmp_path}", read_staleness_ms=0, log_level="silent") as db:
        db.register_schema(json.dumps({"name": "t", "version": 1, "primaryKey": "id",
                                       "fields": {"id": {"typeId": 3}}}))
        db.insert("t", {"id": 1})
        b = db.batch().insert("t", {"id": 2})
        q = db.query("t")
        c = q.cursor()
        r = db.get_record("t", 1)
        assert not db.closed and "closed" not in repr(db)
    assert db.closed and "closed" in repr(db)
    db.close()  # twice: harmless
    with raises_bdb(bucketdb.InvalidArgument, "the database is closed"):
        db.get("t", 1)
    with raises_bdb(bucketdb.InvalidArgument, "the database is closed"):
        db.insert("t", {"id": 3})
    # The library names the call and the child: "bdb_batch_commit: the database this batch
    # belongs to is closed".
    with raises_bdb(bucketdb.InvalidArgument, "bdb_batch_commit", "this batch belongs to is closed"):
        b.commit()
    with raises_bdb(bucketdb.InvalidArgument, "bdb_query_count", "this query belongs to is closed"):
        q.count()
    with raises_bdb(bucketdb.InvalidArgument, "bdb_cursor_next", "this cursor belongs to is closed"):
        c.next_record()
    assert r.to_dict() == {"id": 1}  # records outlive their database
    r.close()
    r.close()
    assert r.closed and "closed" in repr(r)
    with raises_bdb(bucketdb.InvalidArgument, "the document is closed"):
        r.to_dict()
    # Reopened, the committed row is there and the staged one is not.
    with bucketdb.open(f"file:{tmp_path}", log_level="silent") as db2:
        assert db2.get("t", 1) == {"id": 1}
        assert db2.get("t", 2) is None


def test_schemas(db):
    names = {(s["name"], s["version"]) for s in db.schemas()}
    assert {("all", 1), ("users", 1)} <= names
    with raises_bdb(bucketdb.JSONError):
        db.register_schema("{not json")
    with raises_bdb(bucketdb.TypeMismatch, "cannot write a set"):
        db.register_schema({"name": "x", "fields": {1, 2}})


def test_round_trip_every_type(db):
    ts = datetime.datetime(2024, 2, 29, 12, 34, 56, 789000, tzinfo=UTC)
    row = {"id": "k", "u8": 255, "u16": 65535, "u32": (1 << 32) - 1, "u64": U64_MAX,
           "i8": -128, "i16": -32768, "i32": -(1 << 31), "i64": -(1 << 63), "b": True,
           "f64": math.pi, "f32": 0.5, "ts": ts,
           "js": {"n": U64_MAX, "neg": -(1 << 63), "s": "Zoë 😀", "a": [True, None, 1.5]},
           "name": "Zoë 😀", "raw": b"\x00\x01\xfe\xff"}
    seq = db.insert("all", row)
    assert isinstance(seq, int) and seq > 0
    got = db.get("all", "k")
    assert got == row
    assert type(got["u64"]) is int and type(got["b"]) is bool and type(got["raw"]) is bytes
    assert got["ts"].tzinfo is not None
    # Naive datetimes are UTC; milliseconds are floored.
    db.patch("all", {"id": "k", "ts": datetime.datetime(1969, 12, 31, 23, 59, 59, 999999)})
    assert db.get("all", "k")["ts"] == datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    # None clears a field; json holds any JSON value, a str in it stays a str.
    db.patch("all", {"id": "k", "u8": None, "js": "text"})
    got = db.get("all", "k")
    assert "u8" not in got and got["js"] == "text"
    assert json.loads(db.get_json("all", "k"))["u64"] == U64_MAX


def test_write_errors(db):
    cases = [
        ({"id": "e", "nofield": 1}, bucketdb.SchemaError, "no field 'nofield'"),
        ({"id": "e", "u8": 256}, bucketdb.TypeMismatch, "256 is out of range"),
        ({"id": "e", "u8": -1}, bucketdb.TypeMismatch, "-1 is negative"),
        ({"id": "e", "u64": 1 << 64}, bucketdb.TypeMismatch, "field 'u64'"),
        ({"id": "e", "i64": -(1 << 63) - 1}, bucketdb.TypeMismatch, "field 'i64'"),
        ({"id": "e", "u8": "x"}, bucketdb.TypeMismatch, "expected an unsigned integer"),
        ({"id": "e", "name": "far too long"}, bucketdb.Error, "name"),
        ({"id": "e", "u8": object()}, bucketdb.TypeMismatch, "field 'u8': cannot store a value of type object"),
        ({"id": "e", "name": "\ud800"}, bucketdb.TypeMismatch, "field 'name': not valid UTF-8"),
        ({"id": "e", "js": {"s": {1, 2}}}, bucketdb.TypeMismatch, "set"),
        ({1: "e"}, bucketdb.TypeMismatch, "field: expected str, not int"),
    ]
    for values, cls, part in cases:
        with pytest.raises(cls) as info:
            db.insert("all", values)
            print("no error for", values)
        assert part in str(info.value), (values, str(info.value))
    with raises_bdb(bucketdb.TypeMismatch, "expected a mapping, not list"):
        db.insert("all", [("id", "e")])
    with raises_bdb(bucketdb.SchemaError, "nosuch"):
        db.insert("nosuch", {"id": "e"})
    with raises_bdb(bucketdb.AlreadyExists):
        db.insert("all", {"id": "dup"})
        db.insert("all", {"id": "dup"})
    assert db.get("all", "e") is None  # nothing half-written


def test_typed_accessors(db):
    with db.record("all", {"id": "t"}) as r:
        (r.set_uint("u64", U64_MAX).set_int("i64", -5).set_bool("b", True).set_float("f64", 2.5)
          .set_str("name", "hé").set_bytes("raw", bytearray(b"\x00x")).set_json("js", '{"a":1}')
          .set_time("ts", datetime.datetime(2020, 1, 1, tzinfo=UTC)).set_blob("blob", b"blob!"))
        assert r.table == "all" and r.schema_version == 1
        assert r.fields[:3] == ["id", "u8", "u16"]
        assert r.type("u64") == "uint64" and r.type("nope") is None
        assert r.has("u64") and "u64" in r and "u8" not in r and 5 not in r
        assert r.get_uint("u64") == U64_MAX and r.get_int("i64") == -5 and r.get_bool("b")
        assert r.get_float("f64") == 2.5 and r.get_str("name") == "hé"
        assert r.get_bytes("raw") == b"\x00x" and r.get_json("js") == '{"a":1}'
        assert r.get_time("ts") == datetime.datetime(2020, 1, 1, tzinfo=UTC)
        assert r["u8"] is None and r.get("u8", 7) == 7
        with raises_bdb(bucketdb.NotFound):
            r.get_uint("u8")
        with raises_bdb(bucketdb.SchemaError, "nope"):
            r["nope"]
        with raises_bdb(bucketdb.TypeMismatch):
            r.get_str("u64")
        r.set_null("b")
        assert "b" not in r.to_dict()
        assert json.loads(r.to_json())["u64"] == U64_MAX
        db.insert("all", r)
    got = db.get_record("all", "t")
    assert got.version > 0 and got.misc > 0 and got.commit_time.year >= 2024
    assert db.read_blob(got.blob_id("blob")) == b"blob!"
    assert "bucketdb.Record" in repr(got)


def test_keys_and_gets(db):
    db.insert("all", {"id": "a"})
    with db.key_record("all", "a") as k:
        assert db.lookup(k).to_dict() == {"id": "a"}
    assert db.get_record("all", "zz") is None
    assert db.get_json("all", "zz") is None
    with raises_bdb(bucketdb.NotFound, 'no row in all with id = "zz"'):
        db.fetch("all", "zz")
    assert db.fetch("all", "a") == {"id": "a"}
    db.delete("all", "a")
    assert db.get("all", "a") is None


def test_batches(db):
    with db.batch() as b:
        b.insert("users", {"id": "a", "age": 1}).insert_json("users", '{"id":"b","age":2}')
        assert len(b) == 2
    assert b.sequence > 0 and db.get("users", "b") == {"id": "b", "age": 2}
    # An exception in the block drops the batch.
    with pytest.raises(RuntimeError):
        with db.batch() as b:
            b.insert("users", {"id": "c"})
            raise RuntimeError("stop")
    assert db.get("users", "c") is None and b.sequence is None
    # expect_version: compare-and-set.
    rec = db.get_record("users", "a")
    with raises_bdb(bucketdb.Conflict):
        with db.batch() as b:
            b.update("users", {"id": "a", "age": 5}).expect_version(rec.version + 100)
    with db.batch() as b:
        b.patch("users", {"id": "a", "age": 6}).expect_version(rec.version)
        b.update_json("users", '{"id":"b","name":"B"}').patch_json("users", '{"id":"b","age":9}')
        b.delete_key_text("users", "zzz")
    assert db.get("users", "a")["age"] == 6 and db.get("users", "b") == {"id": "b", "name": "B", "age": 9}
    b = db.batch()
    b.insert("users", {"id": "x"}).clear()
    assert len(b) == 0
    b.delete(db.get_record("users", "a")).commit()
    assert db.get("users", "a") is None
    with raises_bdb(bucketdb.InvalidArgument, "version: -1 is outside"):
        db.batch().expect_version(-1)


def test_queries(users):
    db = users
    q = db.query("users").where("age", ">=", 25).order("age", desc=True)
    assert [u["id"] for u in q] == ["u2", "u1", "u3"]
    assert [u["id"] for u in q] == ["u2", "u1", "u3"]  # each iteration runs afresh
    assert q.count() == 3 and "users" in q.explain()
    assert [u["name"] for u in db.query("users").where("name", "prefix", "A").order("id")] == ["Alice", "Anna"]
    assert [u["id"] for u in db.query("users").where("id", "in", ["u1", "u5"]).order("id")] == ["u1", "u5"]
    assert [u["id"] for u in db.query("users").where("age", "isnull")] == ["u5"]
    assert db.query("users").where("age", "notnull").count() == 4
    assert [u["id"] for u in db.query("users").where("age", "<", 18).or_().where("id", "=", "u5").order("id")] == ["u4", "u5"]
    assert [u["id"] for u in db.query("users").order("id").offset(1).limit(2)] == ["u2", "u3"]
    assert list(db.query("users").select("name").where("id", "=", "u1")) == [{"id": "u1", "name": "Alice"}]
    assert [r.get_str("name") for r in db.query("users").where("id", "=", "u2").records()] == ["Bob"]
    first = db.query("users").order("id").limit(1).cursor()
    seq = next(iter(db.query("users").where("id", "=", "u5").records())).version
    assert db.query("users").as_of(seq - 1).count() == 4
    assert db.query("users").as_of_time(datetime.datetime(2000, 1, 1)).count() == 0
    list(first)
    with raises_bdb(bucketdb.InvalidArgument, "op"):
        db.query("users").where("age", "~", 1).count()
    with raises_bdb(bucketdb.SchemaError, "nope"):
        db.query("users").where("nope", "=", 1).count()
    with raises_bdb(bucketdb.TypeMismatch, "cannot write a object as JSON"):
        db.query("users").where("age", "=", object())
    with raises_bdb(bucketdb.InvalidArgument, "limit: -1"):
        db.query("users").limit(-1)
    with raises_bdb(bucketdb.TypeMismatch, "limit: expected int, not str"):
        db.query("users").limit("3")


def test_query_values_are_exact(db):
    db.insert("all", {"id": "big", "u64": U64_MAX, "raw": b"\xff", "f64": float("inf")})
    assert db.query("all").where("u64", "=", U64_MAX).count() == 1
    assert db.query("all").where("u64", "=", U64_MAX - 1).count() == 0
    assert db.query("all").where("raw", "=", b"\xff").count() == 1
    assert db.query("all").where("f64", "=", float("inf")).count() == 1
    assert db.get("all", "big")["f64"] == float("inf")


def test_cursors_and_page_tokens(users):
    db = users
    with db.query("users").order("id").limit(2).cursor() as c:
        assert [u["id"] for u in c] == ["u1", "u2"]
        token = c.page_token()
    assert c.page_token() == token  # readable after close
    assert c.next_record() is None
    page2 = [u["id"] for u in db.query("users").order("id").after(token).limit(2)]
    assert page2 == ["u3", "u4"]
    assert [u["id"] for u in db.query("users").order("id").after(None).limit(1)] == ["u1"]
    with raises_bdb(bucketdb.InvalidArgument, "page token"):
        db.query("users").order("id").after("garbage!").count()
    # Breaking out of a loop closes the cursor when the generator goes.
    for u in db.query("users"):
        break


def test_blobs(db):
    data = bytes(range(256)) * 100
    db.insert("all", {"id": "b", "blob": bucketdb.Blob(data)})
    blob_id = db.get("all", "b")["blob"]
    assert db.read_blob(blob_id) == data
    db.patch("all", {"id": "b", "u8": 1})  # the row keeps its blob
    assert db.get("all", "b")["blob"] == blob_id
    with raises_bdb(bucketdb.TypeMismatch, "a blob belongs to one row"):
        db.insert("all", {"id": "c", "blob": blob_id})
    with raises_bdb(bucketdb.NotFound):
        db.read_blob("00000000-0000-0000-0000-000000000000")
    with raises_bdb(bucketdb.TypeMismatch, "a Blob holds bytes, not str"):
        bucketdb.Blob("text")


def test_rows(db):
    db.insert("all", {"id": "r", "u64": U64_MAX, "name": "x"})
    with db.get_record("all", "r") as r:
        row = r.to_row()
    assert row.version == 1 and isinstance(row.fixed, bytes)
    with db.record_from_row("all", row) as back:
        assert back.to_dict() == {"id": "r", "u64": U64_MAX, "name": "x"}
    with db.record_from_json("all", '{"id":"j","u8":7}') as j:
        assert j.to_dict() == {"id": "j", "u8": 7}
    with raises_bdb(bucketdb.Error):
        db.record_from_row("all", bucketdb.Row(1, b"\x00", b""))
    with raises_bdb(bucketdb.TypeMismatch, "row: expected bucketdb.Row, not tuple"):
        db.record_from_row("all", (1, b"", b""))
    with db.record("all") as r:
        with raises_bdb(bucketdb.TypeMismatch, "field 'raw': expected bytes, not str"):
            r.set_bytes("raw", "text")
        with raises_bdb(bucketdb.TypeMismatch, "field 'ts': expected datetime, not int"):
            r.set_time("ts", 5)


def test_interrupt_stops_a_call_of_another_thread():
    # gc lists the bucket, and every list of this store takes 5 s (the faulty: layer's delay).
    with bucketdb.open("memory:py-interrupt", log_level="silent") as db:
        db.register_schema(USERS)
    slow = ("faulty:memory:py-interrupt?faulty.every=1&faulty.ops=list&faulty.action=delay&"
            "faulty.delay_ms=5000")
    with bucketdb.open(slow, log_level="silent") as db:
        timer = threading.Timer(0.2, db.interrupt)
        timer.start()
        start = time.monotonic()
        with raises_bdb(bucketdb.Interrupted, "bdb_db_gc: interrupted"):
            db.gc()
        timer.join()
        assert time.monotonic() - start < 2.5
        db.insert("users", {"id": "u1"})  # later calls run normally
        assert db.get("users", "u1")["id"] == "u1"


def test_maintenance(tmp_path):
    with bucketdb.open(f"file:{tmp_path}", log_level="silent") as db:
        db.register_schema({"name": "t", "version": 1, "primaryKey": "id", "fields": {"id": {"typeId": 3}}})
        for i in range(3):
            db.insert("t", {"id": i})
        assert db.merge() >= 0 and db.gc() >= 0
        db.refresh()
        assert isinstance(db.stats(), dict)
        assert isinstance(db.inspect_storage("block0"), dict)
        with raises_bdb(bucketdb.InvalidArgument):
            db.inspect_storage("nonsense")


def test_driver_check(tmp_path):
    # A named memory store: every handle the checks open must see the same objects.
    report = bucketdb.driver_check("memory:driver-check")
    assert report["driver"] == "memory" and report["passed"] > 0
    assert len(report["checks"]) == report["passed"] + report["failed"] + report["skipped"]
    with raises_bdb(bucketdb.BadURI, "bogus"):
        bucketdb.driver_check("bogus:whatever")


def test_calls_release_the_gil():
    # While one thread is inside a long library call (the driver checks take a second or two),
    # another runs Python code: held, the GIL would stop it for the whole call, one long gap
    # between its ticks.
    span = []

    def check():
        span.append(time.monotonic())
        bucketdb.driver_check("memory:gil")
        span.append(time.monotonic())

    t = threading.Thread(target=check)
    ticks = []
    t.start()
    while t.is_alive():
        ticks.append(time.monotonic())
    t.join()
    assert len(span) == 2 and span[1] - span[0] > 0.05
    inside = [span[0]] + [x for x in ticks if span[0] < x < span[1]] + [span[1]]
    longest = max(b - a for a, b in zip(inside, inside[1:]))
    assert longest < (span[1] - span[0]) / 2, (longest, span[1] - span[0])


def test_threads_and_close(tmp_path):
    # Storage calls release the GIL; close() waits for calls in flight, and calls after it fail
    # cleanly.
    db = bucketdb.open("memory:", log_level="silent")
    db.register_schema({"name": "t", "version": 1, "primaryKey": "id", "fields": {"id": {"typeId": 3}}})
    errors = []

    def writer(base):
        try:
            for i in range(200):
                db.insert("t", {"id": base + i})
        except bucketdb.InvalidArgument as e:
            if "closed" not in str(e):
                errors.append(e)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n * 1000,)) for n in range(4)]
    for t in threads:
        t.start()
    db.close()
    for t in threads:
        t.join()
    assert errors == []


def test_values_literal_helpers():
    from bucketdb import _values
    assert _values.literal(b"\xff") == json.dumps(base64.b64encode(b"\xff").decode())
    assert _values.literal(float("-inf")) == '"-Infinity"'
    assert _values.literal([1, "a", None]) == '[1,"a",null]'
    assert _values.option_name("read_staleness_ms") == "readStalenessMs"
    assert _values.option_name("prefix") == "dbPrefix"
    assert _values.from_ms(1 << 62) == 1 << 62  # beyond datetime: the milliseconds
