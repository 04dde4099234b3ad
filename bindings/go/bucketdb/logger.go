package bucketdb

import (
	"fmt"
	"log"
	"os"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

var levelNames = [...]string{"debug", "info", "warn", "error"}

// logFunc adapts an Options.Logger to the shim: level names, and a panic in it kept from
// unwinding into the library's thread (it is reported on stderr instead).
func logFunc(f func(level, subsystem, message string)) native.LogFunc {
	return func(level int, subsystem, message string) {
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(os.Stderr, "bucketdb: the Logger panicked on %q: %v\n", message, r)
			}
		}()
		name := "error"
		if level >= 0 && level < len(levelNames) {
			name = levelNames[level]
		}
		f(name, subsystem, message)
	}
}

// progressFunc adapts an Options.Progress to the shim, which hands progress over as a log
// line: the task, then "DONE TOTAL".
func progressFunc(f func(task string, done, total uint64)) native.LogFunc {
	return func(_ int, task, numbers string) {
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(os.Stderr, "bucketdb: the Progress func panicked on %q: %v\n", task, r)
			}
		}()
		var done, total uint64
		fmt.Sscan(numbers, &done, &total)
		f(task, done, total)
	}
}

// LogTo makes an Options.Logger that prints each line to l as "bucketdb: SUBSYSTEM: LEVEL:
// message" (l may be log.Default()).
func LogTo(l *log.Logger) func(level, subsystem, message string) {
	return func(level, subsystem, message string) {
		l.Printf("bucketdb: %s: %s: %s", subsystem, level, message)
	}
}
