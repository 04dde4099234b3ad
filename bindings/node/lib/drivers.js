'use strict';
// Storage drivers, as the Node library names them. Each built-in one stands for a BucketDB
// driver URI (README.md, "URIs and drivers"): MemoryDriver() for `memory:NAME`, FileDriver for
// `file:PATH`, S3Driver for `s3://...`, the layers (TieredDriver, CryptDriver, CompressDriver,
// CacheDriver) for `tiered:`, `crypt:`, `compress:`, `cache:` around another driver, and
// Driver(uri) for any URI at all. The engine runs them natively; they are passed as
// `driver` to BucketDb(options).
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { fail } = require('./errors');
const { isJsDriver, registerJsDriver } = require('./js_driver');

const kDriver = Symbol.for('bucketdb.driver');

class BuiltinDriver {
  // uri: the driver URI; prepare: async () => ({ uri, env }) when opening needs more (S3Driver
  // with an AWS SDK client or credentials).
  constructor(uri, prepare) {
    this.uri = uri;
    Object.defineProperty(this, kDriver, { value: prepare ?? (async () => ({ uri, env: {} })) });
  }

  toString() {
    return this.uri;
  }
}

function isBuiltin(d) {
  return d instanceof BuiltinDriver;
}

// Where to open: { uri, env, handle } (env: environment variables the driver reads at open;
// handle: the registration of a driver written in JavaScript, kept while its database lives).
async function prepare(driver) {
  if (typeof driver === 'string') return { uri: driver, env: {} };
  if (isJsDriver(driver)) return { ...registerJsDriver(driver), env: {} };
  return driver[kDriver]();
}

function noQuery(what, value) {
  if (typeof value !== 'string' || value === '') fail(2, `${what} must be a non-empty string`);
  if (value.includes('?')) fail(2, `${what} must not contain '?' (it starts driver options): ${value}`);
  return value;
}

// Joins name=value options onto a URI's one query string (layers share it).
function withOptions(uri, options) {
  const items = Object.entries(options)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 1 : 0) : encodeURIComponent(String(v))}`);
  if (!items.length) return uri;
  return uri + (uri.includes('?') ? '&' : '?') + items.join('&');
}

// An in-process store (`memory:NAME`, NAME unique in the process and its worker threads):
// every database given the same MemoryDriver() shares it, like the Node library's Map-backed
// one; it lives as long as the process.
function MemoryDriver() {
  return new BuiltinDriver(`memory:node-${randomUUID()}`);
}

// A directory (`file:`): FileDriver('./data') or, as the Node library writes it,
// FileDriver({ baseDir }). One file per object, atomic renames, fsync, conditional writes
// under a lock that holds across processes.
function FileDriver(options) {
  const dir = typeof options === 'string' ? options : options?.baseDir;
  noQuery('FileDriver: the directory (a path, or { baseDir })', dir);
  return new BuiltinDriver(`file:${path.resolve(dir)}`);
}

const S3_URI_OPTIONS = {
  region: 'region',
  endpoint: 'endpoint',
  style: 'style',
  payload: 'payload',
  conditionalWrites: 'conditional_writes',
  caBundle: 'ca_bundle',
  connectTimeoutMs: 'connect_timeout_ms',
  timeoutMs: 'timeout_ms',
  retries: 'retries',
  retryBaseMs: 'retry_base_ms',
  retryMaxMs: 'retry_max_ms',
  page: 'page',
};

function credentialEnv(c) {
  if (!c) return {};
  const env = {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken,
  };
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY)
    fail(2, 'S3Driver: credentials need accessKeyId and secretAccessKey');
  return env;
}

// Reads what an AWS SDK v3 S3Client was configured with (its config's providers are async).
async function fromS3Client(client) {
  const cfg = client?.config;
  if (!cfg) fail(2, 'S3Driver: s3Client has no config (expected an AWS SDK v3 S3Client)');
  const call = async (v) => (typeof v === 'function' ? v() : v);
  const out = { region: await call(cfg.region) };
  const ep = cfg.isCustomEndpoint || cfg.endpoint ? await call(cfg.endpoint) : undefined;
  if (ep && typeof ep === 'object' && ep.hostname) {
    out.endpoint = `${ep.protocol ?? 'https:'}//${ep.hostname}${ep.port ? `:${ep.port}` : ''}`;
  } else if (typeof ep === 'string') {
    out.endpoint = ep;
  }
  if (cfg.forcePathStyle) out.style = 'path';
  out.credentials = await call(cfg.credentials);
  return out;
}

