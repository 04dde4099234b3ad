# frozen_string_literal: true

# Builds bucketdb/native.so (the SWIG wrapper shipped pre-generated beside this file, and the C
# shim it wraps, bdb_shim.c: mkmf compiles every .c file here) against an installed libbucketdb
# found through pkg-config, as the sqlite3 and rocksdb gems do. For a prefix install:
#   PKG_CONFIG_PATH=PREFIX/lib/pkgconfig gem install --local bucketdb-VERSION.gem
require "mkmf"

unless pkg_config("bucketdb")
  abort "bucketdb: pkg-config cannot find bucketdb.pc; install BucketDB (cmake --install) and " \
        "set PKG_CONFIG_PATH=PREFIX/lib/pkgconfig"
end
# The extension finds libbucketdb where pkg-config found it, without LD_LIBRARY_PATH.
libdir = pkg_config("bucketdb", "variable=libdir")
$LDFLAGS << " -Wl,-rpath,#{libdir}" if libdir && !libdir.empty?
# SWIG output: strict aliasing off (pointer punning), its unused parameters not warned about.
$CFLAGS << " -fno-strict-aliasing -Wno-unused-parameter"
create_makefile("bucketdb/native")
