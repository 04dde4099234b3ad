'use strict';
// require('bucketdb/drivers') (also 'bucketdb/lib/storage'), as the Node library's pages write
// it: the storage drivers alone.
const d = require('./lib/drivers');

module.exports = {
  MemoryDriver: d.MemoryDriver,
  FileDriver: d.FileDriver,
  S3Driver: d.S3Driver,
  Driver: d.Driver,
  TieredDriver: d.TieredDriver,
  CryptDriver: d.CryptDriver,
  CompressDriver: d.CompressDriver,
  CacheDriver: d.CacheDriver,
};
