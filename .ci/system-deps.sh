#!/usr/bin/env bash
# Install the Debian packages the tests need, skipping those already present.
set -euo pipefail
# fonts-dejavu-core: the serif Chromium falls back on, which the chart labels' widths are checked against.
wanted=(chromium poppler-utils gettext postgresql postgresql-client redis-server fonts-dejavu-core)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Missing Debian packages: ${missing[*]} (run as root or install them)." >&2; exit 1; fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
