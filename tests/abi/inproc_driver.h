/* An in-process storage driver for the tests of bdb_driver_register. Each registration embeds
 * the table as the first member of an inproc_driver, which open() finds through host->driver
 * and counts its opens in. Config: "NAME" (a store shared by that name in the process). */
#ifndef BDB_TESTS_ABI_INPROC_DRIVER_H
#define BDB_TESTS_ABI_INPROC_DRIVER_H

#include <bucketdb/driver.h>

typedef struct inproc_driver {
  bdb_driver table; /* first: host->driver points here */
  const char *tag;
  int opens;
  /* When nonzero, every get, put, del and list first sleeps this long, in short steps that
   * ask host->interrupted; an interrupted call fails as transient without being done and
   * counts in let_go. Set and read with __atomic builtins while calls run. */
  int delay_ms;
  int let_go;
} inproc_driver;

void inproc_driver_init(inproc_driver *d, const char *tag);

#endif
