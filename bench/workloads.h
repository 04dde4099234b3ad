// The benchmark groups of issue 9, each adding its lines to the report.
#pragma once

#include "bench/harness.h"

namespace bench {

void codec_workload(const Config &cfg, Report &report);   // generated codecs vs FlatBuffers
void memory_workload(const Config &cfg, Report &report);  // memory driver vs SQLite in memory
void file_workload(const Config &cfg, Report &report);    // file driver vs SQLite on disk
void s3_workload(const Config &cfg, Report &report);      // requests and latency on S3

}  // namespace bench
