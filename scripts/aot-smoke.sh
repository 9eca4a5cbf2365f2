#!/usr/bin/env bash
# The native sandboxing against the JIT one: publishes both (the native AOT executable with -p:NativeCli=true, see
# docs/cli.md "Native executable"), runs every command on the CLI test fixtures and on a generated 10,000-document corpus, and
# compares standard output, standard error, the exit code and the files a command writes, byte for byte.
#
#   scripts/aot-smoke.sh                 publish both (the native publish takes about 4 minutes on 2 cores), then compare
#   scripts/aot-smoke.sh --no-publish    compare the executables already under $OUT
#
# OUT (default artifacts/aot-smoke) holds jit/, native/, corpus.yaml and, per case, what each executable printed. Not part of
# .ci/run: the native publish is too slow for every CI run. Ends with 'N passed, N failed'; exit code 1 when a case differs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${OUT:-artifacts/aot-smoke}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ "${1:-}" != "--no-publish" ]]; then
  start=$SECONDS
  dotnet publish src/Sandboxing.Cli -c Release -o "$out/jit"
  echo "JIT publish: $((SECONDS - start)) s"
  start=$SECONDS
  dotnet publish src/Sandboxing.Cli -c Release -p:NativeCli=true -o "$out/native"
  echo "native publish: $((SECONDS - start)) s, $(stat -c %s "$out/native/Sandboxing.Cli") bytes"
fi
if [[ ! -s "$out/corpus.yaml" ]]; then
  dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --write-corpus "$out/corpus.yaml" 10000
fi

jit="$out/jit/Sandboxing.Cli"
native="$out/native/Sandboxing.Cli"
file "$native" | grep -q ELF || { echo "error: $native is not a native executable" >&2; exit 2; }
fixtures="$root/tests/Sandboxing.Cli.Tests/Fixtures"
work="$out/cases"
rm -rf "$work"
pool=(-c myAKSCluster -g myResourceGroup --subscription 00000000-1111-2222-3333-444444444444 -s Standard_D8s_v5 --min 1 --max 5 --zones 1,2,3)

passed=0 failed=0 n=0
# check NAME [STDIN-FILE|-] ARGS...: run ARGS with both executables, each in its own copy of the fixtures, and compare.
check() {
  local name=$1 stdin=$2
  shift 2
  n=$((n + 1))
  local id
  id=$(printf '%02d' "$n")
  for flavour in jit native; do
    # Both run in the same folder (absolute paths appear in SARIF and in messages), then their results are moved apart.
    local dir="$work/run"
    rm -rf "$dir"
    mkdir -p "$dir" "$work/$flavour"
    cp -r "$fixtures/." "$dir/"
    local exe=$jit
    [[ $flavour == native ]] && exe=$native
    local rc=0
    if [[ $stdin == - ]]; then
      (cd "$dir" && "$exe" "$@" < /dev/null > "$work/$flavour/$id.out" 2> "$work/$flavour/$id.err") || rc=$?
    else
      (cd "$dir" && "$exe" "$@" < "$stdin" > "$work/$flavour/$id.out" 2> "$work/$flavour/$id.err") || rc=$?
    fi
    echo "$rc" > "$work/$flavour/$id.rc"
    mv "$dir" "$work/$flavour/$id"
  done
  if cmp -s "$work/jit/$id.out" "$work/native/$id.out" && cmp -s "$work/jit/$id.err" "$work/native/$id.err" \
    && cmp -s "$work/jit/$id.rc" "$work/native/$id.rc" && diff -r -q "$work/jit/$id" "$work/native/$id" > /dev/null; then
    passed=$((passed + 1))
    printf 'same  %s %-44s exit %s, %s bytes out\n' "$id" "$name" "$(cat "$work/jit/$id.rc")" "$(wc -c < "$work/jit/$id.out")"
  else
    failed=$((failed + 1))
    printf 'DIFF  %s %-44s (%s)\n' "$id" "$name" "$*"
    diff "$work/jit/$id.out" "$work/native/$id.out" | head -n 10 || true
    diff "$work/jit/$id.err" "$work/native/$id.err" | head -n 10 || true
    diff "$work/jit/$id.rc" "$work/native/$id.rc" || true
    diff -r "$work/jit/$id" "$work/native/$id" | head -n 10 || true
  fi
}

