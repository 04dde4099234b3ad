// Types of bucketdb/drivers (drivers.js, drivers.mjs), also exported by 'bucketdb'.

/** A built-in driver: the engine runs it natively from its URI. */
export interface BuiltinDriver {
  readonly uri: string;
}

/**
 * A storage driver written in JavaScript: the Node library's StorageDriver interface. The
 * engine's threads call it through the main thread, many calls at once.
 */
export interface CustomStorageDriver {
  /** Rejects with an Error whose name is 'NoSuchKey' when the key is missing. */
  get(key: string): Promise<{ buffer: Uint8Array | ArrayBuffer | string; eTag?: string }>;
  /**
   * ifMatch: replace only that ETag; ifNoneMatch '*': create only. Rejects with an Error named
   * 'PreconditionFailed' when the condition fails. Conditions come only to a driver that
   * claims capabilities.conditionalPut.
   */
  put(
    key: string,
    buffer: Buffer,
    options: { ifMatch?: string; ifNoneMatch?: '*' },
  ): Promise<{ eTag?: string } | void>;
  /** No error when the key is missing. */
  delete(key: string): Promise<unknown>;
  /** Keys in ascending byte order, a page at a time. */
  list(
    prefix: string,
    options: { continuationToken?: string },
  ): Promise<{ keys: string[]; IsTruncated?: boolean; NextContinuationToken?: string }>;
  /** What the driver guarantees: atomic conditional puts; lists that see every finished put. */
  capabilities?: { conditionalPut?: boolean; strongList?: boolean };
}

export type StorageDriver = BuiltinDriver | CustomStorageDriver;

export interface FileDriverOptions {
  baseDir: string;
}

export interface S3DriverOptions {
  /** Default: BUCKETDB_S3_BUCKET. */
  bucket?: string;
  /** A key prefix inside the bucket. */
  prefix?: string;
  region?: string;
  /** http(s)://host[:port] for S3-compatible stores (R2, MinIO, Ceph, ...). */
  endpoint?: string;
  /** Set into AWS_ACCESS_KEY_ID & co. at open: they hold for the whole process. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** An AWS SDK v3 S3Client whose region, endpoint and credentials are read at open. */
  s3Client?: unknown;
  forcePathStyle?: boolean;
  style?: 'path' | 'virtual';
  payload?: 'signed' | 'unsigned';
  conditionalWrites?: 'on' | 'off';
  caBundle?: string;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  page?: number;
}

export declare function MemoryDriver(): BuiltinDriver;
export declare function FileDriver(dir: string | FileDriverOptions): BuiltinDriver;
export declare function S3Driver(options?: S3DriverOptions): BuiltinDriver;
/** Any driver URI: 'memory:', 'file:./data', 'plugin:/path/x.so?config', 'faulty:...'. */
export declare function Driver(uri: string): BuiltinDriver;
/** Block 0 and the log on `fast` (a shared volume), everything else on `slow`. */
export declare function TieredDriver(options: {
  slow: BuiltinDriver | string;
  fast: BuiltinDriver | string;
  mirror?: boolean;
  seed?: boolean;
  committed?: string;
}): BuiltinDriver;
export declare function CryptDriver(inner: BuiltinDriver | string, options?: { keyFile?: string; keyId?: string }): BuiltinDriver;
export declare function CompressDriver(inner: BuiltinDriver | string, options?: { level?: number; minSize?: number; maxSize?: number }): BuiltinDriver;
export declare function CacheDriver(inner: BuiltinDriver | string, options: { dir: string; maxBytes?: number | string; writeThrough?: boolean }): BuiltinDriver;
