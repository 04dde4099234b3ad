"""The child process of test_leak_sanitizer_finds_nothing_of_bucketdb, run with LeakSanitizer
on. "forget" makes every kind of handle, closing little, and lets the garbage collector free
it all; "control" leaks a C options handle on purpose (through ctypes, around the bindings).
Then it asks LeakSanitizer, which prints what it finds to stderr."""

import ctypes
import gc
import sys
import tempfile

import bucketdb
from bucketdb import native

SCHEMA = {"name": "t", "version": 1, "primaryKey": "id",
          "fields": {"id": {"typeId": 10, "maxLength": 36}, "n": {"typeId": 3},
                     "blob": {"typeId": 11}, "raw": {"typeId": 16}}}


def forget(tmp):
    for i in range(10):
        db = bucketdb.open("memory:" if i % 2 == 0 else f"file:{tmp}", log_level="silent")
        db.register_schema(SCHEMA)
        db.update("t", {"id": "k", "blob": bucketdb.Blob(b"blob"), "n": i})
        db.batch().update("t", {"id": "staged", "raw": b"\x01"})
        db.query("t").where("n", ">=", 0).cursor().next_record()
        db.get_record("t", "k").to_row()
        db.key_record("t", "k")
        db.record("t").set_blob("blob", b"staged blob")
        if i % 3 == 0:
            db.close()  # children outlive their database's handle


if __name__ == "__main__":
    if sys.argv[1] == "control":
        lib = ctypes.CDLL(native._native.__file__)  # libbucketdb is loaded with it
        out = ctypes.c_void_p()
        lib.bdb_options_new(ctypes.byref(out))  # the bug: nobody frees it
    else:
        with tempfile.TemporaryDirectory() as tmp:
            forget(tmp)
        gc.collect()
        if native.liveHandles() != 0:
            sys.exit(f"{native.liveHandles()} shim handles still alive")
    print(f"leakCheck={native.leakCheck()}")
