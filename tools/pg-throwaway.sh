#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own cluster in a folder,
# listening on 127.0.0.1 only, on a free port; nothing of it outlives `stop`.
#
#   tools/pg-throwaway.sh start DIR [--install]   starts it; prints its URL (only that) on stdout
#   tools/pg-throwaway.sh stop DIR                stops it and removes DIR
#   tools/pg-throwaway.sh down DIR                stops the server (pg_ctl stop -m fast), keeps DIR
#   tools/pg-throwaway.sh up DIR                  starts it again on the same data and port (after down)
#
# For a developer:
#   dir=$(mktemp -d) && export ADVISORY_TEST_POSTGRES=$(tools/pg-throwaway.sh start "$dir")
#   npx vitest run test/delivery/store/postgres.test.ts
#   tools/pg-throwaway.sh stop "$dir"
#
# The server binaries are found on PATH (initdb, pg_ctl) or in /usr/lib/postgresql/*/bin.
# --install: when they are missing and this runs as root, installs Debian's postgresql
# (without the default cluster it would otherwise create and start). initdb refuses to
# run as root: as root, the cluster runs as the unprivileged user `nobody`.
# Durability is switched off (fsync): this server holds nothing worth keeping.
set -euo pipefail

say() { echo "pg-throwaway: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
  done
  return 1
}

install_postgres() {
  [ "$(id -u)" = "0" ] || die "initdb not found, and not root: install PostgreSQL (Debian: apt-get install postgresql) and run again"
  command -v apt-get >/dev/null || die "initdb not found, and no apt-get to install PostgreSQL with"
  say "installing Debian's postgresql (no default cluster)"
  mkdir -p /etc/postgresql-common
  grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
    echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # Our createcluster.conf is kept (confold): no default cluster is made, nor started, on port 5432.
  apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >/dev/null
}

free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# Runs a server binary as the cluster's owner: this user, or `nobody` when this is root.
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null; then runuser -u nobody -- "$@"; else su -s /bin/sh nobody -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

# pg_ctl start of the cluster in DIR on PORT (the one place its settings are written).
server_start() {
  local pg_ctl=$1 dir=$2 port=$3
  as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
}

start() {
  local dir=$1 install=${2:-}
  [ -n "$dir" ] || die "usage: $0 start DIR [--install]"
  local initdb pg_ctl
  if ! initdb=$(find_bin initdb) || ! pg_ctl=$(find_bin pg_ctl); then
    [ "$install" = "--install" ] || die "initdb/pg_ctl not found (PATH, /usr/lib/postgresql/*/bin): install PostgreSQL, or pass --install as root"
    install_postgres
    initdb=$(find_bin initdb) || die "initdb still not found after installing postgresql"
    pg_ctl=$(find_bin pg_ctl) || die "pg_ctl still not found after installing postgresql"
  fi
  mkdir -p "$dir"
  [ ! -e "$dir/data" ] || die "$dir/data exists already: stop that server first ($0 stop $dir)"
  if [ "$(id -u)" = "0" ]; then chown nobody "$dir"; fi
  chmod 700 "$dir"
  as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local port tries=0
  until [ $tries -ge 5 ]; do
    port=$(free_port)
    if server_start "$pg_ctl" "$dir" "$port"; then
      echo "$port" >"$dir/port"
      say "PostgreSQL $("$pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir/data, log $dir/server.log)"
      echo "postgres://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    tries=$((tries + 1))
    say "could not start on port $port (taken meanwhile?); trying another"
  done
  tail -n 30 "$dir/server.log" >&2 || true
  die "PostgreSQL did not start (log above)"
}

stop() {
  local dir=$1
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  if [ -f "$dir/data/postmaster.pid" ]; then
    local pg_ctl
    pg_ctl=$(find_bin pg_ctl) || die "pg_ctl not found: cannot stop the server in $dir"
    as_owner "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || say "pg_ctl stop failed (the server may be gone already)"
  fi
  rm -rf "$dir"
}

# A fault for the tests: the server stopped as an operator stops it (fast: sessions ended, a clean
# shutdown) and started again on the same data directory and port.
down() {
  local dir=$1 pg_ctl
  [ -f "$dir/port" ] || die "usage: $0 down DIR (a DIR that start made)"
  pg_ctl=$(find_bin pg_ctl) || die "pg_ctl not found"
  as_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

up() {
  local dir=$1 pg_ctl
  [ -f "$dir/port" ] || die "usage: $0 up DIR (a DIR that start made)"
  pg_ctl=$(find_bin pg_ctl) || die "pg_ctl not found"
  server_start "$pg_ctl" "$dir" "$(cat "$dir/port")" || { tail -n 30 "$dir/server.log" >&2; die "PostgreSQL did not start again"; }
}

case "${1:-}" in
  start) start "${2:-}" "${3:-}" ;;
  stop) stop "${2:-}" ;;
  down) down "${2:-}" ;;
  up) up "${2:-}" ;;
  *) die "usage: $0 start DIR [--install] | stop DIR | down DIR | up DIR" ;;
esac
