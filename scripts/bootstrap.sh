#!/usr/bin/env bash
# Installs every Debian and PyPI package the project needs, idempotently: the lists are scripts/deps/apt-*.txt and
# scripts/deps/pip-*.txt (one file per part). Safe to run again; it only calls apt-get/pip for what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

read_list() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$@" 2>/dev/null | grep -v '^$' | sort -u || true; }

apt_wanted=$(read_list "$here"/deps/apt-*.txt)
missing=()
for p in $apt_wanted; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pip_files=("$here"/deps/pip-*.txt)
if [ -e "${pip_files[0]}" ]; then
  py=${PYTHON:-python3}
  reqs=$(read_list "${pip_files[@]}")
  if [ -n "$reqs" ]; then
    # pip's own check: a requirement already satisfied costs no download.
    if ! printf '%s\n' $reqs | "$py" -c '
import sys, importlib.metadata as md
from packaging.requirements import Requirement
bad = []
for line in sys.stdin.read().split():
    r = Requirement(line)
    try:
        v = md.version(r.name)
        if r.specifier and v not in r.specifier: bad.append(line)
    except md.PackageNotFoundError:
        bad.append(line)
sys.exit(1 if bad else 0)' 2>/dev/null; then
      echo "bootstrap: installing PyPI packages"
      "$py" -m pip install -q --disable-pip-version-check $reqs
    fi
  fi
fi
echo "bootstrap: all dependencies present"
