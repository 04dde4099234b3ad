package bucketdb

import (
	"runtime"
	"time"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// Query selects rows of one table. The builder methods return the query for chaining; the
// first error they meet is reported by Count, Cursor or All. A Query can run several times.
type Query struct {
	db  *DB
	n   native.Query
	err error
}

func (q *Query) finalize() {
	if q.n != nil {
		native.DeleteQuery(q.n)
	}
}

// Close frees the query. Closing twice is harmless; cursors it made stay open.
func (q *Query) Close() error {
	if q.n != nil {
		native.DeleteQuery(q.n)
		q.n = nil
		runtime.SetFinalizer(q, nil)
	}
	return nil
}

func (q *Query) do(f func(n native.Query)) *Query {
	if q.err != nil {
		return q
	}
	if q.n == nil {
		q.err = invalid("the query is closed")
		return q
	}
	n := q.n
	q.err = run0(q, func() { f(n) })
	return q
}

// Where adds a condition, joined to the others by AND. op is one of "=", "!=", "<", "<=",
// ">", ">=", "in" (value: a slice), "prefix" (a string), "isnull", "notnull" (value ignored).
// Comparisons with null follow SQL: only isnull matches a null.
func (q *Query) Where(field, op string, value any) *Query {
	text := ""
	if op != "isnull" && op != "notnull" {
		var err error
		if text, err = jsonLiteral(value); err != nil {
			if q.err == nil {
				q.err = err
			}
			return q
		}
	}
	return q.do(func(n native.Query) { n.Where(field, op, text) })
}

// Or closes the group of conditions added so far: the ones added after it form an
// alternative, so Where(a).Where(b).Or().Where(c) matches (a AND b) OR c. Each side needs a
// condition; the query unites the sides' index lookups, or scans when a side has none.
func (q *Query) Or() *Query { return q.do(func(n native.Query) { n.OrGroup() }) }

// OrderBy sorts by one field (a later call replaces it); ties keep primary-key order. Nulls
// come first ascending, last descending. The default is the primary key ascending.
func (q *Query) OrderBy(field string, descending bool) *Query {
	desc := 0
	if descending {
		desc = 1
	}
	return q.do(func(n native.Query) { n.Order(field, desc) })
}

// ThenBy adds a further sort key: rows equal in the keys before are ordered by this one.
func (q *Query) ThenBy(field string, descending bool) *Query {
	desc := 0
	if descending {
		desc = 1
	}
	return q.do(func(n native.Query) { n.OrderThen(field, desc) })
}

// Limit returns at most n rows.
func (q *Query) Limit(n uint64) *Query { return q.do(func(x native.Query) { x.Limit(n) }) }

// Offset skips the first n rows.
func (q *Query) Offset(n uint64) *Query { return q.do(func(x native.Query) { x.Offset(n) }) }

// AsOf reads the database as it was just after log entry seq, while that state is retained
// (gcGraceMs); ErrNotFound at Cursor or Count when it is not any more.
func (q *Query) AsOf(seq uint64) *Query { return q.do(func(x native.Query) { x.AsOf(seq) }) }

// AsOfTime reads the database as it was after the last commit stamped at or before t.
func (q *Query) AsOfTime(t time.Time) *Query {
	ms := uint64(t.UnixMilli())
	return q.do(func(x native.Query) { x.AsOfTime(ms) })
}

// Select restricts the fields returned (the primary key always is).
func (q *Query) Select(fields ...string) *Query {
	for _, f := range fields {
		f := f
		q.do(func(x native.Query) { x.SelectField(f) })
	}
	return q
}

// After continues after the page a cursor's PageToken ended: keyset pagination, for a query
// on the same table with the same order (the conditions may differ). "" starts from the
// beginning. Unlike Offset, pages stay right and cheap while rows are added or removed.
func (q *Query) After(token string) *Query {
	return q.do(func(x native.Query) { x.After(token) })
}

// Err is the first error of the builder calls.
func (q *Query) Err() error { return q.err }

// Count returns the number of rows the query would return (offset and limit apply).
func (q *Query) Count() (uint64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if q.n == nil {
		return 0, invalid("the query is closed")
	}
	n := q.n
	return run(q, func() uint64 { return n.Count() })
}

// Explain describes in one line how the query would run (primary-key lookup, index or scan)
// and the objects it would read at most.
func (q *Query) Explain() (string, error) {
	if q.err != nil {
		return "", q.err
	}
	if q.n == nil {
		return "", invalid("the query is closed")
	}
	n := q.n
	return run(q, func() string { return n.Explain() })
}

// Cursor runs the query. The cursor reads the database as of this call.
func (q *Query) Cursor() (*Cursor, error) {
	if q.err != nil {
		return nil, q.err
	}
	if q.n == nil {
		return nil, invalid("the query is closed")
	}
	n := q.n
	cn, err := run(q, func() native.Cursor { return n.Exec() })
	if err != nil {
		return nil, err
	}
	c := &Cursor{db: q.db, n: cn}
	runtime.SetFinalizer(c, (*Cursor).finalize)
	return c, nil
}

// All runs the query and returns every row as a map, then frees the query.
func (q *Query) All() ([]map[string]any, error) {
	defer q.Close()
	c, err := q.Cursor()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var rows []map[string]any
	for c.Next() {
		m, err := c.Map()
		if err != nil {
			return nil, err
		}
		rows = append(rows, m)
	}
	return rows, c.Err()
}

// Cursor iterates over the rows of a query:
//
//	for cur.Next() {
//	    row, err := cur.Map()   // or cur.Doc() for typed accessors
//	}
//	if err := cur.Err(); err != nil { ... }
//
// It closes itself at the end; Close it when stopping early (a finalizer does otherwise).
type Cursor struct {
	db       *DB
	n        native.Cursor
	doc      *Doc
	err      error
	token    string // kept when the cursor closes, for PageToken
	tokenErr error  // why it could not be kept
}

func (c *Cursor) finalize() {
	c.dropDoc()
	if c.n != nil {
		native.DeleteCursor(c.n)
	}
}

func (c *Cursor) dropDoc() {
	if c.doc != nil {
		c.doc.Close()
		c.doc = nil
	}
}

// Next advances to the next row and reports whether there is one. It returns false at the
// end or on an error (see Err).
func (c *Cursor) Next() bool {
	c.dropDoc()
	if c.n == nil || c.err != nil {
		return false
	}
	n := c.n
	dn, err := run(c, func() native.Doc { return n.Next() })
	if err != nil || dn == nil || dn.Swigcptr() == 0 {
		c.err = err
		c.Close()
		return false
	}
	c.doc = &Doc{db: c.db, n: dn} // the cursor's: no finalizer, freed by the next Next
	return true
}

// Doc is the current row, valid until the next Next or Close.
func (c *Cursor) Doc() *Doc { return c.doc }

// Map is the current row as a map (see Doc.Map).
func (c *Cursor) Map() (map[string]any, error) {
	if c.doc == nil {
		return nil, invalid("the cursor has no current row")
	}
	return c.doc.Map()
}

// Err is the error that stopped Next, if any.
func (c *Cursor) Err() error { return c.err }

// PageToken is where the rows returned so far end: pass it to the next page's Query.After.
// It stays readable after the cursor closed (at its end, or by Close).
func (c *Cursor) PageToken() (string, error) {
	if c.n == nil {
		return c.token, c.tokenErr
	}
	n := c.n
	return run(c, func() string { return n.PageToken() })
}

// Close frees the cursor. Closing twice is harmless.
func (c *Cursor) Close() error {
	c.dropDoc()
	if c.n != nil {
		c.token, c.tokenErr = c.PageToken()
		native.DeleteCursor(c.n)
		c.n = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}
