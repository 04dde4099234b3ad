package native

// The Go end of the shim's loggers (go/bucketdb_go.i): the library calls bdbxGoLog from its
// own threads with the cgo.Handle of the func the bucketdb package gave Options.SetLogger.

// #include <stdint.h>
import "C"

import "runtime/cgo"

// LogFunc receives the library's log lines: level as bdb_log_level (0 debug ... 3 error).
// It is called from any thread, several at once; it must return quickly and not call into
// the database.
type LogFunc func(level int, subsystem, message string)

// NewLogHandle makes the handle SetLogger takes (the shim releases it).
func NewLogHandle(f LogFunc) uintptr { return uintptr(cgo.NewHandle(f)) }

//export bdbxGoLog
func bdbxGoLog(h C.uintptr_t, level C.int, subsystem, message *C.char) {
	cgo.Handle(h).Value().(LogFunc)(int(level), C.GoString(subsystem), C.GoString(message))
}

//export bdbxGoLogRelease
func bdbxGoLogRelease(h C.uintptr_t) { cgo.Handle(h).Delete() }
