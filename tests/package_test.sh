#!/usr/bin/env bash
# The package as a user gets it: cpack builds supernet-studio_<version>_amd64.deb, which is
# unpacked into a temporary root (dpkg -x: no root needed, nothing on the machine changes).
# From the unpacked files alone: both --version lines, a tiny project trained with the
# packaged supernet-cli, the packaged supernet-studio rendering it offscreen to a PNG. The
# desktop entry and AppStream file pass their validators; lintian reports its findings and
# any error fails the test. apt-get --simulate checks that the Depends resolve.
#   package_test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" \
  || { cat "$work/cpack.log"; exit 1; }
deb="$work/out/supernet-studio_${version}_amd64.deb"
test -f "$deb" || { echo "no $deb"; ls "$work/out"; exit 1; }
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Depends | sed 's/^/Depends: /'
dpkg-deb -x "$deb" "$work/root"
bin="$work/root/usr/bin"

"$bin/supernet-cli" --version | tee "$work/cli-version"
grep -q "^supernet-cli (Supernet Studio) $version$" "$work/cli-version"
QT_QPA_PLATFORM=offscreen "$bin/supernet-studio" --version > "$work/studio-version"
grep -q "^supernet-studio (Supernet Studio) $version$" "$work/studio-version"

# No path into the build tree: the executables find nothing there (resources are compiled in).
if readelf -d "$bin/supernet-cli" "$bin/supernet-studio" | grep -E "R(UN)?PATH" | grep -q "$build"; then
  echo "an installed executable has a run path into the build tree"; exit 1
fi

"$bin/supernet-cli" init "$work/proj" --template fmnist-tiny --train-limit 512 --test-limit 256 --epochs 1
"$bin/supernet-cli" train "$work/proj" --threads 2 2>&1 | grep "^epoch 1: test accuracy"
"$bin/supernet-cli" runs "$work/proj" > "$work/runs"
grep -q finished "$work/runs"

QT_QPA_PLATFORM=offscreen "$bin/supernet-studio" "$work/proj" --screenshot "$work/studio.png"
test "$(stat -c %s "$work/studio.png")" -gt 10000
mkdir -p "$build/screenshots" && cp "$work/studio.png" "$build/screenshots/installed-studio.png"

desktop-file-validate "$work/root/usr/share/applications/io.github.supernetstudio.SupernetStudio.desktop"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/io.github.supernetstudio.SupernetStudio.metainfo.xml"
zcat "$work/root/usr/share/man/man1/supernet-cli.1.gz" > "$work/man"  # not piped into grep -q:
grep -qF 'import\-ofa' "$work/man"                                   # pipefail would see SIGPIPE

# What `apt install ./supernet-studio_*.deb` would do on this machine: every Depends resolves
# from the archive (simulated: nothing is installed).
apt-get install --simulate "$deb" > "$work/apt" 2>&1 || { cat "$work/apt"; exit 1; }
grep -q "^Inst supernet-studio " "$work/apt" || { cat "$work/apt"; echo "apt would not install it"; exit 1; }
echo "apt: $(grep -c "^Inst " "$work/apt") packages would be installed, supernet-studio among them"

lintian --allow-root "$deb" | tee "$work/lintian" || true
if grep -q "^E:" "$work/lintian"; then echo "lintian reports errors"; exit 1; fi
echo "lintian: $(grep -c "^[EW]:" "$work/lintian" || true) errors and warnings"
