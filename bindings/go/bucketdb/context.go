package bucketdb

import (
	"context"
	"errors"
)

// Interrupt stops every call on db under way at this moment, from any goroutine: each returns
// soon with an error matching ErrInterrupted; calls started afterwards run normally. It is
// bdb_db_interrupt, which works as sqlite3_interrupt does (and as mattn/go-sqlite3 uses it for
// contexts): it cannot pick one call, so it stops all of them, including those of other
// goroutines on the same DB. Nothing committed is lost or half-applied: an interrupted Commit
// either landed (and returns its sequence number, no error) or did not (and the batch is
// intact: committing it again commits it once). A storage request the driver cannot let go
// (one already on the wire) finishes first. Interrupting a closed DB does nothing.
func (db *DB) Interrupt() { _ = run0(db, func() { db.n.Interrupt() }) }

// The ...Context methods run their call while watching ctx: when ctx ends first, they call
// Interrupt (which stops every call on the DB under way then, see there) and return an error
// that matches both ctx.Err() (errors.Is(err, context.Canceled) or
// context.DeadlineExceeded) and ErrInterrupted. A call that finished anyway (a commit whose
// log entry landed) returns its result, no error. A context already ended fails at once,
// without calling the library.

// contextError is the error of a call its context ended.
type contextError struct {
	ctx error  // ctx.Err()
	err *Error // CodeInterrupted, with the library's message
}

func (e *contextError) Error() string { return e.err.Error() + ": " + e.ctx.Error() }

// Is matches the context's error; Unwrap gives the *Error (ErrInterrupted, errors.As).
func (e *contextError) Is(target error) bool { return target == e.ctx }
func (e *contextError) Unwrap() error        { return e.err }

func ended(ctx context.Context, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: CodeInterrupted, Message: "the context ended before the call"}
	}
	return &contextError{ctx: ctx.Err(), err: e}
}

// withContext runs f, interrupting db when ctx ends before f returns.
func withContext[T any](ctx context.Context, db *DB, f func() (T, error)) (T, error) {
	if ctx.Err() != nil {
		var zero T
		return zero, ended(ctx, nil)
	}
	if ctx.Done() == nil { // context.Background(): never ends
		return f()
	}
	stop, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
			db.Interrupt()
		case <-stop:
		}
	}()
	v, err := f()
	close(stop)
	<-watched // an interrupt sent for this call is not left to hit a later one
	if err != nil && ctx.Err() != nil && errors.Is(err, ErrInterrupted) {
		return v, ended(ctx, err)
	}
	return v, err
}

