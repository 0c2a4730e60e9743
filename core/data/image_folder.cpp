#include "core/data/image_folder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/util/input_error.h"

namespace sn {
namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& p) { return p.filename().string().rfind('.', 0) == 0; }

bool hasImageExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp";
}

std::vector<std::string> sortedEntries(const fs::path& dir, bool folders) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (hidden(e.path())) continue;
    if (folders ? e.is_directory() : (e.is_regular_file() && hasImageExtension(e.path()))) {
      names.push_back(e.path().filename().string());
    }
  }
  if (ec) throw InputError(dir.string() + ": cannot list (" + ec.message() + ")");
  std::sort(names.begin(), names.end());
  return names;
}

// Each class's image files, in sorted order; an empty class is an error.
std::vector<std::vector<std::string>> filesPerClass(const fs::path& dir,
                                                    const std::vector<std::string>& classes) {
  std::vector<std::vector<std::string>> files;
  for (const auto& c : classes) {
    files.push_back({});
    for (const auto& f : sortedEntries(dir / c, false)) files.back().push_back((dir / c / f).string());
    if (files.back().empty()) {
      throw InputError((dir / c).string() + ": class '" + c +
                       "' has no images (jpg, jpeg, png, bmp or webp); add some or remove it");
    }
  }
  return files;
}

std::vector<std::string> classFolders(const fs::path& dir) {
  std::vector<std::string> classes = sortedEntries(dir, true);
  if (classes.empty()) {
    throw InputError(dir.string() + ": no class folders (expected ROOT/<class>/<image>)");
  }
  if (classes.size() == 1) {
    throw InputError(dir.string() + ": only one class ('" + classes[0] +
                     "'); a classifier needs at least two class folders");
  }
  return classes;
}

void appendAll(std::vector<ImageFile>& out, const std::vector<std::string>& files, int label) {
  for (const auto& f : files) out.push_back({f, label});
}

}  // namespace

ImageFolder ImageFolder::scan(const std::string& rootText, const ImageFolderOptions& options) {
  const fs::path root(rootText);
  if (!fs::is_directory(root)) throw InputError(rootText + ": not a folder");
  if (options.valShare < 0 || options.valShare > 0.9) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", options.valShare);
    throw InputError(std::string("--val-share ") + text + ": must be in [0, 0.9]");
  }
  ImageFolder folder;
  folder.root = rootText;
  if (fs::is_directory(root / "train") && fs::is_directory(root / "val")) {
    folder.layout = "train/val folders";
    folder.classes = classFolders(root / "train");
    const auto train = filesPerClass(root / "train", folder.classes);
    for (const auto& c : sortedEntries(root / "val", true)) {
      if (!std::binary_search(folder.classes.begin(), folder.classes.end(), c)) {
        throw InputError((root / "val" / c).string() + ": class '" + c +
                         "' is not in " + (root / "train").string());
      }
    }
    for (size_t k = 0; k < folder.classes.size(); ++k) {
      appendAll(folder.train, train[k], static_cast<int>(k));
      const fs::path valClass = root / "val" / folder.classes[k];
      if (fs::is_directory(valClass)) {
        appendAll(folder.val, filesPerClass(root / "val", {folder.classes[k]})[0],
                  static_cast<int>(k));
      }
    }
    return folder;
  }
  folder.layout = "held-out share";
  folder.classes = classFolders(root);
  const auto files = filesPerClass(root, folder.classes);
  for (size_t k = 0; k < files.size(); ++k) {
    // Stratified: each class holds out its own share, drawn by (seed, class) alone, so
    // adding a class does not reshuffle the others.
    std::vector<size_t> order(files[k].size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(options.seed * 1000003u + k);
    std::shuffle(order.begin(), order.end(), rng);
    const auto held = static_cast<size_t>(std::lround(options.valShare * order.size()));
    std::vector<bool> isVal(order.size(), false);
    for (size_t i = 0; i < held && i + 1 < order.size(); ++i) isVal[order[i]] = true;
    for (size_t i = 0; i < order.size(); ++i) {
      (isVal[i] ? folder.val : folder.train).push_back({files[k][i], static_cast<int>(k)});
    }
  }
  return folder;
}

}  // namespace sn
