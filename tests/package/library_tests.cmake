# The installable client library (issue 26): install to a temporary
# prefix, build client/examples/app with find_package(strata) and a
# one-file program with pkg-config, run both against a real broker.
add_test(NAME package:client_library_installs_and_links_out_of_tree
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/library_install_test.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
                 $<TARGET_FILE:strata-broker>)
# Both tests run `cmake --build` in this build tree: never at once (two
# builds in one tree trip over each other's files).
set_tests_properties(package:client_library_installs_and_links_out_of_tree
                     PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK strata_build_tree)

# The API reference builds from the public headers with no Doxygen warning
# (every public name documented); the target fails on any.
if(TARGET strata-docs)
  add_test(NAME docs:client_api_reference_has_no_warnings
           COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target strata-docs)
  set_tests_properties(docs:client_api_reference_has_no_warnings PROPERTIES RESOURCE_LOCK strata_build_tree)
endif()
