# bindings.node.pack: `npm pack` of the package, then, in a new folder outside the source
# tree, `npm install ./bucketdb-VERSION.tgz` and a program that requires it (CommonJS) and
# one that imports it (ESM), opening a file: database (writing, reading and querying) and a
# memory: one. With NATIVES (tests/onefile/natives.sh, for the one-file build), the tarball must
# carry one libbucketdb and no driver plugin (NODE then runs with an empty plugin path).
#   cmake -DPKG=DIR -DNPM=npm -DOBJCOPY=objcopy [-DPACK_CACHE=FILE] -DNODE="env|...|node"
#         -DSRC=bindings/node [-DNATIVES=natives.sh] -P pack_test.cmake
string(REPLACE "|" ";" node "${NODE}")
if(DEFINED ENV{TMPDIR})
  set(tmp $ENV{TMPDIR})
else()
  set(tmp /tmp)
endif()
string(RANDOM LENGTH 8 tag)
set(dir ${tmp}/bucketdb-node-pack-${tag})
file(MAKE_DIRECTORY ${dir}/app)

function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${dir}/app RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "${what} -> ${rc}\n${out}${err}")
  if(NOT rc STREQUAL "0")
    file(REMOVE_RECURSE ${dir})
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run("npm pack" ${CMAKE_COMMAND} -DPKG=${PKG} -DOUT=${dir} -DNPM=${NPM} -DOBJCOPY=${OBJCOPY}
    -DPACK_CACHE=${PACK_CACHE} -P ${SRC}/pack.cmake)
file(GLOB tarball ${dir}/bucketdb-*.tgz)
if(NATIVES)
  run("the tarball's native files" tar -tzf ${tarball} COMMAND ${NATIVES})
endif()
file(WRITE ${dir}/app/package.json "{\"name\":\"app\",\"version\":\"1.0.0\",\"private\":true}\n")
run("npm install" ${NPM} install --offline --no-audit --no-fund --loglevel=error ${tarball})

file(WRITE ${dir}/app/app.js [=[
const assert = require('node:assert/strict');
const { BucketDb, FileDriver } = require('bucketdb');
(async () => {
  const db = BucketDb({ driver: FileDriver({ baseDir: `${__dirname}/data` }), dbPrefix: 'app', nodeId: 0 });
  db.registerSchema({ name: 'users', version: 1, primaryKey: 'id', indexes: ['name'],
    fields: { id: { typeId: 10, maxLength: 36 }, name: { typeId: 10, maxLength: 50 }, age: { typeId: 1 } } });
  const batch = db.batch();
  batch.insert('users', { id: 'u_1', name: 'Alice', age: 30 });
  batch.insert('users', { id: 'u_2', name: 'Bob', age: 17 });
  await batch.flush();
  assert.deepEqual(await db.get('users', 'u_1'), { id: 'u_1', name: 'Alice', age: 30 });
  assert.deepEqual(await db.query('users').where('age', '>=', 18).execute(), [{ id: 'u_1', name: 'Alice', age: 30 }]);
  await db.stop();
  console.log('require: ok');
})().catch((e) => { console.error(e); process.exit(1); });
]=])
file(WRITE ${dir}/app/app.mjs [=[
import assert from 'node:assert/strict';
import { BucketDb, FileDriver, TypeMismatchError } from 'bucketdb';
import { MemoryDriver } from 'bucketdb/drivers';
const db = BucketDb({ driver: FileDriver(new URL('./data', import.meta.url).pathname), dbPrefix: 'app' });
await db.start();
assert.deepEqual(await db.get('users', 'u_2'), { id: 'u_2', name: 'Bob', age: 17 });
assert.throws(() => db.batch().insert('users', { id: 'x', age: 'old' }), TypeMismatchError);
for await (const u of db.query('users').where('name', '=', 'Alice')) assert.equal(u.age, 30);
await db.stop();
const mem = BucketDb({ driver: MemoryDriver(), dbPrefix: 'app' });
mem.registerSchema({ name: 'kv', version: 1, primaryKey: 'k',
  fields: { k: { typeId: 10 }, v: { typeId: 10 } } });
const b = mem.batch();
b.insert('kv', { k: 'a', v: 'in memory' });
await b.flush();
assert.deepEqual(await mem.get('kv', 'a'), { k: 'a', v: 'in memory' });
await mem.stop();
console.log('import: ok');
]=])
run("node app.js" ${node} app.js)
run("node app.mjs" ${node} app.mjs)
file(REMOVE_RECURSE ${dir})
