'use strict';
// BucketDb(options): the Node library's factory, over bucketdb.h through the addon.
//
// The factory returns at once and opens nothing: the database opens (off the main thread) at
// start() or at the first call that needs it, and registerSchema() calls queue behind the
// open in order. Everything that can touch storage returns a Promise; batches stage rows
// synchronously, as the Node library documents, and only flush() is asynchronous.
const native = require('./native');
const { fail } = require('./errors');
const { Blob } = require('./blob');
const { Batch } = require('./batch');
const { Query } = require('./query');
const drivers = require('./drivers');
const { parseOptions, defaultDriver } = require('./options');

const { NativeDb } = native;
const LEVELS = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

// Opens go one at a time: an S3Driver with credentials sets the AWS_* environment that the s3
// driver reads at open, and two opens must not interleave their settings.
let openQueue = Promise.resolve();

function applyEnv(env) {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v === null) continue;
    if (process.env[k] !== v) process.env[k] = v;
  }
}

// A promise that knows whether anyone is waiting for it (then() was called): the failure of a
// registerSchema() that no one awaits is reported instead of vanishing.
class Watched extends Promise {
  static get [Symbol.species]() {
    return Promise;
  }
  then(onFulfilled, onRejected) {
    this.watched = true;
    return super.then(onFulfilled, onRejected);
  }
}

// A schema (an object, an array of them, or JSON text of either): its JSON and table names.
function schemaText(schema) {
  let parsed = schema;
  let json;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch (e) {
      fail(5, `registerSchema: the schema is not JSON: ${e.message}`);
    }
    json = schema;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.some((s) => s === null || typeof s !== 'object' || Array.isArray(s)))
    fail(2, 'registerSchema: expected a schema object { name, version, fields, primaryKey, indexes }, an array of them, or JSON');
  json ??= JSON.stringify(schema);
  return { json, names: list.map((s) => (typeof s.name === 'string' ? s.name : '')) };
}

// bucketdb.h's BDB_SCHEMA_ALLOW_LOSSY, BDB_RECOVER_WRITE and BDB_RECOVER_ACCEPT_LOST_ENTRIES.
const ALLOW_LOSSY = 1;
const RECOVER_WRITE = 1;
const RECOVER_ACCEPT_LOST_ENTRIES = 2;
const IMPORT_UPSERT = 1; // BDB_IMPORT_UPSERT

const LEVEL_NAMES = ['debug', 'info', 'warn', 'error'];

