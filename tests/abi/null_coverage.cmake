# abi.null_coverage: every function libbucketdb exports (its dynamic symbols, which
# abi/bucketdb.map limits to bdb_*) is called in test_lifetime.c's null_everywhere, so a new
# function cannot skip its NULL checks unnoticed.
#   cmake -DNM=nm -DLIBRARY=libbucketdb.so -DTEST_SOURCE=test_lifetime.c -P null_coverage.cmake
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE symbols
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "${NM} -D ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "[ \t][TW] bdb_[a-z0-9_]+" exported "${symbols}")
list(TRANSFORM exported REPLACE "^[ \t][TW] " "")
list(LENGTH exported count)
if(count LESS 10)
  message(FATAL_ERROR "only ${count} bdb_* functions found in ${LIBRARY}")
endif()

file(READ ${TEST_SOURCE} source)
string(FIND "${source}" "static void null_everywhere(" begin)
if(begin EQUAL -1)
  message(FATAL_ERROR "null_everywhere not found in ${TEST_SOURCE}")
endif()
string(SUBSTRING "${source}" ${begin} -1 body)
string(FIND "${body}" "\n}\n" end)
string(SUBSTRING "${body}" 0 ${end} body)

set(missing "")
foreach(fn IN LISTS exported)
  string(REGEX MATCH "[^a-z0-9_]${fn}\\(" called "${body}")
  if(NOT called)
    list(APPEND missing ${fn})
  endif()
endforeach()
if(missing)
  list(JOIN missing ", " missing)
  message(FATAL_ERROR "exported but not called with NULL in null_everywhere "
                      "(tests/abi/test_lifetime.c): ${missing}")
endif()
message(STATUS "${count} exported functions, each called in null_everywhere")
