'use strict';
// The Node side of bindings.cross: reads the rows Go and Ruby wrote (cross/main.go, cross.rb)
// and checks them exactly: uint64 and int64 limits as BigInts, bytes, blobs, UTF-8 beyond the
// BMP, json with a uint64 inside, timestamps.   node cross.js URI
const assert = require('node:assert/strict');
const { BucketDb, Driver } = require('bucketdb');

const SCHEMA = {
  name: 'extremes', version: 1, primaryKey: 'id',
  fields: {
    id: { typeId: 10 }, u64: { typeId: 3 }, i64: { typeId: 5 }, u8: { typeId: 1 }, f64: { typeId: 7 },
    b: { typeId: 6 }, ts: { typeId: 8 }, js: { typeId: 9 }, name: { typeId: 10 }, raw: { typeId: 16 },
    blob: { typeId: 11 },
  },
};

async function main(uri) {
  const db = BucketDb({ driver: Driver(uri), readStalenessMs: 0, logLevel: 'warn' });
  db.registerSchema(SCHEMA);
  try {
    const go = await db.get('extremes', 'go');
    const goBlob = await db.readBlob(go.blob);
    delete go.blob;
    assert.deepEqual(go, {
      id: 'go', u64: 2n ** 64n - 1n, i64: -(2n ** 63n), u8: 255, f64: Math.PI, b: true, ts: new Date(-1),
      js: { n: 2n ** 64n - 1n, s: 'Zoë 😀', a: [true, null] }, name: 'Zoë 😀', raw: Buffer.from([0, 1, 0xfe, 0xff]),
    });
    assert.deepEqual(goBlob, Buffer.from('\x00\xffgo'.repeat(1000), 'latin1'));
    const ruby = await db.get('extremes', 'ruby');
    const rubyBlob = await db.readBlob(ruby.blob);
    delete ruby.blob;
    assert.deepEqual(ruby, {
      id: 'ruby', u64: 2n ** 64n - 2n, i64: -(2n ** 63n) + 1n, u8: 254, f64: -Math.E, b: false,
      ts: new Date(1234567890123), js: { from: 'ruby', big: 2n ** 64n - 2n }, name: 'Ünïcödé ✓',
      raw: Buffer.from([0xff, 0, 0x72]),
    });
    assert.deepEqual(rubyBlob, Buffer.from('ruby\x00'.repeat(999)));
    console.log("node read go's and ruby's rows exactly");
  } finally {
    await db.stop();
  }
}

main(process.argv[2]).catch((e) => {
  console.error(`cross (node): ${e.message}`);
  process.exitCode = 1;
});
