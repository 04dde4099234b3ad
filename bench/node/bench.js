'use strict';
// Node insert/get/query per second, beside the same calls through the C ABI (c_abi.c): what
// the binding itself costs. run.sh runs both; bindings/node/README.md ("Performance") has figures.
//   node bench.js ROWS GETS QUERIES [CONCURRENCY]
// The workload is c_abi.c's (its comment says how rows, keys and names are chosen). Gets and
// queries are measured one at a time (each awaited: the latency of a call) and with
// CONCURRENCY calls in flight (the throughput of one event loop).
const { BucketDb, MemoryDriver } = require('bucketdb');

const SCHEMA = {
  name: 'users', version: 1, primaryKey: 'id', indexes: ['name'],
  fields: {
    id: { typeId: 10, maxLength: 16 }, name: { typeId: 10, maxLength: 16 }, age: { typeId: 1 },
    active: { typeId: 6 }, score: { typeId: 7 }, created: { typeId: 8 },
  },
};

const pad = (n, w) => String(n).padStart(w, '0');

async function timed(n, fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

// Runs fn(0..n-1) with `width` calls in flight.
async function pool(n, width, fn) {
  let next = 0;
  const lane = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

async function main() {
  const [rows, gets, queries, width] = process.argv.slice(2).map(Number);
  const db = BucketDb({ driver: MemoryDriver(), maxMemoryBytes: 1073741824, logLevel: 'warn' });
  db.registerSchema(SCHEMA);
  await db.start();
  let sink = 0;
  const out = {};
  out.insert = await timed(rows, async () => {
    for (let i = 0; i < rows; ) {
      const b = db.batch();
      for (let j = 0; j < 1000 && i < rows; j++, i++)
        b.insert('users', {
          id: `u${pad(i, 8)}`, name: `n${pad(Math.floor(i / 10), 6)}`, age: i % 100, active: i % 2 === 1,
          score: i * 0.5, created: new Date(1700000000000 + i),
        });
      await b.flush();
    }
  });
  await db.merge();
  const get = async (g) => {
    const r = await db.get('users', `u${pad((g * 7919 + 13) % rows, 8)}`);
    sink += r.age;
  };
  const query = async (q) => {
    const rs = await db.query('users').where('name', '=', `n${pad((q * 7919 + 13) % (rows / 10), 6)}`).execute();
    sink += rs.length;
  };
  out.get = await timed(gets, async () => {
    for (let g = 0; g < gets; g++) await get(g);
  });
  out.query = await timed(queries, async () => {
    for (let q = 0; q < queries; q++) await query(q);
  });
  out.getConcurrent = await timed(gets, () => pool(gets, width || 64, get));
  out.queryConcurrent = await timed(queries, () => pool(queries, width || 64, query));
  await db.stop();
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]);
  console.log(JSON.stringify({ ...out, sink: sink % 10 }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
