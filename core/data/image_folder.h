#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sn {

// One image file of an image folder and its class index.
struct ImageFile {
  std::string path;
  int label = 0;
};

// How a folder is split when it has no train/ and val/ of its own.
struct ImageFolderOptions {
  double valShare = 0.1;  // held out per class (stratified), in [0, 0.9]
  uint64_t seed = 0;      // which files are held out
};

// The files of an image folder in torchvision's ImageFolder layout, ROOT/<class>/<image>:
// classes are the sub-folder names in sorted order. Either ROOT/train/ and ROOT/val/ (the
// same layout each), or one folder split by a held-out share.
struct ImageFolder {
  std::string root;
  std::vector<std::string> classes;
  std::vector<ImageFile> train;
  std::vector<ImageFile> val;
  std::string layout;  // "train/val folders" or "held-out share"

  // Lists ROOT. Hidden files and files without an image extension (jpg, jpeg, png, bmp,
  // webp) are skipped; whether a file decodes is the importer's business. InputError (one
  // message naming the folder) for: no class folders, one class, an empty class, a val/
  // class that train/ lacks.
  static ImageFolder scan(const std::string& root, const ImageFolderOptions& options);
};

}  // namespace sn
