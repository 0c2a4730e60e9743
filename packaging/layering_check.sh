#!/usr/bin/env bash
# The layers, checked on what the compiler really read: core/ and db/ include no Qt header,
# and views/ and the studio include no LibTorch (torch, ATen, c10) or SQLite header, directly
# or through another header. Reads the header dependencies Ninja recorded for each object of
# a built tree (`ninja -t deps`), so it runs after the build.
#   packaging/layering_check.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
deps=$(mktemp)
trap 'rm -f "$deps"' EXIT
ninja -C "$build" -t deps > "$deps"

# Each object's line ("OBJ: #deps N, ...") followed by its headers, one per line, indented.
awk -v qt='/(qt6|Qt[A-Za-z]+)/' \
    -v torch='/(torch|ATen|c10|caffe2)/|/sqlite3\.h$' '
  /^[^ ].*: #deps/ {
    object = $1; sub(/:$/, "", object)
    layer = ""
    if (object ~ /^(core|db)\/CMakeFiles\//) layer = "plain"
    if (object ~ /^(views|app)\/CMakeFiles\/(supernet_views|supernet_studio_window|supernet-studio)\.dir\//) layer = "ui"
    via = ""
    next
  }
  # The last of our own headers read before a forbidden one is the one that includes it.
  $1 !~ /^\/usr\// && $1 ~ /\.h$/ { via = $1 }
  layer == "plain" && $1 ~ qt && !(object in seen) {
    print object ": includes Qt (" $1 ", through " via ")"; seen[object] = 1; bad = 1
  }
  layer == "ui" && $1 ~ torch && !(object in seen) {
    print object ": includes LibTorch or SQLite (" $1 ", through " via ")"; seen[object] = 1; bad = 1
  }
  END { exit bad }
' "$deps" && echo "layering: core/ and db/ free of Qt; views/ and the studio free of LibTorch and SQLite"
