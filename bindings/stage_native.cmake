# Copies libbucketdb (under its SONAME, as a file: wheels, gems and jars hold no symlinks), the
# driver plugins and any EXTRA files into a package's folder, without debug info, after removing
# the files named in REMOVE (plugins an earlier build staged, which the package no longer
# carries). With INDEX=VERSION it also writes "files" (their names, one a line) and "id"
# (VERSION-checksum), which bucketdb.jar's loader reads.
#   cmake -DOBJCOPY=... -DLIBRARY=path -DSONAME=name "-DPLUGINS=a|b" [-DEXTRA=c|d]
#         ["-DREMOVE=name|name"] [-DINDEX=version] -DDEST=dir -P stage_native.cmake
string(REPLACE "|" ";" PLUGINS "${PLUGINS}")
string(REPLACE "|" ";" EXTRA "${EXTRA}")
string(REPLACE "|" ";" REMOVE "${REMOVE}")
file(MAKE_DIRECTORY ${DEST})
list(TRANSFORM REMOVE PREPEND ${DEST}/)
file(REMOVE ${REMOVE})
set(copies ${LIBRARY} ${SONAME})
foreach(p IN LISTS PLUGINS EXTRA)
  get_filename_component(name ${p} NAME)
  list(APPEND copies ${p} ${name})
endforeach()
set(names "")
set(sums "")
while(copies)
  list(POP_FRONT copies from name)
  execute_process(COMMAND ${OBJCOPY} --strip-debug ${from} ${DEST}/${name} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "objcopy --strip-debug ${from} failed")
  endif()
  file(SHA256 ${DEST}/${name} sum)
  string(APPEND names "${name}\n")
  string(APPEND sums "${name} ${sum}\n")
endwhile()
if(INDEX)
  string(SHA256 id "${sums}")
  string(SUBSTRING ${id} 0 16 id)
  file(WRITE ${DEST}/files "${names}")
  file(WRITE ${DEST}/id "${INDEX}-${id}\n")
endif()
