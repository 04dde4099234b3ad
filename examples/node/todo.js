#!/usr/bin/env node
'use strict';
// A todo list on BucketDB, from Node.js. The same app exists in examples/go, examples/java and
// examples/ruby; any of them can work on the same list.
//
//   node todo.js [--db URI] add TEXT...   add an item
//   node todo.js [--db URI] list          list the items
//   node todo.js [--db URI] done ID       mark an item done
//   node todo.js [--db URI] remove ID     remove an item
//
// URI defaults to file:./todo-db. Needs the bucketdb package (npm install the tarball, or the
// build tree's bindings/node/node_modules on NODE_PATH).
const { BucketDb, Driver, ConflictError } = require('bucketdb');

const TODOS = {
  name: 'todos', version: 1, primaryKey: 'id',
  fields: { id: { typeId: 3 }, title: { typeId: 10, maxLength: 200 }, done: { typeId: 6 }, created: { typeId: 8 } },
};
const COUNTERS = {
  name: 'counters', version: 1, primaryKey: 'name',
  fields: { name: { typeId: 10, maxLength: 40 }, value: { typeId: 3 } },
};

// Takes the next id from a counter row and inserts the item in the same batch. The counter
// update expects the version it read, so two processes adding at once never get the same id:
// the loser's flush fails with ConflictError and it tries again.
async function add(db, title) {
  for (;;) {
    const counter = await db.getRecord('counters', 'todos');
    const id = counter ? counter.row.value + 1 : 1;
    const batch = db.batch();
    batch.update('counters', { name: 'todos', value: id }).expectVersion(counter ? counter.version : 0);
    batch.insert('todos', { id, title, done: false, created: new Date() });
    try {
      await batch.flush();
      return id;
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
  }
}

async function main(argv) {
  let uri = 'file:./todo-db';
  if (argv[0] === '--db') [, uri, ...argv] = argv;
  const [command, ...args] = argv;
  if (!command) throw new Error('usage: todo.js [--db URI] add TEXT... | list | done ID | remove ID');

  // readStalenessMs: 0 sees what other processes wrote a moment ago.
  const db = BucketDb({ driver: Driver(uri), readStalenessMs: 0, logLevel: 'warn' });
  db.registerSchema(TODOS); // a no-op once registered
  db.registerSchema(COUNTERS);
  try {
    await db.start();
    switch (command) {
      case 'add':
        console.log(`added #${await add(db, args.join(' '))}`);
        break;
      case 'list':
        for await (const t of db.query('todos').orderBy('id')) console.log(`[${t.done ? 'x' : ' '}] #${t.id} ${t.title}`);
        break;
      case 'done':
      case 'remove': {
        if (args.length !== 1 || !/^\d+$/.test(args[0])) throw new Error(`${command} takes one ID`);
        const id = BigInt(args[0]);
        if (!(await db.get('todos', id))) throw new Error(`no row in todos with id = ${id}`);
        if (command === 'done') await db.patch('todos', { id, done: true });
        else await db.delete('todos', id);
        break;
      }
      default:
        throw new Error(`unknown command ${command}`);
    }
  } finally {
    await db.stop();
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`todo: ${e.message}`); // BucketDB's messages name the table and key
  process.exitCode = 1;
});
