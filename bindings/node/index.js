'use strict';
// bucketdb for Node.js: the BucketDB Node library's documented API over the BucketDB engine.
//   const { BucketDb, MemoryDriver } = require('bucketdb');
// index.mjs re-exports this module for `import`; see README.md.
const native = require('./lib/native');
const errors = require('./lib/errors');
const { BucketDb, createDatabase, Database, driverCheck, recover } = require('./lib/database');
const { Batch } = require('./lib/batch');
const { Query, Cursor } = require('./lib/query');
const { Blob } = require('./lib/blob');
const drivers = require('./lib/drivers');

// Field type ids of a schema's fields: { typeId: Types.varchar, maxLength: 36 }.
const Types = Object.freeze({
  uint8: 1, uint32: 2, uint64: 3, int32: 4, int64: 5, boolean: 6, float64: 7, timestamp: 8,
  json: 9, varchar: 10, blob: 11, uint16: 12, int8: 13, int16: 14, float32: 15, bytes: 16,
});

module.exports = {
  BucketDb,
  createDatabase,
  Database,
  Batch,
  Query,
  Cursor,
  Blob,
  Types,
  driverCheck,
  recover,
  MemoryDriver: drivers.MemoryDriver,
  FileDriver: drivers.FileDriver,
  S3Driver: drivers.S3Driver,
  Driver: drivers.Driver,
  TieredDriver: drivers.TieredDriver,
  CryptDriver: drivers.CryptDriver,
  CompressDriver: drivers.CompressDriver,
  CacheDriver: drivers.CacheDriver,
  BucketDbError: errors.BucketDbError,
  NotFoundError: errors.NotFoundError,
  InvalidArgumentError: errors.InvalidArgumentError,
  SchemaError: errors.SchemaError,
  TypeMismatchError: errors.TypeMismatchError,
  JsonError: errors.JsonError,
  AlreadyExistsError: errors.AlreadyExistsError,
  ConflictError: errors.ConflictError,
  CorruptError: errors.CorruptError,
  StorageError: errors.StorageError,
  PermissionDeniedError: errors.PermissionDeniedError,
  BadUriError: errors.BadUriError,
  OutOfMemoryError: errors.OutOfMemoryError,
  StorageFullError: errors.StorageFullError,
  BusyError: errors.BusyError,
  InternalError: errors.InternalError,
  InterruptedError: errors.InterruptedError,
  version: native.version(),
  abiVersion: native.abiVersion(),
};
