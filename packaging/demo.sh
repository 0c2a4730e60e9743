#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, creates the Fashion-MNIST demo
# project (fmnist-small) if it does not exist, and opens it in supernet-studio with a
# training run started. Extra arguments go to supernet-studio (e.g. --epochs 2).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
build=${SN_BUILD_DIR:-$root/build}
project=${SN_DEMO_PROJECT:-$HOME/supernet-demo}
if [ ! -f "$project/project.sqlite" ]; then
  "$build/app/supernet-cli" init "$project" --template fmnist-small
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  cat >&2 <<MSG
supernet-studio is built, and the demo project is ready at $project,
but there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).
  - On a desktop: run this command again from a terminal of your desktop session.
  - Over SSH: connect with 'ssh -X' (or -Y) and run it again.
  - Headless (a server): train the same project with the CLI and open it in the GUI later:
        $build/app/supernet-cli train $project
    or run the GUI on a virtual display: xvfb-run -a packaging/demo.sh
MSG
  exit 1
fi
echo "Opening $project in supernet-studio with training started (Run > Stop to stop)."
exec "$build/app/supernet-studio" "$project" --start "$@"
