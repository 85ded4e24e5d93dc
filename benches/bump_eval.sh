#!/usr/bin/env bash
# Evaluation of the suggested bump on real release histories (docs/bump-evaluation.md).
# Usage: benches/bump_eval.sh OUT_DIR GIT_DIR[@SINCE][%POLICY]...
#   GIT_DIR: a (bare) clone with the release tags; @SINCE: first version to compare (e.g. @1.0.0);
#   %POLICY: a bump policy file for that publisher (as its .agb/bump-policy.yaml would say).
# Per repository, OUT_DIR/<name>.txt has one line per pair of releases; a summary is printed.
set -euo pipefail
out=$1
shift
mkdir -p "$out"
# Built once, then run directly, so that editing the sources meanwhile does not mix two versions.
bin=$(cargo test -q --test compare_bump_eval --no-run --message-format=json 2>/dev/null |
  grep -o '"executable":"[^"]*compare_bump_eval[^"]*"' | tail -1 | cut -d'"' -f4)
cp "$bin" "$out/.compare_bump_eval" && bin=$out/.compare_bump_eval
for spec in "$@"; do
  policy=
  [[ $spec == *%* ]] && policy=${spec##*%} && spec=${spec%\%*}
  repo=${spec%@*}
  since=
  [[ $spec == *@* ]] && since=${spec##*@}
  name=$(basename "$(dirname "$repo")")
  [[ $name == . || $name == / ]] && name=$(basename "$repo")
  AGB_BUMP_EVAL_REPO=$repo AGB_BUMP_EVAL_SINCE=$since AGB_BUMP_EVAL_POLICY=$policy \
    "$bin" --ignored --nocapture >"$out/$name.txt" 2>&1 || true
  echo "$name: $(grep -E '^matched' "$out/$name.txt"); $(grep -E '^interface changed' "$out/$name.txt"); $(grep -E '^majors called lower' "$out/$name.txt")"
  grep -E '^  (major|minor|patch) -> ' "$out/$name.txt" | tr -s ' ' | tr '\n' ';'
  echo
done
