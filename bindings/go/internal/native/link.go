// Package native is the SWIG-generated shim over bucketdb.h (bindings/bucketdb.i). Programs use
// package bucketdb, which wraps it.
//
// In the source tree the go tool runs SWIG on native.swig and shim.c compiles the C shim
// (bindings/shim); the installed module (share/bucketdb/go) holds SWIG's output and bdb_shim.c
// instead, so its users need no SWIG. Either way cgo finds bucketdb.h and libbucketdb through
// pkg-config (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig).
package native

// #cgo pkg-config: bucketdb
import "C"
