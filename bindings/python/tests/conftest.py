import pytest

import bucketdb

ALL = {
    "name": "all", "version": 1, "primaryKey": "id",
    "fields": {
        "id": {"typeId": 10, "maxLength": 36},
        "u8": {"typeId": 1}, "u16": {"typeId": 12}, "u32": {"typeId": 2}, "u64": {"typeId": 3},
        "i8": {"typeId": 13}, "i16": {"typeId": 14}, "i32": {"typeId": 4}, "i64": {"typeId": 5},
        "b": {"typeId": 6}, "f64": {"typeId": 7}, "f32": {"typeId": 15}, "ts": {"typeId": 8},
        "js": {"typeId": 9}, "name": {"typeId": 10, "maxLength": 8}, "blob": {"typeId": 11},
        "raw": {"typeId": 16},
    },
}
USERS = ('{"name":"users","version":1,"fields":{"id":{"typeId":10,"maxLength":36},'
         '"name":{"typeId":10,"maxLength":50},"age":{"typeId":1},"score":{"typeId":7}},'
         '"primaryKey":"id"}')
U64_MAX = (1 << 64) - 1


@pytest.fixture
def db():
    with bucketdb.open("memory:", auto_merge=False, log_level="silent") as d:
        d.register_schema(ALL)
        d.register_schema(USERS)
        yield d


@pytest.fixture
def users(db):
    db.insert("users", {"id": "u1", "name": "Alice", "age": 30, "score": 1.5})
    db.insert("users", {"id": "u2", "name": "Bob", "age": 41})
    db.insert("users", {"id": "u3", "name": "Carol", "age": 25, "score": 9.0})
    db.insert("users", {"id": "u4", "name": "Anna", "age": 17, "score": -2.0})
    db.insert("users", {"id": "u5", "name": "Dave"})
    return db


def raises_bdb(cls, *parts):
    """pytest.raises for a BucketDB error whose message has every part."""
    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(cls)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.ctx.__exit__(*exc)
            e = self.info.value
            assert isinstance(e, bucketdb.Error)
            assert cls is bucketdb.Error or e.code == cls.code
            for p in parts:
                assert p in str(e), f"{p!r} not in {str(e)!r}"
            return handled
    return Check()
