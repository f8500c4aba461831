#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python, then run them.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the Linux-platform tests run for real (shellcheck, pppd, iptables, ip).
if [ -f .ci/apt-linux.txt ]; then
  mapfile -t pkgs < <(grep -v '^\s*#' .ci/apt-linux.txt | grep -v '^\s*$')
  missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
exec .venv/bin/pytest "$@"
