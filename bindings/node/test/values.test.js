'use strict';
// Values across the boundary: exact integers (Numbers while safe, BigInts beyond), Dates,
// Buffers, json fields with big integers, blobs, text beyond the BMP, floats.
const test = require('node:test');
const assert = require('node:assert/strict');
const { ALL, openDb } = require('./helpers');

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1

test('integers: every width at its limits, exact both ways', async () => {
  const db = await openDb({}, ALL);
  const rows = [
    { id: 1, u8: 255, u16: 65535, u32: 4294967295, u64: U64_MAX, i8: -128, i16: -32768, i32: -2147483648, i64: I64_MIN },
    { id: 2, u8: 0, u16: 0, u32: 0, u64: 0, i8: 127, i16: 32767, i32: 2147483647, i64: I64_MAX },
    { id: 3, u64: SAFE, i64: -SAFE },
    { id: 4, u64: BigInt(SAFE) + 1n, i64: -BigInt(SAFE) - 1n },
    { id: U64_MAX, u64: 12n, i64: 0n },
  ];
  const b = db.batch();
  for (const r of rows) b.insert('all', r);
  await b.flush();
  const got = await db.query('all').execute();
  assert.deepEqual(got, [
    { id: 1, u8: 255, u16: 65535, u32: 4294967295, u64: U64_MAX, i8: -128, i16: -32768, i32: -2147483648, i64: I64_MIN },
    { id: 2, u8: 0, u16: 0, u32: 0, u64: 0, i8: 127, i16: 32767, i32: 2147483647, i64: I64_MAX },
    { id: 3, u64: SAFE, i64: -SAFE }, // still safe: Numbers
    { id: 4, u64: 2n ** 53n, i64: -(2n ** 53n) }, // one past: BigInts
    { id: U64_MAX, u64: 12, i64: 0 }, // BigInts that fit come back as Numbers
  ]);
  assert.deepEqual(await db.get('all', U64_MAX), { id: U64_MAX, u64: 12, i64: 0 });
  assert.deepEqual(await db.get('all', 4n), { id: 4, u64: 2n ** 53n, i64: -(2n ** 53n) });
  assert.equal((await db.query('all').where('u64', '>', BigInt(SAFE)).execute()).length, 2);
  assert.deepEqual((await db.query('all').where('i64', '=', I64_MIN).execute()).map((r) => r.id), [1]);
  await db.stop();
});

test('json fields keep big integers exact, nesting and unicode', async () => {
  const db = await openDb({}, ALL);
  const js = { z: 1, a: [true, null, 'Zoë 😀'], big: U64_MAX, neg: I64_MIN, f: 1.5, nested: { deep: [{}] } };
  await db.insert('all', { id: 10, js });
  const { js: back } = await db.get('all', 10);
  assert.deepEqual(back, { z: 1, a: [true, null, 'Zoë 😀'], big: U64_MAX, neg: I64_MIN, f: 1.5, nested: { deep: [{}] } });
  await db.update('all', { id: 11, js: 'a string' });
  await db.update('all', { id: 12, js: [1, 2n ** 60n] });
  await db.update('all', { id: 13, js: { when: new Date(0) } }); // toJSON, as JSON.stringify does
  assert.equal((await db.get('all', 11)).js, 'a string');
  assert.deepEqual((await db.get('all', 12)).js, [1, 2n ** 60n]);
  assert.deepEqual((await db.get('all', 13)).js, { when: '1970-01-01T00:00:00.000Z' });
  await db.stop();
});

test('timestamps are Dates; bytes are Buffers; text beyond the BMP; floats', async () => {
  const db = await openDb({}, ALL);
  const ts = new Date('2026-11-25T18:00:00.123Z');
  await db.insert('all', { id: 20, ts, raw: Buffer.from([0, 1, 254, 255]), s: 'Ünïcödé ✓ 😀', f64: Math.PI, f32: 0.5, b: false });
  await db.insert('all', { id: 21, ts: -1, raw: new Uint8Array([7]), f64: NaN });
  await db.insert('all', { id: 22, ts: 1234567890123n, raw: new Uint8Array(0).buffer, f64: -Infinity });
  const r = await db.get('all', 20);
  assert.ok(r.ts instanceof Date);
  assert.equal(r.ts.getTime(), ts.getTime());
  assert.ok(Buffer.isBuffer(r.raw));
  assert.deepEqual([...r.raw], [0, 1, 254, 255]);
  assert.equal(r.s, 'Ünïcödé ✓ 😀');
  assert.equal(r.f64, Math.PI);
  assert.equal(r.f32, 0.5);
  assert.equal(r.b, false);
  const r21 = await db.get('all', 21);
  assert.equal(r21.ts.getTime(), -1);
  assert.deepEqual([...r21.raw], [7]);
  assert.ok(Number.isNaN(r21.f64));
  const r22 = await db.get('all', 22);
  assert.equal(r22.ts.getTime(), 1234567890123);
  assert.equal(r22.raw.length, 0);
  assert.equal(r22.f64, -Infinity);
  assert.deepEqual((await db.query('all').where('ts', '>', new Date(0)).execute()).map((x) => x.id), [20, 22]);
  assert.deepEqual((await db.query('all').where('raw', '=', Buffer.from([7])).execute()).map((x) => x.id), [21]);
  assert.equal((await db.query('all').where('s', 'prefix', 'Ünï').execute()).length, 1);
  await db.stop();
});

test('blobs: db.Blob, a Buffer, the id kept by a patch, readBlob', async () => {
  const db = await openDb({}, ALL);
  const big = Buffer.alloc(300000, 0xab);
  await db.insert('all', { id: 30, blob: db.Blob(big) });
  await db.insert('all', { id: 31, blob: Buffer.from('direct') });
  const { blob: id } = await db.get('all', 30);
  assert.equal(typeof id, 'string');
  assert.equal(id.length, 36);
  assert.deepEqual(await db.readBlob(id), big);
  assert.equal((await db.readBlob((await db.get('all', 31)).blob)).toString(), 'direct');
  await db.patch('all', { id: 30, u8: 1 });
  assert.equal((await db.get('all', 30)).blob, id); // the row keeps its blob
  await db.update('all', { id: 30, blob: id, u8: 2 }); // an id names the blob the row holds
  assert.deepEqual(await db.get('all', 30), { id: 30, blob: id, u8: 2 });
  await assert.rejects(db.update('all', { id: 32, blob: id }), /belongs to one row/);
  await assert.rejects(db.readBlob('00000000-0000-0000-0000-000000000000'), (e) => e.code === 'BDB_E_NOT_FOUND');
  await db.stop();
});
