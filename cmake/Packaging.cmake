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
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "strata: a Kafka-style partitioned message broker (strata-broker) and its CLI (strata)")
set(CPACK_PACKAGE_CONTACT "strata maintainers <strata@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # strata_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/conffiles ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
