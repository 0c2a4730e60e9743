#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, creates a Fashion-MNIST demo
# project (fmnist-small) and trains it from the CLI, printing per-epoch test accuracy.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
cli="${SN_BUILD_DIR:-$root/build}/app/supernet-cli"
project=${SN_DEMO_PROJECT:-$HOME/supernet-demo}
if [ ! -f "$project/project.sqlite" ]; then
  "$cli" init "$project" --template fmnist-small
fi
"$cli" train "$project" "$@"
"$cli" runs "$project"
