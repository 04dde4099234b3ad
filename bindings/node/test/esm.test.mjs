// The package from ESM: the same objects as require() gives (index.mjs re-exports index.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import bucketdb, { BucketDb, MemoryDriver, NotFoundError, Types } from 'bucketdb';
import { FileDriver } from 'bucketdb/drivers';
import * as storage from 'bucketdb/lib/storage';

const require = createRequire(import.meta.url);

test('import and require give one module', async () => {
  const cjs = require('bucketdb');
  assert.equal(bucketdb, cjs);
  assert.equal(BucketDb, cjs.BucketDb);
  assert.equal(NotFoundError, cjs.NotFoundError);
  assert.equal(FileDriver, require('bucketdb/drivers').FileDriver);
  assert.equal(storage.MemoryDriver, cjs.MemoryDriver);
  const db = BucketDb({ driver: MemoryDriver() });
  db.registerSchema({ name: 't', version: 1, primaryKey: 'id', fields: { id: { typeId: Types.uint64 } } });
  await db.insert('t', { id: 7 });
  assert.deepEqual(await db.get('t', 7), { id: 7 });
  await db.stop();
});
