#include "core/util/allocator_tuning.h"

#include <cstdlib>  // defines __GLIBC__ on glibc, so the check below can see it

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sn {

void keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // 32 MiB is glibc's largest mmap threshold; setting it also stops the dynamic adjustment.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  mallopt(M_TOP_PAD, 256 * 1024 * 1024);
#endif
}

}  // namespace sn
