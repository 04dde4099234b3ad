#!/usr/bin/env bash
# install.ruby: `gem install --local` of the installed gem (its extension compiled against the
# installed libbucketdb, found by pkg-config) into a fresh gem folder, then a script outside
# the tree that requires "bucketdb", on a file: and a memory: store.
#   ruby.sh PREFIX "RUN_ENV"   (RUN_ENV: what the script runs with, e.g. LD_PRELOAD=...)
set -euo pipefail
prefix=$1 run_env=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gem=$(ls "$prefix"/share/bucketdb/bucketdb-*.gem)
export PKG_CONFIG_PATH=$(dirname "$(ls "$prefix"/lib*/pkgconfig/bucketdb.pc)")
export GEM_HOME="$work/gems" GEM_PATH="$work/gems"
gem install --local --no-document --silent "$gem"
cat >"$work/app.rb" <<'RUBY'
require "bucketdb"

BucketDB.open(ARGV.fetch(0), log_level: "warn") do |db|
  db.register_schema(name: "users", version: 1, primaryKey: "id",
                     fields: { id: { typeId: 10 }, age: { typeId: 3 } })
  db.insert("users", "id" => "u1", "age" => 1 << 63)
  db.insert("users", "id" => "u2", "age" => 20)
  row = db.fetch("users", "u1")
  n = db.query("users").where("age", ">=", 18).count
  missing = begin
    db.fetch("users", "nope")
  rescue BucketDB::NotFound
    true
  end
  puts "get u1: #{row['age']}, #{n} adults, missing: #{missing}"
end
RUBY
# The extension links the prefix's libbucketdb (with install.onefile.ruby, the one-file library).
grep -q "libbucketdb.so.0 => $prefix/" <<<"$(ldd "$(find "$work/gems" -name native.so -print -quit)")"
cd "$work"
for uri in "file:$work/db" memory:install; do
  out=$(env $run_env ruby app.rb "$uri")
  echo "$uri: $out"
  test "$out" = "get u1: 9223372036854775808, 2 adults, missing: true"
done
echo "install.ruby: ok"
