"""Opening and closing: creating or not, read-only handles, a close that raises its failed
merge, lossy schema versions and schema arrays, recovery of a lost Block 0, and the engine's
log through the logging module."""

import gc
import itertools
import json
import logging
import os
import sys
import time

import bucketdb
from conftest import USERS, raises_bdb

_names = itertools.count()


def test_create_if_missing_and_read_only(tmp_path):
    uri = f"file:{tmp_path}"
    with raises_bdb(bucketdb.NotFound, "no database"):
        bucketdb.open(uri, create_if_missing=False)
    with raises_bdb(bucketdb.NotFound, "no database"):
        bucketdb.open(uri, read_only=True)
    with bucketdb.open(uri, log_level="silent") as db:  # would create, but only reads
        with raises_bdb(bucketdb.SchemaError, "users"):
            db.get("users", "u1")
    assert list(tmp_path.iterdir()) == [], "a handle that only read wrote nothing"
    with raises_bdb(bucketdb.NotFound, "no database"):
        bucketdb.open(uri, create_if_missing=False)
    with bucketdb.open(uri, log_level="silent") as db:  # created by its first write
        db.register_schema(USERS)
        db.insert("users", {"id": "u1", "age": 7})
    with bucketdb.open(uri, read_only=True, log_level="silent") as ro:
        assert ro.get("users", "u1") == {"id": "u1", "age": 7}
        with raises_bdb(bucketdb.InvalidArgument, "read-only"):
            ro.insert("users", {"id": "u2"})
        with raises_bdb(bucketdb.InvalidArgument, "read-only"):
            ro.register_schema(USERS.replace('"users"', '"others"'))
        with raises_bdb(bucketdb.InvalidArgument, "read-only"):
            ro.merge()
        with raises_bdb(bucketdb.InvalidArgument, "read-only"):
            ro.gc()


def test_max_requests_in_flight():
    with raises_bdb(bucketdb.InvalidArgument, "maxRequestsInFlight"):
        bucketdb.open("memory:", max_requests_in_flight=2000)
    with bucketdb.open("memory:", max_requests_in_flight=1, log_level="silent") as db:
        db.register_schema(USERS)
        db.insert("users", {"id": "a"})


MERGE_DUE = {"merge_threshold_entries": 1, "write_forward_interval": 60000}


def failing_merge():
    """A memory store of its own with two rows, and that store with every put failing."""
    plain = f"memory:python-close-{os.getpid()}-{next(_names)}"
    with bucketdb.open(plain, log_level="silent") as db:
        db.register_schema(USERS)
        db.insert("users", {"id": "a", "age": 1})
        db.insert("users", {"id": "b", "age": 2})
    return plain, f"faulty:{plain}?faulty.ops=put&faulty.every=1&faulty.status=io"


def test_close_raises_a_failed_merge_and_loses_nothing():
    plain, failing = failing_merge()
    db = bucketdb.open(failing, log_level="silent", **MERGE_DUE)
    with raises_bdb(bucketdb.StorageError, "merge at close failed", "injected"):
        db.close()
    assert db.closed
    db.close()  # closing again is harmless
    with raises_bdb(bucketdb.InvalidArgument, "closed"):
        db.get("users", "a")
    with bucketdb.open(plain, log_level="silent") as again:
        assert again.get("users", "b")["age"] == 2


def test_the_engine_logs_to_the_logging_module(caplog):
    caplog.set_level(logging.DEBUG, logger="bucketdb.test")
    logger = logging.getLogger("bucketdb.test")
    no_conditions = "faulty:memory:?faulty.conditional=0"
    with bucketdb.open(no_conditions, logger=logger):
        pass
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(r.getMessage().startswith("engine: storage faulty:memory:") and
               "no conditional writes" in r.getMessage() for r in warnings), caplog.text
    caplog.clear()
    with bucketdb.open(no_conditions, logger=logger, log_level="error"):
        pass
    assert caplog.records == []
    with raises_bdb(bucketdb.TypeMismatch, "logger"):
        bucketdb.open("memory:", logger=42)


def test_a_raising_logger_does_not_break_the_library():
    class Raising:
        def log(self, *args):
            raise RuntimeError("boom")
    seen = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(u.exc_value)
    try:
        bucketdb.open("faulty:memory:?faulty.conditional=0", logger=Raising()).close()
    finally:
        sys.unraisablehook = old
    assert any(isinstance(e, RuntimeError) and str(e) == "boom" for e in seen), seen


def test_a_forgotten_database_logs_its_failed_merge(caplog):
    caplog.set_level(logging.ERROR, logger="bucketdb.forgotten")
    _, failing = failing_merge()
    bucketdb.open(failing, logger=logging.getLogger("bucketdb.forgotten"), **MERGE_DUE)
    gc.collect()  # the database is gone: its close could only log
    deadline = time.monotonic() + 20
    while "merge: merge at close failed" not in caplog.text:
        assert time.monotonic() < deadline, caplog.text
        time.sleep(0.02)


def test_lossy_versions_and_schema_arrays(db):
    db.insert("users", {"id": "u1", "name": "Alice", "score": 2.5})
    no_score = USERS.replace('"version":1', '"version":2').replace(',"score":{"typeId":7}', "")
    with raises_bdb(bucketdb.SchemaError, "score"):
        db.register_schema(no_score)
    db.register_schema(no_score, allow_lossy=True)
    assert db.get("users", "u1") == {"id": "u1", "name": "Alice"}

    a = {"name": "a", "version": 1, "fields": {"k": {"typeId": 10}}, "primaryKey": "k"}
    bad = dict(a, name="b", fields={"k": {"typeId": 99}})
    with raises_bdb(bucketdb.SchemaError):
        db.register_schema([a, bad])
    with raises_bdb(bucketdb.SchemaError, "a"):
        db.record("a")
    db.register_schema([a, dict(bad, fields={"k": {"typeId": 10}})])
    db.insert("a", {"k": "x"})
    db.insert("b", {"k": "y"})


def test_recover_a_lost_block0(tmp_path):
    uri = f"file:{tmp_path}"
    with bucketdb.open(uri, auto_merge=False, log_level="silent") as db:
        db.register_schema(USERS)
        db.insert("users", {"id": "u1", "age": 30})
        db.merge()
        db.insert("users", {"id": "u2", "age": 40})
    os.remove(tmp_path / "main" / "block0")
    with raises_bdb(bucketdb.Corrupt, "Block 0 missing"):
        bucketdb.open(uri, log_level="silent")
    report = bucketdb.recover(uri)
    assert report["block0"] == "missing" and report["written"] is False
    assert report["log"]["entries"] >= 1
    report = bucketdb.recover(uri, write=True, schemas=json.loads(USERS))
    assert report["written"] is True, report
    with bucketdb.open(uri, log_level="silent") as db:
        assert db.get("users", "u1")["age"] == 30
        assert db.get("users", "u2")["age"] == 40
    with raises_bdb(bucketdb.BadURI, "bogus"):
        bucketdb.recover("bogus:x")
