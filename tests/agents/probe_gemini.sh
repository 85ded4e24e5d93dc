#!/usr/bin/env bash
# Ask Gemini CLI what it loaded from a project, offline.
# Usage: probe_gemini.sh PROJECT OUTPUT_ROOT MARKER SCRATCH   -> probe JSON on stdout
#
# Trust: Gemini CLI reads a project's .gemini/ (commands, agents, skills, settings) only for a
# trusted folder: {"<dir>": "TRUST_FOLDER"} in ~/.gemini/trustedFolders.json.
# - `gemini skills list --all` (the real CLI: it initialises the whole configuration, so agent
#   load errors are printed too) lists the skills;
# - probe_gemini.mjs imports the CLI's own loaders for commands, agents and memory (GEMINI.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
project=$1 root=$2 marker=$3 scratch=$4
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.gemini" "$home/.tmp"
real=$(cd "$project" && pwd -P)
printf '{"%s": "TRUST_FOLDER"}\n' "$real" >"$home/.gemini/trustedFolders.json"
cd "$project"
run() { agent_env "$home" GEMINI_API_KEY=fake GOOGLE_GEMINI_BASE_URL="http://127.0.0.1:$JUDGES_CLOSED_PORT" \
  GEMINI_CLI_NO_RELAUNCH=1 timeout 90 bash -c '. "$0/lib.sh"; offline "$@"' "$JUDGES_DIR" "$@"; }
run gemini skills list --all >"$scratch/skills.txt" 2>"$scratch/skills.err" || true
run node "$JUDGES_DIR/probe_gemini.mjs" "$real" "$marker" >"$scratch/loaders.json" 2>"$scratch/loaders.err" || true
python3 - "$scratch" <<'PY'
import json, os, re, sys
scratch = sys.argv[1]
def read(n):
    p = os.path.join(scratch, n)
    return open(p, errors="replace").read() if os.path.exists(p) else ""
loaders = {}
for line in read("loaders.json").splitlines():
    if line.startswith("{"):
        loaders = json.loads(line)
skills_out = read("skills.txt") + "\n" + read("skills.err")
skills = [m for m, tag in re.findall(r"^(\S+) \[(?:Enabled|Disabled)\]( \[Built-in\])?", skills_out, re.M) if not tag]
messages = list(loaders.get("messages", []))
# What the CLI itself printed about files it could not use (agent errors, skill warnings).
for block in re.split(r"\n(?=\S)", skills_out):
    if re.search(r"error|invalid|failed|skipping|warning", block, re.I) and "Ripgrep" not in block:
        first = re.sub(r"^Agent loading error: ", "", block.strip()).splitlines()[0]
        if not any(first in m for m in messages):
            messages.append(block.strip())
probe = {
    "agent": "gemini",
    "version": loaders.get("version"),
    "loaded": {"command": loaders.get("commands", []), "agent": loaders.get("agents", []), "skill": skills},
    "messages": messages,
    "fatal": None,
    "global": bool(loaders.get("global")),
    "notes": ["trusted folder: %s" % loaders.get("trusted"), "GEMINI.md files: " + ", ".join(loaders.get("memoryPaths", []))],
}
if not loaders:
    probe["error"] = "probe_gemini.mjs printed nothing: " + read("loaders.err")[-1500:]
print(json.dumps(probe))
PY
