#!/usr/bin/env bash
# Benchmark of `agb build` (not a test): on the workload of benches/gen_workload.py, measure in
# one run on one machine
#   1. `cp -r` of the source (the floor for a fresh build),
#   2. a fresh `agb build` (release)          -> target: within 1.1x of cp -r,
#   3. a re-build with nothing changed        -> target: at least 40x faster than the fresh build,
#   4. peak RSS of the fresh build, and of a fresh build of the same tree with 1/16 the extras'
#      size (memory must not grow with the extras: they are copied by the kernel, never read).
#
# Usage: benches/build_bench.sh [WORKDIR] [-- gen_workload.py options]
#   WORKDIR defaults to ./target/bench-build (must be on the file system you want to measure).
#   Small run:  benches/build_bench.sh /tmp/agb-bench -- --plugins 5 --extras 4
#   Full run (about 1.3 GB, needs ~3 GB free): benches/build_bench.sh
# Environment: REPS (default 3, the best of REPS is kept), TARGET (default claude-code).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${1:-target/bench-build}
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
df -h "$WORK" | tail -1 | awk '{print "free disk: " $4}'
python3 benches/gen_workload.py "$WORK/w" --target "$TARGET" "${GEN_ARGS[@]}"
PROJECT="$WORK/w/project/$DIR"

now() { date +%s.%N; }
# Best (minimum) wall time of REPS runs of "$@", with `prepare` run (untimed) before each.
best_of() {
  local prepare=$1 REPS=${REPS}; shift
  local best=""
  for _ in $(seq "$REPS"); do
    $prepare
    sync
    local t0 t1
    t0=$(now); "$@" >/dev/null; t1=$(now)
    best=$(python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); b=sys.argv[3]; print(t if not b or t<float(b) else b)" "$t0" "$t1" "$best")
  done
  echo "$best"
}
clean_copy() { rm -rf "$WORK/copy"; }
clean_outputs() { find "$PROJECT" -mindepth 1 -maxdepth 1 ! -name agb.yaml -exec rm -rf {} +; rm -rf "$WORK/w/project/.agents"; }
nothing() { :; }

find "$WORK/w/source" -type f -exec cat {} + >/dev/null # warm the page cache once
# cp -r and the fresh build alternate, so both see the same machine (other load, writeback).
T_CP="" T_FRESH=""
for _ in $(seq "$REPS"); do
  T_CP=$(REPS=1 best_of clean_copy cp -r "$WORK/w/source" "$WORK/copy" | python3 -c "import sys; t=float(sys.stdin.read()); b='$T_CP'; print(t if not b or t<float(b) else b)")
  clean_copy
  T_FRESH=$(REPS=1 best_of clean_outputs "$AGB" -q -C "$PROJECT" build | python3 -c "import sys; t=float(sys.stdin.read()); b='$T_FRESH'; print(t if not b or t<float(b) else b)")
done
T_NOOP=$(best_of nothing "$AGB" -q -C "$PROJECT" build)
NOUT=$( { find "$PROJECT" "$WORK/w/project/.agents" -type f 2>/dev/null || true; } | wc -l)
clean_outputs
RSS_FULL=$(/usr/bin/time -f %M "$AGB" -q -C "$PROJECT" build 2>&1 >/dev/null | tail -1)
RSS_NOOP=$(/usr/bin/time -f %M "$AGB" -q -C "$PROJECT" build 2>&1 >/dev/null | tail -1)
SIZE=$(du -sh "$WORK/w/source" | cut -f1)

# Same tree, extras 16x smaller: peak memory should be about the same.
KIB=64
for ((i = 0; i < ${#GEN_ARGS[@]}; i++)); do [[ ${GEN_ARGS[$i]} == --extra-kib ]] && KIB=${GEN_ARGS[$((i + 1))]}; done
SMALL_KIB=$(( KIB / 16 > 0 ? KIB / 16 : 1 ))
SMALL_ARGS=("${GEN_ARGS[@]}" --extra-kib "$SMALL_KIB")
python3 benches/gen_workload.py "$WORK/s" --target "$TARGET" "${SMALL_ARGS[@]}" >/dev/null
RSS_SMALL=$(/usr/bin/time -f %M "$AGB" -q -C "$WORK/s/project/$DIR" build 2>&1 >/dev/null | tail -1)

python3 - "$T_CP" "$T_FRESH" "$T_NOOP" "$NOUT" "$SIZE" "$RSS_FULL" "$RSS_NOOP" "$RSS_SMALL" "$KIB" "$SMALL_KIB" <<'EOF'
import sys
cp, fresh, noop = map(float, sys.argv[1:4])
nout, size, rss_full, rss_noop, rss_small, kib, small_kib = sys.argv[4:11]
print(f"outputs: {nout} files; source {size}")
print(f"cp -r source:            {cp:8.3f} s")
print(f"agb build (fresh):       {fresh:8.3f} s   ratio fresh/cp   = {fresh / cp:6.2f}x  (target <= 1.10x)")
print(f"agb build (no change):   {noop:8.3f} s   ratio fresh/noop = {fresh / noop:6.1f}x  (target >= 40x)")
print(f"peak RSS fresh build:    {int(rss_full) / 1024:8.1f} MiB (extras {kib} KiB each)")
print(f"peak RSS fresh build:    {int(rss_small) / 1024:8.1f} MiB (extras {small_kib} KiB each, same tree)")
print(f"peak RSS no-change build:{int(rss_noop) / 1024:8.1f} MiB")
EOF
rm -rf "$WORK/s" "$WORK/copy"
