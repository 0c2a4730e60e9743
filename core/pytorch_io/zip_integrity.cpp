#include "core/pytorch_io/zip_integrity.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/util/input_error.h"

namespace sn {
namespace {

using Bytes = std::vector<unsigned char>;

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
// The newest archive format LibTorch 1.13 reads (caffe2/serialize/versions.h); the oldest is 1.
constexpr unsigned long kMaxTorchFormat = 10;

// Reads little-endian integers at an offset, refusing any read past the end.
class Reader {
 public:
  Reader(const Bytes& b, const std::string& path, const std::string& kind) : b_(b), path_(path), kind_(kind) {}
  uint64_t le(uint64_t at, int n) const {
    if (at > b_.size() || b_.size() - at < uint64_t(n)) damaged("a record runs past the end of the file");
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = v << 8 | b_[at + i];
    return v;
  }
  [[noreturn]] void damaged(const std::string& why) const {
    throw InputError(path_ + ": " + kind_ + " is corrupt (" + why + ")");
  }

 private:
  const Bytes& b_;
  const std::string& path_;
  const std::string& kind_;
};

Bytes readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The central directory's offset and entry count, from the (zip64) end-of-directory record.
std::pair<uint64_t, uint64_t> directoryOf(const Bytes& b, const Reader& r) {
  if (b.size() < 22) r.damaged("too short for a zip archive");
  // The end record sits in the last 64 kB + 22 bytes (its comment is at most 64 kB).
  const uint64_t stop = b.size() > 65557 ? b.size() - 65557 : 0;
  for (uint64_t at = b.size() - 22;; --at) {
    if (r.le(at, 4) == kEndOfDirectory) {
      uint64_t count = r.le(at + 10, 2), offset = r.le(at + 16, 4);
      if ((count == 0xffff || offset == 0xffffffff) && at >= 20 && r.le(at - 20, 4) == 0x07064b50) {
        const uint64_t z = r.le(at - 12, 8);  // the zip64 end record, named by its locator
        if (r.le(z, 4) != kZip64EndOfDirectory) r.damaged("no zip64 end record where its locator says");
        count = r.le(z + 32, 8);
        offset = r.le(z + 48, 8);
      }
      return {offset, count};
    }
    if (at == stop) r.damaged("not a whole zip archive: no end-of-directory record");
  }
}

uint32_t inflatedCrc(const unsigned char* data, uint64_t size, uint64_t expected, const Reader& r) {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) r.damaged("cannot start inflate");
  z.next_in = const_cast<unsigned char*>(data);
  z.avail_in = static_cast<uInt>(size);
  uint32_t crc = crc32(0, nullptr, 0);
  uint64_t total = 0;
  unsigned char out[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = out;
    z.avail_out = sizeof out;
    rc = inflate(&z, Z_NO_FLUSH);
    const uint64_t got = sizeof out - z.avail_out;
    crc = crc32(crc, out, static_cast<uInt>(got));
    total += got;
    if (total > expected) rc = Z_DATA_ERROR;  // more than the directory says: stop early
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END || total != expected) return ~crc;  // a broken stream never matches
  return crc;
}

struct Member {
  std::string name;
  uint64_t method = 0, data = 0, packed = 0;
};

// Checked here, not left to LibTorch: its 1.13 archive reader leaks the archive it opened (26 kB)
// when it refuses one for these (found by the fuzzer). The first member names the folder every
// lookup goes to; that folder holds a version record, ".data/version" or "version", whose
// format number LibTorch reads.
void requireTorchLayout(const std::vector<Member>& members, const Bytes& b, const Reader& r) {
  const size_t slash = members.front().name.find('/');
  if (slash == std::string::npos)
    r.damaged("member '" + members.front().name + "' is not in a folder");
  const std::string folder = members.front().name.substr(0, slash + 1);
  const Member* version = nullptr;
  for (const Member& m : members) {
    if (m.name == folder + ".data/version" || (!version && m.name == folder + "version"))
      version = &m;
  }
  if (!version) r.damaged("no " + folder + "version record");
  if (version->method != 0) return;  // PyTorch stores it; a deflated one is left to LibTorch
  // LibTorch parses the record as a number (stoull): digits, then at most white space.
  const std::string text(b.begin() + version->data, b.begin() + version->data + version->packed);
  const size_t end = text.find_first_not_of("0123456789");
  const std::string number = text.substr(0, end);
  const bool trailingSpace =
      end == std::string::npos || text.find_first_not_of(" \n\r\t", end) == std::string::npos;
  const unsigned long format = !number.empty() && number.size() <= 3 ? std::stoul(number) : 0;
  if (!trailingSpace || format < 1 || format > kMaxTorchFormat) {
    r.damaged("its version record is not a format LibTorch reads (1-" +
              std::to_string(kMaxTorchFormat) + ")");
  }
}

}  // namespace

void requireZipIntact(const std::string& path, const std::string& kind) {
  const Bytes b = readAll(path);
  const Reader r(b, path, kind);
  auto [at, count] = directoryOf(b, r);
  if (count == 0) r.damaged("no members");
  std::vector<Member> members;
  for (uint64_t i = 0; i < count; ++i) {
    if (r.le(at, 4) != kDirectoryEntry) r.damaged("central directory entry " + std::to_string(i) + " is broken");
    const uint64_t method = r.le(at + 10, 2), crc = r.le(at + 16, 4);
    uint64_t packed = r.le(at + 20, 4), size = r.le(at + 24, 4), local = r.le(at + 42, 4);
    const uint64_t nameLen = r.le(at + 28, 2), extraLen = r.le(at + 30, 2), commentLen = r.le(at + 32, 2);
    r.le(at + 46, int(0));
    const std::string name(b.begin() + std::min<uint64_t>(b.size(), at + 46),
                           b.begin() + std::min<uint64_t>(b.size(), at + 46 + nameLen));
    // Zip64 sizes and offset, in that order, for the fields that overflowed 32 bits.
    for (uint64_t e = at + 46 + nameLen, end = e + extraLen; e + 4 <= end;) {
      const uint64_t id = r.le(e, 2), len = r.le(e + 2, 2);
      if (id == 1) {
        uint64_t f = e + 4;
        if (size == 0xffffffff) size = r.le(f, 8), f += 8;
        if (packed == 0xffffffff) packed = r.le(f, 8), f += 8;
        if (local == 0xffffffff) local = r.le(f, 8);
      }
      e += 4 + len;
    }
    if (r.le(local, 4) != kLocalHeader) r.damaged("member '" + name + "' has no local header");
    const uint64_t data = local + 30 + r.le(local + 26, 2) + r.le(local + 28, 2);
    if (data > b.size() || b.size() - data < packed) r.damaged("member '" + name + "' is cut off");
    uint32_t got = 0;
    if (method == 0) {
      if (packed != size) r.damaged("member '" + name + "' has two sizes");
      got = static_cast<uint32_t>(crc32_z(crc32(0, nullptr, 0), b.data() + data, packed));
    } else if (method == 8) {
      got = inflatedCrc(b.data() + data, packed, size, r);
    } else {
      r.damaged("member '" + name + "' uses compression method " + std::to_string(method));
    }
    if (got != crc) r.damaged("member '" + name + "' fails its CRC-32 check");
    members.push_back({name, method, data, packed});
    at += 46 + nameLen + extraLen + commentLen;
  }
  requireTorchLayout(members, b, r);
}

}  // namespace sn
