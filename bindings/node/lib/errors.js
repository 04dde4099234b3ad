'use strict';
// Every failure is a BucketDbError: one subclass per status code of bucketdb.h, with `code`
// (the header's name, e.g. 'BDB_E_NOT_FOUND'), `status` (its number) and BucketDB's message,
// which names the table, field, key or object involved.

class BucketDbError extends Error {
  constructor(message, options) {
    super(message, options);
    const cls = new.target;
    Object.defineProperty(this, 'name', { value: cls.name, configurable: true, writable: true });
    this.code = cls.code ?? 'BDB_E_UNKNOWN';
    this.status = cls.status ?? 0;
  }
}

// status -> [class name, code]; the classes below are made from it.
const STATUSES = {
  1: ['NotFoundError', 'BDB_E_NOT_FOUND'], // no such row, blob or object
  2: ['InvalidArgumentError', 'BDB_E_INVALID'], // bad argument or option, misuse, closed database
  3: ['SchemaError', 'BDB_E_SCHEMA'], // unknown table or field, bad or conflicting schema
  4: ['TypeMismatchError', 'BDB_E_TYPE'], // a value of the wrong type, out of range, too long
  5: ['JsonError', 'BDB_E_JSON'], // malformed JSON text
  6: ['AlreadyExistsError', 'BDB_E_EXISTS'], // insert of a primary key that exists
  7: ['ConflictError', 'BDB_E_CONFLICT'], // expectVersion did not hold
  8: ['CorruptError', 'BDB_E_CORRUPT'], // an object in storage failed its checks
  9: ['StorageError', 'BDB_E_IO'], // storage failed (after retries)
  10: ['PermissionDeniedError', 'BDB_E_PERMISSION'], // storage refused credentials or operation
  11: ['BadUriError', 'BDB_E_URI'], // malformed URI, or its driver cannot be loaded
  12: ['OutOfMemoryError', 'BDB_E_NOMEM'],
  13: ['StorageFullError', 'BDB_E_NO_SPACE'],
  14: ['BusyError', 'BDB_E_BUSY'], // could not finish in time
  15: ['InternalError', 'BDB_E_INTERNAL'],
  16: ['InterruptedError', 'BDB_E_INTERRUPTED'], // bdb_db_interrupt stopped the call
};

const byStatus = {};
const classes = { BucketDbError };
for (const [status, [name, code]] of Object.entries(STATUSES)) {
  // A named class per status, so that stack traces and `err.name` say which.
  const cls = { [name]: class extends BucketDbError {} }[name];
  Object.defineProperty(cls, 'code', { value: code });
  Object.defineProperty(cls, 'status', { value: Number(status) });
  byStatus[status] = cls;
  classes[name] = cls;
}

// Throws the error of a status (for mistakes the JavaScript layer finds itself).
function fail(status, message) {
  throw new byStatus[status](message);
}

module.exports = { ...classes, byStatus, fail };
