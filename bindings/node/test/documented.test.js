'use strict';
// The Node library's documented examples (/usage, /getting-started and /reference pages, and
// the drivers page), as written there but for the package name: 'bucketdb' for 'bucket-db'
// and '@sullux/bucketdb'. Only the S3 credentials of the configuration page are swapped for a
// MemoryDriver, the test having no S3 (tests/s3 runs S3 itself).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

test('configuration page: the whole options object', async () => {
  const { BucketDb } = require('bucketdb');
  const { MemoryDriver } = require('bucketdb/lib/storage');

  const db = BucketDb({
    // REQUIRED
    dbPrefix: process.env.DB_PREFIX || 'prod',
    nodeId: parseInt(process.env.NODE_ID || '0', 10),

    // OPTIONAL (the page: an S3Driver with credentials)
    driver: MemoryDriver(),

    // ADVANCED TUNING
    writeForwardInterval: 5000,
    blockSizeBytes: 65536,
    readStalenessMs: 1000,
    logLevel: 'info',
    logger: null,
    maxMemoryBytes: 104857600,
    cacheDriver: null,
    cacheBlockSize: 65536,

    // INTERNAL PATHS
    dataPrefix: 'data',
    committedPrefix: 'committed',
    blobPrefix: 'blobs',
    indexPrefix: 'indexes',
  });
  await db.start();
  assert.equal(db.closed, false);
  await db.stop();
  assert.equal(db.closed, true);
});

