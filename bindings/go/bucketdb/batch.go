package bucketdb

import (
	"runtime"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// Batch stages writes that Commit applies atomically, as one log entry. Nothing touches
// storage before Commit. Close (or the finalizer) frees it; a committed batch is empty again
// and can be reused.
type Batch struct {
	db *DB
	n  native.Batch
}

func (b *Batch) finalize() {
	if b.n != nil {
		native.DeleteBatch(b.n)
	}
}

// Close frees the batch and drops what it holds. Closing twice is harmless.
func (b *Batch) Close() error {
	if b.n != nil {
		native.DeleteBatch(b.n)
		b.n = nil
		runtime.SetFinalizer(b, nil)
	}
	return nil
}

func (b *Batch) do(f func(n native.Batch)) error {
	if b.n == nil {
		return invalid("the batch is closed")
	}
	n := b.n
	return run0(b, func() { f(n) })
}

// stageMap converts m to a document of table and stages it with op.
func (b *Batch) stageMap(table string, m map[string]any, op func(n native.Batch, d native.Doc)) error {
	d, err := b.db.DocFromMap(table, m)
	if err != nil {
		return err
	}
	defer d.Close()
	return b.do(func(n native.Batch) { op(n, d.n) })
}

func (b *Batch) stageDoc(d *Doc, op func(n native.Batch, d native.Doc)) error {
	dn, err := d.native()
	if err != nil {
		return err
	}
	err = b.do(func(n native.Batch) { op(n, dn) })
	runtime.KeepAlive(d)
	return err
}

func insert(n native.Batch, d native.Doc) { n.Insert(d) }
func update(n native.Batch, d native.Doc) { n.Update(d) }
func patch(n native.Batch, d native.Doc)  { n.Patch(d) }
func remove(n native.Batch, d native.Doc) { n.Remove(d) }

// Insert stages an insert of a new row; Commit fails with ErrExists if the key is taken.
func (b *Batch) Insert(table string, doc map[string]any) error {
	return b.stageMap(table, doc, insert)
}

// Update stages an upsert of a whole row.
func (b *Batch) Update(table string, doc map[string]any) error {
	return b.stageMap(table, doc, update)
}

// Patch stages new values for the given fields of an existing row (the map holds the key).
func (b *Batch) Patch(table string, doc map[string]any) error {
	return b.stageMap(table, doc, patch)
}

// Delete stages the deletion of the row with primary key key.
func (b *Batch) Delete(table string, key any) error {
	text, err := keyText(key)
	if err != nil {
		return err
	}
	return b.do(func(n native.Batch) { n.DeleteKey(table, text) })
}

// InsertDoc, UpdateDoc, PatchDoc and DeleteDoc stage a document built with typed setters
// (DeleteDoc needs only its key). The document is copied.
func (b *Batch) InsertDoc(d *Doc) error { return b.stageDoc(d, insert) }

// UpdateDoc stages an upsert of the document.
func (b *Batch) UpdateDoc(d *Doc) error { return b.stageDoc(d, update) }

// PatchDoc stages the fields the document has set.
func (b *Batch) PatchDoc(d *Doc) error { return b.stageDoc(d, patch) }

// DeleteDoc stages the deletion of the row with the document's key.
func (b *Batch) DeleteDoc(d *Doc) error { return b.stageDoc(d, remove) }

// InsertJSON stages an insert from a JSON object.
func (b *Batch) InsertJSON(table, doc string) error {
	return b.do(func(n native.Batch) { n.InsertJson(table, doc) })
}

// UpdateJSON stages an upsert from a JSON object.
func (b *Batch) UpdateJSON(table, doc string) error {
	return b.do(func(n native.Batch) { n.UpdateJson(table, doc) })
}

// PatchJSON stages a patch from a JSON object.
func (b *Batch) PatchJSON(table, doc string) error {
	return b.do(func(n native.Batch) { n.PatchJson(table, doc) })
}

// DeleteKeyText stages a delete by the key as bucketdb.h's key text: a JSON literal, or for a
// varchar or bytes key any other text verbatim.
func (b *Batch) DeleteKeyText(table, keyText string) error {
	return b.do(func(n native.Batch) { n.DeleteKey(table, keyText) })
}

// ExpectVersion makes the last staged operation apply only if the row's current version is
// version (0: the row must not exist); otherwise Commit fails with ErrConflict.
func (b *Batch) ExpectVersion(version uint64) error {
	return b.do(func(n native.Batch) { n.ExpectVersion(version) })
}

// ExpectExists makes the last staged operation apply only if its row exists; otherwise
// Commit fails with ErrNotFound and nothing of the batch is written.
func (b *Batch) ExpectExists() error {
	return b.do(func(n native.Batch) { n.ExpectExists() })
}

// Len is the number of staged operations.
func (b *Batch) Len() int {
	if b.n == nil {
		return 0
	}
	n, _ := run(b, func() uint64 { return b.n.Size() })
	return int(n)
}

// Clear drops every staged operation (e.g. after a failed commit).
func (b *Batch) Clear() error { return b.do(func(n native.Batch) { n.Clear() }) }

// Commit writes the batch as one log entry and returns its sequence number, the version of
// the rows it wrote. On failure nothing of it is visible and it keeps its operations.
func (b *Batch) Commit() (uint64, error) {
	if b.n == nil {
		return 0, invalid("the batch is closed")
	}
	n := b.n
	return run(b, func() uint64 { return n.Commit() })
}
