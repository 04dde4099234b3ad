// Package native is the SWIG-generated shim over bucketdb.h (bindings/bucketdb.i). Programs use
// package bucketdb, which wraps it.
package native

// #cgo LDFLAGS: -lbucketdb
import "C"
