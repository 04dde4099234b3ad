'use strict';
// Whole-database calls of issue 18: drops, verify, export and import, progress, a delete that
// must find its row, orders of several keys.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const bucketdb = require('bucketdb');
const { USERS, openDb } = require('./helpers');

const { AlreadyExistsError, InvalidArgumentError, NotFoundError, SchemaError } = bucketdb;

async function seeded(options = {}) {
  const db = await openDb(options);
  await db
    .batch()
    .insert('users', { id: 'u1', name: 'Alice', age: 30 })
    .insert('users', { id: 'u2', name: 'Bob', age: 41 })
    .insert('users', { id: 'u3', name: 'Anna', age: 17 })
    .insert('users', { id: 'u4', name: 'Anna', age: 25 })
    .flush();
  return db;
}

test('dropIndex registers the next version; dropTable frees the name', async () => {
  const db = await seeded();
  try {
    await db.dropIndex('users', 'name');
    const versions = (await db.schemas()).filter((s) => s.name === 'users');
    assert.equal(versions.at(-1).version, 2);
    await assert.rejects(db.dropIndex('users', 'name'), SchemaError);
    await db.dropTable('users');
    await assert.rejects(db.get('users', 'u1'), SchemaError);
    await assert.rejects(db.dropTable('users'), SchemaError);
    await db.registerSchema(USERS); // a new, empty table
    assert.deepEqual(await db.query('users').execute(), []);
  } finally {
    await db.stop();
  }
});

test('verify, export and import round-trip, with progress', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-admin-'));
  const db = await seeded();
  const seen = [];
  const copy = bucketdb.BucketDb({
    driver: bucketdb.FileDriver(path.join(dir, 'copy')),
    logLevel: 'warn',
    progress: (task, done, total) => seen.push({ task, done, total }),
  });
  try {
    await db.merge();
    const report = await db.verify();
    assert.equal(report.ok, true);
    assert.equal(report.rows, 4);
    assert.deepEqual(report.damaged, []);
    const dump = path.join(dir, 'dump.ndjson');
    assert.equal(await db.export(dump), 4);
    await copy.start();
    assert.equal(await copy.import(dump, { batchRows: 2 }), 4);
    assert.deepEqual(await copy.get('users', 'u2'), await db.get('users', 'u2'));
    await assert.rejects(copy.import(dump), AlreadyExistsError);
    assert.equal(await copy.import(dump, { upsert: true }), 4);
    assert.equal((await copy.verify()).ok, true);
    // Progress goes through the main thread: give the queued calls a turn.
    const has = (t) => seen.some((s) => s.task === t);
    for (let i = 0; i < 100 && !(has('import') && has('verify')); i++) await new Promise((r) => setTimeout(r, 10));
    const tasks = new Set(seen.map((s) => s.task));
    assert.ok(tasks.has('import') && tasks.has('verify'), JSON.stringify(seen));
    assert.ok(seen.every((s) => Number.isInteger(s.done) && Number.isInteger(s.total)));
    assert.throws(() => bucketdb.BucketDb({ progress: 42 }), InvalidArgumentError);
  } finally {
    await copy.stop();
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('expectExists: a delete of a missing row fails the whole batch', async () => {
  const db = await seeded();
  try {
    const b = db.batch().delete('users', 'u1').delete('users', 'zzz').expectExists();
    await assert.rejects(b.flush(), (e) => e instanceof NotFoundError && /zzz/.test(e.message));
    assert.notEqual(await db.get('users', 'u1'), null);
    await db.batch().delete('users', 'u1').expectExists().flush();
    assert.equal(await db.get('users', 'u1'), null);
    assert.throws(() => db.batch().expectExists(), InvalidArgumentError);
  } finally {
    await db.stop();
  }
});

test('thenBy: orders of several keys', async () => {
  const db = await seeded();
  try {
    const rows = await db.query('users').orderBy('name').thenBy('age', 'desc').execute();
    assert.deepEqual(rows.map((r) => r.id), ['u1', 'u4', 'u3', 'u2']);
    const again = await db.query('users').thenBy('name', 'desc').execute();
    assert.deepEqual(again.map((r) => r.id), ['u2', 'u3', 'u4', 'u1']);
    await assert.rejects(db.query('users').orderBy('name').thenBy('name').execute(), InvalidArgumentError);
  } finally {
    await db.stop();
  }
});
