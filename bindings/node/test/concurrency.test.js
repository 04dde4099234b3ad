'use strict';
// Many promises on one database at once, and the event loop free while storage is slow.
const test = require('node:test');
const assert = require('node:assert/strict');
const { BucketDb, Driver, InterruptedError, MemoryDriver } = require('bucketdb');
const { USERS, openDb } = require('./helpers');

test('hundreds of concurrent flushes, gets and queries on one database: every result right', async () => {
  const db = await openDb();
  const N = 300;
  const writes = [];
  for (let i = 0; i < N; i++)
    writes.push(db.batch().insert('users', { id: `k${i}`, name: `n${i % 7}`, age: i % 200 }).flush());
  const seqs = await Promise.all(writes);
  assert.equal(new Set(seqs.map(String)).size <= N, true);
  const ops = [];
  for (let i = 0; i < N; i++) {
    ops.push(db.get('users', `k${i}`).then((r) => assert.deepEqual(r, { id: `k${i}`, name: `n${i % 7}`, age: i % 200 })));
    if (i % 10 === 0) ops.push(db.query('users').where('name', '=', `n${i % 7}`).count().then((c) => assert.equal(c, i % 7 < N % 7 ? Math.ceil(N / 7) : Math.floor(N / 7))));
    if (i % 25 === 0) {
      ops.push((async () => {
        let n = 0;
        for await (const r of db.query('users').where('age', '<', 10)) n += r.age < 10 ? 1 : 0;
        assert.equal(n, 20);
      })());
    }
  }
  // Compare-and-set increments racing on one counter: exactly the successful ones count.
  await db.insert('users', { id: 'counter', age: 100 }); // beside the ages the loops above count
  let won = 0;
  const incs = [];
  for (let i = 0; i < 40; i++) {
    incs.push((async () => {
      for (;;) {
        const rec = await db.getRecord('users', 'counter');
        try {
          await db.batch().update('users', { id: 'counter', age: rec.row.age + 1 }).expectVersion(rec.version).flush();
          won++;
          return;
        } catch (e) {
          if (e.code !== 'BDB_E_CONFLICT') throw e;
        }
      }
    })());
  }
  await Promise.all([...ops, ...incs]);
  assert.equal(won, 40);
  assert.equal((await db.get('users', 'counter')).age, 140);
  assert.equal(await db.query('users').count(), N + 1);
  await db.stop();
});

test('the event loop stays responsive while a slow storage call is in flight', async () => {
  // Every driver call of this store sleeps 400 ms (the faulty: layer): opening, writing and
  // reading each wait on it, off the main thread.
  const slow = Driver(`faulty:${MemoryDriver().uri}?faulty.every=1&faulty.action=delay&faulty.delay_ms=400`);
  const db = BucketDb({ driver: slow, readStalenessMs: 0 });
  db.registerSchema(USERS);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const started = Date.now();
  await db.insert('users', { id: 'slow' });
  const row = await db.get('users', 'slow');
  const elapsed = Date.now() - started;
  clearInterval(timer);
  assert.deepEqual(row, { id: 'slow' });
  assert.ok(elapsed >= 800, `the calls took ${elapsed} ms`);
  // A blocked loop would have fired the timer once or not at all.
  assert.ok(ticks >= elapsed / 10 / 4, `${ticks} ticks in ${elapsed} ms`);
  await db.stop();
});

test('more calls in flight than libuv has pool threads, with fs work beside them', async () => {
  const slow = Driver(`faulty:${MemoryDriver().uri}?faulty.every=1&faulty.action=delay&faulty.delay_ms=200`);
  const db = BucketDb({ driver: slow, readStalenessMs: 0 });
  db.registerSchema(USERS);
  await db.start();
  const fs = require('node:fs/promises');
  const started = Date.now();
  const reads = Array.from({ length: 12 }, (_, i) => db.get('users', `x${i}`));
  // fs.promises uses libuv's pool: it must not wait behind the database's calls.
  await fs.readFile(__filename);
  const fsDone = Date.now() - started;
  assert.deepEqual(await Promise.all(reads), Array(12).fill(null));
  assert.ok(fsDone < 150, `fs waited ${fsDone} ms behind the database`);
  await db.stop();
});

test('interrupt() stops the calls under way, and later calls run', async () => {
  const plain = MemoryDriver();
  const seed = BucketDb({ driver: plain });
  seed.registerSchema(USERS);
  await seed.insert('users', { id: 'u1' });
  // Every GET of this store takes a second (the open's too).
  const slow = Driver(`faulty:${plain.uri}?faulty.every=1&faulty.ops=get&faulty.action=delay&faulty.delay_ms=1000`);
  const db = BucketDb({ driver: slow, readStalenessMs: 0, logLevel: 'silent' });
  db.interrupt(); // not open yet: nothing to stop
  await db.start();
  const started = Date.now();
  const pending = db.get('users', 'u1');
  await new Promise((resolve) => setTimeout(resolve, 100));
  db.interrupt();
  await assert.rejects(pending, (e) => e instanceof InterruptedError && /interrupted/.test(e.message));
  assert.ok(Date.now() - started < 800, `the interrupted get took ${Date.now() - started} ms`);
  await db.stop();
  db.interrupt(); // stopped: nothing to stop
  await seed.stop();
});
