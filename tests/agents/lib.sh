# shellcheck shell=bash
# Shared by run.sh and the probes: where the agents are, a throw-away HOME, and running a
# command with no network but loopback.

JUDGES_DIR=${JUDGES_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
JUDGES_BIN="$JUDGES_DIR/node_modules/.bin"
# A closed loopback port: every base URL points here, so a request fails at once, locally.
JUDGES_CLOSED_PORT=${JUDGES_CLOSED_PORT:-9}

# fresh_home DIR: an empty HOME with empty XDG directories.
fresh_home() {
  rm -rf "$1"
  mkdir -p "$1/.config" "$1/.cache" "$1/.local/share" "$1/.local/state"
}

# agent_env HOME CMD...: CMD with a clean environment (nothing of the caller's: no API key,
# no proxy, no config dir) and HOME, XDG dirs set to the throw-away HOME.
agent_env() {
  local home=$1
  shift
  env -i PATH="$JUDGES_BIN:/usr/local/bin:/usr/bin:/bin" HOME="$home" USER=judge LOGNAME=judge \
    TERM=dumb LANG=C.UTF-8 TMPDIR="$home/.tmp" \
    XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
    XDG_DATA_HOME="$home/.local/share" XDG_STATE_HOME="$home/.local/state" \
    NO_COLOR=1 CI=1 "$@"
}

# offline CMD...: CMD in a network namespace where only loopback exists (run.sh checks that
# `unshare -n` works and otherwise sets JUDGES_NET=proxy: dummy proxies at a closed port).
offline() {
  if [ "${JUDGES_NET:-unshare}" = unshare ]; then
    unshare -n -- bash -c 'ip link set lo up && exec "$@"' offline "$@"
  else
    local p="http://127.0.0.1:$JUDGES_CLOSED_PORT"
    env HTTP_PROXY="$p" HTTPS_PROXY="$p" ALL_PROXY="$p" http_proxy="$p" https_proxy="$p" \
      all_proxy="$p" NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost "$@"
  fi
}
