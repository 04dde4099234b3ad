// import { BucketDb } from 'bucketdb': the CommonJS module (index.js), re-exported by name.
import cjs from './index.js';

export default cjs;
export const {
  BucketDb, createDatabase, Database, Batch, Query, Cursor, Blob, Types, driverCheck, recover,
  MemoryDriver, FileDriver, S3Driver, Driver, TieredDriver, CryptDriver, CompressDriver,
  CacheDriver, BucketDbError, NotFoundError, InvalidArgumentError, SchemaError, TypeMismatchError,
  JsonError, AlreadyExistsError, ConflictError, CorruptError, StorageError, PermissionDeniedError,
  BadUriError, OutOfMemoryError, StorageFullError, BusyError, InternalError, version, abiVersion,
} = cjs;
