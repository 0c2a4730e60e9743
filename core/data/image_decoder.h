#pragma once
#include <cstdint>
#include <string>

namespace sn {

// Decodes one image file to a square uint8 HWC tile of `resolution`, RGB (channels 3) or
// grey (channels 1), with OpenCV's imgcodecs: it reads JPEG, PNG, BMP and WebP by content,
// turns grey, RGBA, palette, 16-bit and CMYK files into 8-bit BGR or grey, and applies the
// EXIF orientation. The shorter side is resized to `resolution` (INTER_AREA when shrinking,
// which averages the pixels a target pixel covers; bilinear when enlarging), then the
// centre is cropped.
class ImageDecoder {
 public:
  ImageDecoder(int channels, int resolution);

  // Writes channels * resolution^2 bytes to `out`. Returns "" or why the file is bad
  // (empty, truncated, not an image), without throwing: one bad photo must not stop an
  // import of thousands.
  std::string decode(const std::string& path, uint8_t* out) const;

  int tileBytes() const { return channels_ * resolution_ * resolution_; }

 private:
  int channels_;
  int resolution_;
};

}  // namespace sn
