'use strict';
// Loads the addon, native/bucketdb.node, which finds libbucketdb and the driver plugins (or the
// one-file library, drivers inside) beside itself, and hands it the error classes and Blob.
const path = require('node:path');
const errors = require('./errors');
const { Blob } = require('./blob');

const file = path.join(__dirname, '..', 'native', 'bucketdb.node');
let native;
try {
  native = require(file);
} catch (e) {
  throw new errors.InternalError(
    `bucketdb: cannot load its native addon ${file}: ${e.message} ` +
      '(the package carries libbucketdb; it needs libcurl, OpenSSL, zstd and xxhash from the system)',
    { cause: e },
  );
}
native.setup({ BucketDbError: errors.BucketDbError, errors: errors.byStatus, Blob });

module.exports = native;
