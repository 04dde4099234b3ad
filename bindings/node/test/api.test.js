'use strict';
// Every call beyond the Node library's documented API: what else bucketdb.h offers.
const test = require('node:test');
const assert = require('node:assert/strict');
const bucketdb = require('bucketdb');
const { USERS, openDb } = require('./helpers');

const { ConflictError, AlreadyExistsError, NotFoundError } = bucketdb;

async function withUsers(fn) {
  const db = await openDb();
  try {
    const b = db.batch();
    for (let i = 0; i < 30; i++)
      b.insert('users', { id: `u${String(i).padStart(2, '0')}`, name: `name${i % 5}`, age: 20 + i, active: i % 2 === 0 });
    await b.flush();
    await fn(db);
  } finally {
    await db.stop();
  }
}

test('version and ABI', () => {
  assert.match(bucketdb.version, /^\d+\.\d+\.\d+/);
  assert.equal(bucketdb.abiVersion, 1);
  assert.equal(bucketdb.Types.varchar, 10);
});

test('get, getRecord, getJson, patch, delete, and the sequence numbers of commits', async () => {
  const db = await openDb();
  const s1 = await db.insert('users', { id: 'u1', name: 'Alice', age: 30 });
  assert.equal(typeof s1, 'number');
  assert.deepEqual(await db.get('users', 'u1'), { id: 'u1', name: 'Alice', age: 30 });
  assert.equal(await db.get('users', 'nobody'), null);
  assert.equal(await db.getJson('users', 'u1'), '{"id":"u1","name":"Alice","age":30}');
  const rec = await db.getRecord('users', 'u1');
  assert.deepEqual(rec.row, { id: 'u1', name: 'Alice', age: 30 });
  assert.equal(rec.version, s1);
  assert.ok(rec.misc > Date.now() - 60000 && rec.misc <= Date.now() + 1000);
  const s2 = await db.patch('users', { id: 'u1', active: true });
  assert.ok(s2 > s1);
  assert.deepEqual(await db.get('users', 'u1'), { id: 'u1', name: 'Alice', age: 30, active: true });
  await db.update('users', { id: 'u1', name: 'Alicia' }); // a whole row: the rest is null
  assert.deepEqual(await db.get('users', 'u1'), { id: 'u1', name: 'Alicia' });
  await assert.rejects(db.insert('users', { id: 'u1' }), AlreadyExistsError);
  await assert.rejects(db.patch('users', { id: 'ghost', age: 3 }), NotFoundError);
  await db.delete('users', 'u1');
  assert.equal(await db.get('users', 'u1'), null);
  await db.stop();
});

test('expectVersion: compare-and-set across a read and a write', async () => {
  const db = await openDb();
  await db.insert('users', { id: 'c', age: 1 });
  const rec = await db.getRecord('users', 'c');
  await db.batch().update('users', { id: 'c', age: 2 }).expectVersion(rec.version).flush();
  // The same stale version again: the row moved on.
  const stale = db.batch().update('users', { id: 'c', age: 3 }).expectVersion(rec.version);
  await assert.rejects(stale.flush(), ConflictError);
  assert.equal(stale.size, 1, 'a failed flush keeps its operations');
  stale.clear();
  assert.equal(stale.size, 0);
  // 0: the row must not exist.
  await assert.rejects(db.batch().insert('users', { id: 'c2' }).expectVersion(1).flush(), ConflictError);
  await db.batch().insert('users', { id: 'c2' }).expectVersion(0).flush();
  assert.equal((await db.get('users', 'c')).age, 2);
  assert.throws(() => db.batch().expectVersion(1), /stage one first/);
  await db.stop();
});

test('a batch is atomic: one bad operation and nothing of it is written', async () => {
  const db = await openDb();
  await db.insert('users', { id: 'taken' });
  const b = db.batch().insert('users', { id: 'new1' }).insert('users', { id: 'taken' });
  assert.equal(b.length, 2);
  await assert.rejects(b.flush(), AlreadyExistsError);
  assert.equal(await db.get('users', 'new1'), null);
  await db.stop();
});

