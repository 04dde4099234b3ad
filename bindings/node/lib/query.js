'use strict';
// db.query(table): the Node library's QueryBuilder, and what bucketdb.h adds (order, offset,
// select, count, explain, or, pages, history). A query is an async iterable over its rows:
//   for await (const row of db.query('users').where('age', '>=', 18)) ...
const { fail } = require('./errors');

const OPERATORS = {
  '=': '=', '==': '=', '===': '=', eq: '=',
  '!=': '!=', '<>': '!=', '!==': '!=', ne: '!=',
  '>': '>', gt: '>', '>=': '>=', gte: '>=',
  '<': '<', lt: '<', '<=': '<=', lte: '<=',
  in: 'in', prefix: 'prefix', isnull: 'isnull', 'is null': 'isnull', notnull: 'notnull',
  'is not null': 'notnull',
};

const FIRST_CHUNK = 16; // an iteration may stop early
const WHOLE_CHUNK = 256; // execute() and page() read every row
const MAX_CHUNK = 1024;

function nonNegative(what, n) {
  if (typeof n === 'bigint' ? n >= 0n : Number.isSafeInteger(n) && n >= 0) return n;
  fail(2, `${what} must be a non-negative integer, got ${String(n)}`);
}

class Query {
  constructor(db, table) {
    if (typeof table !== 'string' || table === '') fail(2, 'query: the table name must be a string');
    this._db = db;
    this._spec = { table, where: [] };
    this._filters = [];
  }

  // where(field, op, value): op is one of = != > >= < <= in (an array) prefix (a string)
  // isnull notnull, or their names (eq ne gt gte lt lte). Conditions join with AND.
  where(field, op, value) {
    const t = this._spec.table;
    if (typeof field !== 'string') fail(2, `query on ${t}: the field name must be a string`);
    const o = typeof op === 'string' ? OPERATORS[op.toLowerCase()] : undefined;
    if (!o)
      fail(2, `query on ${t}, field '${field}': unknown operator ${String(op)} (=, !=, >, >=, <, <=, in, prefix, isnull, notnull)`);
    if (o === 'in' && !Array.isArray(value))
      fail(2, `query on ${t}, field '${field}': 'in' takes an array of values`);
    if (o !== 'isnull' && o !== 'notnull' && value === undefined)
      fail(2, `query on ${t}, field '${field}': '${op}' needs a value`);
    this._spec.where.push([field, o, value]);
    return this;
  }

  eq(field, value) { return this.where(field, '=', value); }
  ne(field, value) { return this.where(field, '!=', value); }
  gt(field, value) { return this.where(field, '>', value); }
  gte(field, value) { return this.where(field, '>=', value); }
  lt(field, value) { return this.where(field, '<', value); }
  lte(field, value) { return this.where(field, '<=', value); }
  in(field, values) { return this.where(field, 'in', values); }
  prefix(field, text) { return this.where(field, 'prefix', text); }
  isNull(field) { return this.where(field, 'isnull'); }
  notNull(field) { return this.where(field, 'notnull'); }

  // Closes the group of conditions so far: where(a).where(b).or().where(c) is (a AND b) OR c.
  or() {
    this._spec.where.push('or');
    return this;
  }

  // One sort key (a later call replaces it and the keys thenBy added), 'asc' or 'desc'; ties
  // in primary-key order. Default: primary key ascending.
  orderBy(field, direction = 'asc') {
    this._spec.order = [this._orderKey('orderBy', field, direction)];
    return this;
  }

  // A further sort key: rows equal in the keys before are ordered by this one
  // (orderBy('a').thenBy('b', 'desc') is ORDER BY a, b DESC).
  thenBy(field, direction = 'asc') {
    const key = this._orderKey('thenBy', field, direction);
    this._spec.order = [...(this._spec.order ?? []), key];
    return this;
  }

  _orderKey(call, field, direction) {
    if (typeof field !== 'string') fail(2, `query on ${this._spec.table}: ${call} takes a field name`);
    const d = String(direction).toLowerCase();
    if (d !== 'asc' && d !== 'desc') fail(2, `query on ${this._spec.table}: ${call} direction must be 'asc' or 'desc'`);
    return { field, desc: d === 'desc' };
  }

  limit(n) {
    this._spec.limit = nonNegative(`query on ${this._spec.table}: limit`, n);
    return this;
  }

  offset(n) {
    this._spec.offset = nonNegative(`query on ${this._spec.table}: offset`, n);
    return this;
  }

  // Only these fields (the primary key always comes too).
  select(...fields) {
    this._spec.select = (this._spec.select ?? []).concat(fields.flat());
    return this;
  }

  // Keyset pagination: the rows after the position a page token names (page(), or a cursor's
  // pageToken()), for a query on the same table in the same order. '' or null: from the start.
  after(token) {
    this._spec.after = token ?? '';
    return this;
  }

  // History: the database as it was just after commit `seq` (a flush()'s result)...
  asOf(seq) {
    this._spec.asOf = nonNegative(`query on ${this._spec.table}: asOf`, seq);
    return this;
  }

  // ...or after the last commit at or before a time (a Date, or ms since the epoch).
  asOfTime(time) {
    const ms = time instanceof Date ? time.getTime() : time;
    this._spec.asOfTime = nonNegative(`query on ${this._spec.table}: asOfTime`, ms);
    return this;
  }

  // A JavaScript predicate on each row, after the conditions above (the Node library's custom
  // filter functions). With one, limit and offset count the rows it keeps.
  filter(fn) {
    if (typeof fn !== 'function') fail(2, `query on ${this._spec.table}: filter takes a function`);
    this._filters.push(fn);
    return this;
  }

  // Every row, as plain objects.
  async execute() {
    return new Cursor(this, { pageTokens: false, chunk: WHOLE_CHUNK }).toArray();
  }

