#!/usr/bin/env bash
# Benchmark of `agb sync` (not a test): on the workload of benches/gen_workload.py (the same as
# build's: 50 plugins x (40 commands, 20 agents, 20 skills x 20 extras of 64 KiB)), measure in
# one run on one machine
#   1. `sha256sum` over every extra in the project (hashing each once: what a sync without the
#      manifest would at least cost),
#   2. `agb sync` with nothing changed               -> target: >= 10x faster than (1),
#   3. `agb sync` after editing 10% of the outputs  -> target: <= 1.5x of
#      (sha256sum of the edited files + (2)).
# Each timing is the best of REPS runs; before each run of (3) a fresh 10% of the outputs is
# edited (untimed), so every run really syncs that much.
#
# Usage: benches/sync_bench.sh [WORKDIR] [-- gen_workload.py options]
#   WORKDIR defaults to ./target/bench-sync.
#   Small run:  benches/sync_bench.sh /tmp/agb-sync-bench -- --plugins 5 --extras 4
#   Full run (about 2.6 GB on disk: source + project): benches/sync_bench.sh
# Environment: REPS (default 3), TARGET (default claude-code).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${1:-target/bench-sync}
[[ $# -gt 0 ]] && shift
[[ ${1:-} == "--" ]] && shift
GEN_ARGS=("$@")
REPS=${REPS:-3}
TARGET=${TARGET:-claude-code}
case $TARGET in
  gemini-cli) DIR=.gemini ;; claude-code) DIR=.claude ;; opencode) DIR=.opencode ;; codex) DIR=.codex ;;
  *) echo "unknown TARGET $TARGET" >&2; exit 2 ;;
esac

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
AGB="$CARGO_TARGET_DIR/release/agb"
[[ $AGB = /* ]] || AGB="$PWD/$AGB"

rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
python3 benches/gen_workload.py "$WORK/w" --target "$TARGET" "${GEN_ARGS[@]}"
PROJECT="$WORK/w/project/$DIR"
"$AGB" -q -C "$PROJECT" build
# Where the outputs are: the root, plus ../.agents/skills for codex.
OUTDIRS=("$PROJECT")
[[ -d "$WORK/w/project/.agents" ]] && OUTDIRS+=("$WORK/w/project/.agents")

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$1" "$2"; }
min() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:] if x]; print(min(v))" "$@"; }

# Every extra of the project (skill files other than SKILL.md), NUL-separated.
find "${OUTDIRS[@]}" -path '*/skills/*' -type f ! -name SKILL.md ! -path '*/.agb/*' -print0 | sort -z >"$WORK/extras.lst"
NEXTRAS=$(tr -cd '\0' <"$WORK/extras.lst" | wc -c)
xargs -0 cat <"$WORK/extras.lst" >/dev/null # warm the page cache once

# 1. sha256sum of every extra
T_SHA=""
for _ in $(seq "$REPS"); do
  t0=$(now); xargs -0 sha256sum <"$WORK/extras.lst" >/dev/null; t1=$(now)
  T_SHA=$(min "$(elapsed "$t0" "$t1")" "$T_SHA")
done

# 2. no-change sync
T_NOOP=""
for _ in $(seq "$REPS"); do
  t0=$(now); "$AGB" -q -C "$PROJECT" sync >/dev/null; t1=$(now)
  T_NOOP=$(min "$(elapsed "$t0" "$t1")" "$T_NOOP")
done

# 3. sync after editing 10% of the outputs (every 10th output file, a different marker per run):
# Markdown outputs get a line appended to their body, extras get their first bytes changed.
edit_outputs() {
  python3 - "$1" "$WORK/edited.lst" "${OUTDIRS[@]}" <<'EOF'
import os, sys
marker, listing, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
files = []
for root in roots:
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x != ".agb"]
        rel = os.path.relpath(d, root).split(os.sep)
        # Only resource outputs: the global file and config.toml are not synced.
        if rel[0] in ("commands", "agents", "skills") or (len(rel) > 1 and rel[:2] == ["..", "skills"]):
            files += [os.path.join(d, n) for n in names if not n.startswith(".")]
files.sort()
edited = files[::10]
for f in edited:
    if f.endswith(".md"):
        with open(f, "a") as fh:
            fh.write(f"\nEdited in the project ({marker}).\n")
    elif f.endswith(".toml"):
        with open(f) as fh:
            text = fh.read()
        i = text.rindex("\'\'\'")
        with open(f, "w") as fh:
            fh.write(text[:i] + f"Edited in the project ({marker}).\n" + text[i:])
    else:
        with open(f, "r+b") as fh:
            fh.write(f"edited {marker}\n".encode())
with open(listing, "wb") as fh:
    fh.write(b"\0".join(p.encode() for p in edited) + b"\0")
EOF
}
T_EDIT=""
T_SHA_EDITED=""
for i in $(seq "$REPS"); do
  edit_outputs "run-$i"
  t0=$(now); "$AGB" -q -C "$PROJECT" sync >/dev/null; t1=$(now)
  T_EDIT=$(min "$(elapsed "$t0" "$t1")" "$T_EDIT")
  t0=$(now); xargs -0 sha256sum <"$WORK/edited.lst" >/dev/null; t1=$(now)
  T_SHA_EDITED=$(min "$(elapsed "$t0" "$t1")" "$T_SHA_EDITED")
done
NEDITED=$(tr -cd '\0' <"$WORK/edited.lst" | wc -c)
# The sync really carried the edits: build has nothing to do, sync neither.
"$AGB" -q -C "$PROJECT" build --check
"$AGB" -q -C "$PROJECT" sync --check

python3 - "$T_SHA" "$T_NOOP" "$T_EDIT" "$T_SHA_EDITED" "$NEXTRAS" "$NEDITED" <<'EOF'
import sys
sha, noop, edit, sha_edited = map(float, sys.argv[1:5])
nextras, nedited = sys.argv[5:7]
print(f"sha256sum of all {nextras} project extras: {sha:8.3f} s")
print(f"agb sync, no change:                 {noop:8.3f} s   sha256sum/noop = {sha / noop:6.1f}x  (target >= 10x)")
print(f"sha256sum of the {nedited} edited files:  {sha_edited:8.3f} s")
base = sha_edited + noop
print(f"agb sync after editing 10%:          {edit:8.3f} s   edit/(sha_edited+noop) = {edit / base:5.2f}x  (target <= 1.5x)")
EOF
