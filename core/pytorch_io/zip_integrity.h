#pragma once
#include <string>

namespace sn {

// Checks every member of a zip archive (a torch.save / TorchScript file) against the CRC-32
// its central directory records, before LibTorch parses any of it. Throws InputError
// "PATH: KIND is corrupt (...)" naming the first damaged member, or why the file is not a whole
// zip archive. This refuses damage (a flipped bit, a cut-off copy), not a file made to pass.
// It also requires the layout LibTorch's archive reader refuses without (every lookup in the
// first member's folder, a supported version record there): LibTorch 1.13 leaks the archive
// it opened when it refuses one.
void requireZipIntact(const std::string& path, const std::string& kind);

}  // namespace sn
