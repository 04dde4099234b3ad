/// <reference types="node" />
// Types of the bucketdb package (index.js, index.mjs). README.md describes each call.

/** A 64-bit integer: a Number while it is safe (|n| <= 2^53 - 1), a BigInt beyond. */
export type Int64 = number | bigint;
/** A primary key: text, an integer, bytes, or a Date for a timestamp key. */
export type Key = string | number | bigint | Buffer | Uint8Array | Date;
/** A row as a plain object: field name to value. */
export type Row = Record<string, unknown>;

/** Field type ids (schema `typeId`). */
export declare const Types: Readonly<{
  uint8: 1; uint32: 2; uint64: 3; int32: 4; int64: 5; boolean: 6; float64: 7; timestamp: 8;
  json: 9; varchar: 10; blob: 11; uint16: 12; int8: 13; int16: 14; float32: 15; bytes: 16;
}>;

export interface FieldDefinition {
  typeId: number;
  /** varchar: characters; json and bytes: bytes. */
  maxLength?: number;
}

export interface SchemaDefinition {
  name: string;
  version: number;
  fields: Record<string, FieldDefinition>;
  primaryKey: string;
  indexes?: string[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * A logger such as Pino's or Winston's. It receives the engine's log (its threads' lines,
 * "bucketdb: SUBSYSTEM: message", delivered on the main thread) and this package's own reports.
 */
export interface Logger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

import type { BuiltinDriver, StorageDriver } from './drivers';
export type { BuiltinDriver, CustomStorageDriver, StorageDriver } from './drivers';

export interface BucketDbOptions {
  /** Root of this database in the bucket (default 'main'). */
  dbPrefix?: string;
  /** This node's id, 0-255 (default 0). */
  nodeId?: number;
  /** How many nodes take turns leading merges (default 1). */
  ringSize?: number;
  /**
   * Where the data lives: a built-in driver, an object with async get, put, delete and list
   * (a driver written in JavaScript), or a URI string; default S3 on BUCKETDB_S3_BUCKET.
   */
  driver?: StorageDriver | string | null;
  /** How old a read's view may be, ms (default 1000; 0: read-after-write across nodes). */
  readStalenessMs?: number;
  /** Length of a leader window, ms (default 5000). */
  writeForwardInterval?: number;
  /** Target size of data blocks, bytes (default 65536). */
  blockSizeBytes?: number;
  /** Cache of immutable objects, bytes (default 100 MiB). */
  maxMemoryBytes?: number;
  /** Storage requests kept in flight at once (read-ahead, merges, log catch-up), 1-1024 (64). */
  maxRequestsInFlight?: number;
  /** Create the database when it does not exist (default true); false: NotFoundError. */
  createIfMissing?: boolean;
  /** Send only GETs and LISTs, never create: writes reject with InvalidArgumentError. */
  readOnly?: boolean;
  logLevel?: LogLevel;
  logger?: Logger | null;
  /**
   * Progress of long work: task "merge TABLE", "gc", "verify", "export" or "import", done of
   * total (0 when not known yet); called on the main thread.
   */
  progress?: ((task: string, done: number, total: number) => void) | null;
  mergeIntervalMs?: number;
  mergeThresholdBytes?: number;
  mergeThresholdEntries?: number;
  gcGraceMs?: number;
  /** Run the write-forward service in the background (default true). */
  autoMerge?: boolean;
  dataPrefix?: string;
  committedPrefix?: string;
  blobPrefix?: string;
  indexPrefix?: string;
  manifestPrefix?: string;
  /** For tests: ms added to this node's clock. */
  clockOffsetMs?: number;
  /** A FileDriver: immutable objects cached in that directory (the cache: layer). */
  cacheDriver?: BuiltinDriver | null;
  /** Accepted for the Node library's sake; blocks are cached at their real size. */
  cacheBlockSize?: number;
}

/** A row with its version (the commit that last wrote it) and that commit's MISC time (ms). */
export interface DbRecord<T = Row> {
  row: T;
  version: Int64;
  misc: Int64;
}

/** New content for a blob field, uploaded by flush(). */
export declare class Blob {
  constructor(data: Buffer | Uint8Array | ArrayBuffer | string);
  readonly data: Uint8Array | ArrayBuffer;
}

export declare class Database {
  /** Opens the database and starts its background service; resolves when schemas are in. */
  start(): Promise<this>;
  /**
   * Waits for calls in flight, stops the service (merging first when due), closes. Rejects
   * with a merge at close that failed (StorageError, ...); nothing is lost, and the database
   * is closed all the same.
   */
  stop(): Promise<void>;
  close(): Promise<void>;
  readonly closed: boolean;
  [Symbol.asyncDispose](): Promise<void>;

