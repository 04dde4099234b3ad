// import { MemoryDriver } from 'bucketdb/drivers': drivers.js, re-exported by name.
import cjs from './drivers.js';

export default cjs;
export const {
  MemoryDriver, FileDriver, S3Driver, Driver, TieredDriver, CryptDriver, CompressDriver,
  CacheDriver,
} = cjs;
