#include "core/data/image_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace sn {

namespace {

bool startsWith(const std::vector<uchar>& b, std::initializer_list<uchar> magic) {
  return b.size() >= magic.size() && std::equal(magic.begin(), magic.end(), b.begin());
}

// libjpeg and libpng decode a cut-off file to a partly grey image with only a warning on
// stderr, so a truncated file is caught here, by its missing end marker.
std::string truncationOf(const std::vector<uchar>& b) {
  if (startsWith(b, {0xFF, 0xD8, 0xFF})) {
    // A JPEG ends with EOI (FF D9); some cameras pad a few zero bytes after it.
    auto end = b.size();
    while (end > 2 && b[end - 1] == 0) --end;
    if (end < 4 || b[end - 2] != 0xFF || b[end - 1] != 0xD9) return "truncated JPEG (no end marker)";
  } else if (startsWith(b, {0x89, 'P', 'N', 'G'})) {
    static const uchar iend[] = {'I', 'E', 'N', 'D'};
    if (b.size() < 12 || !std::equal(iend, iend + 4, b.end() - 8)) return "truncated PNG (no IEND)";
  }
  return "";
}

std::string readAll(const std::string& path, std::vector<uchar>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open";
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return "cannot read";
  if (bytes.empty()) return "empty file (0 bytes)";
  return "";
}

}  // namespace

ImageDecoder::ImageDecoder(int channels, int resolution)
    : channels_(channels), resolution_(resolution) {}

std::string ImageDecoder::decode(const std::string& path, uint8_t* out) const {
  std::vector<uchar> bytes;
  if (std::string why = readAll(path, bytes); !why.empty()) return why;
  if (std::string why = truncationOf(bytes); !why.empty()) return why;
  cv::Mat image;
  try {
    // IMREAD_COLOR / GRAYSCALE: always 8-bit, 3 or 1 channels, EXIF orientation applied.
    image = cv::imdecode(bytes, channels_ == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    return std::string("cannot decode (") + e.what() + ")";
  }
  if (image.empty()) return "not an image OpenCV can read (JPEG, PNG, BMP, WebP)";
  const int shorter = std::min(image.rows, image.cols);
  const double scale = static_cast<double>(resolution_) / shorter;
  const int rows = std::max(resolution_, static_cast<int>(std::lround(image.rows * scale)));
  const int cols = std::max(resolution_, static_cast<int>(std::lround(image.cols * scale)));
  cv::Mat resized;
  if (rows != image.rows || cols != image.cols) {
    cv::resize(image, resized, cv::Size(cols, rows), 0, 0,
               scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  } else {
    resized = image;
  }
  cv::Mat tile = resized(cv::Rect((cols - resolution_) / 2, (rows - resolution_) / 2,
                                  resolution_, resolution_));
  if (channels_ == 3) cv::cvtColor(tile, tile, cv::COLOR_BGR2RGB);
  cv::Mat dense = tile.isContinuous() ? tile : tile.clone();
  std::memcpy(out, dense.data, static_cast<size_t>(tileBytes()));
  return "";
}

}  // namespace sn