// S3 and compatibles (`s3://`): S3Driver({ bucket, region, endpoint, credentials, prefix,
// forcePathStyle, ...the s3 driver's URI options in camelCase }) or, as the Node library's
// pages show, S3Driver({ s3Client, bucket }) with an AWS SDK v3 client whose region, endpoint
// and credentials are read at open. The s3 driver reads credentials from the environment
// (AWS_ACCESS_KEY_ID, ...) when a database opens: given here, they are set there first, so they
// hold for the whole process.
function S3Driver(options = {}) {
  const bucket = noQuery('S3Driver: bucket', options.bucket ?? process.env.BUCKETDB_S3_BUCKET);
  const prefix = options.prefix ? `/${String(options.prefix).replace(/^\/+/, '')}` : '';
  const known = new Set(['bucket', 'prefix', 'credentials', 's3Client', 'forcePathStyle', ...Object.keys(S3_URI_OPTIONS)]);
  for (const k of Object.keys(options))
    if (!known.has(k)) fail(2, `S3Driver: unknown option '${k}' (known: ${[...known].join(', ')})`);
  const base = `s3://${bucket}${prefix}`;
  const build = (o) => {
    const q = {};
    for (const [js, name] of Object.entries(S3_URI_OPTIONS)) q[name] = o[js];
    if (o.forcePathStyle) q.style = 'path';
    return withOptions(base, q);
  };
  if (!options.s3Client) {
    const uri = build(options);
    const env = credentialEnv(options.credentials);
    return new BuiltinDriver(uri, async () => ({ uri, env }));
  }
  return new BuiltinDriver(base, async () => {
    const fromClient = await fromS3Client(options.s3Client);
    const o = { ...fromClient, ...options };
    return { uri: build(o), env: credentialEnv(options.credentials ?? fromClient.credentials) };
  });
}

// Any driver URI: Driver('memory:'), Driver('plugin:/path/x.so?config'), Driver('faulty:...').
function Driver(uri) {
  return new BuiltinDriver(checkUri(uri));
}

function checkUri(uri) {
  if (typeof uri !== 'string' || !/^[a-z0-9_-]+:/.test(uri))
    fail(11, `Driver: expected a driver URI such as 'file:./data', got ${String(uri)}`);
  return uri;
}

function innerUri(what, inner) {
  if (typeof inner === 'string') return checkUri(inner);
  if (isBuiltin(inner) && inner.uri) return inner.uri;
  fail(2, `${what}: the inner driver must be a built-in driver or a URI`);
}

function layer(scheme, inner, options, names) {
  const q = {};
  for (const [js, name] of Object.entries(names)) q[`${scheme}.${name}`] = options?.[js];
  for (const k of Object.keys(options ?? {}))
    if (!(k in names))
      fail(2, `${scheme}: unknown option '${k}' (known: ${Object.keys(names).join(', ')})`);
  const uri = withOptions(`${scheme}:${innerUri(`${scheme} layer`, inner)}`, q);
  if (!isBuiltin(inner)) return new BuiltinDriver(uri);
  // The inner driver may prepare at open (S3 with credentials): prepare it, then wrap.
  return new BuiltinDriver(uri, async () => {
    const p = await inner[kDriver]();
    return { uri: withOptions(`${scheme}:${p.uri}`, q), env: p.env };
  });
}

// The shared volume pattern of the Node library's consistency page: Block 0 and the log on a
// fast shared store (`fast`, e.g. a FileDriver on a volume every node mounts), everything else
// on the slow one (S3). TieredDriver({ slow, fast, mirror, seed }).
function TieredDriver({ slow, fast, ...rest } = {}) {
  const f = encodeURIComponent(innerUri('TieredDriver: fast', fast));
  const d = layer('tiered', slow, rest, { mirror: 'mirror', seed: 'seed', committed: 'committed' });
  const add = (uri) => uri + (uri.includes('?') ? '&' : '?') + `tiered.fast=${f}`;
  const prep = d[kDriver];
  const uri = add(d.uri);
  return new BuiltinDriver(uri, async () => {
    const p = await prep();
    return { uri: add(p.uri), env: p.env };
  });
}

// AES-256-GCM per object (keys from BUCKETDB_CRYPT_KEY(S) or keyFile).
function CryptDriver(inner, options) {
  return layer('crypt', inner, options, { keyFile: 'key_file', keyId: 'key_id' });
}

// zstd per object.
function CompressDriver(inner, options) {
  return layer('compress', inner, options, { level: 'level', minSize: 'min_size', maxSize: 'max_size' });
}

// Immutable objects cached on local disk: CacheDriver(inner, { dir, maxBytes }).
function CacheDriver(inner, options) {
  return layer('cache', inner, options, { dir: 'dir', maxBytes: 'max_bytes', writeThrough: 'write_through' });
}

module.exports = {
  MemoryDriver,
  FileDriver,
  S3Driver,
  Driver,
  TieredDriver,
  CryptDriver,
  CompressDriver,
  CacheDriver,
  isBuiltin,
  isJsDriver,
  prepare,
};
