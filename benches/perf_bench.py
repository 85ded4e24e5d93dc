#!/usr/bin/env python3
"""Every `agb build` / `agb sync` step of issue 14 in one invocation, on a directory you name
(put it on the file system to measure: tmpfs such as /dev/shm, or the disk). Not a test.

For each size (a number of plugins of benches/gen_workload.py's shape: 40 commands, 20 agents,
20 skills x 20 extras of 64 KiB per plugin; 50 plugins is the issue's large workload), it
generates the workload, then, with `sync` (writeback) before every timing:
  1. `cp -r` of the source and a fresh `agb build`, interleaved (REPS pairs: both see the
     same machine),
  2. a no-change `agb build`, interleaved with `find` stat-ing both trees (the stat floor),
  3. a no-change `agb sync`,
  4. `agb sync` after editing 10% of the outputs (a fresh 10% before each run, untimed), each
     after `openssl dgst -sha256` + `cp --parents` of the edited files (the hash-and-copy floor),
  5. the peak RSS of a fresh build (`/usr/bin/time`),
and prints medians, the ratios, and the time per 1,000 files — at two sizes, time per 1,000
files should stay about the same if each step is linear in the files it touches.

    benches/perf_bench.py /dev/shm/agb-perf --sizes 10,40     # tmpfs, 1/5 and 4/5 of large
    benches/perf_bench.py target/perf --sizes 50,200          # disk, the issue's shapes

Options: --reps N (default 3), --agb PATH (default: cargo build --release, target/release/agb),
--target (default claude-code), --extras/--extra-kib passed to gen_workload.py.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_DIRS = {"gemini-cli": ".gemini", "claude-code": ".claude", "opencode": ".opencode", "codex": ".codex"}


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def timed(cmd, prepare=None):
    """Wall time of one run of `cmd`, after `prepare` (untimed) and `sync` (writeback)."""
    if prepare:
        prepare()
    os.sync()
    t0 = time.perf_counter()
    run(cmd)
    return time.perf_counter() - t0


def clean_outputs(project_root, project_dir):
    for name in os.listdir(project_dir):
        if name != "agb.yaml":
            p = os.path.join(project_dir, name)
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
    shutil.rmtree(os.path.join(project_root, ".agents"), ignore_errors=True)


def output_files(project_root):
    files = []
    for d, dirs, names in os.walk(project_root):
        dirs[:] = [x for x in dirs if x != ".agb"]
        rel = os.path.relpath(d, project_root).split(os.sep)
        # Resource outputs only (below commands/, agents/, skills/ of the output root, or
        # .agents/skills for codex): the global file and config.toml are not synced.
        if any(part in ("commands", "agents", "skills") for part in rel[:2]):
            files += [os.path.join(d, n) for n in names if not n.startswith(".")]
    files.sort()
    return files


def edit_tenth(files, marker):
    """Edit every 10th output: Markdown/TOML get a line in the body, extras new first bytes.
    Returns the edited paths."""
    edited = files[::10]
    for f in edited:
        if f.endswith(".md"):
            with open(f, "a") as fh:
                fh.write(f"\nEdited in the project ({marker}).\n")
        elif f.endswith(".toml"):
            with open(f) as fh:
                text = fh.read()
            i = text.rindex("'''")
            with open(f, "w") as fh:
                fh.write(text[:i] + f"Edited in the project ({marker}).\n" + text[i:])
        else:
            with open(f, "r+b") as fh:
                fh.write(f"edited {marker}\n".encode())
    return edited


def stat_floor_cmd(roots):
    """What a no-change build cannot do without: a stat of every file of the trees it compares
    (outputs and source), here by `find` on one core."""
    return ["find"] + roots + ["-printf", "%s %T@\n"]


def hash_and_copy_floor(files, scratch):
    """What an edited sync cannot do without: hash the edited files (`openssl dgst -sha256`, the
    SHA-NI path, one core) and copy them (`cp --parents`, one core). Wall time, after `sync`."""
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    listing = "\0".join(files).encode()
    os.sync()
    t0 = time.perf_counter()
    subprocess.run(["xargs", "-0", "openssl", "dgst", "-sha256"], input=listing, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["xargs", "-0", "cp", "--parents", "-t", scratch], input=listing, check=True)
    return time.perf_counter() - t0


def peak_rss_kib(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1])


def bench_size(a, plugins):
    work = os.path.join(a.workdir, f"p{plugins}")
    shutil.rmtree(work, ignore_errors=True)
    gen = [sys.executable, os.path.join(HERE, "gen_workload.py"), os.path.join(work, "w"), "--plugins",
           str(plugins), "--target", a.target] + a.gen
    run(gen)
    source = os.path.join(work, "w", "source")
    project_root = os.path.join(work, "w", "project")
    project = os.path.join(project_root, TARGET_DIRS[a.target])
    copy = os.path.join(work, "copy")
    agb = [a.agb, "-q", "-C", project]
    nsource = sum(len(f) for _, _, f in os.walk(source))

    cp, fresh = [], []
    for _ in range(a.reps):
        cp.append(timed(["cp", "-r", source, copy], prepare=lambda: shutil.rmtree(copy, ignore_errors=True)))
        # The copy is removed before the build: at 4x the large size, source + copy + outputs
        # would not fit a tmpfs on a machine with 24 GB.
        fresh.append(timed(agb + ["build"], prepare=lambda: (shutil.rmtree(copy, ignore_errors=True),
                                                           clean_outputs(project_root, project))))
    build_noop, stat_floor = [], []
    for _ in range(a.reps):
        build_noop.append(timed(agb + ["build"]))
        stat_floor.append(timed(stat_floor_cmd([project_root, source])))
    sync_noop = [timed(agb + ["sync"]) for _ in range(a.reps)]
    files = output_files(project_root)
    sync_edit, edit_floor, nedited = [], [], 0
    for i in range(a.reps):
        edited = edit_tenth(files, f"run-{i}")
        nedited = len(edited)
        edit_floor.append(hash_and_copy_floor(edited, os.path.join(work, "floor")))
        sync_edit.append(timed(agb + ["sync"]))
    shutil.rmtree(os.path.join(work, "floor"), ignore_errors=True)
    run(agb + ["build"])  # the synced edits are now the build's
    clean_outputs(project_root, project)
    rss = peak_rss_kib(agb + ["build"])
    shutil.rmtree(work, ignore_errors=True)
    return {"plugins": plugins, "files": nsource, "outputs": len(files), "edited": nedited,
            "cp": cp, "fresh": fresh, "build_noop": build_noop, "sync_noop": sync_noop,
            "sync_edit": sync_edit, "rss_mib": rss / 1024, "stat_floor": stat_floor,
            "edit_floor": edit_floor}


def report(r):
    med = {k: statistics.median(r[k])
           for k in ("cp", "fresh", "build_noop", "sync_noop", "sync_edit", "stat_floor", "edit_floor")}
    k = r["files"] / 1000
    print(f"\n{r['plugins']} plugins: {r['files']} source files, {r['outputs']} resource outputs, "
          f"{r['edited']} edited per sync run; medians of {len(r['cp'])}")
    print(f"{'step':32} {'median s':>9} {'s/1k files':>11}  ratio")
    rows = [
        ("cp -r of the source", med["cp"], k, ""),
        ("build, fresh", med["fresh"], k, f"fresh/cp = {med['fresh'] / med['cp']:.2f}x (pairs: "
         + ", ".join(f"{f / c:.2f}" for f, c in zip(r["fresh"], r["cp"])) + ")"),
        ("find: stat of both trees", med["stat_floor"], k, "the stat floor, one core"),
        ("build, nothing changed", med["build_noop"], k, f"fresh/noop = {med['fresh'] / med['build_noop']:.0f}x, "
         f"noop/find = {med['build_noop'] / med['stat_floor']:.2f}x"),
        ("sync, nothing changed", med["sync_noop"], k,
         f"sync_noop/build_noop = {med['sync_noop'] / med['build_noop']:.2f}x"),
        ("openssl + cp of the edited", med["edit_floor"], r["edited"] / 1000,
         "hashing and copying the edited files, one core each"),
        ("sync, 10% of outputs edited", med["sync_edit"], r["edited"] / 1000,
         f"edited/noop sync = {med['sync_edit'] / med['sync_noop']:.1f}x, "
         f"sync/(openssl+cp) = {med['sync_edit'] / med['edit_floor']:.2f}x (s/1k: per edited file)"),
    ]
    for name, t, per, ratio in rows:
        print(f"{name:32} {t:9.3f} {t / per:11.4f}  {ratio}")
    print(f"{'peak RSS, fresh build':32} {r['rss_mib']:8.1f} MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workdir")
    ap.add_argument("--sizes", default="10,40", help="plugin counts, comma-separated")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--agb")
    ap.add_argument("--target", default="claude-code", choices=sorted(TARGET_DIRS))
    ap.add_argument("gen", nargs="*", help="after --: more gen_workload.py options")
    a = ap.parse_args()
    if not a.agb:
        root = os.path.dirname(HERE)
        run(["cargo", "build", "--release", "--quiet"], cwd=root)
        a.agb = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "agb")
    a.agb = os.path.abspath(a.agb)
    os.makedirs(a.workdir, exist_ok=True)
    a.workdir = os.path.abspath(a.workdir)
    fs = subprocess.run(["df", "-hT", a.workdir], capture_output=True, text=True).stdout.splitlines()[-1].split()
    print(f"workdir {a.workdir}: {fs[1]} ({fs[0]}), {fs[4]} free; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}; agb {a.agb}")
    for plugins in [int(s) for s in a.sizes.split(",")]:
        report(bench_size(a, plugins))


if __name__ == "__main__":
    main()
