# Packs the staged package (node_modules/bucketdb of the build tree) as it is published: a copy
# whose native libraries lose their debug information (a sanitized libbucketdb is 84 MB with
# it, 15 without), then `npm pack`. Used by `cmake --install`, the bucketdb_node_tarball
# target and bindings.node.pack.
#   cmake -DPKG=DIR -DOUT=DIR -DNPM=npm -DOBJCOPY=objcopy -P pack.cmake
set(stage ${OUT}/.bucketdb-pack)
file(REMOVE_RECURSE ${stage})
file(MAKE_DIRECTORY ${OUT})
file(COPY ${PKG}/ DESTINATION ${stage} PATTERN stamp EXCLUDE)
file(GLOB natives ${stage}/native/*)
foreach(f ${natives})
  execute_process(COMMAND ${OBJCOPY} --strip-debug ${f} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "objcopy --strip-debug ${f} failed")
  endif()
endforeach()
execute_process(COMMAND ${NPM} pack --pack-destination ${OUT} --loglevel=error
                WORKING_DIRECTORY ${stage} RESULT_VARIABLE rc OUTPUT_VARIABLE tgz
                OUTPUT_STRIP_TRAILING_WHITESPACE)
file(REMOVE_RECURSE ${stage})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm pack failed (${rc})")
endif()
message(STATUS "npm pack: ${OUT}/${tgz}")
