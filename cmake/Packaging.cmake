# The Debian package (README, "Installing the package"): `cpack -G DEB` in
# the build directory makes strata_<version>_<arch>.deb with both binaries,
# /etc/strata/broker.conf (a conffile: config/broker.conf with data.dir set
# to /var/lib/strata), the strata-broker.service unit and maintainer
# scripts that create the strata user (packaging/).
# `cpack` installs what is built; it does not build every target first (the
# tests need not be built to package).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS strata-broker strata RUNTIME DESTINATION bin)

file(READ ${PROJECT_SOURCE_DIR}/config/broker.conf _strata_conf)
string(REPLACE "# data.dir = ./data" "data.dir = /var/lib/strata" _strata_conf "${_strata_conf}")
string(REPLACE "strata-broker --config config/broker.conf" "strata-broker --config /etc/strata/broker.conf (systemd: strata-broker.service)"
       _strata_conf "${_strata_conf}")
file(WRITE ${PROJECT_BINARY_DIR}/package/broker.conf "${_strata_conf}")
install(FILES ${PROJECT_BINARY_DIR}/package/broker.conf DESTINATION /etc/strata)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/strata-broker.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/strata)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME strata)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The first line of every package's description; each component adds its own.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "strata, a Kafka-style partitioned message broker")
set(CPACK_PACKAGE_CONTACT "strata maintainers <strata@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # strata_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES TRUE)
# One package per install component (issue 26): the broker and CLI
# (strata, the Unspecified component, as before), the client library's
# runtime (libstrata<MAJOR>: libstrata.so.MAJOR) and its development files
# (libstrata-dev: headers, libstrata.a, the CMake package, strata.pc);
# client/install.cmake assigns the library's files.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Unspecified libstrata libstrata-dev)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME strata)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_UNSPECIFIED_DESCRIPTION "The broker (strata-broker) and its CLI (strata).")
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/conffiles ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_LIBSTRATA_PACKAGE_NAME libstrata${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_LIBSTRATA_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBSTRATA_DESCRIPTION "strata client library (runtime)\nlibstrata.so.${PROJECT_VERSION_MAJOR}, for programs built against libstrata-dev.")
set(CPACK_DEBIAN_LIBSTRATA-DEV_PACKAGE_NAME libstrata-dev)
set(CPACK_DEBIAN_LIBSTRATA-DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBSTRATA-DEV_PACKAGE_DEPENDS "libstrata${PROJECT_VERSION_MAJOR} (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_LIBSTRATA-DEV_DESCRIPTION
    "strata client library (development)\nHeaders (strata/*.h), libstrata.a, the CMake package (find_package(strata)) and strata.pc.")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
