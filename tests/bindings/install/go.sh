#!/usr/bin/env bash
# install.go: a new Go module outside the tree uses the installed module (share/bucketdb/go)
# through a `replace`, with cgo finding libbucketdb by pkg-config, and no SWIG (a swig that
# fails is first on PATH). It runs on a file: and a memory: store.
#   go.sh PREFIX GOCACHE "RUN_ENV"   (RUN_ENV: what the program runs with, e.g. LD_PRELOAD=...)
set -euo pipefail
prefix=$1 gocache=$2 run_env=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
module="$prefix/share/bucketdb/go"
test -f "$module/internal/native/native_wrap.c"
if ls "$module"/internal/native/*.swig >/dev/null 2>&1; then
  echo "the installed module still needs SWIG" >&2
  exit 1
fi

mkdir -p "$work/bin" "$work/app"
printf '#!/bin/sh\necho "swig must not run: $*" >&2\nexit 1\n' >"$work/bin/swig"
chmod +x "$work/bin/swig"
cat >"$work/app/go.mod" <<MOD
module example.com/app

go 1.19

require github.com/bucketdb/bucketdb/bindings/go v0.0.0

replace github.com/bucketdb/bucketdb/bindings/go => $module
MOD
cat >"$work/app/main.go" <<'GO'
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/bucketdb/bucketdb/bindings/go/bucketdb"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func main() {
	db, err := bucketdb.Open(os.Args[1], bucketdb.Options{LogLevel: "warn"})
	check(err)
	defer db.Close()
	check(db.RegisterSchema(`{"name":"users","version":1,"primaryKey":"id",
		"fields":{"id":{"typeId":10},"age":{"typeId":3}}}`))
	_, err = db.Insert("users", map[string]any{"id": "u1", "age": uint64(1) << 63})
	check(err)
	_, err = db.Insert("users", map[string]any{"id": "u2", "age": 20})
	check(err)
	row, err := db.Get("users", "u1")
	check(err)
	n, err := db.Query("users").Where("age", ">=", 18).Count()
	check(err)
	_, err = db.Get("users", "nope")
	fmt.Printf("get u1: %v, %d adults, missing: %v\n", row["age"], n, errors.Is(err, bucketdb.ErrNotFound))
}
GO
cd "$work/app"
export PKG_CONFIG_PATH=$(dirname "$(ls "$prefix"/lib*/pkgconfig/bucketdb.pc)")
export PATH="$work/bin:$PATH" CGO_ENABLED=1 GOCACHE="$gocache" GOPATH="$work/gopath" \
  GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local \
  CGO_LDFLAGS="-Wl,-rpath,$(pkg-config --variable=libdir bucketdb)"
go build -o app .
# The program links the prefix's libbucketdb (with install.onefile.go, the one-file library).
grep -q "libbucketdb.so.0 => $prefix/" <<<"$(ldd ./app)"
for uri in "file:$work/db" memory:install; do
  out=$(env $run_env ./app "$uri")
  echo "$uri: $out"
  test "$out" = "get u1: 9223372036854775808, 2 adults, missing: true"
done
echo "install.go: ok"
