'use strict';
// Drivers written in JavaScript (lib/js_driver.js): a Map-backed one with ETags and
// conditional writes passes the driver conformance checks, serves a database, and a slow one
// leaves the event loop free; none deadlocks the engine's threads against the main thread,
// whether a database stops, a worker thread ends or the process exits while calls wait.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const bucketdb = require('bucketdb');
const { USERS } = require('./helpers');

const { BucketDb, driverCheck } = bucketdb;

// The Node library's Map-backed driver, with ETags and conditional writes; each call can wait.
function MapDriver({ delayMs = 0 } = {}) {
  const m = new Map();
  let n = 0;
  const err = (name) => Object.assign(new Error(name), { name });
  const wait = () => (delayMs ? new Promise((r) => setTimeout(r, delayMs)) : null);
  const bare = (t) => t.replace(/^W\//, '').replace(/"/g, '');
  return {
    capabilities: { conditionalPut: true, strongList: true },
    async get(key) {
      await wait();
      const v = m.get(key);
      if (!v) throw err('NoSuchKey');
      return { buffer: v.buf, eTag: v.etag };
    },
    async put(key, buffer, o = {}) {
      await wait();
      const cur = m.get(key);
      if (o.ifNoneMatch && cur) throw err('PreconditionFailed');
      if (o.ifMatch && (!cur || bare(cur.etag) !== bare(o.ifMatch))) throw err('PreconditionFailed');
      const etag = `"${++n}"`;
      m.set(key, { buf: Buffer.from(buffer), etag });
      return { eTag: etag };
    },
    async delete(key) {
      await wait();
      m.delete(key);
    },
    async list(prefix, o = {}) {
      await wait();
      const keys = [...m.keys()].filter((k) => k.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const from = o.continuationToken ? keys.findIndex((k) => Buffer.compare(Buffer.from(k), Buffer.from(o.continuationToken)) > 0) : 0;
      const page = from < 0 ? [] : keys.slice(from, from + 7);
      const more = from >= 0 && from + 7 < keys.length;
      return { keys: page, IsTruncated: more, NextContinuationToken: more ? page[page.length - 1] : undefined };
    },
    store: m,
  };
}

test('a JavaScript driver passes the conformance checks', async () => {
  const report = await driverCheck(MapDriver());
  assert.equal(report.failed, 0, JSON.stringify(report.checks.filter((c) => c.result === 'fail')));
  assert.ok(report.passed >= 20);
});

test('a database on a JavaScript driver, and the shared volume pattern wrapping two', async () => {
  const s3 = MapDriver();
  const volume = MapDriver();
  const hot = (key) => /(^|\/)(block0|committed\/)/.test(key);
  // The consistency page's wrapper: Block 0 and the log on the shared volume, the rest on S3.
  const shared = {
    capabilities: { conditionalPut: true },
    get: (k) => (hot(k) ? volume : s3).get(k),
    put: (k, b, o) => (hot(k) ? volume : s3).put(k, b, o),
    delete: (k) => (hot(k) ? volume : s3).delete(k),
    list: async (p, o) => (hot(p) ? volume : s3).list(p, o),
  };
  const db = BucketDb({ driver: shared, readStalenessMs: 0 });
  db.registerSchema(USERS);
  await db.insert('users', { id: 'u1', name: 'Alice' });
  await db.merge();
  assert.deepEqual(await db.get('users', 'u1'), { id: 'u1', name: 'Alice' });
  await db.stop();
  assert.ok([...volume.store.keys()].some((k) => k.endsWith('block0')));
  assert.ok([...s3.store.keys()].some((k) => k.includes('/data/')));
  assert.ok(![...s3.store.keys()].some((k) => hot(k)));
});

test('the event loop stays free while a JavaScript driver call is slow', async () => {
  const db = BucketDb({ driver: MapDriver({ delayMs: 200 }), readStalenessMs: 0 });
  db.registerSchema(USERS);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const t0 = Date.now();
  await db.insert('users', { id: 'slow' });
  assert.deepEqual(await db.get('users', 'slow'), { id: 'slow' });
  clearInterval(timer);
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 400 && ticks >= elapsed / 40, `${ticks} ticks in ${elapsed} ms`);
  await db.stop();
});

test('a failing JavaScript driver is a StorageError naming the call; a bad answer too', async () => {
  const broken = { ...MapDriver(), get: async () => { throw new Error('disk on fire'); } };
  const db = BucketDb({ driver: broken, logLevel: 'silent' });
  await assert.rejects(db.start(), (e) => e instanceof bucketdb.StorageError && /disk on fire/.test(e.message) && /get /.test(e.message));
  const liar = { ...MapDriver(), get: async () => ({ buffer: 42 }) };
  await assert.rejects(BucketDb({ driver: liar, logLevel: 'silent' }).start(), (e) => /without a Uint8Array/.test(e.message));
  // A driver that does not claim conditional writes gets none, and the engine says so.
  const lines = [];
  const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error() {} };
  const plain = MapDriver();
  delete plain.capabilities;
  const db2 = BucketDb({ driver: plain, logger });
  db2.registerSchema(USERS);
  await db2.insert('users', { id: 'a' });
  await db2.stop();
  assert.ok(lines.some((m) => /no conditional writes/.test(m)), JSON.stringify(lines));
});