test('order, offset, limit, select, count, explain', () =>
  withUsers(async (db) => {
    const q = () => db.query('users');
    const ids = (rows) => rows.map((r) => r.id);
    assert.deepEqual(ids(await q().orderBy('age', 'desc').limit(3).execute()), ['u29', 'u28', 'u27']);
    assert.deepEqual(ids(await q().orderBy('age').offset(2).limit(2).execute()), ['u02', 'u03']);
    assert.deepEqual(await q().select('age').limit(1).execute(), [{ id: 'u00', age: 20 }]);
    assert.deepEqual(await q().select(['name', 'age']).limit(1).execute(), [{ id: 'u00', name: 'name0', age: 20 }]);
    assert.equal(await q().count(), 30);
    assert.equal(await q().where('age', '>=', 40).count(), 10);
    assert.equal(await q().where('name', '=', 'name1').limit(2).count(), 2);
    assert.match(await q().where('name', '=', 'name1').explain(), /scan of users/); // not merged yet
    await db.merge();
    assert.match(await q().where('name', '=', 'name1').explain(), /index on users\.name/);
    assert.match(await q().where('id', '=', 'u01').explain(), /primary/);
    assert.equal(await q().where('active', '=', true).count(), 15);
    assert.equal(await q().isNull('active').count(), 0);
    assert.equal(await q().notNull('active').count(), 30);
    assert.deepEqual(ids(await q().prefix('id', 'u1').limit(3).execute()), ['u10', 'u11', 'u12']);
  }));

test('or: groups of conditions', () =>
  withUsers(async (db) => {
    const rows = await db.query('users').where('age', '<', 22).or().where('name', '=', 'name4').where('age', '>', 40).execute();
    assert.deepEqual(rows.map((r) => r.id), ['u00', 'u01', 'u24', 'u29']);
  }));

test('async iteration, break, records and a JavaScript filter', () =>
  withUsers(async (db) => {
    const seen = [];
    for await (const row of db.query('users').where('age', '>=', 18)) {
      seen.push(row.id);
      if (seen.length === 5) break;
    }
    assert.deepEqual(seen, ['u00', 'u01', 'u02', 'u03', 'u04']);
    let n = 0;
    for await (const r of db.query('users').limit(100)) n += r.age >= 20 ? 1 : 0;
    assert.equal(n, 30);
    const recs = await db.query('users').limit(2).records().toArray();
    assert.equal(recs.length, 2);
    assert.equal(recs[0].row.id, 'u00');
    assert.ok(recs[0].version >= 1);
    const odd = await db.query('users').filter((r) => Number(r.id.slice(1)) % 2 === 1).offset(1).limit(3).execute();
    assert.deepEqual(odd.map((r) => r.id), ['u03', 'u05', 'u07']);
    assert.equal(await db.query('users').filter((r) => r.age > 45).count(), 4);
  }));

test('keyset pages: page() and a cursor stopped midway', () =>
  withUsers(async (db) => {
    const pages = [];
    let token = null;
    do {
      const page = await db.query('users').orderBy('age', 'desc').after(token).limit(7).page();
      pages.push(page.rows.map((r) => r.age));
      token = page.rows.length ? page.pageToken : null;
    } while (token);
    assert.deepEqual(pages.flat(), Array.from({ length: 30 }, (_, i) => 49 - i));
    assert.equal(pages.length, 6); // 7+7+7+7+2, then an empty page
    // A cursor read part way: the token is where the rows handed out end.
    const c = db.query('users').orderBy('age').cursor();
    for (let i = 0; i < 4; i++) await c.next();
    const t = c.pageToken();
    await c.return();
    const rest = await db.query('users').orderBy('age').after(t).limit(2).execute();
    assert.deepEqual(rest.map((r) => r.id), ['u04', 'u05']);
    await assert.rejects(db.query('users').after('not a token').execute(), bucketdb.InvalidArgumentError);
  }));

test('history: asOf a commit, asOfTime a moment', async () => {
  const db = await openDb();
  const s1 = await db.insert('users', { id: 'h', age: 1 });
  await new Promise((r) => setTimeout(r, 5));
  const between = new Date();
  await new Promise((r) => setTimeout(r, 5));
  await db.update('users', { id: 'h', age: 2 });
  assert.deepEqual(await db.query('users').asOf(s1).execute(), [{ id: 'h', age: 1 }]);
  assert.deepEqual(await db.query('users').asOfTime(between).execute(), [{ id: 'h', age: 1 }]);
  assert.deepEqual(await db.query('users').execute(), [{ id: 'h', age: 2 }]);
  await db.stop();
});

