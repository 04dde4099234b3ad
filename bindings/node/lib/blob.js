'use strict';
// New content for a blob (type 11) field, as db.Blob(buffer) makes it: uploaded when the batch
// flushes; the row then holds the blob's id. (A string in a blob field is the id of a blob
// the row already holds; a Buffer or Uint8Array there is new content too.)
const { fail } = require('./errors');

class Blob {
  constructor(data) {
    if (typeof data === 'string') data = Buffer.from(data);
    if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer))
      fail(4, 'Blob: expected a Buffer, Uint8Array, ArrayBuffer or string');
    this.data = data;
  }
}

module.exports = { Blob };
