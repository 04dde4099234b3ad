# bucketdb_add_schema(<target> FILES a.fbs [b.fbs...] [OUTPUT_DIR dir] [INCLUDE_DIRS dir...])
#
# Runs bucketdb-schemac on each .fbs file at build time and gives <target> the generated
# headers: a_bdb.h (C99) and a_bdb.hpp (C++17) in OUTPUT_DIR (default:
# ${CMAKE_CURRENT_BINARY_DIR}/<target>). A file is compiled again only when it, a file it
# includes or the compiler changes (a depfile lists the includes).
#
# <target> is created as an INTERFACE library carrying the include directory and BucketDB's
# codec runtime; link it: target_link_libraries(app PRIVATE <target>). When <target> already
# exists (say, your executable), the headers are added to it instead.
#
# Works in BucketDB's own tree and after find_package(BucketDB), which includes this file.

# Policies are recorded with the function: depfiles of custom commands are translated for
# Ninja (CMP0116) whatever the calling project's minimum version is.
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(bucketdb_add_schema target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIR" "FILES;INCLUDE_DIRS")
  # SPEC section 3's short form, bucketdb_add_schema(<target> a.fbs...), works too.
  foreach(arg IN LISTS ARG_UNPARSED_ARGUMENTS)
    if(NOT arg MATCHES "\\.fbs$")
      message(FATAL_ERROR "bucketdb_add_schema(${target}): unexpected argument ${arg} "
                          "(FILES a.fbs... [OUTPUT_DIR dir] [INCLUDE_DIRS dir...])")
    endif()
    list(APPEND ARG_FILES ${arg})
  endforeach()
  if(NOT ARG_FILES)
    message(FATAL_ERROR "bucketdb_add_schema(${target}): FILES a.fbs... is required")
  endif()
  if(NOT TARGET BucketDB::schemac OR NOT TARGET BucketDB::codec)
    message(FATAL_ERROR "bucketdb_add_schema(${target}): the schema compiler is not known; "
                        "call find_package(BucketDB) first")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${target})
  endif()
  get_filename_component(out ${ARG_OUTPUT_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})

  # In BucketDB's tree the compiler is a target to build first; installed, it is a file.
  get_target_property(compiler BucketDB::schemac ALIASED_TARGET)
  if(NOT compiler)
    set(compiler $<TARGET_FILE:BucketDB::schemac>)
  endif()
  set(include_args "")
  foreach(dir IN LISTS ARG_INCLUDE_DIRS)
    get_filename_component(dir ${dir} ABSOLUTE)
    list(APPEND include_args -I ${dir})
  endforeach()

  set(headers "")
  set(stems "")
  foreach(fbs IN LISTS ARG_FILES)
    get_filename_component(abs ${fbs} ABSOLUTE)
    get_filename_component(stem ${abs} NAME_WLE)
    if(stem IN_LIST stems)
      message(FATAL_ERROR "bucketdb_add_schema(${target}): two files named ${stem}.fbs would "
                          "write the same headers; use two targets")
    endif()
    list(APPEND stems ${stem})
    set(outputs ${out}/${stem}_bdb.h ${out}/${stem}_bdb.hpp)
    set(depfile ${out}/${stem}_bdb.d)
    set(depfile_args "")
    if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.20 AND CMAKE_GENERATOR MATCHES "Ninja|Makefiles")
      set(depfile_args DEPFILE ${depfile})
    endif()
    add_custom_command(OUTPUT ${outputs}
      COMMAND $<TARGET_FILE:BucketDB::schemac> -o ${out} ${include_args} --depfile ${depfile}
              ${abs}
      DEPENDS ${abs} ${compiler}
      ${depfile_args}
      COMMENT "bucketdb-schemac ${fbs}"
      VERBATIM)
    list(APPEND headers ${outputs})
  endforeach()

  add_custom_target(${target}_bdb_generate DEPENDS ${headers})
  if(TARGET ${target})
    get_target_property(type ${target} TYPE)
    set(scope PUBLIC)
    if(type STREQUAL "INTERFACE_LIBRARY")
      set(scope INTERFACE)
    endif()
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(${target} ${scope} ${out})
  target_link_libraries(${target} ${scope} BucketDB::codec)
  add_dependencies(${target} ${target}_bdb_generate)
  set_property(TARGET ${target} APPEND PROPERTY BUCKETDB_SCHEMA_HEADERS ${headers})
endfunction()

cmake_policy(POP)