test('schemas, stats, inspect, refresh, merge, gc', async () => {
  const db = await openDb({ autoMerge: false });
  await db.insert('users', { id: 'm1', name: 'x' });
  const schemas = await db.schemas();
  assert.equal(schemas.find((s) => s.name === 'users').primaryKey, 'id');
  assert.equal(typeof (await db.stats()), 'object');
  assert.ok(Array.isArray((await db.inspect('log')).entries) || typeof (await db.inspect('log')) === 'object');
  await db.refresh();
  assert.ok((await db.merge()) >= 1);
  assert.ok((await db.inspect('block0')).appliedSeq >= 1);
  assert.equal(typeof (await db.gc()), 'number');
  assert.deepEqual(await db.get('users', 'm1'), { id: 'm1', name: 'x' });
  await db.stop();
});

test('driverCheck runs the conformance checks on a built-in driver', async () => {
  const report = await bucketdb.driverCheck(bucketdb.MemoryDriver());
  assert.equal(report.failed, 0, JSON.stringify(report.checks.filter((c) => c.result === 'fail')));
  assert.ok(report.passed > 10);
  assert.ok(report.capabilities.includes('conditional_put'));
});

test('stop and start again; two databases on one MemoryDriver share it', async () => {
  const driver = bucketdb.MemoryDriver();
  const a = bucketdb.BucketDb({ driver, readStalenessMs: 0 });
  a.registerSchema(USERS);
  await a.insert('users', { id: 'shared' });
  const b = await bucketdb.createDatabase({ driver, nodeId: 1, ringSize: 2, readStalenessMs: 0 });
  assert.deepEqual(await b.get('users', 'shared'), { id: 'shared' });
  await b.stop();
  await a.stop();
  await a.stop();
  await a.start();
  assert.deepEqual(await a.get('users', 'shared'), { id: 'shared' });
  await a.close();
});

test('drivers: URIs of the layers, and databases on them', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { FileDriver, TieredDriver, CompressDriver, CryptDriver, CacheDriver, S3Driver, Driver } = bucketdb;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-drv-'));
  try {
    const slow = FileDriver(path.join(dir, 'slow'));
    const fast = FileDriver({ baseDir: path.join(dir, 'fast') });
    assert.equal(slow.uri, `file:${dir}/slow`);
    const tiered = TieredDriver({ slow, fast, mirror: false });
    assert.equal(tiered.uri, `tiered:file:${dir}/slow?tiered.mirror=0&tiered.fast=${encodeURIComponent(`file:${dir}/fast`)}`);
    assert.equal(CompressDriver(S3Driver({ bucket: 'b', region: 'x' }), { level: 5 }).uri, 'compress:s3://b?region=x&compress.level=5');
    assert.equal(CryptDriver('memory:', { keyId: 'k1' }).uri, 'crypt:memory:?crypt.key_id=k1');
    assert.equal(CacheDriver(slow, { dir: '/c', maxBytes: '1G' }).uri, `cache:file:${dir}/slow?cache.dir=%2Fc&cache.max_bytes=1G`);
    assert.throws(() => FileDriver('a?b'), /must not contain '\?'/);
    for (const driver of [tiered, CompressDriver(bucketdb.MemoryDriver()), Driver(`file:${dir}/plain`)]) {
      const db = bucketdb.BucketDb({ driver });
      db.registerSchema(USERS);
      await db.insert('users', { id: 'on', name: driver.uri.slice(0, 8) });
      assert.deepEqual(await db.get('users', 'on'), { id: 'on', name: driver.uri.slice(0, 8) });
      await db.stop();
    }
    // Block 0 and the log went to the fast store only (mirror off).
    assert.ok(fs.existsSync(path.join(dir, 'fast', 'main', 'committed')));
    assert.ok(!fs.existsSync(path.join(dir, 'slow', 'main', 'committed')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('S3Driver({ s3Client, bucket }) takes region, endpoint and credentials from the client', async () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  // The AWS SDK v3 S3Client's config shape: providers are async functions.
  const s3Client = {
    config: {
      region: async () => 'eu-west-1',
      isCustomEndpoint: true,
      endpoint: async () => ({ protocol: 'http:', hostname: '127.0.0.1', port: 9, path: '/' }),
      forcePathStyle: true,
      credentials: async () => ({ accessKeyId: 'AKIDNODETEST', secretAccessKey: 'secret' }),
    },
  };
  try {
    const db = bucketdb.BucketDb({ driver: bucketdb.S3Driver({ s3Client, bucket: 'bkt', retries: 0, connectTimeoutMs: 500 }) });
    await assert.rejects(db.start(), (e) => e instanceof bucketdb.BucketDbError && /127\.0\.0\.1:9/.test(e.message));
    assert.equal(process.env.AWS_ACCESS_KEY_ID, 'AKIDNODETEST');
    await db.stop();
  } finally {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  }
});