test('stop() while many calls wait on a slow JavaScript driver: no deadlock', async () => {
  const driver = MapDriver();
  const db = BucketDb({ driver, readStalenessMs: 0, blockSizeBytes: 512, autoMerge: false });
  db.registerSchema(USERS);
  const b = db.batch();
  for (let i = 0; i < 400; i++) b.insert('users', { id: `u${String(i).padStart(3, '0')}`, name: `n${i}` });
  await b.flush();
  await db.merge(); // many small blocks: a scan reads ahead on the engine's I/O pool
  await db.stop();

  const slow = { ...MapDriver(), get: async (k) => { await new Promise((r) => setTimeout(r, 30)); return driver.get(k); } };
  for (const m of ['put', 'delete', 'list']) slow[m] = driver[m];
  const db2 = BucketDb({ driver: slow, readStalenessMs: 0, maxRequestsInFlight: 16 });
  await db2.start();
  const cursor = db2.query('users').cursor();
  await cursor.next(); // read-ahead in flight, the cursor left open
  const calls = Array.from({ length: 20 }, (_, i) => db2.get('users', `u${String(i * 7).padStart(3, '0')}`));
  const stopped = db2.stop();
  const settled = await Promise.allSettled(calls);
  await stopped;
  assert.ok(settled.every((r) => r.status === 'fulfilled' || r.reason instanceof bucketdb.InvalidArgumentError));
  assert.equal(db2.closed, true);
});

// A process (or worker) that ends while the engine's threads wait on its JavaScript driver:
// the teardown fails those calls instead of waiting for JavaScript that will never run again.
const EXIT_SCRIPT = (what) => `
  const { BucketDb, driverCheck } = require('bucketdb');
  const m = new Map();
  let n = 0;
  const nap = () => new Promise((r) => setTimeout(r, 200));
  const err = (name) => Object.assign(new Error(name), { name });
  const driver = {
    capabilities: { conditionalPut: true },
    async get(k) { await nap(); const v = m.get(k); if (!v) throw err('NoSuchKey'); return { buffer: v.b, eTag: v.e }; },
    async put(k, b, o = {}) { await nap(); if (o.ifNoneMatch && m.has(k)) throw err('PreconditionFailed');
      if (o.ifMatch && (!m.has(k) || m.get(k).e !== o.ifMatch)) throw err('PreconditionFailed');
      const e = String(++n); m.set(k, { b: Buffer.from(b), e }); return { eTag: e }; },
    async delete(k) { m.delete(k); },
    async list(p) { return { keys: [...m.keys()].filter((k) => k.startsWith(p)).sort(), IsTruncated: false }; },
  };
  ${what === 'check' ? 'driverCheck(driver).catch(() => {});' : `
  const db = BucketDb({ driver, logLevel: 'silent' });
  db.registerSchema({ name: 't', version: 1, fields: { k: { typeId: 10 } }, primaryKey: 'k' });
  db.insert('t', { k: 'x' }).catch(() => {});`}
  setTimeout(() => ${what === 'worker' ? "require('node:worker_threads').parentPort.postMessage('bye')" : 'process.exit(3)'}, 300);
`;

for (const what of ['open', 'check']) {
  test(`the process exits while ${what === 'check' ? 'driverCheck' : 'an open and a commit'} waits on a JavaScript driver`, () => {
    const started = Date.now();
    const child = spawnSync(process.execPath, ['-e', EXIT_SCRIPT(what)], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
    assert.equal(child.status, 3, `status ${child.status} signal ${child.signal}: ${child.stderr}`);
    assert.ok(Date.now() - started < 30000);
  });
}

test('a worker thread is terminated while its database waits on its JavaScript driver', async () => {
  const worker = new Worker(EXIT_SCRIPT('worker'), { eval: true });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(await worker.terminate(), 1);
});
