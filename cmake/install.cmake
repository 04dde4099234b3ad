# cmake --install: headers, libbucketdb, plugins (by bdb_add_driver), the command-line program
# (tools/), the schema compiler (schemas/), a CMake package (find_package(BucketDB)), a
# pkg-config file and the license. Each binding installs its package from its own folder
# (bindings/*/CMakeLists.txt): share/bucketdb/go (Go module), share/bucketdb/bucketdb-*.gem,
# share/bucketdb/bucketdb-*.whl, share/java/bucketdb.jar and bucketdb.pom.
# The library comes in one of two install components (BDB_INSTALL_ONEFILE, top CMakeLists.txt):
# "plugins", libbucketdb and the driver plugins; "onefile", the one-file library (builtin/) as
# libbucketdb.so and libbucketdb.a. Each carries the bucketdb.pc and the CMake file
# (BucketDBLibrary.cmake) that describe it.
include(CMakePackageConfigHelpers)

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(FILES abi/include/bucketdb/bucketdb.h abi/include/bucketdb/driver.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bucketdb)
install(TARGETS bucketdb EXPORT BucketDBLibrary
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ${BDB_PLUGINS_COMPONENT}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT BucketDBLibrary NAMESPACE BucketDB::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB ${BDB_PLUGINS_COMPONENT})
if(BDB_ONEFILE)
  # The same target, BucketDB::bucketdb, from the one-file library's file; and the archive as
  # BucketDB::bucketdb_static (BucketDBStatic.cmake), with what it links from the system.
  set_target_properties(bucketdb-onefile PROPERTIES EXPORT_NAME bucketdb)
  install(TARGETS bucketdb-onefile EXPORT BucketDBOnefile
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ${BDB_ONEFILE_COMPONENT}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT BucketDBOnefile NAMESPACE BucketDB:: FILE BucketDBLibrary.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB ${BDB_ONEFILE_COMPONENT})
  install(FILES ${BDB_ONEFILE_ARCHIVE} DESTINATION ${CMAKE_INSTALL_LIBDIR} ${BDB_ONEFILE_COMPONENT})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/BucketDBStatic.cmake.in
    ${PROJECT_BINARY_DIR}/BucketDBStatic.cmake @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/BucketDBStatic.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB ${BDB_ONEFILE_COMPONENT})
endif()
# The schema compiler (BucketDB::schemac), the codec runtime headers (BucketDB::codec),
# bucketdb.fbs beside which the compiler looks, and bucketdb_add_schema (BucketDBSchema.cmake).
install(TARGETS bucketdb-schemac bucketdb_codec EXPORT BucketDBTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES schemas/runtime/include/bucketdb/codec.h schemas/runtime/include/bucketdb/codec.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bucketdb)
install(FILES schemas/bucketdb.fbs DESTINATION ${CMAKE_INSTALL_DATADIR}/bucketdb)
install(FILES schemas/BucketDBSchema.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB)
install(EXPORT BucketDBTargets NAMESPACE BucketDB::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/BucketDBConfig.cmake.in
  ${PROJECT_BINARY_DIR}/BucketDBConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/BucketDBConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/BucketDBConfig.cmake
              ${PROJECT_BINARY_DIR}/BucketDBConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/BucketDB)
# The .pc file finds its prefix from its own place, so an install moved with --prefix works.
# The one-file install's .pc lists what the archive links (pkg-config --static --libs bucketdb).
file(RELATIVE_PATH BDB_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
set(BDB_PC_LIBS_PRIVATE "")
configure_file(${PROJECT_SOURCE_DIR}/cmake/bucketdb.pc.in ${PROJECT_BINARY_DIR}/bucketdb.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bucketdb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        ${BDB_PLUGINS_COMPONENT})
if(BDB_ONEFILE)
  list(TRANSFORM BDB_ONEFILE_SYSTEM_LIBS PREPEND -l OUTPUT_VARIABLE BDB_PC_LIBS_PRIVATE)
  list(JOIN BDB_PC_LIBS_PRIVATE " " BDB_PC_LIBS_PRIVATE)
  set(BDB_PC_LIBS_PRIVATE "Libs.private: ${BDB_PC_LIBS_PRIVATE}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/bucketdb.pc.in ${PROJECT_BINARY_DIR}/onefile/bucketdb.pc
    @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/onefile/bucketdb.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig ${BDB_ONEFILE_COMPONENT})
endif()
