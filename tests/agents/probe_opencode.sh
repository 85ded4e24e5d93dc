#!/usr/bin/env bash
# Ask OpenCode what it loaded from a project, offline.
# Usage: probe_opencode.sh PROJECT OUTPUT_ROOT MARKER SCRATCH   -> probe JSON on stdout
#
# `opencode debug config` prints the resolved configuration (commands under `command`, agents
# under `agent`) or, when one file is invalid, refuses the WHOLE configuration with
# "Configuration is invalid at FILE" on stderr. `opencode debug skill` lists the skills.
# Whether the global file reaches the model: see probe_opencode_global.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
project=$1 root=$2 marker=$3 scratch=$4
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.tmp"
cd "$project"
run() { agent_env "$home" OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
  timeout 60 bash -c '. "$0/lib.sh"; offline "$@"' "$JUDGES_DIR" opencode "$@"; }
run debug config >"$scratch/config.json" 2>"$scratch/config.err" || true
run debug skill >"$scratch/skill.json" 2>"$scratch/skill.err" || true
run --version >"$scratch/version" 2>/dev/null || true
global=$(bash "$(dirname "$0")/probe_opencode_global.sh" "$project" "$marker" "$scratch/global" 2>"$scratch/global.err" || echo unknown)
python3 - "$scratch" "$global" <<'PY'
import json, os, re, sys
scratch, global_ = sys.argv[1:3]
def read(n):
    p = os.path.join(scratch, n)
    return open(p, errors="replace").read() if os.path.exists(p) else ""
ansi = re.compile(r"\x1b\[[0-9;]*m")
def load(n):
    try:
        return json.loads(read(n))
    except ValueError:
        return None
config, skills = load("config.json"), load("skill.json")
errors = [ansi.sub("", read(n)).strip() for n in ("config.err", "skill.err") if read(n).strip()]
fatal = None
if config is None:
    fatal = errors[0] if errors else "opencode debug config printed no JSON"
probe = {
    "agent": "opencode",
    "version": read("version").strip() or None,
    "loaded": {
        "command": sorted((config or {}).get("command", {}).keys()),
        "agent": sorted((config or {}).get("agent", {}).keys()),
        "skill": sorted(s["name"] for s in (skills or []) if s.get("location") != "<built-in>"),
    },
    "messages": sorted(set(errors)),
    "fatal": fatal,
    "global": global_ == "yes",
    "notes": ["global file reached the model: " + global_],
}
print(json.dumps(probe))
PY
