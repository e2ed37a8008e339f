# The client library's API reference, generated from the public headers
# (client/include/strata/*.h) by Doxygen: `cmake --build build --target
# strata-docs` writes build/docs/api/html/index.html. Every public name
# must be documented: a warning fails the target (ctest runs it:
# tests/package/library_tests.cmake).
find_package(Doxygen)
if(DOXYGEN_FOUND)
  set(DOXYGEN_PROJECT_NAME "strata client library")
  set(DOXYGEN_PROJECT_NUMBER ${PROJECT_VERSION})
  set(DOXYGEN_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/docs/api)
  set(DOXYGEN_GENERATE_LATEX NO)
  set(DOXYGEN_QUIET YES)
  set(DOXYGEN_WARN_IF_UNDOCUMENTED YES)
  set(DOXYGEN_WARN_IF_DOC_ERROR YES)
  set(DOXYGEN_WARN_NO_PARAMDOC NO)
  set(DOXYGEN_WARN_AS_ERROR FAIL_ON_WARNINGS)
  set(DOXYGEN_EXTRACT_ALL NO)
  set(DOXYGEN_HIDE_UNDOC_CLASSES NO)
  set(DOXYGEN_JAVADOC_AUTOBRIEF YES)
  set(DOXYGEN_ENABLE_PREPROCESSING YES)
  set(DOXYGEN_MACRO_EXPANSION YES)
  set(DOXYGEN_PREDEFINED "STRATA_API=")
  set(DOXYGEN_EXCLUDE_SYMBOLS "*::Impl")
  set(DOXYGEN_STRIP_FROM_INC_PATH ${CMAKE_CURRENT_SOURCE_DIR}/include)
  set(DOXYGEN_STRIP_FROM_PATH ${CMAKE_CURRENT_SOURCE_DIR}/include)
  doxygen_add_docs(strata-docs ${CMAKE_CURRENT_SOURCE_DIR}/include/strata
                   COMMENT "API reference of the client library (warnings fail it)")
endif()