class Database {
  constructor(options) {
    const cfg = parseOptions(options);
    this._driver = cfg.driver;
    this._pairs = cfg.pairs;
    this._logger = cfg.logger;
    this._progress = cfg.progress;
    this._level = LEVELS[cfg.logLevel] ?? LEVELS.info;
    this._native = null; // the NativeDb while open
    this._opening = null; // Promise<NativeDb> from the open on
    this._setup = null; // Promise<NativeDb>: the open, then every registration queued so far
    this._stopped = false;
    this._schemaFailures = [];
    this._registering = new Map(); // table name -> registrations of it still queued
    // db.Blob(buffer): new content for a blob field (uploaded by flush()).
    this.Blob = (data) => new Blob(data);
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  // Opens the database (reading Block 0 and the log) and starts its background service, the
  // write-forward merge of the node that leads the current window; resolves once every
  // schema registered so far is in. Calls made before start() wait for it (or start it).
  async start() {
    this._stopped = false;
    await this._ready();
    if (this._schemaFailures.length) throw this._schemaFailures.shift();
    return this;
  }

  // Waits for calls in flight, stops the background service (merging first when due), frees
  // every batch and cursor still open and closes. Later calls fail with InvalidArgumentError
  // until start() opens the database again. A merge at close that failed rejects (StorageError,
  // ...), yet loses nothing: every commit is in the log, and the database is closed all the
  // same. Stopping twice is harmless.
  async stop() {
    this._stopped = true;
    const opening = this._opening;
    this._opening = null;
    this._setup = null;
    if (!opening) return;
    const n = await opening.catch(() => null);
    if (this._native === n) this._native = null;
    if (n) await n.close();
  }

  close() {
    return this.stop();
  }

  get closed() {
    return this._stopped || (this._native !== null && this._native.closed);
  }

  // ---- schemas -----------------------------------------------------------------------------

  // Registers a table's schema ({ name, version, fields: { f: { typeId, maxLength } },
  // primaryKey, indexes }), or an array of them (all or none); registering the same version
  // again is a no-op. A new version that would lose values of the newest one (a field
  // dropped, a maxLength narrowed, a type changed) is a SchemaError naming each field, unless
  // { allowLossy: true }: then reads convert what fits and null the rest. Returns a promise;
  // the documented code need not await it (calls after it wait for it).
  registerSchema(schema, { allowLossy = false } = {}) {
    const { json, names } = schemaText(schema);
    const name = names.join(', ');
    // Until they are in, rows of the tables are kept by batches and encoded at flush().
    for (const t of names) this._registering.set(t, (this._registering.get(t) ?? 0) + 1);
    const step = this._step((n) => n.registerSchema(json, names, allowLossy ? ALLOW_LOSSY : 0));
    const settled = () => {
      for (const t of names) {
        const left = this._registering.get(t) - 1;
        if (left) this._registering.set(t, left);
        else this._registering.delete(t);
      }
    };
    step.then(settled, settled);
    const out = new Watched((resolve, reject) => step.then(resolve, reject));
    Promise.prototype.then.call(out, undefined, (e) => {
      if (out.watched) return;
      this._schemaFailures.push(e);
      this._log('error', `bucketdb: registerSchema(${name}) failed: ${e.message}`);
    });
    return out;
  }

  async schemas() {
    return (await this._ready()).schemas();
  }

  // ---- reads -------------------------------------------------------------------------------

  // The row with this primary key as a plain object, or null.
  async get(table, key) {
    checkKey('get', table, key);
    return (await this._ready()).get(table, key, 0);
  }

  // { row, version, misc } or null: the row with its version (the commit that last wrote it,
  // for batch.expectVersion) and that commit's MISC time (ms since the epoch).
  async getRecord(table, key) {
    checkKey('getRecord', table, key);
    return (await this._ready()).get(table, key, 1);
  }

  // The row as the library's JSON text, or null.
  async getJson(table, key) {
    checkKey('getJson', table, key);
    return (await this._ready()).get(table, key, 2);
  }

  // The bytes of a managed blob (the id a blob field holds), as a Buffer.
  async readBlob(id) {
    if (typeof id !== 'string') fail(2, 'readBlob: expected the blob id a blob field holds');
    return (await this._ready()).readBlob(id);
  }

  query(table) {
    return new Query(this, table);
  }

  // ---- writes ------------------------------------------------------------------------------

  batch() {
    this._kick();
    return new Batch(this);
  }

  // One-operation batches; each resolves to the commit's sequence number (the row's version).
  async insert(table, row) {
    return this.batch().insert(table, row).flush();
  }
  async update(table, row) {
    return this.batch().update(table, row).flush();
  }
  async patch(table, row) {
    return this.batch().patch(table, row).flush();
  }
  async delete(table, key) {
    return this.batch().delete(table, key).flush();
  }

  // ---- maintenance -------------------------------------------------------------------------

  // Folds the committed log into blocks now (whichever node leads): the entries folded.
  async merge() {
    return (await this._ready()).maintenance('merge');
  }
  // Deletes garbage older than gcGraceMs: the objects deleted.
  async gc() {
    return (await this._ready()).maintenance('gc');
  }
  // Counters: objects and bytes, requests by kind, commits, merges.
  async stats() {
    return (await this._ready()).maintenance('stats');
  }
  // 'block0', 'log' or 'blocks'.
  async inspect(what) {
    if (typeof what !== 'string') fail(2, "inspect: expected 'block0', 'log' or 'blocks'");
    return (await this._ready()).maintenance('inspect', what);
  }
  // Stops every call on this database under way (bdb_db_interrupt, as sqlite3_interrupt):
  // each rejects with InterruptedError soon; calls made afterwards run normally. An
  // interrupted insert or commit either landed (it resolves) or left nothing. Synchronous;
  // before the database is open, or after stop(), there is nothing to stop.
  interrupt() {
    if (this._native !== null && !this._native.closed) this._native.interrupt();
  }

  // The next read looks at the log whatever readStalenessMs says.
  async refresh() {
    await (await this._ready()).maintenance('refresh');
  }

  // Drops a table: its rows, schema versions and indexes are gone from the next read on, and
  // its name is free; history from before the drop stays readable until gcGraceMs after the
  // next merge. SchemaError for an unknown table.
  async dropTable(table) {
    if (typeof table !== 'string') fail(2, 'dropTable: the table name must be a string');
    await (await this._ready()).maintenance('dropTable', table);
  }
  // Drops the index on `field`: registers the table's next version without it.
  async dropIndex(table, field) {
    if (typeof table !== 'string' || typeof field !== 'string')
      fail(2, 'dropIndex: expected a table name and a field name');
    await (await this._ready()).maintenance('dropIndex', table, field);
  }
  // Reads and checks every object the database reaches, straight from storage: { ok, objects,
  // bytes, rows, checked: { kind: n }, damaged: [{ key, kind, problem }] }.
  async verify() {
    return (await this._ready()).maintenance('verify');
  }
  // Writes the whole database to the file at `path` as NDJSON: the rows written.
  async export(path) {
    if (typeof path !== 'string') fail(2, 'export: the path must be a string');
    return (await this._ready()).maintenance('export', path);
  }
  // Reads an export into the database, committing every batchRows rows (0: one batch); a row
  // whose key exists is an AlreadyExistsError unless upsert. The rows imported.
  async import(path, { batchRows = 0, upsert = false } = {}) {
    if (typeof path !== 'string') fail(2, 'import: the path must be a string');
    return (await this._ready()).maintenance('import', path, batchRows, upsert ? IMPORT_UPSERT : 0);
  }

  // ---- internals ---------------------------------------------------------------------------

  // Starts opening, unless open or opening.
  _kick() {
    if (this._opening) return;
    if (this._stopped)
      fail(2, 'the database is closed: stop() was called (start() opens it again)');
    const opening = this._open();
    this._opening = opening;
    this._setup = opening;
    opening.catch(() => {
      if (this._opening === opening) {
        this._opening = null; // the next call tries again
        this._setup = null;
      }
    });
  }

  async _open() {
    const wait = openQueue;
    let release;
    openQueue = new Promise((r) => (release = r));
    await wait;
    try {
      const { uri, env, handle } = this._driver ? await drivers.prepare(this._driver) : { uri: null, env: {} };
      applyEnv(env);
      const log = this._logger ? engineLog(this._logger, this._level) : undefined;
      const progress = this._progress ? engineProgress(this._progress) : undefined;
      const n = await NativeDb.open(uri, this._pairs, handle, log, progress);
      this._native = n;
      return n;
    } finally {
      release();
    }
  }

  // Whether rows of `table` can be encoded now: the database is open and no registration of
  // the table is queued.
  _encodable(table) {
    return this._native !== null && !this._registering.has(table);
  }

  // The open database, once the registrations queued so far are in.
  _ready() {
    this._kick();
    return this._setup;
  }

  // Queues a setup step (a registration) behind the open and the steps before it; the chain
  // goes on whether the step succeeds or not.
  _step(fn) {
    this._kick();
    const before = this._setup;
    const step = before.then(fn);
    this._setup = step.then(
      () => before,
      () => before,
    );
    return step;
  }

  _log(level, message) {
    if (LEVELS[level] < this._level) return;
    if (this._logger) this._logger[level](message);
    else if (LEVELS[level] >= LEVELS.warn) process.emitWarning(message, { code: 'BUCKETDB' });
  }
}

// What the addon calls with each line of the engine's log (from the engine's threads, through
// the main thread): the logger's method of its level. It holds the logger, not the database:
// the addon keeps it as long as the database, which must stay collectable.
function engineLog(logger, min) {
  return (level, subsystem, message) => {
    if (level < min) return;
    try {
      logger[LEVEL_NAMES[level] ?? 'error'](`bucketdb: ${subsystem}: ${message}`);
    } catch (e) {
      process.emitWarning(`bucketdb: the logger threw: ${e?.message ?? e}`, { code: 'BUCKETDB' });
    }
  };
}

// What the addon calls with the progress of long work (through the main thread, as a log
// line: the task, then "DONE TOTAL"): progress(task, done, total), numbers as Numbers.
function engineProgress(progress) {
  return (_level, task, numbers) => {
    const [done, total] = numbers.split(' ').map(Number);
    try {
      progress(task, done, total);
    } catch (e) {
      process.emitWarning(`bucketdb: the progress function threw: ${e?.message ?? e}`, { code: 'BUCKETDB' });
    }
  };
}

function checkKey(what, table, key) {
  if (typeof table !== 'string') fail(2, `${what}: the table name must be a string`);
  if (key === undefined || key === null) fail(2, `${what} from ${table}: the primary key is missing`);
}

// The factory of the Node library: BucketDb(options), no `new`.
function BucketDb(options) {
  return new Database(options);
}

// The factory some of the Node library's pages use: the database, started.
async function createDatabase(options) {
  return BucketDb(options).start();
}

// Runs the driver conformance checks against a driver (a built-in one, a URI, or one written
// in JavaScript) under a scratch key prefix it deletes afterwards: the report ({ driver,
// capabilities, passed, failed, skipped, checks }). Rejects only when the driver cannot be
// loaded or opened. Takes seconds.
async function driverCheck(driver) {
  const { uri, env, handle } = await drivers.prepare(driver);
  applyEnv(env);
  return NativeDb.driverCheck(uri, handle);
}

// Examines the database BucketDb(options) would open, without opening it, as SQLite's .recover
// does: { block0: 'present' | 'missing', log: { entries, first, last, missing }, tables,
// problems, actions, written }. { write: true } rebuilds a lost Block 0 from what remains
// (creating only absent objects); acceptLostEntries gives up missing log entries for good;
// schemas (a schema, an array of them, or JSON) describes tables no remaining log entry
// registers. Rejects with CorruptError, writing nothing, when a problem stands in the way.
async function recover(options, { write = false, acceptLostEntries = false, schemas } = {}) {
  const cfg = parseOptions(options);
  const { uri, env, handle } = await drivers.prepare(cfg.driver ?? defaultDriver());
  applyEnv(env);
  const flags = (write ? RECOVER_WRITE : 0) | (acceptLostEntries ? RECOVER_ACCEPT_LOST_ENTRIES : 0);
  const text = schemas === undefined || schemas === null ? '' : schemaText(schemas).json;
  return NativeDb.recover(uri, cfg.pairs, handle, text, flags);
}

if (Symbol.asyncDispose) Database.prototype[Symbol.asyncDispose] = Database.prototype.stop;

module.exports = { BucketDb, createDatabase, Database, driverCheck, recover };