func withContext0(ctx context.Context, db *DB, f func() error) error {
	_, err := withContext(ctx, db, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// OpenContext is Open that gives up when ctx ends. An open cannot be interrupted (there is no
// handle yet): it goes on in the background and the database is closed when it is open.
func OpenContext(ctx context.Context, uri string, opts Options) (*DB, error) {
	if ctx.Err() != nil {
		return nil, ended(ctx, nil)
	}
	type opened struct {
		db  *DB
		err error
	}
	done := make(chan opened, 1)
	go func() {
		db, err := Open(uri, opts)
		done <- opened{db, err}
	}()
	select {
	case r := <-done:
		return r.db, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.db != nil {
				r.db.Close()
			}
		}()
		return nil, ended(ctx, nil)
	}
}

// GetContext is Get, watching ctx.
func (db *DB) GetContext(ctx context.Context, table string, key any) (map[string]any, error) {
	return withContext(ctx, db, func() (map[string]any, error) { return db.Get(table, key) })
}

// GetDocContext is GetDoc, watching ctx.
func (db *DB) GetDocContext(ctx context.Context, table string, key any) (*Doc, error) {
	return withContext(ctx, db, func() (*Doc, error) { return db.GetDoc(table, key) })
}

// GetJSONContext is GetJSON, watching ctx.
func (db *DB) GetJSONContext(ctx context.Context, table string, key any) (string, error) {
	return withContext(ctx, db, func() (string, error) { return db.GetJSON(table, key) })
}

// ReadBlobContext is ReadBlob, watching ctx.
func (db *DB) ReadBlobContext(ctx context.Context, id string) ([]byte, error) {
	return withContext(ctx, db, func() ([]byte, error) { return db.ReadBlob(id) })
}

// CommitContext is Commit, watching ctx. An error matching ErrInterrupted means the batch did
// not land and is intact; no error, that it landed.
func (b *Batch) CommitContext(ctx context.Context) (uint64, error) {
	if b.db == nil {
		return b.Commit()
	}
	return withContext(ctx, b.db, b.Commit)
}

// writeContext commits one operation in its own batch, watching ctx.
func (db *DB) writeContext(ctx context.Context, stage func(b *Batch) error) (uint64, error) {
	return withContext(ctx, db, func() (uint64, error) { return db.write(stage) })
}

// InsertContext is Insert, watching ctx.
func (db *DB) InsertContext(ctx context.Context, table string, doc map[string]any) (uint64, error) {
	return db.writeContext(ctx, func(b *Batch) error { return b.Insert(table, doc) })
}

// UpdateContext is Update, watching ctx.
func (db *DB) UpdateContext(ctx context.Context, table string, doc map[string]any) (uint64, error) {
	return db.writeContext(ctx, func(b *Batch) error { return b.Update(table, doc) })
}

// PatchContext is Patch, watching ctx.
func (db *DB) PatchContext(ctx context.Context, table string, doc map[string]any) (uint64, error) {
	return db.writeContext(ctx, func(b *Batch) error { return b.Patch(table, doc) })
}

// DeleteContext is Delete, watching ctx.
func (db *DB) DeleteContext(ctx context.Context, table string, key any) (uint64, error) {
	return db.writeContext(ctx, func(b *Batch) error { return b.Delete(table, key) })
}

// CountContext is Count, watching ctx.
func (q *Query) CountContext(ctx context.Context) (uint64, error) {
	if q.db == nil {
		return q.Count()
	}
	return withContext(ctx, q.db, q.Count)
}

// CursorContext is Cursor, watching ctx while the query starts; read it with NextContext.
func (q *Query) CursorContext(ctx context.Context) (*Cursor, error) {
	if q.db == nil {
		return q.Cursor()
	}
	return withContext(ctx, q.db, q.Cursor)
}

// AllContext is All, watching ctx until the last row.
func (q *Query) AllContext(ctx context.Context) ([]map[string]any, error) {
	defer q.Close()
	c, err := q.CursorContext(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var rows []map[string]any
	for c.NextContext(ctx) {
		m, err := c.Map()
		if err != nil {
			return nil, err
		}
		rows = append(rows, m)
	}
	return rows, c.Err()
}

// NextContext is Next, watching ctx: when ctx ends, Next is false and Err matches ctx.Err()
// and ErrInterrupted.
func (c *Cursor) NextContext(ctx context.Context) bool {
	if c.db == nil || c.n == nil || c.err != nil {
		return c.Next()
	}
	ok, err := withContext(ctx, c.db, func() (bool, error) {
		if c.Next() {
			return true, nil
		}
		return false, c.err
	})
	if !ok && err != nil {
		c.err = err
		c.Close()
	}
	return ok
}

// MergeContext is Merge, watching ctx. An interrupted merge leaves the database as it was (or
// merged, when its Block 0 landed); what it wrote is collected by a later GC.
func (db *DB) MergeContext(ctx context.Context) (uint64, error) {
	return withContext(ctx, db, db.Merge)
}

// GCContext is GC, watching ctx.
func (db *DB) GCContext(ctx context.Context) (uint64, error) {
	return withContext(ctx, db, db.GC)
}

// VerifyContext is Verify, watching ctx.
func (db *DB) VerifyContext(ctx context.Context) (*VerifyReport, error) {
	return withContext(ctx, db, db.Verify)
}

// ExportContext is Export, watching ctx.
func (db *DB) ExportContext(ctx context.Context, path string) (uint64, error) {
	return withContext(ctx, db, func() (uint64, error) { return db.Export(path) })
}

// ImportContext is Import, watching ctx. An interrupted import keeps the batches committed
// before it.
func (db *DB) ImportContext(ctx context.Context, path string, batchRows uint64,
	opts ...ImportOption) (uint64, error) {
	return withContext(ctx, db, func() (uint64, error) { return db.Import(path, batchRows, opts...) })
}

// RegisterSchemaContext is RegisterSchema, watching ctx.
func (db *DB) RegisterSchemaContext(ctx context.Context, schemaJSON string, flags ...SchemaFlag) error {
	return withContext0(ctx, db, func() error { return db.RegisterSchema(schemaJSON, flags...) })
}
