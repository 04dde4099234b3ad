#!/usr/bin/env python3
"""clang-tidy (the checked-in .clang-tidy) on every tracked C and C++ source but SWIG's
generated *_wrap.* in the git tree of the current directory, nproc at a time; scripts/lint.sh
runs it (tests/integration/lint/tidy_test.sh tests it on a tree of its own).
  scripts/tidy.py BUILD_DIR      (BUILD_DIR's compile_commands.json)
Prints each finding once and exits 1 when there is one.

Each source is checked once: the one-file tree compiles abi/, plugins/ and a few test sources
twice (only export and entry-point names differ), and clang-tidy would check every command of a
file. The sources the build compiles outside CMake get a command here: examples/driver (built
against an install), the one-file install test's program and the fuzz target (clang
-fsanitize=fuzzer). bindings/go's shim.c only includes bindings/shim/bdb_shim.c, which is
checked itself.

A unit found clean is not checked again until something it reads changes: the key is
clang-tidy's version, every .clang-tidy, the header filter, the unit's command and its text as
clang preprocesses it with comments and macro definitions kept (-E -CC -dD), so an edit to the
unit or to any header it includes, a NOLINT included, checks it again. The keys live in
BUILD_DIR/tidy-cache; a run keeps only the keys of the units it found clean.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True,
                      text=True).stdout.strip()
EXTRA = {
    "examples/driver/sqlite_driver.c": "-std=c99 -I{r}/abi/include",
    "tests/integration/install/onefile/app.c": "-std=c99 -I{r}/abi/include",
    "tests/schemas/fuzz/decode_fuzz.c": "-std=c99 -D_POSIX_C_SOURCE=200809L "
    "-I{r}/tests/schemas/fuzz -I{b}/tests/schemas/bdb_schemas_test_codecs "
    "-I{r}/schemas/runtime/include -I{r}/abi/include",
    "tests/schemas/fuzz/replay_main.c": "-std=c99 -D_POSIX_C_SOURCE=200809L "
    "-I{r}/tests/schemas/fuzz",
}
SKIP = {"bindings/go/internal/native/shim.c"}
FINDING = re.compile(r"^\S+:\d+:\d+: (warning|error): |^error: ")


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], check=True, capture_output=True,
                          text=True).stdout.split()


def units_and_commands(build):
    """The units to check, and one compile command for each (the database clang-tidy reads)."""
    commands = {}
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        for e in json.load(f):
            commands.setdefault(os.path.normpath(os.path.join(e["directory"], e["file"])), e)
    units = []
    for rel in git("ls-files", "*.c", "*.cc", "*.cpp"):
        path = os.path.join(ROOT, rel)
        if "_wrap." in rel or rel in SKIP:
            continue
        if path not in commands and rel in EXTRA:
            flags = EXTRA[rel].format(r=ROOT, b=os.path.abspath(build))
            commands[path] = {"directory": ROOT, "file": path, "command": f"cc {flags} -c {path}"}
        if path in commands:
            units.append(path)
        else:
            print(f"tidy: {rel} has no compile command in {build} (not built there): not checked",
                  file=sys.stderr)
    return units, commands


def preprocessed(entry):
    """The unit as clang preprocesses it, comments and #defines kept; None if clang fails."""
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    flags, skip_next = [], False
    for a in args[1:]:
        if skip_next:
            skip_next = False
        elif a == "-o":
            skip_next = True
        elif a not in ("-c", "-Werror", entry["file"]):
            flags.append(a)
    clang = "clang++" if args[0].endswith("++") else "clang"
    r = subprocess.run([clang, *flags, "-w", "-E", "-CC", "-dD", entry["file"], "-o", "-"],
                       cwd=entry["directory"], capture_output=True, check=False)
    return r.stdout if r.returncode == 0 else None


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build/asan"
    units, commands = units_and_commands(build)
    db = os.path.join(build, "tidy-db")
    os.makedirs(db, exist_ok=True)
    with open(os.path.join(db, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(list(commands.values()), f)
    # .clang-tidy's header filter, anchored at the source tree: the headers a build tree inside
    # it generates (flatc's, the schema compiler's) keep their generator's code.
    with open(os.path.join(ROOT, ".clang-tidy"), encoding="utf-8") as f:
        header_filter = "^" + re.escape(ROOT) + re.search(
            r"^HeaderFilterRegex: '(.*)'$", f.read(), re.M).group(1)
    base = hashlib.sha256()
    base.update(subprocess.run(["clang-tidy", "--version"], capture_output=True,
                               check=True).stdout)
    base.update(header_filter.encode())
    for rel in sorted(git("ls-files", "--cached", "--others", "--exclude-standard",
                          ".clang-tidy", "*/.clang-tidy")):
        with open(os.path.join(ROOT, rel), "rb") as f:
            base.update(rel.encode() + b"\0" + f.read())
    cache = os.path.join(build, "tidy-cache")
    os.makedirs(cache, exist_ok=True)

    def check(path):
        text = preprocessed(commands[path])
        key = None
        if text is not None:
            h = base.copy()
            h.update(json.dumps(commands[path], sort_keys=True).encode())
            h.update(text)
            key = h.hexdigest()
            if os.path.exists(os.path.join(cache, key)):
                return key, True, True, ""
        r = subprocess.run(["clang-tidy", "-quiet", "-p", db, "-header-filter", header_filter,
                            path], capture_output=True, text=True, check=False)
        return key, False, r.returncode == 0, r.stdout + r.stderr

    clean, cached, findings = set(), 0, set()
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        for path, (key, hit, ok, out) in zip(units, pool.map(check, units)):
            cached += hit
            if ok and key:
                clean.add(key)
            found = {line for line in out.splitlines() if FINDING.match(line)}
            if not ok and not found:  # a crash, or a unit clang-tidy could not read
                found.add(f"tidy: clang-tidy failed on {path}: {out.strip()[-2000:]}")
            findings.update(found)
    for name in os.listdir(cache):
        if name not in clean:
            os.remove(os.path.join(cache, name))
    for key in clean:
        with open(os.path.join(cache, key), "w", encoding="utf-8"):
            pass
    for line in sorted(findings):
        print(line, file=sys.stderr)
    print(f"tidy: {len(units)} units, {cached} unchanged since found clean", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
