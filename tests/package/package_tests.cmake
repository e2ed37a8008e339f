# The Debian package: cpack, dpkg -i with service starts forbidden, checks,
# the installed broker started and stopped, dpkg -r and --purge. Needs root
# and dpkg (skipped otherwise, exit 77); runs alone since it installs into
# this machine.
add_test(NAME package:debian_package_installs_runs_and_purges
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/package_test.sh ${PROJECT_BINARY_DIR})
set_tests_properties(package:debian_package_installs_runs_and_purges
                     PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE)
