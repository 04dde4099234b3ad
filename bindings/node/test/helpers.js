'use strict';
// Shared by the tests: a fresh database on its own memory store, and schemas.
const { BucketDb, MemoryDriver } = require('bucketdb');

const USERS = {
  name: 'users',
  version: 1,
  fields: {
    id: { typeId: 10, maxLength: 36 },
    name: { typeId: 10, maxLength: 50 },
    active: { typeId: 6 },
    age: { typeId: 1 },
  },
  primaryKey: 'id',
  indexes: ['name'],
};

// Every type, with a uint64 key.
const ALL = {
  name: 'all',
  version: 1,
  primaryKey: 'id',
  fields: {
    id: { typeId: 3 },
    u8: { typeId: 1 }, u16: { typeId: 12 }, u32: { typeId: 2 }, u64: { typeId: 3 },
    i8: { typeId: 13 }, i16: { typeId: 14 }, i32: { typeId: 4 }, i64: { typeId: 5 },
    b: { typeId: 6 }, f64: { typeId: 7 }, f32: { typeId: 15 }, ts: { typeId: 8 },
    js: { typeId: 9 }, s: { typeId: 10, maxLength: 20 }, blob: { typeId: 11 }, raw: { typeId: 16 },
  },
};

async function openDb(options = {}, ...schemas) {
  const db = BucketDb({ dbPrefix: 'test', nodeId: 0, driver: MemoryDriver(), logLevel: 'warn', ...options });
  for (const s of schemas.length ? schemas : [USERS]) db.registerSchema(s);
  return db.start();
}

module.exports = { USERS, ALL, openDb };
