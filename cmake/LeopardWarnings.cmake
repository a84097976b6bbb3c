# leopard_set_warnings(<target>): the project's warning flags for its own code.
# Third-party headers (LibTorch, Qt) are included as SYSTEM so their warnings
# do not count against us.
function(leopard_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(LEOPARD_DEVELOPER)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(LEOPARD_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
