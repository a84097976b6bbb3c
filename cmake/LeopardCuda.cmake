# Optional custom CUDA kernels. The engine runs on CUDA through LibTorch alone;
# this only adds hand-written .cu sources, and only when both nvcc and a CUDA
# LibTorch are present. Without them the build goes on and says why.
set(LEOPARD_CUDA_KERNELS_ENABLED OFF)
if(LEOPARD_CUDA_KERNELS)
  include(CheckLanguage)
  check_language(CUDA)
  set(_torch_has_cuda OFF)
  if(TARGET torch_cuda OR TARGET c10_cuda OR TORCH_CUDA_LIBRARIES)
    set(_torch_has_cuda ON)
  endif()
  if(CMAKE_CUDA_COMPILER AND _torch_has_cuda)
    enable_language(CUDA)
    set(LEOPARD_CUDA_KERNELS_ENABLED ON)
  else()
    message(WARNING "LEOPARD_CUDA_KERNELS requested but nvcc (${CMAKE_CUDA_COMPILER}) "
                    "or a CUDA LibTorch is missing: building without custom kernels.")
  endif()
endif()
