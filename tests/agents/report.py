#!/usr/bin/env python3
"""Print the per-agent, per-resource table of the verdicts (judge.py outputs) and optionally
write them all as one JSON report. Exit 0 only when every verdict is ok.
Usage: report.py [--report FILE] VERDICT.json..."""
import json
import sys

args = sys.argv[1:]
report = None
if args[:1] == ["--report"]:
    report, args = args[1], args[2:]
verdicts = [json.load(open(p)) for p in args]
ok = bool(verdicts) and all(v["ok"] for v in verdicts)


def one_line(s, width=150):
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


for v in verdicts:
    c = v["counts"]
    print(f"\n== {v['agent']} {v.get('version') or '?'} · fixture {v['fixture']} · target {v['target']}: "
          f"{c['loaded']} loaded, {c['rejected']} rejected, {c['missing']} silently missing — "
          f"{'OK' if v['ok'] else 'FAIL'}")
    if v.get("error"):
        print(f"   probe error: {one_line(v['error'], 400)}")
    print(f"   {'kind':<8} {'resource':<40} {'status':<9} agent's message")
    for r in v["resources"]:
        msg = one_line(r["messages"][0]) if r["messages"] else ""
        print(f"   {r['kind']:<8} {r['name']:<40} {r['status']:<9} {msg}")
        for m in r["messages"][1:]:
            print(f"   {'':<8} {'':<40} {'':<9} {one_line(m)}")
    if v["global_expected"]:
        print(f"   {'global':<8} {v['global_file']:<40} {'loaded' if v['global_loaded'] else 'NOT LOADED'}")
    for n in v.get("notes", []):
        print(f"   note: {one_line(n, 200)}")

print()
summary = [f"{v['agent']}/{v['fixture']}: {'ok' if v['ok'] else 'FAIL'}" for v in verdicts]
print("agent judges: " + ", ".join(summary))
if report:
    with open(report, "w") as f:
        json.dump({"ok": ok, "verdicts": verdicts}, f, indent=1)
    print(f"report written to {report}")
sys.exit(0 if ok else 1)
