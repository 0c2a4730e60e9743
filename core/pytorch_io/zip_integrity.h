#pragma once
#include <string>

namespace sn {

// Checks every member of a zip archive (a torch.save / TorchScript file) against the CRC-32
// its central directory records, before LibTorch parses any of it. Throws InputError
// "PATH: KIND is corrupt (...)" naming the first damaged member, or why the file is not a whole
// zip archive. This refuses damage (a flipped bit, a cut-off copy), not a file made to pass.
void requireZipIntact(const std::string& path, const std::string& kind);

}  // namespace sn
