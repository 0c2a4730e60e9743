# sn_use_torch_pch(target): reuse one precompiled <torch/torch.h> instead of parsing it per TU.
# The PCH is built once in supernet_core (core/pch.h) and shared by every torch-using target.
function(sn_use_torch_pch target)
  if(SUPERNET_USE_PCH AND NOT target STREQUAL "supernet_core")
    target_precompile_headers(${target} REUSE_FROM supernet_core)
  endif()
endfunction()
