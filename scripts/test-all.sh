#!/usr/bin/env bash
# Runs every test: installs missing prerequisites, builds, runs all test projects, and prints
# one closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build SeccompEbpf.slnx -c Release -v quiet -nologo || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
dotnet test SeccompEbpf.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13").
read -r passed failed skipped < <(awk '
  /Failed: *[0-9]+, *Passed: *[0-9]+/ {
    match($0, /Failed: *[0-9]+/);  f += substr($0, RSTART + 7, RLENGTH - 7)
    match($0, /Passed: *[0-9]+/);  p += substr($0, RSTART + 7, RLENGTH - 7)
    if (match($0, /Skipped: *[0-9]+/)) s += substr($0, RSTART + 8, RLENGTH - 8)
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
rm -f "$log"
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
