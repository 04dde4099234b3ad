"""What a program forgets to close is freed by the garbage collector, in whatever order: the
shim's count of live structs returns to where it was. In the sanitized build a child
interpreter with LeakSanitizer on shows nothing of BucketDB's is left unreachable."""

import gc
import os
import subprocess
import sys

import bucketdb
from bucketdb import native

CHILD = os.path.join(os.path.dirname(__file__), "lsan_child.py")


def forget(tmp):
    from lsan_child import forget as f
    f(tmp)


def test_forgotten_handles_are_freed(tmp_path):
    gc.collect()
    before = native.liveHandles()
    forget(str(tmp_path))
    gc.collect()
    assert native.liveHandles() == before


def child_report(mode):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:leak_check_at_exit=0")
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(bucketdb.__file__)),
                                         os.path.dirname(__file__)])
    p = subprocess.run([sys.executable, CHILD, mode], env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "leakCheck=" in p.stdout
    return p.stderr


def bucketdb_leaks(report):
    # CPython keeps blocks LeakSanitizer sees as unreachable: count only leak records whose
    # allocation stack passes through BucketDB.
    return [r for r in report.split("\n\n") if "leak of" in r and ("bdb" in r or "bucketdb" in r)]


def test_leak_sanitizer_finds_nothing_of_bucketdb():
    import pytest
    if native.leakCheck() == -1:
        pytest.skip("needs the ASan runtime (the sanitized build preloads it)")
    control = bucketdb_leaks(child_report("control"))
    assert control, "the control's leaked options handle was not reported"
    assert "bdb_options_new" in "".join(control)
    leaks = bucketdb_leaks(child_report("forget"))
    assert leaks == [], "\n\n".join(leaks)
