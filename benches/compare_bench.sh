#!/usr/bin/env bash
# Speed of `agb factory compare`'s work (hashing, HCL parsing, the bump rules) on two versions
# of a generated 100-file module; the budget is 50 ms. Not a test: prints the median.
#   benches/compare_bench.sh            # release build (the number to compare with the budget)
#   PROFILE=debug benches/compare_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
flag=--release
[[ ${PROFILE:-release} == debug ]] && flag=
cargo test -q $flag --test compare_bump_eval compare_speed -- --ignored --nocapture 2>&1 | grep -E '^compare'
