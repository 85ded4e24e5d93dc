#!/usr/bin/env bash
# The agents as judges: build the fixtures with agb, then ask the real agents (pinned in
# package.json, installed in node_modules) what they loaded, offline. See README
# "The agents as judges" and FINDINGS.md.
#
# Usage: tests/agents/run.sh [--report FILE] [--fixture NAME]... [--install] [AGENT...]
#   AGENT    gemini | claude | opencode | codex | copilot (default: all five)
#   --fixture demo | agents-judge (default: both)
#   --install  run `npm install` in tests/agents first (pinned; see .ci/run for why not `npm ci`)
#   AGB=/path/to/agb uses that binary instead of `cargo build --release`.
# Exit 0 only when every resource loads in every agent, with no rejection, no silent drop, and
# the global instructions file loaded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

report="" install=0 fixtures=() agents=()
while [ $# -gt 0 ]; do
  case $1 in
    --report) report=$(realpath -m "$2"); shift 2 ;;
    --fixture) fixtures+=("$2"); shift 2 ;;
    --install) install=1; shift ;;
    gemini|claude|opencode|codex|copilot) agents+=("$1"); shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#agents[@]} -gt 0 ] || agents=(gemini claude opencode codex copilot)
[ ${#fixtures[@]} -gt 0 ] || fixtures=(demo agents-judge)

if [ $install = 1 ]; then
  timeout 900 npm install --prefix "$here" --no-save --no-audit --no-fund --loglevel=error
fi
for a in "${agents[@]}"; do
  bin=$a; [ "$a" = claude ] && bin=claude
  [ -x "$JUDGES_BIN/$bin" ] || { echo "run.sh: $JUDGES_BIN/$bin missing: run 'npm install --prefix tests/agents --no-save --no-audit --no-fund' (or pass --install)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "run.sh: python3 is required" >&2; exit 2; }

# No network but loopback: a network namespace when we can make one.
if unshare -n -- bash -c 'ip link set lo up' 2>/dev/null; then
  export JUDGES_NET=unshare
else
  export JUDGES_NET=proxy
  echo "run.sh: WARNING: 'unshare -n' is not available (needs root or user namespaces): falling back to" \
    "proxy variables pointing at 127.0.0.1:$JUDGES_CLOSED_PORT; an agent that ignores them could reach the network" >&2
fi

if [ -z "${AGB:-}" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  AGB="$repo/target/release/agb"
fi
AGB=$(realpath "$AGB")

work=$(mktemp -d "${TMPDIR:-/tmp}/agb-judges.XXXXXX")
trap 'rm -rf "$work"' EXIT
verdicts=()
declare -A dir_of=([gemini]=.gemini [claude]=.claude [opencode]=.opencode [codex]=.codex [copilot]=.github)

for fixture in "${fixtures[@]}"; do
  src="$repo/fixtures/$fixture"
  [ -d "$src/source" ] || { echo "run.sh: no fixture $src/source" >&2; exit 2; }
  # The most distinctive line of the global instructions: found in the prompt = file loaded.
  marker=$(awk 'length > length(best) { best = $0 } END { print best }' "$src/source/AGENTS.md")
  for agent in "${agents[@]}"; do
    d=${dir_of[$agent]}
    case_dir="$work/$fixture/$agent"
    # One project per agent: Codex's .agents/skills or Claude's .claude/skills would otherwise
    # be read by the other agents too.
    mkdir -p "$case_dir/project/$d"
    cp -R "$src/source" "$case_dir/source"
    cp "$src/project/$d/agb.yaml" "$case_dir/project/$d/agb.yaml"
    git -C "$case_dir/project" init -q
    if ! "$AGB" -C "$case_dir/project/$d" build >"$case_dir/build.log" 2>&1; then
      echo "run.sh: agb build failed for $fixture/$agent:" >&2
      cat "$case_dir/build.log" >&2
      exit 2
    fi
    mkdir -p "$case_dir/probe"
    started=$SECONDS
    bash "$here/probe_$agent.sh" "$case_dir/project" "$case_dir/project/$d" "$marker" "$case_dir/probe" \
      >"$case_dir/probe.json" 2>"$case_dir/probe.err" \
      || echo "{\"agent\": \"$agent\", \"error\": \"probe failed: $(tail -c 300 "$case_dir/probe.err" | tr -d '"\\\n')\"}" >"$case_dir/probe.json"
    python3 "$here/judge.py" "$case_dir/project/$d" "$case_dir/probe.json" "$fixture" >"$case_dir/verdict.json"
    echo "run.sh: $fixture / $agent probed in $((SECONDS - started)) s" >&2
    verdicts+=("$case_dir/verdict.json")
  done
done

python3 "$here/report.py" ${report:+--report "$report"} "${verdicts[@]}"
