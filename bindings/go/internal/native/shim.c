/* cgo compiles the C files of a package's folder: this one builds the shim that native.swig
 * wraps (bindings/shim/bdb_shim.c, found through the -I that bdb-go sets) into the package.
 * The installed module holds bdb_shim.c itself in place of this file. */
#include "bdb_shim.c"
