#!/usr/bin/env bash
# Does OpenCode put the project's global instructions into the model's prompt? Prints yes / no.
# Usage: probe_opencode_global.sh PROJECT MARKER SCRATCH
#
# OpenCode has no offline command that shows the system prompt, so this runs
# `opencode run` against a fake Anthropic API on 127.0.0.1 (capture_server.py, inside the same
# loopback-only network namespace), and looks for MARKER in the request it sends.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
project=$1 marker=$2 scratch=$3
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.tmp"
cd "$project"
agent_env "$home" OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
  timeout 90 bash -c '. "$0/lib.sh"; offline bash -c "
    python3 \"\$0/capture_server.py\" \"\$1/requests\" >\"\$1/port\" &
    server=\$!
    for _ in \$(seq 1 50); do [ -s \"\$1/port\" ] && break; sleep 0.1; done
    port=\$(cat \"\$1/port\")
    export OPENCODE_CONFIG_CONTENT=\"{\\\"provider\\\":{\\\"anthropic\\\":{\\\"options\\\":{\\\"baseURL\\\":\\\"http://127.0.0.1:\$port/v1\\\",\\\"apiKey\\\":\\\"fake\\\"}}}}\"
    opencode run -m anthropic/claude-sonnet-4-5 \"say hi\" >\"\$1/run.out\" 2>&1 &
    run=\$!
    for _ in \$(seq 1 300); do
      grep -lq claude-sonnet-4-5 \"\$1\"/requests/request-*.json 2>/dev/null && break
      kill -0 \$run 2>/dev/null || break
      sleep 0.1
    done
    kill \$run \$server 2>/dev/null || true
    wait 2>/dev/null || true
  " "$0" "$1"' "$JUDGES_DIR" "$scratch" || true
if grep -lqF -- "$marker" "$scratch"/requests/request-*.json 2>/dev/null; then
  echo yes
elif ls "$scratch"/requests/request-*.json >/dev/null 2>&1; then
  echo no
else
  echo "unknown (no request reached the capture server; see $scratch/run.out)"
fi
