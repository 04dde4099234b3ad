#!/usr/bin/env bash
# install.java: a program outside the tree run with only -cp bucketdb.jar (no
# java.library.path): the jar extracts its native code into a fresh cache folder and loads it.
# BDB_ONEFILE_PACKAGES=1: the jar carries the one-file library and no driver plugin.
#   java.sh PREFIX "RUN_ENV"   (RUN_ENV: what java runs with, e.g. LD_PRELOAD=...)
set -euo pipefail
prefix=$1 run_env=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$prefix/share/java/bucketdb.jar"
test -f "$prefix/share/java/bucketdb.pom"
cat >"$work/App.java" <<'JAVA'
import io.bucketdb.BucketDb;
import io.bucketdb.BucketDbException;
import java.util.Map;

public class App {
  public static void main(String[] args) throws BucketDbException {
    try (BucketDb db = BucketDb.open(args[0])) {
      db.registerSchema("{\"name\":\"users\",\"version\":1,\"primaryKey\":\"id\","
          + "\"fields\":{\"id\":{\"typeId\":10},\"age\":{\"typeId\":3}}}");
      db.insert("users", Map.of("id", "u1", "age", new java.math.BigInteger("9223372036854775808")));
      db.insert("users", Map.of("id", "u2", "age", 20));
      Object age = db.get("users", "u1").orElseThrow().get("age");
      long n = db.query("users").where("age", ">=", 18).count();
      boolean missing = db.get("users", "nope").isEmpty();
      System.out.println("get u1: " + age + ", " + n + " adults, missing: " + missing);
    }
  }
}
JAVA
cd "$work"
for uri in "file:$work/db" memory:install; do
  out=$(env $run_env java -Dio.bucketdb.cache="$work/cache" -cp "$jar" App.java "$uri")
  echo "$uri: $out"
  test "$out" = "get u1: 9223372036854775808, 2 adults, missing: true"
done
# Extracted once (by the first run), into one folder named after the version and checksum.
ls -d "$work"/cache/*/ | tee /dev/stderr | wc -l | grep -qx 1
ls "$work"/cache/*/libbucketdb_java.so "$work"/cache/*/libbucketdb.so.0 >/dev/null
if [ "${BDB_ONEFILE_PACKAGES:-}" = 1 ]; then
  # The one-file build's jar: its library alone, the drivers inside.
  "$(dirname "$0")/../../onefile/natives.sh" "$work"/cache/*/*
else
  ls "$work"/cache/*/bucketdb-driver-file.so >/dev/null
fi
echo "install.java: ok"
