// The benchmark groups (issues 9, 17, 22), each adding its lines to the report.
#pragma once

#include "bench/harness.h"

namespace bench {

void codec_workload(const Config &cfg, Report &report);   // generated codecs vs FlatBuffers
void memory_workload(const Config &cfg, Report &report);  // memory driver vs SQLite in memory
void file_workload(const Config &cfg, Report &report);    // file driver vs SQLite on disk
void s3_workload(const Config &cfg, Report &report);      // requests and latency on S3
// Round trips over a slow store (issues 17 and 22); only its S3 rows with s3_only.
void latency_workload(const Config &cfg, Report &report, bool s3_only);

}  // namespace bench
