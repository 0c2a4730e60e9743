#pragma once
#include <string>

namespace sn {

// The version of this build: CMake's project version, the one place it is set. The CLI's
// and the app's --version, the About dialog, every export's manifest and the project
// database (which version wrote it) all read it here.
const char* toolVersion();

// The libraries it runs on, one per line: LibTorch's version and whether that LibTorch was
// built with CUDA, SQLite's version. The app adds Qt's.
std::string libraryVersions();

}  // namespace sn
