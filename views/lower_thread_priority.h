#pragma once

namespace sn {

// Lowers the calling thread's share of the CPU (nice 10 on Linux: about a tenth of a core's
// time against a normal thread, all of an idle one). For work the user did not wait for,
// such as the Subnets tab's predictor fit: at normal priority it took half of a two-core
// machine from the comparison the user opened next. Qt's LowPriority changes nothing on
// Linux, and IdlePriority would stall the fit for as long as a training run keeps the
// cores busy.
void lowerThreadPriority();

}  // namespace sn
