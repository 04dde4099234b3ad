# Runs an example todo app (examples/go, java, ruby) through add, done, remove and list on a
# fresh file: database, checking what it prints.
#   cmake -DTODO="command|with|args" -DDIR=scratch-dir -P todo.cmake
# TODO separates the words of the command line with | (ctest would split ; itself).
string(REPLACE "|" ";" todo "${TODO}")
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
set(uri file:${DIR}/db)

function(todo expect_rc expect_out)
  execute_process(COMMAND ${todo} --db ${uri} ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "todo ${ARGN} -> ${rc}\n${out}${err}")
  if(NOT rc STREQUAL expect_rc)
    message(FATAL_ERROR "todo ${ARGN}: exit status ${rc}, expected ${expect_rc}\n${err}")
  endif()
  if(NOT out STREQUAL expect_out)
    message(FATAL_ERROR "todo ${ARGN} printed\n${out}expected\n${expect_out}")
  endif()
endfunction()

todo(0 "added #1\n" add buy milk)
todo(0 "added #2\n" add "write the bindings")
todo(0 "added #3\n" add "Zoë's 😀 party")
todo(0 "" done 1)
todo(0 "" remove 2)
todo(0 "[x] #1 buy milk\n[ ] #3 Zoë's 😀 party\n" list)
todo(1 "" done 2)
todo(1 "" remove 42)
