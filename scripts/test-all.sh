#!/usr/bin/env bash
# Runs every test: installs missing prerequisites, builds, runs all test projects, and prints
# one closing line "N passed, N failed, N skipped".
#
# Each test project is an xUnit v3 executable, run directly with `dotnet X.dll` (all at once,
# each line prefixed with the project's name) rather than through `dotnet test`: its VSTest adapter
# can report a project whose last test ran for more than 5 s without output as "Test process
# crashed with exit code 0" when the process exits before the adapter has read its last results,
# failing a run that passed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build SeccompEbpf.slnx -c Release -v quiet -nologo || { echo "0 passed, 1 failed, 0 skipped (the build failed)"; exit 1; }

logs=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$logs"' EXIT
projects=(tests/*/*.Tests.csproj)

for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  directory="$(dirname "$project")/bin/Release/net10.0"
  (
    cd "$directory" || exit 1
    # -longRunning names any test still running after 120 s; the timeout turns a hang into a failure;
    # no test reads the terminal (a sandboxed command would otherwise wait on it).
    timeout --kill-after=30 20m dotnet "$name.dll" -noLogo -noColor -longRunning 120 < /dev/null 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$name] /"
    echo "${PIPESTATUS[0]}" > "$logs/$name.status"
  ) &
done
wait

# Sum the per-project summaries ("SeccompEbpf.Tests  Total: 13, Errors: 0, Failed: 0, Skipped: 1, Not Run: 0, Time: 2.1s").
passed=0 failed=0 skipped=0 status=0
echo
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  code=$(cat "$logs/$name.status" 2>/dev/null || echo "none")
  summary=$(grep -E "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+, Not Run: [0-9]+" "$logs/$name.log" 2>/dev/null | tail -1)
  if [[ -z $summary ]]; then
    [[ $code == 124 ]] && code="124 (stopped after 20 minutes)"
    [[ $code == 137 ]] && code="137 (SIGKILL: the 20-minute limit's last resort, or the system)"
    echo "$name: ended with exit code $code before printing its summary (see its output above)"
    failed=$((failed + 1)) status=1
    continue
  fi
  read -r total errors fails skips notrun < <(sed -E 's/.*Total: ([0-9]+), Errors: ([0-9]+), Failed: ([0-9]+), Skipped: ([0-9]+), Not Run: ([0-9]+).*/\1 \2 \3 \4 \5/' <<<"$summary")
  passed=$((passed + total - fails - skips - notrun))
  failed=$((failed + fails + errors + notrun))
  skipped=$((skipped + skips))
  echo "$name: $((total - fails - skips - notrun)) passed, $((fails + errors + notrun)) failed, $skips skipped (exit code $code)"
  [[ $code == 0 && $((fails + errors + notrun)) == 0 ]] || status=1
done

# Repeat each failure (name, message, first lines of the stack) next to the closing line, where a
# reader of a long log, or of only its tail, will see it.
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  awk -v project="$name" '
    /\[FAIL\]$/ { shown = 0; printing = 1; line = $0; sub(/^ +/, "", line); print "[" project "] FAILED: " line; next }
    printing && (/^    [^ ]/ || /^  [^ ]/ || /^===/) { printing = 0 }
    printing && shown < 30 { print "[" project "] " $0; shown++ }
  ' "$logs/$name.log" 2>/dev/null
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
