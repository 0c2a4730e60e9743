#pragma once
#include <cstdint>
#include <string>

namespace sn {

// Hex SHA-256 of a file's bytes; throws InputError naming the file if it cannot be read.
std::string sha256File(const std::string& path);
std::string sha256Hex(const std::string& bytes);

}  // namespace sn
