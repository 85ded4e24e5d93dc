#!/usr/bin/env bash
# Ask Claude Code what it loaded from a project, offline.
# Usage: probe_claude.sh PROJECT OUTPUT_ROOT MARKER SCRATCH   -> probe JSON on stdout
#
# `claude -p /context` is a local command: it needs no model call. The stream-json `init`
# message lists slash_commands (commands + skills), skills and agents; /context lists the memory
# files. The API key is fake and the base URL a closed loopback port (countTokens fails there,
# harmlessly). The debug log carries what Claude Code says about files it could not use.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
project=$1 root=$2 marker=$3 scratch=$4
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.tmp"
cd "$project"
agent_env "$home" ANTHROPIC_API_KEY=fake ANTHROPIC_BASE_URL="http://127.0.0.1:$JUDGES_CLOSED_PORT" \
  DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 \
  DISABLE_ERROR_REPORTING=1 \
  timeout 120 bash -c '. "$0/lib.sh"; offline claude -p /context --output-format stream-json --verbose --debug-file "$1/debug.log"' \
  "$JUDGES_DIR" "$scratch" >"$scratch/out.jsonl" 2>"$scratch/stderr" || true
python3 - "$scratch" "$project" "$root" "$marker" <<'PY'
import json, os, re, sys
scratch, project, root, marker = sys.argv[1:5]
init, context, version = {}, "", None
for line in open(os.path.join(scratch, "out.jsonl")):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") == "system" and o.get("subtype") == "init":
        init = o
    if o.get("type") == "result":
        context = o.get("result") or ""
skills = set(init.get("skills", []))
# A command with disable-model-invocation is listed under skills too: every slash command counts.
commands = init.get("slash_commands", [])
# Memory files: rows "| Project | /path/CLAUDE.md | n |" of /context.
memory = re.findall(r"^\| [^|]+ \| (/[^|]+?) \| [^|]+ \|$", context.split("### Memory Files")[-1].split("###")[0], re.M)
global_file = any(os.path.realpath(p).startswith(os.path.realpath(project) + "/") for p in memory)
messages = []
log = os.path.join(scratch, "debug.log")
if os.path.exists(log):
    for line in open(log, errors="replace"):
        line = line.rstrip("\n")
        if re.search(re.escape(root) + r"/(agents|commands|skills)/|CLAUDE\.md", line) \
                and "Failed to stat directory" not in line:
            messages.append(re.sub(r"^\S+ ", "", line))
probe = {
    "agent": "claude",
    "version": init.get("claude_code_version"),
    "loaded": {"command": commands, "agent": init.get("agents", []), "skill": sorted(skills)},
    "messages": messages,
    "fatal": None,
    "global": global_file,
    "notes": ["memory files: " + ", ".join(memory)],
}
if not init:
    probe["error"] = "no init message; stderr: " + open(os.path.join(scratch, "stderr")).read()[-2000:]
print(json.dumps(probe))
PY
