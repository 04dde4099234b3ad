# bindings.cross: processes in five languages share one file: database.
#  1. Go writes a row of extreme values; Ruby and Python each check it exactly and write one
#     back; Go checks theirs, and Node checks Go's and Ruby's (uint64/int64 limits, bytes,
#     blobs, UTF-8 beyond the BMP, json, timestamps).
#  2. The todo apps of examples/ take turns on one list: Go, Ruby, Java, Python and Node add,
#     Ruby, Python and Node mark done, Java removes, Go lists.
#  3. Go, Ruby, Python and Node add items at the same time: the compare-and-set on the id
#     counter (across processes, through the file driver's locked conditional writes) gives
#     every item its own id.
# Arguments (words separated by |): GO_TOOL, GO_ENV (environment for Go programs), RUBY,
# JAVA_TODO, PYTHON and NODE (command prefixes), SRC (source dir), DIR (scratch dir).
foreach(v GO_ENV RUBY JAVA_TODO PYTHON NODE)
  string(REPLACE "|" ";" ${v} "${${v}}")
endforeach()
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
set(uri file:${DIR}/db)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY ${cwd})
  message(STATUS "${what} -> ${rc}\n${out}${err}")
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "${what} failed (${rc})\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

# Go programs are built once, then run like any program (with the ASan runtime when sanitized).
set(cwd ${SRC}/tests/bindings/cross)
run("go build cross" ${GO_TOOL} build -o ${DIR}/cross-go .)
set(cwd ${SRC}/examples/go)
run("go build todo" ${GO_TOOL} build -o ${DIR}/todo-go .)
set(cwd ${DIR})
set(go_cross ${CMAKE_COMMAND} -E env ${GO_ENV} ${DIR}/cross-go)
set(go_todo ${CMAKE_COMMAND} -E env ${GO_ENV} ${DIR}/todo-go -db ${uri})
set(rb_todo ${RUBY} ${SRC}/examples/ruby/todo.rb --db ${uri})
set(java_todo ${JAVA_TODO} --db ${uri})
set(py_todo ${PYTHON} ${SRC}/examples/python/todo.py --db ${uri})
set(node_todo ${NODE} ${SRC}/examples/node/todo.js --db ${uri})

# 1. Exact values both ways.
run("go writes" ${go_cross} write ${uri})
run("ruby checks and writes" ${RUBY} ${SRC}/tests/bindings/cross.rb ${uri})
run("python checks and writes" ${PYTHON} ${SRC}/tests/bindings/cross.py ${uri})
run("go checks ruby's" ${go_cross} check ${uri} ruby)
run("go checks python's" ${go_cross} check ${uri} python)
run("node checks" ${NODE} ${SRC}/tests/bindings/cross.js ${uri})

# 2. Taking turns on one list.
run("go add" ${go_todo} add from go)
run("ruby add" ${rb_todo} add from ruby)
run("java add" ${java_todo} add from java)
run("ruby done" ${rb_todo} done 1)
run("java remove" ${java_todo} remove 2)
run("python add" ${py_todo} add from python)
run("python done" ${py_todo} done 3)
run("node add" ${node_todo} add from node)
run("node done" ${node_todo} done 5)
run("go list" ${go_todo} list)
if(NOT out STREQUAL "[x] #1 from go\n[x] #3 from java\n[ ] #4 from python\n[x] #5 from node\n")
  message(FATAL_ERROR "go list printed\n${out}")
endif()

# 3. At the same time: execute_process runs its COMMANDs concurrently, as a pipeline. Both
# loops write to stderr, not into the pipe: once the reading side had finished, a write into it
# would kill the writer with SIGPIPE.
set(go_loop "for i in 1 2 3 4 5 6 7 8; do \"$@\" add go $i || exit 1; done")
set(rb_loop "for i in 1 2 3 4; do \"$@\" add ruby $i || exit 1; done")
set(py_loop "for i in 1 2 3 4; do \"$@\" add python $i || exit 1; done")
set(node_loop "for i in 1 2; do \"$@\" add node $i || exit 1; done")
execute_process(COMMAND sh -c "${go_loop} >&2" sh ${go_todo}
                COMMAND sh -c "${rb_loop} >&2" sh ${rb_todo}
                COMMAND sh -c "${py_loop} >&2" sh ${py_todo}
                COMMAND sh -c "${node_loop} >&2" sh ${node_todo}
                RESULTS_VARIABLE rcs ERROR_VARIABLE err)
message(STATUS "concurrent adds -> ${rcs}\n${err}")
if(NOT rcs STREQUAL "0;0;0;0")
  message(FATAL_ERROR "concurrent adds failed: ${rcs}\n${err}")
endif()
run("java list" ${java_todo} list)
string(REGEX MATCHALL "#[0-9]+" ids "${out}")
set(want "#1;#3;#4;#5")
foreach(i RANGE 6 23)
  list(APPEND want "#${i}")
endforeach()
if(NOT ids STREQUAL want)
  message(FATAL_ERROR "after concurrent adds the ids are ${ids}, expected ${want}\n${out}")
endif()
string(REGEX MATCHALL "from go|go [0-9]|ruby [0-9]|from java|from python|python [0-9]|from node|node [0-9]"
       items "${out}")
list(LENGTH items n)
if(NOT n EQUAL 22)
  message(FATAL_ERROR "expected 22 items, got ${n}\n${out}")
endif()