  /**
   * A schema, or an array of them (all or none). A version that would lose values of the
   * newest one is a SchemaError unless allowLossy (reads then null what does not fit).
   */
  registerSchema(
    schema: SchemaDefinition | SchemaDefinition[] | string,
    options?: { allowLossy?: boolean },
  ): Promise<void>;
  schemas(): Promise<SchemaDefinition[]>;

  get<T = Row>(table: string, key: Key): Promise<T | null>;
  getRecord<T = Row>(table: string, key: Key): Promise<DbRecord<T> | null>;
  getJson(table: string, key: Key): Promise<string | null>;
  readBlob(id: string): Promise<Buffer>;
  query<T = Row>(table: string): Query<T>;

  batch(): Batch;
  insert(table: string, row: Row): Promise<Int64>;
  update(table: string, row: Row): Promise<Int64>;
  patch(table: string, row: Row): Promise<Int64>;
  delete(table: string, key: Key): Promise<Int64>;
  Blob(data: Buffer | Uint8Array | ArrayBuffer | string): Blob;

  merge(): Promise<Int64>;
  gc(): Promise<Int64>;
  stats(): Promise<Record<string, unknown>>;
  inspect(what: 'block0' | 'log' | 'blocks'): Promise<unknown>;
  /** Stops every call on this database under way (bdb_db_interrupt): each rejects with InterruptedError soon. */
  interrupt(): void;
  refresh(): Promise<void>;
  /** Drops a table; its name is free again. SchemaError for an unknown table. */
  dropTable(table: string): Promise<void>;
  /** Drops the index on a field: registers the table's next version without it. */
  dropIndex(table: string, field: string): Promise<void>;
  /** Reads and checks every object the database reaches, straight from storage. */
  verify(): Promise<VerifyReport>;
  /** Writes the whole database to a file as NDJSON; resolves to the rows written. */
  export(path: string): Promise<Int64>;
  /** Reads an export into the database; resolves to the rows imported. */
  import(path: string, options?: { batchRows?: Int64; upsert?: boolean }): Promise<Int64>;
}

export interface VerifyReport {
  ok: boolean;
  objects: number;
  bytes: number;
  rows: number;
  /** Objects checked, by kind ("block0", "data block", "blob", "contention hint", ...). */
  checked: Record<string, number>;
  damaged: { key: string; kind: string; problem: string }[];
}

export declare class Batch {
  insert(table: string, row: Row): this;
  update(table: string, row: Row): this;
  patch(table: string, row: Row): this;
  delete(table: string, key: Key): this;
  /** The last staged operation applies only if its row is at this version (0: absent). */
  expectVersion(version: Int64): this;
  /** The last staged operation applies only if its row exists (else NotFoundError). */
  expectExists(): this;
  readonly size: number;
  readonly length: number;
  clear(): this;
  /** Commits atomically; resolves to the commit's sequence number. */
  flush(): Promise<Int64>;
}

export type Operator =
  | '=' | '==' | '===' | 'eq' | '!=' | '<>' | '!==' | 'ne' | '>' | 'gt' | '>=' | 'gte'
  | '<' | 'lt' | '<=' | 'lte' | 'in' | 'IN' | 'prefix' | 'isnull' | 'notnull';

export interface CursorOptions {
  /** Yield { row, version, misc } instead of rows. */
  records?: boolean;
  /** Keep each row's page token, so pageToken() is exact wherever reading stops (default true). */
  pageTokens?: boolean;
}

export declare class Query<T = Row> implements AsyncIterable<T> {
  where(field: string, op: Operator, value?: unknown): this;
  eq(field: string, value: unknown): this;
  ne(field: string, value: unknown): this;
  gt(field: string, value: unknown): this;
  gte(field: string, value: unknown): this;
  lt(field: string, value: unknown): this;
  lte(field: string, value: unknown): this;
  in(field: string, values: unknown[]): this;
  prefix(field: string, text: string): this;
  isNull(field: string): this;
  notNull(field: string): this;
  or(): this;
  orderBy(field: string, direction?: 'asc' | 'desc'): this;
  /** A further sort key, after those set: ORDER BY a, b is orderBy('a').thenBy('b'). */
  thenBy(field: string, direction?: 'asc' | 'desc'): this;
  limit(n: Int64): this;
  offset(n: Int64): this;
  select(...fields: (string | string[])[]): this;
  after(token: string | null): this;
  asOf(seq: Int64): this;
  asOfTime(time: Date | Int64): this;
  filter(predicate: (row: T) => boolean): this;

