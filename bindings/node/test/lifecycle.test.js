'use strict';
// Opening and closing: creating or not, read-only handles, a close that reports its failed
// merge, lossy schema versions, schema arrays, the engine's log through the logger option.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const bucketdb = require('bucketdb');
const { USERS, openDb } = require('./helpers');

const { BucketDb, Driver, FileDriver, MemoryDriver } = bucketdb;

test('a database that does not exist is created unless createIfMissing is false or readOnly true', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-ro-'));
  try {
    for (const options of [{ createIfMissing: false }, { readOnly: true }]) {
      const db = BucketDb({ driver: FileDriver(dir), logLevel: 'silent', ...options });
      await assert.rejects(db.start(), (e) => e instanceof bucketdb.NotFoundError && /no database/.test(e.message));
    }
    const db = BucketDb({ driver: FileDriver(dir), logLevel: 'silent' });
    db.registerSchema(USERS);
    await db.insert('users', { id: 'u1', age: 7 });
    await db.stop();

    const ro = BucketDb({ driver: FileDriver(dir), readOnly: true, logLevel: 'silent' });
    assert.deepEqual(await ro.get('users', 'u1'), { id: 'u1', age: 7 });
    const readOnly = (e) => e instanceof bucketdb.InvalidArgumentError && /read-only/.test(e.message);
    await assert.rejects(ro.insert('users', { id: 'u2' }), readOnly);
    await assert.rejects(ro.registerSchema({ ...USERS, name: 'others' }), readOnly);
    await assert.rejects(ro.merge(), readOnly);
    await assert.rejects(ro.gc(), readOnly);
    await ro.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('maxRequestsInFlight reaches the engine', async () => {
  await assert.rejects(BucketDb({ driver: MemoryDriver(), maxRequestsInFlight: 2000 }).start(),
    (e) => e instanceof bucketdb.InvalidArgumentError && /maxRequestsInFlight/.test(e.message));
  const db = await openDb({ maxRequestsInFlight: 1 });
  await db.insert('users', { id: 'a' });
  await db.stop();
});

// A store whose every put fails, beside the same store unharmed: a database opened on the
// first cannot write its merge at close.
async function failingMerge(plain = MemoryDriver()) {
  const db = await openDb({ driver: plain });
  await db.insert('users', { id: 'a', age: 1 });
  await db.insert('users', { id: 'b', age: 2 });
  await db.stop();
  const failing = Driver(`faulty:${plain.uri}?faulty.ops=put&faulty.every=1&faulty.status=io`);
  return { plain, failing, options: { dbPrefix: 'test', mergeThresholdEntries: 1, writeForwardInterval: 60000 } };
}

test('stop() rejects with a merge at close that failed, and loses nothing', async () => {
  const { plain, failing, options } = await failingMerge();
  const db = BucketDb({ driver: failing, logLevel: 'silent', ...options });
  await db.start();
  await assert.rejects(db.stop(), (e) => e instanceof bucketdb.StorageError && /merge at close failed/.test(e.message) && /injected/.test(e.message));
  assert.equal(db.closed, true);
  await db.stop(); // closing again is harmless
  const again = BucketDb({ driver: plain, dbPrefix: 'test', logLevel: 'silent' });
  assert.deepEqual(await again.get('users', 'b'), { id: 'b', age: 2 });
  await again.stop();
});

function capture() {
  const lines = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = (msg) => lines.push([level, msg]);
  return { lines, logger };
}

test("the engine's log goes to the logger option, filtered by logLevel", async () => {
  const noConditions = () => Driver(`faulty:${MemoryDriver().uri}?faulty.conditional=0`);
  const { lines, logger } = capture();
  const db = BucketDb({ driver: noConditions(), logger });
  await db.start();
  await db.stop();
  // Lines reach the main thread through a queue of their own, not with the call's answer.
  const warned = () => lines.some(([l, m]) => l === 'warn' && /^bucketdb: engine: storage faulty:memory:.* has no conditional writes/.test(m));
  for (let i = 0; i < 250 && !warned(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(warned(), JSON.stringify(lines));

  const quiet = capture();
  const db2 = BucketDb({ driver: noConditions(), logger: quiet.logger, logLevel: 'error' });
  await db2.start();
  await db2.stop();
  assert.deepEqual(quiet.lines, []);

  // A failed merge at close that no one can be told of (the database was collected) is logged.
  // (In a process of its own, with --expose-gc: the store is a directory.)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-gc-'));
  const { failing, options } = await failingMerge(FileDriver(dir));
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', `
    const { BucketDb, Driver } = require('bucketdb');
    const lines = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m) => lines.push(m) };
    (async () => {
      await BucketDb({ driver: Driver(${JSON.stringify(failing.uri)}), logger, ...${JSON.stringify(options)} }).start();
      for (let i = 0; i < 200 && !lines.length; i++) {
        global.gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      console.log(JSON.stringify(lines));
    })();`], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /bucketdb: merge: merge at close failed/);
});

test('a process that ends with databases open closes them at exit, and collects them after', () => {
  // The teardown closes each through its hook, then finalizes what is left: a NativeDb
  // finalized after its hook ran must not touch the hook's argument again.
  const child = spawnSync(process.execPath, ['-e', `
    const { BucketDb, MemoryDriver } = require('bucketdb');
    const lines = [];
    const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    globalThis.kept = [];
    (async () => {
      for (const options of [{}, { logger }]) {
        const db = BucketDb({ driver: MemoryDriver(), ...options });
        db.registerSchema({ name: 't', version: 1, fields: { k: { typeId: 10 } }, primaryKey: 'k' });
        await db.insert('t', { k: 'x' });
        globalThis.kept.push(db, db.query('t').cursor());
      }
      console.log('open');
    })();`], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 'open');
});

test('a lossy version needs allowLossy; an array of schemas registers all or none', async () => {
  const db = await openDb({}, USERS);
  await db.insert('users', { id: 'u1', name: 'Alice', age: 30 });
  const { age: _dropped, ...fields } = USERS.fields;
  const v2 = { ...USERS, version: 2, fields };
  await assert.rejects(db.registerSchema(v2), (e) => e instanceof bucketdb.SchemaError && /age/.test(e.message));
  await db.registerSchema(v2, { allowLossy: true });
  assert.deepEqual(await db.get('users', 'u1'), { id: 'u1', name: 'Alice' });

  const a = { name: 'a', version: 1, fields: { k: { typeId: 10 } }, primaryKey: 'k' };
  const bad = { name: 'b', version: 1, fields: { k: { typeId: 99 } }, primaryKey: 'k' };
  await assert.rejects(db.registerSchema([a, bad]), bucketdb.SchemaError);
  await assert.rejects(db.insert('a', { k: 'x' }), bucketdb.SchemaError);
  await db.registerSchema(JSON.stringify([a, { ...bad, fields: { k: { typeId: 10 } } }]));
  await db.insert('a', { k: 'x' });
  await db.insert('b', { k: 'y' });
  assert.deepEqual(await db.get('b', 'y'), { k: 'y' });
  await db.stop();
});

test('recover: a lost Block 0 reported, then rebuilt', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-recover-'));
  try {
    const db = BucketDb({ driver: FileDriver(dir), autoMerge: false, logLevel: 'silent' });
    db.registerSchema(USERS);
    await db.insert('users', { id: 'u1', age: 30 });
    await db.merge();
    await db.insert('users', { id: 'u2', age: 40 });
    await db.stop();
    fs.rmSync(path.join(dir, 'main', 'block0'));
    await assert.rejects(BucketDb({ driver: FileDriver(dir), logLevel: 'silent' }).start(), bucketdb.CorruptError);

    const report = await bucketdb.recover({ driver: FileDriver(dir) });
    assert.equal(report.block0, 'missing');
    assert.equal(report.written, false);
    assert.ok(report.log.entries >= 1, JSON.stringify(report));
    const rebuilt = await bucketdb.recover({ driver: FileDriver(dir) }, { write: true, schemas: USERS });
    assert.equal(rebuilt.written, true, JSON.stringify(rebuilt));
    const again = BucketDb({ driver: FileDriver(dir), logLevel: 'silent' });
    assert.deepEqual(await again.get('users', 'u1'), { id: 'u1', age: 30 });
    assert.deepEqual(await again.get('users', 'u2'), { id: 'u2', age: 40 });
    await again.stop();
    await assert.rejects(bucketdb.recover({ driver: 'bogus:x' }), bucketdb.BadUriError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
