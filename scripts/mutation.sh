#!/usr/bin/env bash
# Mutation testing of the SDK's security-critical folders with Stryker.NET (the local tool pinned in .config/dotnet-tools.json).
# Not part of .ci/run: one folder takes tens of minutes on two cores. Each folder is one run (--mutate), so a score says how
# well the tests guard that folder alone.
#
#   scripts/mutation.sh                         Policies, Tenancy, Validation and Objects, one after the other
#   scripts/mutation.sh Tenancy                 one folder
#   scripts/mutation.sh Tenancy/IpCidr.cs       one file (a path under src/Sandboxing.Sdk)
#   scripts/mutation.sh Tenancy/IpCidr.cs,Validation/SandboxValidator.cs
#                                               several paths in one run (one build), each scored on its own
#
# Environment: CONCURRENCY (default 1: the machine is shared), BREAK_AT (exit non-zero under this score, default 0),
# TEST_FILTER (a dotnet test filter for the test runs, default: every test).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
concurrency="${CONCURRENCY:-1}"
break_at="${BREAK_AT:-0}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(Policies Tenancy Validation Objects)
fi

cd "$root"
dotnet tool restore >/dev/null

# Stryker builds and rewrites bin/obj: it runs on a copy of the sources (with uncommitted changes), so the working tree's
# build stays usable while it runs. Reports are copied back to StrykerOutput/.
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
trap 'exit 130' INT TERM
tar -C "$root" --exclude=./StrykerOutput --exclude='*/bin' --exclude='*/obj' --exclude=./artifacts -cf - . | tar -C "$copy" -xf -

summary=()
status=0
for target in "${targets[@]}"; do
  target="${target%/}"
  mutate=()
  IFS=',' read -r -a paths <<<"$target"
  for path in "${paths[@]}"; do
    path="${path%/}"
    if [ ! -e "$copy/src/Sandboxing.Sdk/$path" ]; then
      echo "mutation.sh: src/Sandboxing.Sdk/$path does not exist; give a folder (Tenancy) or a file (Tenancy/IpCidr.cs) under src/Sandboxing.Sdk." >&2
      exit 2
    fi

    if [ -d "$copy/src/Sandboxing.Sdk/$path" ]; then mutate+=(--mutate "**/Sandboxing.Sdk/$path/**/*.cs"); else mutate+=(--mutate "**/Sandboxing.Sdk/$path"); fi
  done

  out="$root/StrykerOutput/${target//\//_}"
  rm -rf "$out"
  config="$(mktemp --suffix=.json)"
  # The test filter lives in the config file: Stryker has no command-line option for it.
  if [ -n "${TEST_FILTER:-}" ]; then
    printf '{ "stryker-config": { "test-case-filter": "%s" } }\n' "$TEST_FILTER" >"$config"
  else
    printf '{ "stryker-config": {} }\n' >"$config"
  fi

  echo "== $target"
  set +e
  (cd "$copy/tests/Sandboxing.Sdk.Tests" && dotnet stryker \
    --config-file "$config" \
    --project Sandboxing.Sdk.csproj \
    --target-framework net10.0 \
    "${mutate[@]}" \
    --concurrency "$concurrency" \
    --break-at "$break_at" \
    --reporter json --reporter html --reporter progress ${STRYKER_ARGS:-} \
    --output "$out")
  code=$?
  set -e
  rm -f "$config"
  [ $code -eq 0 ] || status=$code

  report="$(find "$out" -name mutation-report.json | head -n 1)"
  if [ -z "$report" ]; then
    summary+=("$target: no report (Stryker exited $code)")
    continue
  fi

  # Score as Stryker computes it: detected (killed + timeout) over valid mutants (detected + survived + no coverage), for each
  # path given in this run.
  line="$(python3 - "$report" "$target" <<'PY'
import json, sys
report, target = sys.argv[1], sys.argv[2]
files = json.load(open(report))["files"]
lines = []
for path in target.split(","):
    path = path.strip().rstrip("/")
    counts = {}
    for name, f in files.items():
        rel = name.replace("\\", "/").split("/Sandboxing.Sdk/", 1)[-1]
        if rel == path or rel.startswith(path + "/"):
            for m in f["mutants"]:
                counts[m["status"]] = counts.get(m["status"], 0) + 1
    killed, timeout = counts.get("Killed", 0), counts.get("Timeout", 0)
    survived, nocov = counts.get("Survived", 0), counts.get("NoCoverage", 0)
    valid = killed + timeout + survived + nocov
    score = 100.0 * (killed + timeout) / valid if valid else 0.0
    lines.append(f"{path}: {valid} mutants, {killed} killed, {timeout} timeout, {survived} survived, {nocov} no coverage: score {score:.1f}%")
print("\n".join(lines))
PY
)"
  summary+=("$line")
  echo "$line"
done

echo
echo "== mutation scores"
printf '%s\n' "${summary[@]}"
exit $status