  execute(): Promise<T[]>;
  page(): Promise<{ rows: T[]; pageToken: string }>;
  count(): Promise<Int64>;
  explain(): Promise<string>;
  cursor(options?: CursorOptions & { records?: false }): Cursor<T>;
  cursor(options: CursorOptions & { records: true }): Cursor<DbRecord<T>>;
  records(): Cursor<DbRecord<T>>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

export declare class Cursor<T> implements AsyncIterableIterator<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
  [Symbol.asyncIterator](): this;
  /** Where the rows handed out so far end (for the next page's after()). */
  pageToken(): string;
  toArray(): Promise<T[]>;
  close(): void;
}

export interface DriverCheckReport {
  driver: string;
  capabilities: string[];
  passed: number;
  failed: number;
  skipped: number;
  checks: { name: string; result: 'pass' | 'fail' | 'skip'; message: string; ms: number }[];
}

/** The Node library's factory: no `new`. Opens at start() or the first call. */
export declare function BucketDb(options?: BucketDbOptions): Database;
/** The factory some of the Node library's pages use: the database, started. */
export declare function createDatabase(options?: BucketDbOptions): Promise<Database>;
/** Runs the driver conformance checks against a driver (built-in or JavaScript) or URI. */
export declare function driverCheck(driver: StorageDriver | string): Promise<DriverCheckReport>;

export interface RecoverReport {
  block0: 'present' | 'missing';
  log: { entries: Int64; first?: Int64; last?: Int64; missing: Int64[] };
  tables: Record<string, unknown>[];
  problems: string[];
  actions: string[];
  written: boolean;
}

export interface RecoverOptions {
  /** Rebuild a lost Block 0 from what remains (only absent objects are created). */
  write?: boolean;
  /** With write: give up missing log entries for good. */
  acceptLostEntries?: boolean;
  /** Schemas for tables whose blocks no remaining log entry describes. */
  schemas?: SchemaDefinition | SchemaDefinition[] | string;
}

/** Examines the database BucketDb(options) would open, without opening it (SQLite's .recover). */
export declare function recover(options: BucketDbOptions, recoverOptions?: RecoverOptions): Promise<RecoverReport>;

export {
  MemoryDriver, FileDriver, S3Driver, Driver, TieredDriver, CryptDriver, CompressDriver,
  CacheDriver, S3DriverOptions, FileDriverOptions,
} from './drivers';

export declare class BucketDbError extends Error {
  /** bucketdb.h's name of the status, e.g. 'BDB_E_NOT_FOUND'. */
  readonly code: string;
  /** Its number. */
  readonly status: number;
}
export declare class NotFoundError extends BucketDbError {}
export declare class InvalidArgumentError extends BucketDbError {}
export declare class SchemaError extends BucketDbError {}
export declare class TypeMismatchError extends BucketDbError {}
export declare class JsonError extends BucketDbError {}
export declare class AlreadyExistsError extends BucketDbError {}
export declare class ConflictError extends BucketDbError {}
export declare class CorruptError extends BucketDbError {}
export declare class StorageError extends BucketDbError {}
export declare class PermissionDeniedError extends BucketDbError {}
export declare class BadUriError extends BucketDbError {}
export declare class OutOfMemoryError extends BucketDbError {}
export declare class StorageFullError extends BucketDbError {}
export declare class BusyError extends BucketDbError {}
export declare class InternalError extends BucketDbError {}
export declare class InterruptedError extends BucketDbError {}

/** The library's version, e.g. '0.1.0', and its ABI version. */
export declare const version: string;
export declare const abiVersion: number;
