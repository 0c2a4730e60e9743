#include "views/lower_thread_priority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace sn {

void lowerThreadPriority() {
#ifdef __linux__
  // Linux keeps a nice value per thread; PRIO_PROCESS with a thread id sets that thread's.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
#endif
}

}  // namespace sn
