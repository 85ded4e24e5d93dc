#!/usr/bin/env bash
# Ask the Copilot CLI what it loaded from a project, offline.
# Usage: probe_copilot.sh PROJECT OUTPUT_ROOT MARKER SCRATCH   -> probe JSON on stdout
#
# `copilot --headless --stdio` speaks JSON-RPC (probe_copilot.py): `connect`, `session.create`
# with the project as working directory and config discovery on, then `session.agent.list`,
# `session.skills.list`, `session.skills.reload` (skill load errors),
# `session.instructions.getSources`; agent rejections arrive in `session.custom_agents_updated`
# events. COPILOT_OFFLINE=true plus a BYOK provider at a closed loopback port: no sign-in, no
# model call. The native binary unpacks ~235 MB on its first run into COPILOT_PKG_CACHE_HOME,
# kept in target/ between runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
project=$1 root=$2 marker=$3 scratch=$4
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.tmp"
cache=${COPILOT_PKG_CACHE_HOME:-$(cd "$here/../.." && pwd)/target/copilot-pkg-cache}
mkdir -p "$cache"
real=$(cd "$project" && pwd -P)
cd "$project"
agent_env "$home" COPILOT_OFFLINE=true COPILOT_PKG_CACHE_HOME="$cache" \
  COPILOT_PROVIDER_BASE_URL="http://127.0.0.1:$JUDGES_CLOSED_PORT/v1" COPILOT_MODEL=judge-model \
  timeout 90 bash -c '. "$0/lib.sh"; offline "$@"' "$JUDGES_DIR" \
  python3 "$here/probe_copilot.py" "$real" "$marker" "$scratch"
