#!/usr/bin/env python3
"""Generate the `agb build` benchmark workload: a source repository and a project selecting all
of it.

Full size (the issue's workload): 50 plugins x (40 commands, 20 agents, 20 skills with 20 extras
of 64 KiB each) = 24,000 source files, about 1.3 GB. Every size is a parameter so the benchmark
can run small:

    python3 benches/gen_workload.py OUT [--plugins 50] [--commands 40] [--agents 20]
                                        [--skills 20] [--extras 20] [--extra-kib 64]
                                        [--target claude-code]

Writes OUT/source/ (plugins/<p>/{commands,agents,skills}/…, AGENTS.md, overrides.yaml) and
OUT/project/<dir>/agb.yaml (dir = .claude, .gemini, .opencode or .codex).
"""

import argparse
import os
import sys

TARGET_DIRS = {"gemini-cli": ".gemini", "claude-code": ".claude", "opencode": ".opencode", "codex": ".codex"}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--plugins", type=int, default=50)
    ap.add_argument("--commands", type=int, default=40)
    ap.add_argument("--agents", type=int, default=20)
    ap.add_argument("--skills", type=int, default=20)
    ap.add_argument("--extras", type=int, default=20)
    ap.add_argument("--extra-kib", type=int, default=64)
    ap.add_argument("--target", default="claude-code", choices=sorted(TARGET_DIRS))
    a = ap.parse_args()

    src = os.path.join(a.out, "source")
    if os.path.exists(src):
        sys.exit(f"{src} exists; remove it first")
    # One random block; each extra gets a unique header so no two files are equal.
    block = os.urandom(a.extra_kib * 1024)
    write(os.path.join(src, "AGENTS.md"), "# Global instructions\n\nBe concise.\n")
    write(os.path.join(src, "overrides.yaml"), "model:\n  sonnet:\n    gemini-cli: gemini-2.5-pro\n")
    sel = {"commands": [], "agents": [], "skills": []}
    nfiles = 2
    for p in range(a.plugins):
        plugin = f"plugin{p:03d}"
        base = os.path.join(src, "plugins", plugin)
        for c in range(a.commands):
            name = f"p{p:03d}-cmd{c:03d}"
            write(
                os.path.join(base, "commands", name + ".md"),
                f"---\ndescription: Command {c} of {plugin}\nmodel: sonnet\n---\n"
                f"Do task {c} with $ARGUMENTS.\n\nSteps:\n1. Read.\n2. Think.\n3. Answer.\n",
            )
            sel["commands"].append(f"{plugin}:{name}")
            nfiles += 1
        for g in range(a.agents):
            name = f"p{p:03d}-agent{g:03d}"
            write(
                os.path.join(base, "agents", name + ".md"),
                f"---\ndescription: Agent {g} of {plugin}\nmodel: sonnet\n---\nYou are agent {g}.\n",
            )
            sel["agents"].append(f"{plugin}:{name}")
            nfiles += 1
        for s in range(a.skills):
            name = f"p{p:03d}-skill{s:03d}"
            sdir = os.path.join(base, "skills", name)
            write(os.path.join(sdir, "SKILL.md"), f"---\nname: {name}\ndescription: Skill {s}\n---\nUse me.\n")
            nfiles += 1
            for e in range(a.extras):
                sub = "ref" if e % 2 else "scripts/deep"
                header = f"{plugin}/{name}/{e}\n".encode()
                write(os.path.join(sdir, sub, f"extra{e:03d}.bin"), header + block[len(header):])
                nfiles += 1
            sel["skills"].append(f"{plugin}:{name}")

    project = os.path.join(a.out, "project", TARGET_DIRS[a.target])
    lines = [f"source: {os.path.abspath(src)}", f"target: {a.target}", "resources:"]
    for kind in ("commands", "agents", "skills"):
        lines.append(f"  {kind}:")
        lines.extend(f"    - {r}" for r in sel[kind])
    write(os.path.join(project, "agb.yaml"), "\n".join(lines) + "\n")
    total = a.plugins * a.skills * a.extras * a.extra_kib * 1024
    print(f"{nfiles} source files, {total / 1e9:.2f} GB of extras; project: {project}")


if __name__ == "__main__":
    main()
