'use strict';
// db.batch(): writes staged synchronously, committed together by `await batch.flush()` as one
// atomic entry of the log.
//
// A staged row is encoded at once when the database is open and knows the table's schema,
// so a bad value throws at insert()/update()/patch()/delete(). Before that (the database still
// opening, or the table's registration still queued) the row is kept, copied, and encoded at
// flush(), which then rejects for it; from the first kept operation on, the later ones are
// kept too, so that the batch's order stays the order of the calls.
const { fail } = require('./errors');

class Batch {
  constructor(db) {
    this._db = db;
    this._nb = null; // NativeBatch, made when the database is open
    this._kept = []; // operations waiting for the database: { op, table, value }
    this._flushing = false;
  }

  // Stages an insert: flush() fails with AlreadyExistsError if the key exists.
  insert(table, row) {
    return this._stage('insert', table, row);
  }

  // Stages an upsert of a whole row (fields left out become null).
  update(table, row) {
    return this._stage('update', table, row);
  }

  // Stages new values for some fields of an existing row (its primary key and those fields).
  patch(table, row) {
    return this._stage('patch', table, row);
  }

  // Stages the deletion of the row with this primary key (nothing if there is none).
  delete(table, key) {
    this._check('delete', table);
    if (key === undefined || key === null) fail(2, `delete from ${table}: the primary key is missing`);
    const nb = this._kept.length || !this._db._encodable(table) ? null : this._native();
    if (!nb || !nb.delete(table, key)) this._kept.push({ op: 'delete', table, value: key });
    return this;
  }

  // The last staged operation applies only if its row is at `version` (from getRecord; 0: the
  // row must not exist); otherwise flush() fails with ConflictError and nothing is written.
  expectVersion(version) {
    this._idle();
    if (!this.size) fail(2, 'expectVersion applies to the last staged operation: stage one first');
    if (this._kept.length) this._kept.push({ op: 'expect', value: version });
    else this._native().expectVersion(version);
    return this;
  }

  // The last staged operation applies only if its row exists; otherwise flush() fails with
  // NotFoundError and nothing is written (a delete that must find its key).
  expectExists() {
    this._idle();
    if (!this.size) fail(2, 'expectExists applies to the last staged operation: stage one first');
    if (this._kept.length) this._kept.push({ op: 'expectExists' });
    else this._native().expectExists();
    return this;
  }

  get size() {
    return (
      (this._nb ? this._nb.size : 0) +
      this._kept.filter((k) => k.op !== 'expect' && k.op !== 'expectExists').length
    );
  }

  get length() {
    return this.size;
  }

  // Drops every staged operation (e.g. after a failed flush).
  clear() {
    this._idle();
    if (this._nb) this._nb.clear();
    this._kept = [];
    return this;
  }

  // Writes the staged operations as one atomic entry of the log and resolves to its sequence
  // number (the version of the rows it wrote). On failure nothing of it is visible and the
  // batch keeps its operations (clear() drops them); on success it is empty again.
  async flush() {
    this._idle();
    this._flushing = true;
    try {
      const n = await this._db._ready();
      if (this._kept.length) {
        const tables = [...new Set(this._kept.map((k) => k.table).filter((t) => t && !n.isKnown(t)))];
        if (tables.length) await n.learnTables(tables);
        const nb = this._native();
        while (this._kept.length) {
          const k = this._kept[0];
          if (k.op === 'expect') nb.expectVersion(k.value);
          else if (k.op === 'expectExists') nb.expectExists();
          else if (k.op === 'delete') nb.delete(k.table, k.value);
          else nb.stage(k.op, k.table, k.value);
          this._kept.shift();
        }
      }
      return await this._native().commit();
    } finally {
      this._flushing = false;
    }
  }

  _stage(op, table, row) {
    this._check(op, table);
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      fail(2, `${op} into ${table}: the row must be an object`);
    const nb = this._kept.length || !this._db._encodable(table) ? null : this._native();
    if (!nb || !nb.stage(op, table, row)) this._kept.push({ op, table, value: { ...row } });
    return this;
  }

  _check(op, table) {
    this._idle();
    if (this._db._stopped) fail(2, 'the database is closed: stop() was called (start() opens it again)');
    if (typeof table !== 'string' || table === '') fail(2, `${op}: the table name must be a string`);
  }

  _idle() {
    if (this._flushing)
      fail(2, 'the batch is being flushed: stage more after `await batch.flush()`, or in another batch');
  }

  // The native batch, made on the database as it is now; null while it is not open.
  _native() {
    if (!this._nb) {
      const n = this._db._native;
      if (!n) {
        if (this._db._stopped) fail(2, 'the database is closed');
        return null;
      }
      this._nb = n.batch();
    }
    return this._nb;
  }
}

module.exports = { Batch };
