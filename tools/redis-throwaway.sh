#!/usr/bin/env bash
# A throwaway Redis server for the tests: listening on 127.0.0.1 only, on a
# free port, keeping nothing on disk (--save '' --appendonly no); nothing of it
# outlives `stop`.
#
#   tools/redis-throwaway.sh start DIR [--install]   starts it; prints its URL (only that) on stdout
#   tools/redis-throwaway.sh stop DIR                stops it and removes DIR
#   tools/redis-throwaway.sh down DIR                stops the server (SHUTDOWN NOSAVE), keeps DIR
#   tools/redis-throwaway.sh up DIR                  starts a new, empty one on the same port (after down)
#
# For a developer:
#   dir=$(mktemp -d) && export ADVISORY_TEST_REDIS=$(tools/redis-throwaway.sh start "$dir")
#   npx vitest run test/delivery/queue
#   tools/redis-throwaway.sh stop "$dir"
#
# --install: when redis-server is missing and this runs as root, installs Debian's
# redis-server (its own service is stopped again: only this throwaway one runs).
set -euo pipefail

say() { echo "redis-throwaway: $*" >&2; }
die() { say "$*"; exit 1; }

install_redis() {
  [ "$(id -u)" = "0" ] || die "redis-server not found, and not root: install Redis (Debian: apt-get install redis-server) and run again"
  command -v apt-get >/dev/null || die "redis-server not found, and no apt-get to install Redis with"
  say "installing Debian's redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >/dev/null
  # The package's own server (port 6379, with persistence) is not ours: stop it if it was started.
  if command -v service >/dev/null; then service redis-server stop >/dev/null 2>&1 || true; fi
}

free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# redis-server on PORT with its folder DIR (the one place its settings are written); true once it answers.
server_start() {
  local dir=$1 port=$2 waited=0
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  while [ $waited -lt 50 ]; do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
    waited=$((waited + 1))
  done
  return 1
}

start() {
  local dir=$1 install=${2:-}
  [ -n "$dir" ] || die "usage: $0 start DIR [--install]"
  if ! command -v redis-server >/dev/null; then
    [ "$install" = "--install" ] || die "redis-server not found on PATH: install Redis, or pass --install as root"
    install_redis
    command -v redis-server >/dev/null || die "redis-server still not found after installing it"
  fi
  mkdir -p "$dir"
  [ ! -e "$dir/redis.pid" ] || die "$dir/redis.pid exists already: stop that server first ($0 stop $dir)"
  local port tries=0
  until [ $tries -ge 5 ]; do
    port=$(free_port)
    if server_start "$dir" "$port"; then
      echo "$port" >"$dir/port"
      say "Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$port (log $dir/redis.log)"
      echo "redis://127.0.0.1:$port"
      return 0
    fi
    [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -f "$dir/redis.pid"
    tries=$((tries + 1))
    say "could not start on port $port (taken meanwhile?); trying another"
  done
  tail -n 30 "$dir/redis.log" >&2 || true
  die "Redis did not start (log above)"
}

stop() {
  local dir=$1
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  if [ -f "$dir/redis.pid" ]; then
    local pid
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

# A fault for the tests: the server stopped (SHUTDOWN NOSAVE: nothing kept) and a new, empty one
# started on the same port, as a Redis restarted without persistence comes back.
down() {
  local dir=$1 pid
  [ -f "$dir/port" ] || die "usage: $0 down DIR (a DIR that start made)"
  pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  redis-cli -h 127.0.0.1 -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
  if [ -n "$pid" ]; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/redis.pid"
}

up() {
  local dir=$1
  [ -f "$dir/port" ] || die "usage: $0 up DIR (a DIR that start made)"
  server_start "$dir" "$(cat "$dir/port")" || { tail -n 30 "$dir/redis.log" >&2; die "Redis did not start again"; }
}

case "${1:-}" in
  start) start "${2:-}" "${3:-}" ;;
  stop) stop "${2:-}" ;;
  down) down "${2:-}" ;;
  up) up "${2:-}" ;;
  *) die "usage: $0 start DIR [--install] | stop DIR | down DIR | up DIR" ;;
esac