check "version" - --version
check "help" - --help
check "lint help" - lint --help
check "lint text" - lint manifests
check "lint json" - lint -f json manifests
check "lint sarif" - lint -f sarif manifests
check "lint sarif to a file" - lint -f sarif -o out.sarif --base-dir manifests manifests
check "lint malformed (exit 2)" - lint malformed manifests
check "lint malformed json" - lint -f json malformed
check "lint strict, fail on error" - lint --strict --fail-on error manifests
check "lint exclude, allowed classes" - lint -x nested -a kata-vm-isolation,kata-clh -r kata-clh manifests
check "lint stdin" "$fixtures/manifests/multi-document.yaml" lint -
check "lint a missing file" - lint manifests/none.yaml
check "lint bad option" - lint --format xml manifests
check "lint corpus text" - lint "$out/corpus.yaml"
check "lint corpus json" - lint -f json "$out/corpus.yaml"
check "lint corpus sarif" - lint -f sarif "$out/corpus.yaml"
check "fix dry run" - fix --dry-run manifests
check "fix writes files" - fix manifests
check "fix stdin" "$fixtures/manifests/cronjob.yaml" fix -
check "fix corpus dry run" - fix --dry-run "$out/corpus.yaml"
check "policy" - policy
check "policy audit, hardened" - policy --mode audit --all-namespaces-except kube-system,kube-public --checks hardened
check "policy exemptions" - policy --exempt-groups platform-ops --exempt-service-accounts ci/deployer --exempt-namespace-label sandboxing.sdk/exempt=true
check "policy mutating" - policy --engine mutating --exempt-namespace-label sandboxing.sdk/exempt=true
check "policy mutating 1.33" - policy --engine mutating --kubernetes-version 1.33
check "policy kyverno mutate" - policy --engine kyverno --mutate --exempt-groups platform-ops
check "policy to a file" - policy --engine kyverno -o policy.yaml
for format in az bicep arm terraform rest; do
  check "nodepool $format" - nodepool "${pool[@]}" --sandbox-taint --label team=a --tag env=prod -f "$format"
done
check "nodepool findings (exit 1)" - nodepool -n Bad_Pool -c aks -g rg --os-sku Ubuntu --fips -f bicep
for format in az bicep arm terraform rest; do
  check "cluster $format" - cluster -n sandbox-aks -g sandbox-rg -l westeurope --tenant-pool -f "$format"
done
check "plan" - plan --min 1 --max 5 --max-pods 30 manifests/multi-document.yaml manifests/cronjob.yaml
check "plan a folder" - plan --count 2 manifests
check "plan corpus" - plan --min 1 --max 100 "$out/corpus.yaml"
# Custom resources that run pods (the SDK's fixture of every registry kind) and a config file that adds a kind of its own.
crs="$root/tests/Sandboxing.Sdk.Tests/Manifests/Fixtures/custom-resources.yaml"
cat > "$out/config.yaml" <<'YAML'
runtime: kata-vm-isolation
exclude: [nested]
podTemplates:
  - group: kubeflow.org
    kind: Notebook
    resource: notebooks
    paths: [spec.template.spec]
rules:
  SBX2005: off
YAML
check "lint custom resources" - lint "$crs"
check "lint custom resources sarif" - lint -f sarif "$crs"
check "fix custom resources dry run" - fix --dry-run "$crs"
check "plan custom resources" - plan --min 1 --max 50 "$crs"
check "lint with a config file" - lint --config "$out/config.yaml" manifests
check "policy custom resources" - policy --custom-resources all
check "policy kyverno custom resources" - policy --engine kyverno --custom-resources all
check "runtimes" - runtimes
check "runtimes json" - runtimes --format json
check "tenant" - tenant tenant-42
check "tenant internet" - tenant tenant-42 --egress internet --cluster-networks 10.244.0.0/16,10.0.0.0/16 --api-server 20.1.2.3/32 --ingress-from ingress-nginx/app.kubernetes.io/name=ingress-nginx:8080
check "tenant bad settings" - tenant tenant-42 --workload-identity not-a-guid --allow-cidr 10.0.0.0/40
check "tenant to a file" - tenant tenant-42 --egress internet -o tenant.yaml
"$jit" tenant tenant-42 > "$out/tenant.yaml"
check "tenant check" - tenant --check "$out/tenant.yaml"
check "lint a tenant bundle" - lint -f json "$out/tenant.yaml"
check "migrate az" - migrate migrate/preview-nodepool-add.sh
check "migrate create" - migrate migrate/preview-create.sh
check "migrate arm" - migrate migrate/preview-agentpool.json
check "audit without a kubeconfig" - audit --kubeconfig missing.kubeconfig -A

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
