// Image folders: folders written at test time from real Fashion-MNIST images (JPEG, PNG, BMP,
// WebP; several sizes and colour types; broken files), imported with the real importer and
// CLI, then trained on from the memory-mapped cache.
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

#include "cli_support.h"
#include "image_folder_support.h"
#include "core/data/batch_loader.h"
#include "core/data/dataset_pair.h"
#include "core/data/idx_reader.h"
#include "core/data/image_cache_reader.h"
#include "core/project/image_import.h"
#include "core/util/cancelled.h"
#include "core/util/input_error.h"
#include "core/util/sha256.h"
#include "db/store.h"
#include "test_support.h"

using namespace sn;
using namespace sn::test;
namespace fs = std::filesystem;

namespace {

// A palette PNG (colour type 3) of a grey image: 256 grey entries, one index per pixel.
// OpenCV cannot write one, so the chunks are written here.
void writePalettePng(const std::string& path, const cv::Mat& grey) {
  auto chunk = [](const std::string& type, const std::string& data) {
    std::string out(4, '\0');
    const uint32_t n = static_cast<uint32_t>(data.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(n >> (24 - 8 * i));
    const std::string body = type + data;
    const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
    std::string tail(4, '\0');
    for (int i = 0; i < 4; ++i) tail[i] = static_cast<char>(crc >> (24 - 8 * i));
    return out + body + tail;
  };
  std::string header(13, '\0');
  header[3] = static_cast<char>(grey.cols);
  header[7] = static_cast<char>(grey.rows);
  header[8] = 8;  // bit depth
  header[9] = 3;  // palette
  std::string palette, raw;
  for (int i = 0; i < 256; ++i) palette += std::string(3, static_cast<char>(i));
  for (int y = 0; y < grey.rows; ++y) {
    raw += '\0';  // no filter
    raw.append(reinterpret_cast<const char*>(grey.ptr(y)), grey.cols);
  }
  std::string packed(compressBound(raw.size()), '\0');
  uLongf size = packed.size();
  compress(reinterpret_cast<Bytef*>(packed.data()), &size,
           reinterpret_cast<const Bytef*>(raw.data()), raw.size());
  packed.resize(size);
  std::ofstream(path, std::ios::binary) << "\x89PNG\r\n\x1a\n" << chunk("IHDR", header)
                                        << chunk("PLTE", palette) << chunk("IDAT", packed)
                                        << chunk("IEND", "");
}

// A JPEG of `image` turned upside down, tagged EXIF orientation 3 (rotate 180): a viewer,
// and the importer, shows it upright again.
void writeTurnedJpeg(const std::string& path, const cv::Mat& image) {
  cv::Mat turned;
  cv::rotate(image, turned, cv::ROTATE_180);
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", turned, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
  const unsigned char app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
                                'M', 'M', 0x00, 0x2A, 0, 0, 0, 8,  // TIFF header, IFD at 8
                                0, 1,                               // one entry
                                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0,  // Orientation = 3
                                0, 0, 0, 0};                        // no next IFD
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(jpeg.data()), 2);  // SOI
  f.write(reinterpret_cast<const char*>(app1), sizeof app1);
  f.write(reinterpret_cast<const char*>(jpeg.data()) + 2, static_cast<std::streamsize>(jpeg.size() - 2));
}

std::string readAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

Project newProject(const std::string& dir) { return Project::create(dir, "fmnist-small"); }

ImageImportRequest request(const std::string& root, int channels, int resolution) {
  ImageImportRequest r;
  r.root = root;
  r.cache.channels = channels;
  r.cache.resolution = resolution;
  return r;
}

// Pixel [y][x][c] of a split's image `i` in the cache (NHWC).
at::Tensor cachedImage(const std::string& cache, const std::string& split, int64_t i) {
  return readImageCache(cache, split).images[i].permute({1, 2, 0});
}

}  // namespace

class TestImageImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void scanMapsSortedClassesAndStratifies() {
    Scratch s;
    const std::string root = s.path("photos");
    writeClasses(root, {{"sneaker", 7}, {"bag", 8}, {"coat", 4}}, 20);
    std::ofstream(root + "/bag/notes.txt") << "not an image";
    std::ofstream(root + "/bag/.hidden.png") << "skipped";
    const ImageFolder f = ImageFolder::scan(root, {0.25, 3});
    QCOMPARE(f.classes, (std::vector<std::string>{"bag", "coat", "sneaker"}));
    QCOMPARE(f.train.size(), size_t{45});
    QCOMPARE(f.val.size(), size_t{15});
    std::vector<int> valPerClass(3, 0);
    for (const auto& v : f.val) ++valPerClass[v.label];
    QCOMPARE(valPerClass, (std::vector<int>{5, 5, 5}));
    for (const auto& t : f.train) {
      QVERIFY(t.path.find("/" + f.classes[t.label] + "/") != std::string::npos);
    }
    // The seed decides which files are held out, and only the seed.
    const ImageFolder again = ImageFolder::scan(root, {0.25, 3});
    const ImageFolder other = ImageFolder::scan(root, {0.25, 4});
    QCOMPARE(again.val[0].path, f.val[0].path);
    bool differs = false;
    for (size_t i = 0; i < f.val.size(); ++i) differs |= other.val[i].path != f.val[i].path;
    QVERIFY(differs);
  }

  void trainValFoldersAndBadLayoutsGetOneMessage() {
    Scratch s;
    writeClasses(s.path("tv/train"), {{"a", 1}, {"b", 2}}, 6);
    writeClasses(s.path("tv/val"), {{"a", 1}, {"b", 2}}, 2);
    const ImageFolder f = ImageFolder::scan(s.path("tv"), {});
    QCOMPARE(f.layout, std::string("train/val folders"));
    QCOMPARE(f.train.size(), size_t{12});
    QCOMPARE(f.val.size(), size_t{4});

    writeClasses(s.path("one"), {{"only", 1}}, 3);
    QVERIFY(errorOf([&] { ImageFolder::scan(s.path("one"), {}); }).find("only one class") !=
            std::string::npos);
    writeClasses(s.path("empty"), {{"a", 1}}, 3);
    fs::create_directories(s.path("empty/b"));
    const std::string e = errorOf([&] { ImageFolder::scan(s.path("empty"), {}); });
    QVERIFY2(e.find("empty/b") != std::string::npos && e.find("no images") != std::string::npos,
             e.c_str());
    writeClasses(s.path("tv/val"), {{"c", 3}}, 1);
    QVERIFY(errorOf([&] { ImageFolder::scan(s.path("tv"), {}); }).find("'c' is not in") !=
            std::string::npos);
    // fmnist-small shrinks its input 4x or more: 2 pixels cannot be taken.
    Project p = newProject(s.path("proj"));
    QVERIFY(errorOf([&] { importImages(p, request(s.path("tv"), 1, 2), {}, nullptr); })
                .find("--resolution 2") != std::string::npos);
    QCOMPARE(p.config().dataset.kind, std::string("fashion-mnist"));
  }

  void decodesEveryFormatToTheSourcePixels() {
    Scratch s;
    const std::string root = s.path("formats");
    const std::vector<int64_t> bags = source().ofClass(8, 7), coats = source().ofClass(4, 7);
    // Class "bag": lossless files of several colour types and sizes, each from one image.
    const cv::Mat g = source().grey(bags[0]);
    write(root + "/bag/grey.png", g);
    cv::Mat bgr, bgra, big, wide, sixteen;
    cv::cvtColor(source().grey(bags[1]), bgr, cv::COLOR_GRAY2BGR);
    write(root + "/bag/rgb.bmp", bgr);
    cv::cvtColor(source().grey(bags[2]), bgra, cv::COLOR_GRAY2BGRA);
    write(root + "/bag/rgba.png", bgra);
    // 2x every pixel: INTER_AREA's 2x2 average gives the source back exactly.
    cv::resize(source().grey(bags[3]), big, cv::Size(56, 56), 0, 0, cv::INTER_NEAREST);
    write(root + "/bag/big.png", big);
    source().grey(bags[4]).convertTo(sixteen, CV_16U, 257.0);  // 16-bit: v * 257 >> 8 = v
    write(root + "/bag/sixteen.png", sixteen);
    write(root + "/bag/lossless.webp", source().grey(bags[5]), {cv::IMWRITE_WEBP_QUALITY, 101});
    writePalettePng(root + "/bag/palette.png", source().grey(bags[6]));
    // Class "coat": JPEGs, one of them wider than tall (centre crop).
    for (int k = 0; k < 5; ++k) write(root + "/coat/c" + std::to_string(k) + ".jpg", source().grey(coats[k]), {cv::IMWRITE_JPEG_QUALITY, 95});
    cv::Mat padded;
    cv::copyMakeBorder(source().grey(coats[5]), padded, 0, 0, 14, 14, cv::BORDER_CONSTANT, 255);
    write(root + "/coat/wide.png", padded);
    writeTurnedJpeg(root + "/coat/c6.jpg", source().grey(coats[6]));

    Project p = newProject(s.path("proj"));
    ImageImportRequest r = request(root, 3, 28);
    r.split.valShare = 0.15;  // one per class held out; all are checked
    importImages(p, r, {}, nullptr);
    const std::string cache = imageCacheDir(p);
    const ImageFolder f = ImageFolder::scan(root, r.split);
    const std::map<std::string, int64_t> sourceOf = {
        {"grey.png", bags[0]}, {"rgb.bmp", bags[1]}, {"rgba.png", bags[2]}, {"big.png", bags[3]},
        {"sixteen.png", bags[4]}, {"lossless.webp", bags[5]}, {"palette.png", bags[6]},
        {"wide.png", coats[5]}};
    int checked = 0;
    for (const auto& [files, split] : {std::pair{&f.train, "train"}, std::pair{&f.val, "val"}}) {
      for (size_t i = 0; i < files->size(); ++i) {
        const std::string name = fs::path((*files)[i].path).filename().string();
        const at::Tensor got = cachedImage(cache, split, static_cast<int64_t>(i)).to(torch::kInt32);
        QCOMPARE(got.size(2), int64_t{3});
        // Grey sources become RGB with three equal channels.
        QVERIFY(got.select(2, 0).equal(got.select(2, 2)));
        if (const auto it = sourceOf.find(name); it != sourceOf.end()) {
          const at::Tensor want = source().images[it->second].to(torch::kInt32);
          QVERIFY2(got.select(2, 1).equal(want), name.c_str());
        } else {
          const int64_t k = std::stoi(name.substr(1));
          const double err = (got.select(2, 1) - source().images[coats[k]].to(torch::kInt32))
                                 .abs().to(torch::kFloat).mean().item<double>();
          QVERIFY2(err < 3.0, (name + " mean abs error " + std::to_string(err)).c_str());
        }
        ++checked;
      }
    }
    QCOMPARE(checked, 14);
    const ImageCacheMeta meta = ImageCacheMeta::read(cache);
    QCOMPARE(meta.classes, (std::vector<std::string>{"bag", "coat"}));
    QCOMPARE(meta.mean.size(), size_t{3});
    QCOMPARE(p.config().dataset.kind, std::string("images"));
    QCOMPARE(datasetShape(p.config().dataset), (NetShape{3, 28, 2}));
  }

  void badFilesAreListedAndTheThresholdIsNamed() {
    Scratch s;
    const std::string root = s.path("photos");
    writeClasses(root, {{"a", 1}, {"b", 2}}, 20);
    const std::string good = readAll(root + "/a/img0.png");
    std::ofstream(root + "/a/zero.jpg");
    std::ofstream(root + "/a/cut.png", std::ios::binary) << good.substr(0, good.size() / 2);
    std::ofstream(root + "/b/text.jpg") << "this is a text file, whatever its name says";
    Project p = newProject(s.path("proj"));
    const std::string e = errorOf([&] { importImages(p, request(root, 1, 28), {}, nullptr); });
    QVERIFY2(e.find("3 of 43 files are bad") != std::string::npos &&
                 e.find("--max-bad 0.1") != std::string::npos && e.find("zero.jpg") != std::string::npos,
             e.c_str());
    QCOMPARE(p.config().dataset.kind, std::string("fashion-mnist"));  // nothing changed
    QVERIFY(!fs::exists(imageCacheDir(p)));
    ImageImportRequest lenient = request(root, 1, 28);
    lenient.cache.maxBadShare = 0.1;
    const ImageImportReport report = importImages(p, lenient, {}, nullptr);
    QCOMPARE(report.bad.size(), size_t{3});
    QCOMPARE(report.trainImages + report.valImages, int64_t{40});
    std::map<std::string, std::string> problems;
    for (const auto& b : report.bad) problems[fs::path(b.path).filename().string()] = b.problem;
    QVERIFY2(problems["zero.jpg"].find("empty") != std::string::npos, problems["zero.jpg"].c_str());
    QVERIFY2(problems["cut.png"].find("truncated") != std::string::npos, problems["cut.png"].c_str());
    QVERIFY2(problems["text.jpg"].find("not an image") != std::string::npos, problems["text.jpg"].c_str());
    const std::string stored = readAll(imageReportPath(p));
    QVERIFY(stored.find("cut.png") != std::string::npos);
  }

  void cancelLeavesTheOldDataAndAKilledImportRedoesToTheSameBytes() {
    Scratch s;
    const std::string root = s.path("photos");
    writeClasses(root, {{"a", 1}, {"b", 7}}, 60);
    Project p = newProject(s.path("proj"));
    std::atomic<bool> stop{true};
    QVERIFY_THROWS_EXCEPTION(Cancelled, importImages(p, request(root, 1, 28), {}, &stop));
    QVERIFY(!fs::exists(imageCacheDir(p)) && !fs::exists(imageCacheDir(p) + ".part"));
    QCOMPARE(p.config().dataset.kind, std::string("fashion-mnist"));

    // A clean import elsewhere, then a CLI import killed half way and run again.
    Project clean = newProject(s.path("clean"));
    importImages(clean, request(root, 3, 160), {}, nullptr);
    QProcess cli;
    cli.start(SN_CLI_PATH, q({"import-images", s.path("proj"), root, "--resolution", "160",
                               "--threads", "1"}));
    QVERIFY(cli.waitForStarted());
    // The first progress line comes after 200 ms of decoding; kill then.
    while (cli.state() == QProcess::Running && !cli.readAllStandardError().contains("decoded")) {
      cli.waitForFinished(20);
    }
    const bool killedMidway = cli.state() == QProcess::Running;
    qInfo("killed %s", killedMidway ? "mid-import" : "after the end (too fast to catch)");
    cli.kill();
    cli.waitForFinished(5000);
    if (killedMidway) QVERIFY(!fs::exists(imageCacheDir(p) + "/meta.json"));
    CLI_OK(runCli(q({"import-images", s.path("proj"), root, "--resolution", "160"})));
    QVERIFY(!fs::exists(imageCacheDir(p) + ".part"));
    for (const char* f : {"train.images", "train.labels", "val.images", "val.labels"}) {
      QCOMPARE(sha256File(imageCacheDir(p) + "/" + f), sha256File(imageCacheDir(clean) + "/" + f));
    }
  }

  void trainsFromTheMemoryMapAsFromMemory() {
    Scratch s;
    const std::string root = s.path("photos");
    writeClasses(root, {{"bag", 8}, {"sneaker", 7}, {"trouser", 1}}, 60);
    const std::string dir = s.path("proj");
    CLI_OK(runCli(q({"init", dir, "--template", "fmnist-small", "--epochs", "1"})));
    CLI_OK(runCli(q({"import-images", dir, root, "--resolution", "28"})));
    // A batch gathered from the strided memory map equals one from a copy in memory.
    Project p = Project::open(dir);
    const DatasetPair data = loadDatasets(p.config().dataset);
    // RGB in NHWC: a strided view of the mapped file, not a copy.
    QVERIFY(!data.train.images.is_contiguous());
    QCOMPARE(data.train.to(torch::kCPU).images.data_ptr(), data.train.images.data_ptr());
    Dataset inMemory = data.train;
    inMemory.images = data.train.images.contiguous();
    const auto [mean, stddev] = BatchLoader::channelStatistics(inMemory);
    const at::Tensor idx = torch::tensor({5, 0, 77, 31}, torch::kInt64);
    QVERIFY(BatchLoader(data.train, mean, stddev).get(idx, {4, true}).images.defined());
    QVERIFY(BatchLoader(data.train.to(torch::kCPU), mean, stddev).range(0, 8).images.equal(
        BatchLoader(inMemory, mean, stddev).range(0, 8).images));
    QCOMPARE(data.train.classNames, (std::vector<std::string>{"bag", "sneaker", "trouser"}));

    const CliResult train = runCli(q({"train", dir, "--threads", "2"}));
    CLI_OK(train);
    Project trained = Project::open(dir);
    QCOMPARE(trained.store().runs().all().size(), size_t{1});
    const CliResult eval = runCli(q({"evaluate", dir, "--arch", "max", "--json"}));
    CLI_OK(eval);
    QVERIFY2(eval.out.find("accuracy") != std::string::npos, eval.out.c_str());
  }
};

QTEST_GUILESS_MAIN(TestImageImport)
#include "tst_image_import.moc"
