// The benchmark groups (issues 9, 17, 22), each adding its lines to the report.
#pragma once

#include "bench/harness.h"

namespace bench {

void codec_workload(const Config &cfg, Report &report);   // generated codecs vs FlatBuffers
void memory_workload(const Config &cfg, Report &report);  // memory driver vs SQLite in memory
void file_workload(const Config &cfg, Report &report);    // file driver vs SQLite on disk
void s3_workload(const Config &cfg, Report &report);      // requests and latency on S3
// Round trips over a slow store (issues 17 and 22); only its S3 rows with s3_only.
// part: "" every row; "s3" only the rows on S3; "month" only the boring web app's month.
void latency_workload(const Config &cfg, Report &report, const std::string &part);

}  // namespace bench
