#!/usr/bin/env bash
# Installs the Debian packages TillHQ needs on a fresh machine (idempotent: only what is missing).
#   postgresql        server binaries for the embedded/test PostgreSQL cluster
#   libgl1 ... libdbus  runtime libraries Qt (PySide6) loads even offscreen
#   xvfb + libxcb-*   a virtual display for till screenshots
#   chromium          headless browser for the dashboard's browser tests and screenshots
#   firefox-esr       the dashboard's Firefox tests (driven over WebDriver BiDi, no geckodriver)
#                     (WITH_BROWSER=0 leaves both out, e.g. on a machine that only runs HQ)
#   curl + jq         docs/back-office-quickstart.md's commands (and the test that runs them)
set -euo pipefail

need=(postgresql libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
      libglib2.0-0 xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
      libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 fonts-dejavu-core curl jq)
if [[ "${WITH_BROWSER:-1}" == "1" ]]; then need+=(chromium firefox-esr); fi

missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The server binaries may also come from elsewhere (PATH or another major version).
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null; then
  missing=("${missing[@]/postgresql}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "system-deps: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "system-deps: need root to install: ${missing[*]} (apt-get install them, then re-run)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq
${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
