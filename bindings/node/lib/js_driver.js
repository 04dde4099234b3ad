'use strict';
// Storage drivers written in JavaScript: any object with the four Promise-returning methods of
// the Node library's StorageDriver interface, passed as `driver`:
//   get(key)                     -> { buffer: Uint8Array, eTag? }; reject with .name 'NoSuchKey'
//   put(key, buffer, options)    -> { eTag? }; options { ifMatch?, ifNoneMatch? ('*') };
//                                   reject with .name 'PreconditionFailed'
//   delete(key)                  -> nothing; no error for a missing key
//   list(prefix, options)        -> { keys, IsTruncated, NextContinuationToken? };
//                                   options { continuationToken? }
// plus, optionally, `capabilities: { conditionalPut, strongList }`. Only a driver that claims
// conditionalPut gets conditions (ifMatch, and ifNoneMatch, which the Node library's interface
// lacks and commits need): one that ignored them would let two writers overwrite each other,
// so without the claim the engine falls back to its timeshare rule (README.md, "Stores without
// conditional writes"). The engine's threads call it through the addon (src/js_driver.h); each
// call runs here, on the main thread, as a Promise.
const native = require('./native');

const STATUS = { OK: 0, NOT_FOUND: 1, PRECONDITION_FAILED: 2, TRANSIENT: 4, PERMISSION: 5, INVALID: 6, IO: 7, NO_SPACE: 8 };
const OPS = ['get', 'put', 'delete', 'list'];

function isJsDriver(d) {
  return d !== null && typeof d === 'object' && OPS.every((m) => typeof d[m] === 'function');
}

// What a rejection means to the engine, by the names S3, the AWS SDK and Node use.
function statusOf(e) {
  const name = e?.name ?? '';
  const code = e?.code ?? e?.Code ?? '';
  if (name === 'NoSuchKey' || name === 'NotFound' || code === 'ENOENT') return STATUS.NOT_FOUND;
  if (name === 'PreconditionFailed' || name === 'ConditionalRequestConflict') return STATUS.PRECONDITION_FAILED;
  if (name === 'AccessDenied' || code === 'EACCES' || code === 'EPERM') return STATUS.PERMISSION;
  if (code === 'ENOSPC' || code === 'EDQUOT') return STATUS.NO_SPACE;
  if (e?.$retryable || e?.retryable || name === 'TimeoutError' ||
      ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE'].includes(code))
    return STATUS.TRANSIENT;
  return STATUS.IO;
}

function bytesOf(what, b) {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (typeof b === 'string') return Buffer.from(b);
  throw Object.assign(new Error(`${what} resolved without a Uint8Array buffer`), { name: 'BadAnswer' });
}

async function call(driver, op, key, arg, bytes, ifNoneMatch) {
  switch (op) {
    case 0: {
      const r = await driver.get(key);
      return { status: STATUS.OK, data: bytesOf('get', r?.buffer), etag: r?.eTag == null ? undefined : String(r.eTag) };
    }
    case 1: {
      const options = {};
      if (arg !== undefined) options.ifMatch = arg;
      if (ifNoneMatch) options.ifNoneMatch = '*';
      const r = await driver.put(key, bytes, options);
      return { status: STATUS.OK, etag: r?.eTag == null ? undefined : String(r.eTag) };
    }
    case 2:
      await driver.delete(key);
      return { status: STATUS.OK };
    default: {
      const r = await driver.list(key, arg === undefined ? {} : { continuationToken: arg });
      if (!Array.isArray(r?.keys)) throw new Error('list resolved without an array of keys');
      const truncated = Boolean(r.IsTruncated);
      if (truncated && typeof r.NextContinuationToken !== 'string')
        throw new Error('list resolved IsTruncated without a NextContinuationToken');
      return { status: STATUS.OK, keys: r.keys.map(String), truncated, next: r.NextContinuationToken };
    }
  }
}

// Registers `driver` with the engine under a scheme of its own: { uri, handle }. The database
// opened on it keeps the registration while it lives.
function registerJsDriver(driver) {
  let scheme;
  const dispatch = (op, key, arg, bytes, ifNoneMatch, id) => {
    call(driver, op, key, arg, bytes, ifNoneMatch).then(
      (answer) => native.complete(scheme, id, answer),
      (e) => {
        const status = statusOf(e);
        const message = status <= STATUS.PRECONDITION_FAILED ? '' : `${OPS[op]} ${key}: ${e?.message ?? e}`;
        native.complete(scheme, id, { status, message });
      },
    );
  };
  const caps = driver.capabilities ?? {};
  const [s, handle] = native.registerJsDriver(dispatch, { conditionalPut: Boolean(caps.conditionalPut), strongList: Boolean(caps.strongList) });
  scheme = s;
  return { uri: `${scheme}:`, handle };
}

module.exports = { isJsDriver, registerJsDriver };
