// Ctrl-C and SIGTERM: the first stops the library call under way (bdb_db_interrupt) and ends
// the command, which says "interrupted" and exits 130; a second one kills the process as
// usual. Signals are taken by a thread of their own (sigwait), never by a handler.
#pragma once

#include <bucketdb/bucketdb.h>

namespace bdbcli {

// Blocks SIGINT and SIGTERM and starts the thread that waits for them. First thing in main:
// threads started later (the library's) inherit the blocked mask.
void watch_signals();
// The handle a signal interrupts (nullptr: none). While none is open a signal ends the
// process at once with status 130: an open or a close loses nothing when cut short.
void set_interruptible(bdb_db *db);
// Whether a signal came: every later library call's status is treated as an interrupt.
bool interrupt_requested();

}  // namespace bdbcli
