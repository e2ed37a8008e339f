# strata/build_info.h: the version and the git commit, for --version and the
# strata_build_info metric. The commit is read at configure time
# (`git describe --always --dirty --abbrev=12`); re-run cmake to refresh it.
# Outside a git checkout (a source tarball) it is "unknown".
set(STRATA_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE _strata_describe OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _strata_git_result ERROR_QUIET)
  if(_strata_git_result EQUAL 0 AND _strata_describe)
    set(STRATA_GIT_COMMIT "${_strata_describe}")
  endif()
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/build_info.h.in ${PROJECT_BINARY_DIR}/generated/strata/build_info.h @ONLY)
add_library(strata_build_info INTERFACE)
target_include_directories(strata_build_info INTERFACE ${PROJECT_BINARY_DIR}/generated)
