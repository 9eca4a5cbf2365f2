#!/usr/bin/env bash
# Packs the SDK (Sandboxing.Sdk, analyzer bundled), the agents' code interpreter (Sandboxing.Sdk.AI), the standalone analyzer
# (Sandboxing.Analyzers) and the CLI tool (Sandboxing.Cli) into a local folder feed, then prints how to use that feed. The
# packages are not on nuget.org.
#
#   scripts/pack-local.sh                                   # ./artifacts/packages, the repository's version
#   scripts/pack-local.sh --output /tmp/feed --version 0.1.1-local.2
#
# NuGet caches a package by ID and version in ~/.nuget/packages and never looks at the feed again for that version: after
# changing the code, pack with a new --version, or delete the cached copies first (the commands are printed at the end).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
output="$root/artifacts/packages"
version=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -o|--output) output=${2:?"--output needs a folder"}; shift 2 ;;
    -v|--version) version=${2:?"--version needs a version, such as 0.1.1-local.1"}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack-local.sh: unknown argument '$1'; use --output <dir> and --version <version> (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$version" ]]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
fi
mkdir -p "$output"
output=$(cd "$output" && pwd)

for project in src/Sandboxing.Sdk src/Sandboxing.Sdk.AI analyzers/Sandboxing.Analyzers src/Sandboxing.Cli; do
  echo "Packing $project $version ..."
  dotnet pack "$root/$project" -c Release -o "$output" -p:Version="$version" -v quiet -nologo
done

cat <<TEXT

Packed version $version to $output:
$(cd "$output" && ls -1 Sandboxing.*."$version".nupkg | sed 's/^/  /')

Use the feed in a project (once per machine, or per repository in its nuget.config):
  dotnet nuget add source "$output" --name sandboxing-local
  # nuget.config, inside <packageSources>: <add key="sandboxing-local" value="$output" />
  dotnet add package Sandboxing.Sdk --version $version
  dotnet add package Sandboxing.Sdk.AI --version $version     # an AI agent's code interpreter in a Kata sandbox

Install the CLI (the 'sandboxing' command):
  dotnet tool install --global Sandboxing.Cli --version $version --add-source "$output"

Packed the same version again? NuGet keeps the first copy in ~/.nuget/packages; delete it before restoring:
  rm -rf ~/.nuget/packages/sandboxing.sdk/$version ~/.nuget/packages/sandboxing.sdk.ai/$version ~/.nuget/packages/sandboxing.analyzers/$version ~/.nuget/packages/sandboxing.cli/$version
TEXT
