#!/bin/bash
# Installs what libsetl needs to build, test and document itself on Debian 12.
# Used by the README's set-up commands and by .ci/run. Runs apt-get as root;
# started by another user, it re-runs itself through sudo.
set -euo pipefail

packages=(
  # toolchain and build system (libc6-dev is only a Recommends of gcc)
  gcc libc6-dev meson ninja-build pkg-config
  # libsetl's own dependencies
  libglib2.0-dev libjson-glib-dev
  # GObject Introspection: the GIR/typelib, and the Python test client
  gobject-introspection libgirepository1.0-dev gir1.2-glib-2.0 python3 python3-gi
  # API reference (meson -Ddocs=true)
  gi-docgen
  # backends, cache and data plane of the coming issues: SQLite is the
  # embedded default backend, PostgreSQL the server one
  libsqlite3-dev libpq-dev postgresql libxxhash-dev libzstd-dev
  # memory checking by hand, beside the sanitizers CI runs
  valgrind
)

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then
    exec sudo bash "$0" "$@"
  fi
  echo "install-deps.sh: run me as root (apt-get needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
