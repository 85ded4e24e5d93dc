#!/usr/bin/env bash
# Ask Codex what it loaded from a project, offline.
# Usage: probe_codex.sh PROJECT OUTPUT_ROOT MARKER SCRATCH   -> probe JSON on stdout
#
# Trust: Codex reads a project's .codex/config.toml (and so .codex/agents) only for a trusted
# project: `[projects."<dir>"] trust_level = "trusted"` in $CODEX_HOME/config.toml.
# - `codex debug prompt-input` renders the model-visible prompt: the AGENTS.md text, the skill
#   list ("- name: description (file: …)"), and the roles spawn_agent offers ("name: {").
# - `codex app-server` (JSON-RPC on stdio): `configWarning` notifications carry start-up
#   rejections ("Ignoring malformed agent role definition: …"); `skills/list` gives skills and
#   their load errors.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
project=$1 root=$2 marker=$3 scratch=$4
home="$scratch/home"
fresh_home "$home"
mkdir -p "$home/.codex" "$home/.tmp"
real=$(cd "$project" && pwd -P)
printf '[projects."%s"]\ntrust_level = "trusted"\n' "$real" >"$home/.codex/config.toml"
cd "$project"
run() { agent_env "$home" CODEX_HOME="$home/.codex" OPENAI_BASE_URL="http://127.0.0.1:$JUDGES_CLOSED_PORT/v1" \
  timeout 60 bash -c '. "$0/lib.sh"; offline "$@"' "$JUDGES_DIR" codex "$@"; }
run --version >"$scratch/version" 2>/dev/null || true
run debug prompt-input >"$scratch/prompt.json" 2>"$scratch/prompt.err" || true
python3 - "$real" >"$scratch/rpc.jsonl" <<'PY'
import json, sys
cwd = sys.argv[1]
for m in [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"clientInfo": {"name": "agb-judge", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "config/read", "params": {"cwd": cwd, "includeLayers": True}},
    {"jsonrpc": "2.0", "id": 3, "method": "skills/list", "params": {"cwds": [cwd]}},
]:
    print(json.dumps(m))
PY
# app-server answers on stdout; closing stdin ends it. Wait for the skills/list answer (id 3).
(cat "$scratch/rpc.jsonl"; for _ in $(seq 1 40); do grep -q '"id":3' "$scratch/app.jsonl" 2>/dev/null && break; sleep 0.25; done) \
  | run app-server >"$scratch/app.jsonl" 2>"$scratch/app.err" || true
python3 - "$scratch" "$marker" <<'PY'
import json, os, re, sys
scratch, marker = sys.argv[1:3]
def read(n):
    p = os.path.join(scratch, n)
    return open(p, errors="replace").read() if os.path.exists(p) else ""
texts = []
def walk(o):
    if isinstance(o, dict):
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
    elif isinstance(o, str):
        texts.append(o)
try:
    walk(json.loads(read("prompt.json")))
except ValueError:
    pass
prompt = "\n".join(texts)
skills_block = "".join(re.findall(r"<skills_instructions>(.*?)</skills_instructions>", prompt, re.S))
skills = re.findall(r"^- ([^:\n]+): .*\(file: [^)]*\)$", skills_block, re.M)
roles_block = prompt.split("Available roles:", 1)[1] if "Available roles:" in prompt else ""
roles = [r for r in re.findall(r"^([^\n{}]+): \{$", roles_block, re.M) if r not in ("default", "explorer", "worker")]
agents_md = [t for t in texts if t.startswith("# AGENTS.md instructions for")]
messages, app_skills = [], []
for line in read("app.jsonl").splitlines():
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("method") == "configWarning":
        s = o["params"].get("summary", "").strip()
        if "bubblewrap" not in s:
            messages.append(s)
    if o.get("id") == 3:
        for entry in o.get("result", {}).get("data", []):
            app_skills += [s["name"] for s in entry.get("skills", []) if s.get("scope") == "repo"]
            for e in entry.get("errors", []) or []:
                messages.append("skills/list: " + json.dumps(e))
probe = {
    "agent": "codex",
    "version": (read("version").split() or [None])[-1],
    # A skill with allow_implicit_invocation: false is loaded (skills/list) but not shown to the model.
    "loaded": {"skill": sorted(set(skills) | set(app_skills)), "agent": sorted(set(roles)), "command": []},
    "messages": messages,
    "fatal": None,
    "global": any(marker in t for t in agents_md),
    "notes": ["skills in the model prompt: " + ", ".join(sorted(skills)), "repo skills per app-server skills/list: " + ", ".join(sorted(app_skills))],
}
if not texts:
    probe["error"] = "codex debug prompt-input printed no JSON: " + read("prompt.err")[-1500:]
print(json.dumps(probe))
PY
