#!/usr/bin/env python3
"""Compare what agb built (its manifest) with what one agent says it loaded (a probe's JSON).

Usage: judge.py OUTPUT_ROOT PROBE_JSON FIXTURE  -> prints one JSON object (the verdict) on stdout.

A probe's JSON (see probe_*.sh / probe_gemini.mjs):
  {"agent": "...", "version": "...",
   "loaded": {"command": [names], "agent": [names], "skill": [names]},
   "messages": ["verbatim rejection / warning text", ...],
   "fatal": "message when the agent refused its whole configuration" | null,
   "global": true | false, "notes": [...]}

Verdict per resource agb built: "loaded", "rejected" (with the agent's messages that name the
resource's output file or name), or "missing" (silently: not loaded, no message names it).
"""
import json
import os
import re
import sys

# Where a kind shows up in each agent: Codex and Copilot have no commands, agb builds them as
# skills (which both offer as `/name`).
OBSERVED_AS = {"codex": {"command": "skill"}, "copilot": {"command": "skill"}}


def expected_resources(output_root):
    manifest = json.load(open(os.path.join(output_root, ".agb", "manifest.json")))
    resources = {}
    for rel, entry in manifest["files"].items():
        key = entry["resource"]
        if key == "global":
            resources.setdefault(("global", "global"), []).append(rel)
            continue
        kind, name = key.split(" ", 1)
        resources.setdefault((kind, name), []).append(rel)
    return manifest["target"], resources


def mentions(message, name, rels):
    for rel in rels:
        if rel.lstrip("./") in message:
            return True
    short = name.split(":", 1)[1]
    # The resource's name as a word ("full-agent", "full-agent.md", "'full-agent'").
    return re.search(r"(?<![A-Za-z0-9_-])" + re.escape(short) + r"(?![A-Za-z0-9_-])", message) is not None


def main():
    output_root, probe_path, fixture = sys.argv[1:4]
    target, resources = expected_resources(output_root)
    probe = json.load(open(probe_path))
    agent = probe["agent"]
    loaded = {k: set(v) for k, v in (probe.get("loaded") or {}).items()}
    messages = probe.get("messages") or []
    fatal = probe.get("fatal")
    rows = []
    for (kind, name), rels in sorted(resources.items()):
        if kind == "global":
            continue
        short = name.split(":", 1)[1]
        seen_as = OBSERVED_AS.get(agent, {}).get(kind, kind)
        rels = sorted(rels, key=len)
        if short in loaded.get(seen_as, set()):
            rows.append({"kind": kind, "name": name, "file": rels[0], "status": "loaded", "messages": []})
            continue
        said = [m for m in messages if mentions(m, name, rels)]
        if said:
            status = "rejected"
        elif fatal:
            status, said = "rejected", ["whole configuration refused: " + fatal]
        else:
            status = "missing"
        rows.append({"kind": kind, "name": name, "file": rels[0], "status": status, "messages": said})
    has_global = ("global", "global") in resources
    verdict = {
        "fixture": fixture,
        "agent": agent,
        "version": probe.get("version"),
        "target": target,
        "resources": rows,
        "global_expected": has_global,
        "global_file": resources.get(("global", "global"), [None])[0],
        "global_loaded": bool(probe.get("global")),
        "fatal": fatal,
        "messages": messages,
        "notes": probe.get("notes") or [],
    }
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("loaded", "rejected", "missing")}
    verdict["counts"] = counts
    verdict["ok"] = (
        counts["rejected"] == 0
        and counts["missing"] == 0
        and not fatal
        and (verdict["global_loaded"] or not has_global)
        and not probe.get("error")
    )
    if probe.get("error"):
        verdict["error"] = probe["error"]
    json.dump(verdict, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
