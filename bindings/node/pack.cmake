# Packs the staged package (node_modules/bucketdb of the build tree) as it is published: a copy
# whose native libraries lose their debug information (a sanitized libbucketdb is 84 MB with
# it, 15 without), then `npm pack`. Used by `cmake --install`, the bucketdb_node_tarball
# target and bindings.node.pack.
#   cmake -DPKG=DIR -DOUT=DIR -DNPM=npm -DOBJCOPY=objcopy [-DPACK_CACHE=FILE] -P pack.cmake
# With PACK_CACHE (a .tgz path in the build tree), a tarball packed there after the last change of
# the package is copied instead of packed again (the install tests each run cmake --install).
if(PACK_CACHE AND EXISTS ${PACK_CACHE})
  file(GLOB_RECURSE files ${PKG}/*)
  set(fresh TRUE)
  foreach(f ${files})
    if(${f} IS_NEWER_THAN ${PACK_CACHE})
      set(fresh FALSE)
      break()
    endif()
  endforeach()
  if(fresh)
    file(COPY ${PACK_CACHE} DESTINATION ${OUT})
    get_filename_component(name ${PACK_CACHE} NAME)
    message(STATUS "npm pack: ${OUT}/${name} (packed before)")
    return()
  endif()
endif()
string(RANDOM LENGTH 8 tag)
set(stage ${OUT}/.bucketdb-pack-${tag})
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
if(PACK_CACHE)  # a copy, then a rename: another install running at once sees all of it or none
  get_filename_component(dir ${PACK_CACHE} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  file(COPY_FILE ${OUT}/${tgz} ${PACK_CACHE}.${tag})
  file(RENAME ${PACK_CACHE}.${tag} ${PACK_CACHE})
endif()
