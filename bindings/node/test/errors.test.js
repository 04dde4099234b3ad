'use strict';
// Bad input from JavaScript is a thrown BucketDbError naming table and field (never a crash, a
// silent conversion or a lost row), and a closed database says so.
const test = require('node:test');
const assert = require('node:assert/strict');
const bucketdb = require('bucketdb');
const { ALL, USERS, openDb } = require('./helpers');

const { BucketDbError, TypeMismatchError, SchemaError, InvalidArgumentError, NotFoundError } = bucketdb;

function throwsType(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeMismatchError, `${e.name}: ${e.message}`);
    assert.ok(e instanceof BucketDbError && e instanceof Error);
    assert.equal(e.code, 'BDB_E_TYPE');
    assert.equal(e.status, 4);
    assert.equal(e.name, 'TypeMismatchError');
    assert.match(e.message, pattern);
    return true;
  });
}

test('wrong types for each field name the table and the field', async () => {
  const db = await openDb({}, ALL, USERS);
  const b = db.batch();
  throwsType(() => b.insert('all', { id: 1, u8: 3.5 }), /^table all, field 'u8' \(uint8\): 3\.5 is not an integer$/);
  throwsType(() => b.insert('all', { id: 1, u8: '30' }), /table all, field 'u8' \(uint8\): expected an integer .*got the string "30"/);
  throwsType(() => b.insert('all', { id: 1, u8: 256 }), /all.*'u8'/);
  throwsType(() => b.insert('all', { id: 1, u32: -1 }), /all.*'u32'/);
  throwsType(() => b.insert('all', { id: 1, i64: 2 ** 60 }), /field 'i64'.*beyond 2\^53.*BigInt/);
  throwsType(() => b.insert('all', { id: 1, u64: 2n ** 64n }), /field 'u64'.*out of range/);
  throwsType(() => b.insert('all', { id: 1, i8: 128n }), /field 'i8'/);
  throwsType(() => b.insert('all', { id: 1, b: 1 }), /field 'b' \(boolean\): expected true or false, got 1/);
  throwsType(() => b.insert('all', { id: 1, f64: '1.5' }), /field 'f64' \(float64\): expected a number/);
  throwsType(() => b.insert('all', { id: 1, s: 42 }), /field 's' \(varchar\): expected a string, got 42/);
  throwsType(() => b.insert('all', { id: 1, s: 'x'.repeat(21) }), /field 's'/);
  throwsType(() => b.insert('all', { id: 1, raw: 'not bytes' }), /field 'raw' \(bytes\): expected a Buffer or Uint8Array, got the string/);
  throwsType(() => b.insert('all', { id: 1, raw: [1, 2] }), /field 'raw'.*got an array/);
  throwsType(() => b.insert('all', { id: 1, raw: new Uint16Array(2) }), /field 'raw'/);
  throwsType(() => b.insert('all', { id: 1, ts: 'yesterday' }), /field 'ts' \(timestamp\)/);
  throwsType(() => b.insert('all', { id: 1, ts: new Date('nonsense') }), /field 'ts'.*invalid Date/);
  throwsType(() => b.insert('all', { id: 1, blob: 12 }), /field 'blob' \(blob\)/);
  throwsType(() => b.insert('all', { id: 1, js: new Map() }), /field 'js' \(json\): a Map has no JSON form/);
  throwsType(() => b.insert('all', { id: 1, js: NaN }), /field 'js'/);
  const cyclic = {};
  cyclic.self = cyclic;
  throwsType(() => b.insert('all', { id: 1, js: cyclic }), /field 'js'.*contains itself/);
  throwsType(() => b.insert('all', { id: 1.5 }), /field 'id'/);
  assert.throws(() => b.insert('all', { id: 1, nope: 1 }), (e) => e instanceof SchemaError && /nope/.test(e.message) && /all/.test(e.message));
  assert.throws(() => b.insert('all', 'not a row'), InvalidArgumentError);
  assert.throws(() => b.insert('all', null), InvalidArgumentError);
  assert.throws(() => b.insert(42, {}), InvalidArgumentError);
  assert.throws(() => b.delete('users'), /primary key is missing/);
  assert.equal(b.size, 0, 'nothing half-staged');
  await assert.rejects(b.insert('users', {}).flush(), (e) => e instanceof BucketDbError && /users/.test(e.message) && /id/.test(e.message));
  await db.stop();
});

