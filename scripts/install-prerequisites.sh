#!/usr/bin/env bash
# Installs what the tests and benchmarks need on a fresh Debian 12 machine, skipping what is there.
# Needs root (apt-get). Safe to run again. (clang + zlib1g-dev: the NativeAOT launcher ./seccomp-ebpf builds;
# zsh, fish: the completion scripts are checked in them.)
set -euo pipefail

packages=(clang-19 llvm-19 lld-19 clang llvm libseccomp-dev seccomp crun strace libbpf-dev bpftool zlib1g-dev zsh fish)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-prerequisites: missing packages: ${missing[*]} (run as root to install them; tests that need them will skip)" >&2
  else
    echo "install-prerequisites: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
fi
if ! command -v dotnet >/dev/null; then
  echo "install-prerequisites: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi
