#!/usr/bin/env bash
# Whole-process benchmark of agb's factory reads on a generated factory (1,000 modules x 5
# versions by default), next to the git CLI doing the closest single operation. Not a test:
# prints ratios. Issue 15's targets: warm check <= 2x git show, catalog --json <= 50 ms, cold
# fetch <= 1x git clone --bare, incremental fetch after one publish <= 1x git fetch.
#
#   benches/factory_bench.sh            # builds agb --release into $CARGO_TARGET_DIR (or target/)
#   MODULES=10000 benches/factory_bench.sh
#   MODULES=200 benches/factory_bench.sh
#   AGB=/path/to/agb AGB_BEFORE=/path/to/older/agb benches/factory_bench.sh   # no build; both measured
#
# Needs git, python3; uses hyperfine when installed (apt-get install -y hyperfine), else a
# date +%s%N loop. Everything lives in a temp dir; the user's cache and git config are not used.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(dirname "$here")"
modules="${MODULES:-1000}"
versions="${VERSIONS:-5}"
runs="${RUNS:-30}"

target="${CARGO_TARGET_DIR:-$repo_root/target}"
if [ -z "${AGB:-}" ]; then
    (cd "$repo_root" && cargo build --release --quiet)
fi
agb="${AGB:-$target/release/agb}"
# AGB_BEFORE=<another agb binary>: its warm reads are measured too, in the same run
before="${AGB_BEFORE:-}"

work="$(mktemp -d)"
server=""
# The cleanup runs under `set -e` too: a failing `kill` of a server that already exited must not
# end it early (that was the exit 1 after a complete run, with the temp dir left behind).
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work" || true
}
trap cleanup EXIT
export AGB_CACHE_DIR="$work/cache" HOME="$work/home" XDG_CONFIG_HOME="$work/config"
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset AGB_FACTORY AGB_OFFLINE GITHUB_TOKEN
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
: > "$GIT_CONFIG_GLOBAL"

echo "generating $modules modules x $versions versions…"
python3 "$here/gen_factory.py" "$work/tree" --modules "$modules" --versions "$versions"
git init -q --bare -b main "$work/factory.git"
(cd "$work/tree" && git init -q -b main && git add -A && git commit -q -m factory && git push -q "$work/factory.git" main)
git --git-dir "$work/factory.git" gc -q
url="file://$work/factory.git"
export AGB_FACTORY="$url"