test('configuration page: S3Driver with credentials names its bucket and region', () => {
  const { S3Driver } = require('bucketdb/lib/storage');
  const driver = S3Driver({
    bucket: 'my-bucket',
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  assert.equal(driver.uri, 's3://my-bucket?region=us-east-1');
});

test('schema, batching and querying pages', async () => {
  const { BucketDb } = require('bucketdb');
  const { MemoryDriver } = require('bucketdb/drivers');
  const db = BucketDb({ dbPrefix: 'tenant_1', nodeId: 0, driver: MemoryDriver() });

  db.registerSchema({
    name: 'users',
    version: 1,
    fields: {
      id: { typeId: 10, maxLength: 36 }, // varchar
      name: { typeId: 10, maxLength: 50 }, // varchar
      active: { typeId: 6 }, // boolean
      age: { typeId: 1 }, // uint8
      role: { typeId: 10, maxLength: 20 },
    },
    primaryKey: 'id',
    indexes: ['name'],
  });

  // 1. Create a new batch workspace
  const batch = db.batch();

  // 2. Perform synchronous operations
  batch.insert('users', { id: 'u_1', name: 'Alice', age: 30 });
  batch.update('users', { id: 'u_2', name: 'Bob', age: 31 });
  batch.delete('users', 'u_3');

  // 3. Flush to storage (The only async step)
  await batch.flush();

  const admins = db.batch();
  admins.insert('users', { id: 'u_4', name: 'Carol', age: 40, role: 'admin', active: true });
  await admins.flush();

  const results = await db.query('users').where('role', '=', 'admin').limit(50).execute();
  assert.deepEqual(results, [{ id: 'u_4', name: 'Carol', age: 40, role: 'admin', active: true }]);

  assert.deepEqual(await db.query('users').where('age', '>', 30).execute(), [
    { id: 'u_2', name: 'Bob', age: 31 },
    { id: 'u_4', name: 'Carol', age: 40, role: 'admin', active: true },
  ]);
  const names = (rows) => rows.map((r) => r.name);
  assert.deepEqual(names(await db.query('users').eq('name', 'Alice').execute()), ['Alice']);
  assert.deepEqual(names(await db.query('users').ne('name', 'Alice').execute()), ['Bob', 'Carol']);
  assert.deepEqual(names(await db.query('users').gt('age', 30).execute()), ['Bob', 'Carol']);
  assert.deepEqual(names(await db.query('users').gte('age', 31).execute()), ['Bob', 'Carol']);
  assert.deepEqual(names(await db.query('users').lt('age', 31).execute()), ['Alice']);
  assert.deepEqual(names(await db.query('users').lte('age', 31).execute()), ['Alice', 'Bob']);
  assert.deepEqual(names(await db.query('users').in('name', ['Alice', 'Carol']).execute()), ['Alice', 'Carol']);
  assert.deepEqual(names(await db.query('users').where('name', 'IN', ['Bob']).execute()), ['Bob']);
  await db.stop();
});

test('migrations page: version 2 beside version 1', async () => {
  const { BucketDb, MemoryDriver } = require('bucketdb');
  const db = BucketDb({ dbPrefix: 'prod', nodeId: 0, driver: MemoryDriver() });
  db.registerSchema({
    name: 'users',
    version: 1,
    fields: { id: { typeId: 10, maxLength: 36 }, email: { typeId: 10, maxLength: 255 } },
    primaryKey: 'id',
  });
  await db.insert('users', { id: 'u_1', email: 'a@example.com' });
  db.registerSchema({
    name: 'users',
    version: 2,
    fields: {
      id: { typeId: 10, maxLength: 36 },
      email: { typeId: 10, maxLength: 255 },
      age: { typeId: 1 },
    },
    primaryKey: 'id',
  });
  const batch = db.batch();
  batch.insert('users', { id: 'u_2', email: 'b@example.com', age: 20 });
  await batch.flush();
  // Dual-schema readers: a V1 row has no age.
  assert.deepEqual(await db.get('users', 'u_1'), { id: 'u_1', email: 'a@example.com' });
  assert.deepEqual(await db.get('users', 'u_2'), { id: 'u_2', email: 'b@example.com', age: 20 });
  await db.stop();
});

test('blobs page: db.Blob(buffer) in a blob field', async () => {
  const { BucketDb, MemoryDriver } = require('bucketdb');
  const db = BucketDb({ dbPrefix: 'prod', nodeId: 0, driver: MemoryDriver() });
  db.registerSchema({
    name: 'avatars',
    version: 1,
    fields: { id: { typeId: 10, maxLength: 36 }, image: { typeId: 11 } },
    primaryKey: 'id',
  });
  const buffer = Buffer.from('\x89PNG not really', 'latin1');
  const batch = db.batch();
  batch.insert('avatars', { id: 'u_1', image: db.Blob(buffer) });
  await batch.flush();
  const [row] = await db.query('avatars').execute();
  assert.match(row.image, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(await db.readBlob(row.image), buffer);
  await db.stop();
});

test('drivers page: MemoryDriver and FileDriver with createDatabase', async () => {
  const { createDatabase } = require('bucketdb');
  const cwd = process.cwd();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bdb-node-'));
  process.chdir(scratch);
  try {
    {
      const { MemoryDriver } = require('bucketdb/drivers');

      const driver = MemoryDriver();

      const db = await createDatabase({
        driver,
        dbPrefix: 'test-db',
        nodeId: 0,
        ringSize: 1,
      });
      await db.stop();
    }
    {
      const { FileDriver } = require('bucketdb/drivers');
      const path = require('node:path'); // eslint-disable-line no-shadow

      const driver = FileDriver({
        baseDir: path.join(process.cwd(), '.local-db'),
      });

      const db = await createDatabase({
        driver,
        dbPrefix: 'dev-db',
        nodeId: 0,
        ringSize: 1,
      });
      await db.registerSchema({ name: 'notes', version: 1, primaryKey: 'id', fields: { id: { typeId: 3 } } });
      await db.insert('notes', { id: 1 });
      await db.stop();
      assert.ok(fs.existsSync(path.join(scratch, '.local-db', 'dev-db', 'block0')) ||
        fs.readdirSync(path.join(scratch, '.local-db', 'dev-db')).length > 0);
      // Data persists across restarts.
      const again = await createDatabase({ driver, dbPrefix: 'dev-db', nodeId: 0, ringSize: 1 });
      assert.deepEqual(await again.get('notes', 1), { id: 1 });
      await again.stop();
    }
  } finally {
    process.chdir(cwd);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('BUCKETDB_S3_BUCKET selects S3 when no driver is given', async () => {
  const { BucketDb, BadUriError } = require('bucketdb');
  const saved = process.env.BUCKETDB_S3_BUCKET;
  delete process.env.BUCKETDB_S3_BUCKET;
  try {
    await assert.rejects(BucketDb({ dbPrefix: 'x' }).start(), (e) => e instanceof BadUriError &&
      /BUCKETDB_S3_BUCKET/.test(e.message));
  } finally {
    if (saved !== undefined) process.env.BUCKETDB_S3_BUCKET = saved;
  }
});
