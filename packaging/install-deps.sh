#!/usr/bin/env bash
# Installs everything Supernet Studio needs to build, test and run, from Debian 12 packages.
# Idempotent: packages already present are skipped by apt-get. Works as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev
  # The headers of the gloo LibTorch's distributed engine (c10d's ProcessGroupGloo) uses.
  libgloo-dev
  # Debian's LibTorch calls whatever libblas.so.3 is; without this it is the slow reference BLAS.
  libopenblas0-openmp
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  libsqlite3-dev nlohmann-json3-dev zlib1g-dev
  # Gradient-boosted trees, one of the accuracy predictor's candidate models.
  libxgboost-dev
  # Export: ONNX protobuf classes, OpenCV's DNN module to check the ONNX file, Python's ONNX
  # checker for the tests.
  libonnx-dev libprotobuf-dev libopencv-dnn-dev python3-onnx
  # Image folders: OpenCV's decoders and resize.
  libopencv-imgcodecs-dev libopencv-imgproc-dev
  dataset-fashion-mnist
  xvfb xauth
  # The .deb (cmake/Packaging.cmake) and its checks: icons from the SVG, the man page from
  # --help, dpkg-shlibdeps, and the validators its test runs.
  librsvg2-bin help2man dpkg-dev file desktop-file-utils appstream lintian
  # libFuzzer harnesses with ASan + UBSan (packaging/fuzz.sh, the `fuzz` test).
  clang-14 libclang-rt-14-dev
)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