"$agb" factory fetch >/dev/null
cache="$(find "$AGB_CACHE_DIR/agb/factory" -maxdepth 3 -name '*.git' -type d | head -1)"
module="$(python3 -c "import json,sys; print(sorted(json.load(open(sys.argv[1]))['modules'])[len(json.load(open(sys.argv[1]))['modules'])//2])" "$work/tree/catalog.json")"

# median seconds of a command with hyperfine (robust on a loaded machine), else a loop's mean
mean() {
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" "$1" >/dev/null 2>&1
        python3 -c "import json; print(json.load(open('$work/h.json'))['results'][0]['median'])"
    else
        local start end
        for _ in 1 2 3; do bash -c "$1" >/dev/null 2>&1; done
        start=$(date +%s%N)
        for _ in $(seq "$runs"); do bash -c "$1" >/dev/null 2>&1; done
        end=$(date +%s%N)
        python3 -c "print(($end - $start) / 1e9 / $runs)"
    fi
}

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
ms() { python3 -c "print(f'{$1 * 1000:.2f} ms')"; }

git_show=$(mean "git --git-dir $cache show origin/main:catalog.json")
check=$(mean "$agb factory check $module")
check_json=$(mean "$agb factory check $module --json")
catalog=$(mean "$agb factory catalog --json")

echo
echo "warm reads ($modules modules x $versions versions, cache $cache)"
printf '%-58s %10s\n' "git --git-dir <cache> show origin/main:catalog.json" "$(ms "$git_show")"
printf '%-58s %10s  ratio %s (target <= 2)\n' "agb factory check $module" "$(ms "$check")" "$(ratio "$check" "$git_show")"
printf '%-58s %10s  ratio %s\n' "agb factory check --json" "$(ms "$check_json")" "$(ratio "$check_json" "$git_show")"
printf '%-58s %10s  ratio %s (target <= 50 ms)\n' "agb factory catalog --json" "$(ms "$catalog")" "$(ratio "$catalog" "$git_show")"
if [ -n "$before" ]; then
    b_check=$(mean "$before factory check $module")
    b_catalog=$(mean "$before factory catalog --json")
    printf '%-58s %10s  ratio %s\n' "AGB_BEFORE factory check $module" "$(ms "$b_check")" "$(ratio "$b_check" "$git_show")"
    printf '%-58s %10s  ratio %s\n' "AGB_BEFORE factory catalog --json" "$(ms "$b_catalog")" "$(ratio "$b_catalog" "$git_show")"
fi

# incremental fetch after one publish: a new version of one module lands on main (not timed),
# then agb fetches it into its cache, or git fetches it into a bare clone of its own
runs_incr="${RUNS_INCR:-10}"
git clone -q --bare "$url" "$work/mirror.git"
git --git-dir "$work/mirror.git" config remote.origin.fetch '+refs/heads/*:refs/remotes/origin/*'
git --git-dir "$work/mirror.git" fetch -q origin
publish_one() {
    local n="$1"
    (cd "$work/tree" && mkdir -p "modules/$module/v9.$n.0" && printf 'variable "x%s" {}\n' "$n" > "modules/$module/v9.$n.0/main.tf" \
        && git add -A && git commit -q -m "publish $n" && git push -q "$work/factory.git" main)
}
incr_agb=0
incr_git=0
for i in $(seq "$runs_incr"); do
    publish_one "a$i"
    start=$(date +%s%N); "$agb" factory fetch --refresh >/dev/null; end=$(date +%s%N)
    incr_agb=$((incr_agb + end - start))
    publish_one "g$i"
    start=$(date +%s%N); git --git-dir "$work/mirror.git" fetch -q origin; end=$(date +%s%N)
    incr_git=$((incr_git + end - start))
done
incr_agb=$(python3 -c "print($incr_agb / 1e9 / $runs_incr)")
incr_git=$(python3 -c "print($incr_git / 1e9 / $runs_incr)")
echo
echo "incremental fetch after one publish (file://, mean of $runs_incr)"
printf '%-58s %10s\n' "git fetch (bare clone)" "$(ms "$incr_git")"
printf '%-58s %10s  ratio %s (target <= 1)\n' "agb factory fetch --refresh" "$(ms "$incr_agb")" "$(ratio "$incr_agb" "$incr_git")"

# cold clone: agb fetch into an empty cache vs git clone --bare, same file:// remote
runs_cold="${RUNS_COLD:-10}"
cold_agb=$(runs=$runs_cold mean "bash -c 'rm -rf $work/cold && AGB_CACHE_DIR=$work/cold $agb factory fetch'")
cold_git=$(runs=$runs_cold mean "bash -c 'rm -rf $work/cold && git clone -q --bare $url $work/cold'")
echo
echo "cold clone over file://"
printf '%-58s %10s\n' "git clone --bare (+ rm -rf)" "$(ms "$cold_git")"
printf '%-58s %10s  ratio %s (target <= 1)\n' "agb factory fetch into an empty cache (+ rm -rf)" "$(ms "$cold_agb")" "$(ratio "$cold_agb" "$cold_git")"

# the same over loopback smart HTTP, when python3 can serve it
if command -v python3 >/dev/null; then
    log="$work/server.out"
    python3 "$repo_root/tests/support/git_http_server.py" --root "$work" --port 0 > "$log" &
    server=$!
    for _ in $(seq 50); do grep -q PORT "$log" && break; sleep 0.1; done
    port="$(awk '/PORT/ {print $2}' "$log")"
    hurl="http://127.0.0.1:$port/factory.git"
    cold_agb_h=$(runs=$runs_cold mean "bash -c 'rm -rf $work/cold && AGB_CACHE_DIR=$work/cold $agb factory fetch --factory $hurl'")
    cold_git_h=$(runs=$runs_cold mean "bash -c 'rm -rf $work/cold && git clone -q --bare $hurl $work/cold'")
    echo
    echo "cold clone over loopback smart HTTP"
    printf '%-58s %10s\n' "git clone --bare (+ rm -rf)" "$(ms "$cold_git_h")"
    printf '%-58s %10s  ratio %s (target <= 1)\n' "agb factory fetch into an empty cache (+ rm -rf)" "$(ms "$cold_agb_h")" "$(ratio "$cold_agb_h" "$cold_git_h")"
fi
