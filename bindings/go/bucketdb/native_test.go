package bucketdb

import "github.com/bucketdb/bucketdb/bindings/go/internal/native"

// The status codes and type ids as bucketdb.h defines them, through SWIG.
func nativeCodes() []int {
	return []int{int(native.BDB_E_NOT_FOUND), int(native.BDB_E_INVALID), int(native.BDB_E_SCHEMA),
		int(native.BDB_E_TYPE), int(native.BDB_E_JSON), int(native.BDB_E_EXISTS),
		int(native.BDB_E_CONFLICT), int(native.BDB_E_CORRUPT), int(native.BDB_E_IO),
		int(native.BDB_E_PERMISSION), int(native.BDB_E_URI), int(native.BDB_E_NOMEM),
		int(native.BDB_E_NO_SPACE), int(native.BDB_E_BUSY), int(native.BDB_E_INTERNAL),
		int(native.BDB_E_INTERRUPTED)}
}

func nativeTypes() []int {
	return []int{int(native.BDB_TYPE_UINT8), int(native.BDB_TYPE_UINT32), int(native.BDB_TYPE_UINT64),
		int(native.BDB_TYPE_INT32), int(native.BDB_TYPE_INT64), int(native.BDB_TYPE_BOOL),
		int(native.BDB_TYPE_FLOAT64), int(native.BDB_TYPE_TIMESTAMP), int(native.BDB_TYPE_JSON),
		int(native.BDB_TYPE_VARCHAR), int(native.BDB_TYPE_BLOB), int(native.BDB_TYPE_UINT16),
		int(native.BDB_TYPE_INT8), int(native.BDB_TYPE_INT16), int(native.BDB_TYPE_FLOAT32),
		int(native.BDB_TYPE_BYTES)}
}

func liveHandles() int64 { return native.LiveHandles() }
