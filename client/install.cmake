# The installable client library (README, "The client library"):
#   libstrata.so.MAJOR.MINOR.PATCH (SONAME libstrata.so.MAJOR) and
#   libstrata.a, made of strata_client_objects and the protocol objects;
#   the public headers client/include/strata/*.h; a CMake package
#   (find_package(strata CONFIG REQUIRED) -> strata::client, the shared
#   library, and strata::client_static); strata.pc for pkg-config.
# Install components: libstrata (the shared library: Debian package
# libstrata<MAJOR>) and libstrata-dev (headers, static library, CMake and
# pkg-config files); the broker package is the Unspecified component
# (cmake/Packaging.cmake).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# What the library's objects need at link time, by name, so the installed
# files point at the system's libraries, not at this build.
set(STRATA_LINK_LIBS z snappy lz4 zstd xxhash)

add_library(strata_shared SHARED $<TARGET_OBJECTS:strata_client_objects> $<TARGET_OBJECTS:strata_protocol>)
set_target_properties(strata_shared PROPERTIES OUTPUT_NAME strata VERSION ${PROJECT_VERSION}
                                               SOVERSION ${PROJECT_VERSION_MAJOR} EXPORT_NAME client)
target_link_libraries(strata_shared PRIVATE Threads::Threads ${STRATA_LINK_LIBS})
target_include_directories(strata_shared INTERFACE $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
                                                   $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(strata_shared INTERFACE cxx_std_20)
# No undefined symbols: everything the library calls is linked in.
target_link_options(strata_shared PRIVATE -Wl,--no-undefined)

add_library(strata_static STATIC $<TARGET_OBJECTS:strata_client_objects> $<TARGET_OBJECTS:strata_protocol>)
set_target_properties(strata_static PROPERTIES OUTPUT_NAME strata EXPORT_NAME client_static)
target_link_libraries(strata_static INTERFACE Threads::Threads ${STRATA_LINK_LIBS})
target_include_directories(strata_static INTERFACE $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
                                                   $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(strata_static INTERFACE cxx_std_20)

install(TARGETS strata_shared EXPORT strata-targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libstrata NAMELINK_COMPONENT libstrata-dev)
install(TARGETS strata_static EXPORT strata-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libstrata-dev)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/strata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT libstrata-dev)
install(EXPORT strata-targets NAMESPACE strata:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata
        COMPONENT libstrata-dev)
configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/package/strataConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/strataConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata)
# A new minor version works for an application built against an older one
# of the same major (the README's compatibility promise).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/strataConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/strataConfig.cmake ${PROJECT_BINARY_DIR}/package/strataConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata COMPONENT libstrata-dev)
# strata.pc: relative to the prefix it is installed in (pcfiledir), so a
# tree installed anywhere (DESTDIR, a temporary prefix) finds itself.
file(RELATIVE_PATH STRATA_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/package/strata.pc.in ${PROJECT_BINARY_DIR}/package/strata.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/strata.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT libstrata-dev)
