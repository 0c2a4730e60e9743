#pragma once

namespace sn {

// A TCP port on 127.0.0.1 that the kernel just handed out and this process released: a
// rendezvous store for local ranks can bind it a moment later. Throws std::runtime_error.
int freeLoopbackPort();

}  // namespace sn