test('unknown tables, fields and operators; bad schemas and options', async () => {
  const db = await openDb();
  await assert.rejects(db.get('nosuch', 1), SchemaError);
  await assert.rejects(db.query('nosuch').execute(), SchemaError);
  await assert.rejects(db.batch().insert('nosuch', { id: 1 }).flush(), (e) => e instanceof SchemaError && /nosuch/.test(e.message));
  await assert.rejects(db.query('users').where('nope', '=', 1).execute(), (e) => e instanceof SchemaError && /nope/.test(e.message));
  await assert.rejects(db.query('users').where('age', '=', 'old').execute(), (e) => e instanceof BucketDbError && /age/.test(e.message));
  assert.throws(() => db.query('users').where('age', '~', 1), (e) => e instanceof InvalidArgumentError && /unknown operator ~/.test(e.message));
  assert.throws(() => db.query('users').where('age', 'in', 3), /takes an array/);
  assert.throws(() => db.query('users').limit(-1), /limit must be a non-negative integer/);
  assert.throws(() => db.query('users').orderBy('age', 'sideways'), /'asc' or 'desc'/);
  await assert.rejects(db.registerSchema({ name: 'bad', version: 1, fields: {}, primaryKey: 'id' }), SchemaError);
  assert.throws(() => db.registerSchema('{not json'), bucketdb.JsonError);
  assert.throws(() => db.registerSchema(42), InvalidArgumentError);
  await assert.rejects(db.get('users'), /primary key is missing/);
  await db.stop();
  assert.throws(() => bucketdb.BucketDb({ logger: {} }), /logger.*lacks \.debug/);
  assert.throws(() => bucketdb.BucketDb({ nodeId: {} }), /option nodeId/);
  await assert.rejects(bucketdb.BucketDb({ driver: bucketdb.MemoryDriver(), nodeId: 300 }).start(), (e) => e instanceof InvalidArgumentError && /nodeId/.test(e.message));
  await assert.rejects(bucketdb.BucketDb({ driver: bucketdb.MemoryDriver(), noSuchOption: 1 }).start(), /noSuchOption/);
  await assert.rejects(bucketdb.BucketDb({ driver: 'nosuchscheme:x' }).start(), bucketdb.BadUriError);
  assert.throws(() => bucketdb.S3Driver({ bucket: 'b', regoin: 'x' }), /unknown option 'regoin'/);
  assert.throws(() => bucketdb.Driver('no uri'), bucketdb.BadUriError);
});

test('a schema registration no one awaits is reported, and start() fails with it', async () => {
  const warnings = [];
  const logger = { debug() {}, info() {}, warn() {}, error: (m) => warnings.push(m) };
  const db = bucketdb.BucketDb({ driver: bucketdb.MemoryDriver(), logger });
  db.registerSchema({ name: 'bad', version: 1, fields: { id: { typeId: 99 } }, primaryKey: 'id' });
  await assert.rejects(db.start(), SchemaError);
  assert.match(warnings.join('\n'), /registerSchema\(bad\) failed/);
  await db.stop();
});

test('a closed database: every call fails with InvalidArgumentError, rows read stay usable', async () => {
  const db = await openDb();
  await db.insert('users', { id: 'x', name: 'kept' });
  const many = db.batch();
  for (let i = 0; i < 40; i++) many.insert('users', { id: `m${i}` });
  await many.flush();
  const row = await db.get('users', 'x');
  const b = db.batch().insert('users', { id: 'y' });
  const cursor = db.query('users').cursor();
  await cursor.next(); // its first chunk read, the rest still in the library
  const inflight = db.get('users', 'x');
  await db.stop();
  assert.deepEqual(await inflight, { id: 'x', name: 'kept' }, 'a call in flight finishes before the close');
  assert.equal(db.closed, true);
  assert.deepEqual(row, { id: 'x', name: 'kept' });
  const closed = (e) => e instanceof InvalidArgumentError && /closed/.test(e.message);
  await assert.rejects(db.get('users', 'x'), closed);
  await assert.rejects(db.query('users').execute(), closed);
  await assert.rejects(db.insert('users', { id: 'z' }), closed);
  await assert.rejects(b.flush(), closed);
  // The rows it had read come out; then it needs the library, and fails.
  await assert.rejects(async () => {
    for (;;) if ((await cursor.next()).done) break;
  }, closed);
  assert.throws(() => db.batch(), closed);
  assert.throws(() => b.insert('users', { id: 'w' }), closed);
  await db.stop(); // twice: harmless
});

test('NotFoundError and the rest are exported with their codes', () => {
  assert.equal(NotFoundError.code, 'BDB_E_NOT_FOUND');
  const e = new NotFoundError('gone');
  assert.equal(e.code, 'BDB_E_NOT_FOUND');
  assert.equal(e.status, 1);
  assert.equal(e.name, 'NotFoundError');
  assert.equal(bucketdb.ConflictError.code, 'BDB_E_CONFLICT');
  assert.equal(bucketdb.InternalError.status, 15);
  assert.equal(bucketdb.InterruptedError.status, 16);
});
