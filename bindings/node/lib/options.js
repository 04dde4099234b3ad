'use strict';
// BucketDb(options): the Node library's option object to a driver and bucketdb.h's options.
const { fail } = require('./errors');
const drivers = require('./drivers');

// Options of the Node library that this engine does not have, and what becomes of them.
const HANDLED_HERE = new Set(['driver', 'logger', 'progress', 'cacheDriver', 'cacheBlockSize']);

function optionValue(name, v) {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? '1' : '0';
    case 'bigint':
      return String(v);
    case 'number':
      if (!Number.isFinite(v)) fail(2, `option ${name}: ${v} is not a finite number`);
      return String(v);
    default:
      fail(2, `option ${name}: expected a number, string or boolean, got ${v === null ? 'null' : typeof v}`);
  }
}

function checkLogger(logger) {
  if (logger === undefined || logger === null) return null;
  for (const level of ['debug', 'info', 'warn', 'error'])
    if (typeof logger[level] !== 'function')
      fail(2, `option logger: expected an object with .debug .info .warn .error (Pino, Winston), it lacks .${level}`);
  return logger;
}

// Checks what can be checked without storage; the engine checks the rest at open.
function parseOptions(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') fail(2, 'BucketDb(options): options must be an object');
  const pairs = [];
  for (const [name, value] of Object.entries(options)) {
    if (HANDLED_HERE.has(name) || value === undefined) continue;
    pairs.push([name, optionValue(name, value)]);
  }
  let driver = options.driver ?? null;
  if (driver !== null && typeof driver !== 'string' && !drivers.isBuiltin(driver) && !drivers.isJsDriver(driver))
    fail(2, 'option driver: expected MemoryDriver(), FileDriver(...), S3Driver(...), Driver(uri), a URI string, or an object with async get, put, delete and list');
  // cacheDriver: the Node library's cache of S3 blocks; here the cache: layer on a directory.
  if (options.cacheDriver !== undefined && options.cacheDriver !== null) {
    const c = options.cacheDriver;
    if (!drivers.isBuiltin(c) || !c.uri.startsWith('file:'))
      fail(2, 'option cacheDriver: only a FileDriver (a local directory for the cache: layer) is supported');
    driver = drivers.CacheDriver(driver ?? defaultDriver(), { dir: c.uri.slice('file:'.length) });
  }
  if (options.cacheBlockSize !== undefined && !(Number.isInteger(options.cacheBlockSize) && options.cacheBlockSize > 0))
    fail(2, 'option cacheBlockSize: expected a positive integer');
  const progress = options.progress ?? null;
  if (progress !== null && typeof progress !== 'function')
    fail(2, 'option progress: expected a function (task, done, total)');
  return { driver, pairs, logger: checkLogger(options.logger), progress, logLevel: options.logLevel ?? 'info' };
}

// As in the Node library: S3 on BUCKETDB_S3_BUCKET when no driver is given.
function defaultDriver() {
  if (!process.env.BUCKETDB_S3_BUCKET)
    fail(11, 'no driver given and BUCKETDB_S3_BUCKET is not set (pass driver: MemoryDriver(), FileDriver(dir), S3Driver({...}) or a URI)');
  return drivers.S3Driver({ bucket: process.env.BUCKETDB_S3_BUCKET });
}

module.exports = { parseOptions, defaultDriver };
