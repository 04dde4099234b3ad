# cmake --install: headers, libbucketdb, plugins (by bdb_add_driver), the command-line program
# (tools/), the schema compiler (schemas/), a CMake package (find_package(BucketDB)), a
# pkg-config file and the license. Each binding installs its package from its own folder
# (bindings/*/CMakeLists.txt): share/bucketdb/go (Go module), share/bucketdb/bucketdb-*.gem,
# share/bucketdb/bucketdb-*.whl, share/java/bucketdb.jar and bucketdb.pom.
include(CMakePackageConfigHelpers)

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(FILES abi/include/bucketdb/bucketdb.h abi/include/bucketdb/driver.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bucketdb)
install(TARGETS bucketdb EXPORT BucketDBTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
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
file(RELATIVE_PATH BDB_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/bucketdb.pc.in ${PROJECT_BINARY_DIR}/bucketdb.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bucketdb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