  // { rows, pageToken }: the rows (mind limit()) and the token where they end, for after().
  async page() {
    const c = new Cursor(this, { chunk: WHOLE_CHUNK });
    const rows = await c.toArray();
    return { rows, pageToken: c.pageToken() };
  }

  // How many rows execute() would give.
  async count() {
    if (this._filters.length) {
      let n = 0;
      for await (const _ of this.cursor({ pageTokens: false })) n++; // eslint-disable-line no-unused-vars
      return n;
    }
    return (await this._db._ready()).query(this._spec, 'count');
  }

  // How the query would run (primary-key lookup, index or scan) and what it reads at most.
  async explain() {
    return (await this._db._ready()).query(this._spec, 'explain');
  }

  // A cursor over the rows as of the moment it first reads. options.records: yield
  // { row, version, misc } instead of rows; options.pageTokens (default true): keep each row's
  // page token so that pageToken() is exact wherever the reading stops.
  cursor(options = {}) {
    return new Cursor(this, options);
  }

  // { row, version, misc } for each row.
  records() {
    return this.cursor({ records: true, pageTokens: false });
  }

  [Symbol.asyncIterator]() {
    return this.cursor({ pageTokens: false })[Symbol.asyncIterator]();
  }
}

// Rows read in chunks on a worker thread (16 at first, or 256 for execute() and page(), then
// four times more each time up to 1024), handed out one by one; the first chunk comes with the
// query. Calls to next() are served in order.
class Cursor {
  constructor(query, { records = false, pageTokens = true, chunk = FIRST_CHUNK } = {}) {
    const s = query._spec;
    this._db = query._db;
    this._filters = query._filters.slice();
    this._spec = { ...s, where: s.where.slice(), select: s.select?.slice() };
    this._limit = s.limit === undefined ? Infinity : Number(s.limit);
    this._skip = 0;
    if (this._filters.length) {
      // The predicate decides which rows count: limit and offset apply after it, here.
      this._skip = s.offset === undefined ? 0 : Number(s.offset);
      delete this._spec.limit;
      delete this._spec.offset;
    }
    this._flags = (pageTokens ? 1 : 0) | (records ? 2 : 0);
    this._nc = null;
    this._rows = [];
    this._tokens = [];
    this._at = 0;
    this._given = 0;
    this._token = s.after ?? '';
    this._chunk = chunk;
    this._end = false; // the native cursor has given its last row
    this._done = false;
    this._tail = Promise.resolve();
  }

  // The iterator protocol: { value, done }.
  next() {
    const r = this._tail.then(() => this._next());
    this._tail = r.catch(() => {});
    return r;
  }

  // Stops reading (for await ... break calls it) and frees the cursor.
  async return() {
    await this._tail;
    this._close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  // Where the rows handed out so far end: the token for the next page's after().
  pageToken() {
    if (this._flags & 1 || (this._at === this._rows.length && this._nc === null)) return this._token;
    if (this._at === this._rows.length) return this._nc.pageToken();
    fail(2, 'pageToken: this cursor reads ahead; make it with query.cursor() or use query.page()');
  }

  // The rest of the rows, a chunk at a time (no promise per row).
  async toArray() {
    await this._tail;
    const out = [];
    try {
      for (;;) {
        if (this._filters.length) {
          const r = await this._next();
          if (r.done) break;
          out.push(r.value);
          continue;
        }
        if (this._done || this._given >= this._limit) break;
        if (this._at === this._rows.length && !(await this._fill())) break;
        const take = Math.min(this._rows.length - this._at, this._limit - this._given);
        for (let i = 0; i < take; i++) out.push(this._rows[this._at + i]);
        this._at += take;
        this._given += take;
        if (this._flags & 1 && take) this._token = this._tokens[this._at - 1];
      }
    } finally {
      this._close();
    }
    return out;
  }

  close() {
    this._close();
  }

  async _next() {
    for (;;) {
      if (this._done || this._given >= this._limit) {
        this._close();
        return { value: undefined, done: true };
      }
      if (this._at === this._rows.length && !(await this._fill())) {
        this._close();
        return { value: undefined, done: true };
      }
      const value = this._rows[this._at];
      if (this._flags & 1) this._token = this._tokens[this._at];
      this._at++;
      if (this._filters.length) {
        const row = this._flags & 2 ? value.row : value;
        if (!this._filters.every((f) => f(row))) continue;
        if (this._skip > 0) {
          this._skip--;
          continue;
        }
      }
      this._given++;
      return { value, done: false };
    }
  }

  // Reads the next chunk of rows (the first one with the query itself, in one trip).
  async _fill() {
    if (this._end) return false;
    let want = this._chunk;
    if (!this._filters.length && this._limit !== Infinity) want = Math.min(want, this._limit - this._given);
    want = Math.max(want, 1);
    this._chunk = Math.min(this._chunk * 4, MAX_CHUNK);
    let rows, tokens, end;
    if (!this._nc) {
      const n = await this._db._ready();
      [this._nc, rows, tokens, end] = await n.query(this._spec, 'cursor', want, this._flags);
    } else {
      [rows, tokens, end] = await this._nc.next(want, this._flags);
    }
    this._rows = rows;
    this._tokens = tokens ?? [];
    this._at = 0;
    this._end = end;
    return rows.length > 0;
  }

  _close() {
    this._done = true;
    if (this._nc && !(this._flags & 1) && this._at === this._rows.length) {
      try {
        this._token = this._nc.pageToken();
        this._flags |= 1; // the token is known from now on
      } catch {
        // a closed database: no token
      }
    }
    if (this._nc) this._nc.free();
    this._nc = null;
  }
}

module.exports = { Query, Cursor };
