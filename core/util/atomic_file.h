#pragma once
#include <functional>
#include <string>

namespace sn {

// Writes `path` so that a crash never leaves a half-written file under that name:
// `write` fills a temporary file beside it, which is fsynced, renamed over `path`, and the
// folder fsynced. On failure the temporary is removed and the old file is untouched; a
// failed `write` becomes one runtime_error naming `path` and, where the file system is full or
// read-only, saying so (an InputError from `write` passes through as it is).
void writeFileAtomically(const std::string& path,
                         const std::function<void(const std::string& tempPath)>& write);

}  // namespace sn
