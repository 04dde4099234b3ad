'use strict';
// Opening and closing.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');

test('a process that ends with databases open closes them at exit, and collects them after', () => {
  // The teardown closes each through its hook, then finalizes what is left: a NativeDb
  // finalized after its hook ran must not touch the hook's argument again.
  const child = spawnSync(process.execPath, ['-e', `
    const { BucketDb, MemoryDriver } = require('bucketdb');
    globalThis.kept = [];
    (async () => {
      for (let i = 0; i < 2; i++) {
        const db = BucketDb({ driver: MemoryDriver() });
        db.registerSchema({ name: 't', version: 1, fields: { k: { typeId: 10 } }, primaryKey: 'k' });
        await db.insert('t', { k: 'x' });
        globalThis.kept.push(db, db.query('t').cursor());
      }
      console.log('open');
    })();`], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 'open');
});
