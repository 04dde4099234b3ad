// bindings.node.types: the declarations (index.d.ts, drivers.d.ts) against typed uses of the
// API, compiled with `tsc --strict --noEmit`. The @ts-expect-error lines must fail to compile.
import {
  BucketDb, createDatabase, MemoryDriver, S3Driver, TieredDriver, driverCheck, recover, Types,
  BucketDbError, ConflictError, type CustomStorageDriver, type Database, type DbRecord,
  type Int64, type RecoverReport,
} from 'bucketdb';
import { FileDriver } from 'bucketdb/drivers';

interface User {
  id: string;
  name?: string;
  age?: number;
}

async function typed(): Promise<void> {
  const db: Database = BucketDb({ dbPrefix: 'p', nodeId: 0, driver: MemoryDriver(), logLevel: 'warn' });
  await db.registerSchema({
    name: 'users', version: 1, primaryKey: 'id', indexes: ['name'],
    fields: { id: { typeId: Types.varchar, maxLength: 36 }, age: { typeId: Types.uint8 } },
  });
  const seq: Int64 = await db.batch().insert('users', { id: 'u1', age: 3 }).delete('users', 'u0').flush();
  const u: User | null = await db.get<User>('users', 'u1');
  const rec: DbRecord<User> | null = await db.getRecord<User>('users', 'u1');
  if (rec) await db.batch().patch('users', { id: 'u1', age: 4 }).expectVersion(rec.version).flush();
  const rows: User[] = await db.query<User>('users').where('age', '>=', 18).orderBy('age', 'desc').limit(10).execute();
  for await (const r of db.query<User>('users').in('name', ['a', 'b'])) r.id.toUpperCase();
  const page = await db.query('users').after(null).limit(5).page();
  const token: string = page.pageToken;
  for await (const r of db.query<User>('users').records()) r.row.id.toUpperCase();
  const n: Int64 = await db.query('users').filter((x) => x.age !== undefined).count();
  const blob = db.Blob(Buffer.from('x'));
  const bytes: Buffer = await db.readBlob('id');
  await db.stop();
  const started: Database = await createDatabase({ driver: FileDriver({ baseDir: '/tmp/x' }), ringSize: 1 });
  await started.close();
  BucketDb({ driver: TieredDriver({ slow: S3Driver({ bucket: 'b', region: 'r' }), fast: FileDriver('/mnt') }) });
  const report = await driverCheck('memory:');
  const failed: number = report.failed;
  const store = new Map<string, Buffer>();
  const mine: CustomStorageDriver = {
    capabilities: { conditionalPut: false },
    async get(key) {
      const b = store.get(key);
      if (!b) throw Object.assign(new Error(key), { name: 'NoSuchKey' });
      return { buffer: b };
    },
    async put(key, buffer) {
      store.set(key, buffer);
    },
    async delete(key) {
      store.delete(key);
    },
    async list(prefix) {
      return { keys: [...store.keys()].filter((k) => k.startsWith(prefix)).sort() };
    },
  };
  await driverCheck(mine);
  const own = BucketDb({ driver: mine, readOnly: true, createIfMissing: false, maxRequestsInFlight: 8 });
  await own.registerSchema([{ name: 't', version: 1, fields: { k: { typeId: 10 } }, primaryKey: 'k' }], { allowLossy: true });
  const rec0: RecoverReport = await recover({ driver: mine, dbPrefix: 'p' }, { write: true, schemas: [] });
  const missing: boolean = rec0.block0 === 'missing';
  // @ts-expect-error: a driver needs all four methods
  BucketDb({ driver: { get: mine.get, put: mine.put } });
  try {
    await db.insert('users', { id: 'u1' });
  } catch (e) {
    if (e instanceof ConflictError || e instanceof BucketDbError) e.code.startsWith('BDB_E_');
  }
  // @ts-expect-error: an unknown option is a compile error
  BucketDb({ nodeID: 1 });
  // @ts-expect-error: query operators are checked
  db.query('users').where('age', '~', 1);
  // @ts-expect-error: flush() is asynchronous
  const notYet: Int64 = db.batch().flush();
  void [seq, u, rows, token, n, blob, bytes, failed, notYet, missing];
}

void typed;
