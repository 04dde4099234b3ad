# Copies libbucketdb (under its SONAME, as a file: wheels, gems and jars hold no symlinks) and
# the driver plugins into a package's folder, without debug info.
#   cmake -DOBJCOPY=... -DLIBRARY=path -DSONAME=name "-DPLUGINS=a|b" -DDEST=dir -P stage_native.cmake
string(REPLACE "|" ";" PLUGINS "${PLUGINS}")
file(MAKE_DIRECTORY ${DEST})
set(copies ${LIBRARY} ${DEST}/${SONAME})
foreach(p IN LISTS PLUGINS)
  get_filename_component(name ${p} NAME)
  list(APPEND copies ${p} ${DEST}/${name})
endforeach()
while(copies)
  list(POP_FRONT copies from to)
  execute_process(COMMAND ${OBJCOPY} --strip-debug ${from} ${to} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "objcopy --strip-debug ${from} failed")
  endif()
endwhile()
