package bucketdb

import (
	"fmt"
	"runtime"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// Code is a BucketDB status code (bdb_status in bucketdb.h).
type Code int

// The status codes of bucketdb.h.
const (
	CodeNotFound   Code = 1  // no such document, blob or object
	CodeInvalid    Code = 2  // bad argument or option, misuse of the API, closed handle
	CodeSchema     Code = 3  // unknown table or field, bad or conflicting schema
	CodeType       Code = 4  // value of the wrong type, out of range, or too long
	CodeJSON       Code = 5  // malformed JSON text
	CodeExists     Code = 6  // insert of a primary key that already exists
	CodeConflict   Code = 7  // a precondition (expected version) did not hold
	CodeCorrupt    Code = 8  // an object in storage failed its checks
	CodeIO         Code = 9  // storage failed (after retries)
	CodePermission Code = 10 // storage refused the credentials or the operation
	CodeURI        Code = 11 // malformed database URI, or its driver cannot be loaded
	CodeNoMemory   Code = 12
	CodeNoSpace    Code = 13 // storage is full
	CodeBusy       Code = 14 // the operation could not finish in time
	CodeInternal   Code = 15
	// The call was stopped by DB.Interrupt, or by its context (see OpenContext).
	CodeInterrupted Code = 16
)

// String is the library's name for the code, e.g. "not found".
func (c Code) String() string { return native.StatusString(int(c)) }

// Error is every error this package returns. Match a kind with errors.Is(err, ErrNotFound),
// or get the code and message with errors.As(err, &e).
type Error struct {
	Code    Code
	Message string // from the library; names the table, field, key or object involved
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "bucketdb: " + e.Code.String()
	}
	return "bucketdb: " + e.Message + " (" + e.Code.String() + ")"
}

// Is makes errors.Is(err, ErrConflict) true for any *Error with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// Sentinels for errors.Is, one per code.
var (
	ErrNotFound   = &Error{Code: CodeNotFound}
	ErrInvalid    = &Error{Code: CodeInvalid}
	ErrSchema     = &Error{Code: CodeSchema}
	ErrType       = &Error{Code: CodeType}
	ErrJSON       = &Error{Code: CodeJSON}
	ErrExists     = &Error{Code: CodeExists}
	ErrConflict   = &Error{Code: CodeConflict}
	ErrCorrupt    = &Error{Code: CodeCorrupt}
	ErrIO         = &Error{Code: CodeIO}
	ErrPermission = &Error{Code: CodePermission}
	ErrURI        = &Error{Code: CodeURI}
	ErrNoMemory   = &Error{Code: CodeNoMemory}
	ErrNoSpace    = &Error{Code: CodeNoSpace}
	ErrBusy       = &Error{Code: CodeBusy}
	ErrInternal   = &Error{Code: CodeInternal}
	// ErrInterrupted: the call was stopped by DB.Interrupt or by its context's end.
	ErrInterrupted = &Error{Code: CodeInterrupted}
)

func invalid(format string, args ...any) error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// lastError is the outcome of the shim call just made on this thread. The shim keeps it in a
// thread-local, so the caller holds runtime.LockOSThread across the call and this.
func lastError() error {
	if st := native.LastStatus(); st != 0 {
		return &Error{Code: Code(st), Message: native.LastMessage()}
	}
	return nil
}

// run calls f on a locked thread and returns its result with the shim's status. keep (the
// handle f uses) stays reachable until f returns, so its finalizer cannot free the C object
// during the call. A panic in f (a bug) comes back as an internal error.
func run[T any](keep any, f func() T) (v T, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer recoverTo(&err)
	v = f()
	err = lastError()
	runtime.KeepAlive(keep)
	return v, err
}

// run0 is run for calls without a result.
func run0(keep any, f func()) error {
	_, err := run(keep, func() struct{} { f(); return struct{}{} })
	return err
}

func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = &Error{Code: CodeInternal, Message: fmt.Sprint("panic in the bucketdb bindings: ", r)}
	}
}
