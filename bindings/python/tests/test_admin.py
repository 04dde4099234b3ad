"""Whole-database calls of issue 18: drops, verify, export and import, progress, a delete that
must find its row, orders of several keys."""
import threading

import bucketdb
from conftest import USERS, raises_bdb


def test_drop_table_and_index(users):
    db = users
    db.register_schema(USERS.replace('"primaryKey"', '"indexes":["age"],"primaryKey"')
                       .replace('"version":1', '"version":2'))
    db.drop_index("users", "age")
    assert db.schemas()[-1]["version"] == 3
    with raises_bdb(bucketdb.SchemaError, "age"):
        db.drop_index("users", "age")
    db.drop_table("users")
    with raises_bdb(bucketdb.SchemaError, "users"):
        db.get("users", "u1")
    with raises_bdb(bucketdb.SchemaError, "users"):
        db.drop_table("users")
    # The name is free again: a new, empty table with fields of its own, at version 1.
    db.register_schema({"name": "users", "version": 1, "primaryKey": "id",
                        "fields": {"id": {"typeId": 3}, "email": {"typeId": 10, "maxLength": 40}}})
    assert list(db.query("users")) == []
    db.insert("users", {"id": 7, "email": "a@b"})
    assert db.get("users", 7) == {"id": 7, "email": "a@b"}


def test_verify_export_import_and_progress(tmp_path, users):
    db = users
    db.merge()
    report = db.verify()
    assert report["ok"] and report["rows"] == 5 and report["damaged"] == []
    path = tmp_path / "dump.ndjson"
    assert db.export_to(path) == 5
    seen = []
    lock = threading.Lock()

    def progress(task, done, total):
        with lock:
            seen.append((task, done, total))

    with bucketdb.open(f"file:{tmp_path}/copy", log_level="silent", progress=progress) as copy:
        assert copy.import_from(path, batch_rows=2) == 5
        assert copy.get("users", "u3") == db.get("users", "u3")
        with raises_bdb(bucketdb.AlreadyExists, "line"):
            copy.import_from(path)
        assert copy.import_from(path, upsert=True) == 5
        copy.merge()
        assert copy.verify()["ok"]
    with lock:
        tasks = {t for t, _, _ in seen}
        assert "import" in tasks and "verify" in tasks, seen
        assert all(isinstance(d, int) and isinstance(t, int) for _, d, t in seen)
    with raises_bdb(bucketdb.TypeMismatch, "progress"):
        bucketdb.open("memory:", progress=42)


def test_expect_exists_and_order_then(users):
    db = users
    with raises_bdb(bucketdb.NotFound, "users", "zzz"):
        with db.batch() as b:
            b.delete("users", "u1")
            b.delete("users", "zzz").expect_exists()
    assert db.get("users", "u1") is not None  # nothing of the batch was written
    with db.batch() as b:
        b.delete("users", "u1").expect_exists()
    assert db.get("users", "u1") is None
    db.insert("users", {"id": "u6", "name": "Anna", "age": 3})
    q = db.query("users").order("name").order_then("age", desc=True)
    assert [u["id"] for u in q] == ["u4", "u6", "u2", "u3", "u5"]
    with raises_bdb(bucketdb.InvalidArgument, "name"):
        db.query("users").order("name").order_then("name")
