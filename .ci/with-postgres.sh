#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL server: Debian's package (installed with
# apt-get when missing), a cluster made by initdb in a temporary folder, reachable only by
# a unix socket in that folder, stopped and deleted when the command ends (also on failure
# or Ctrl-C). The command sees its URL in DRONEWORKS_TEST_POSTGRES.
set -euo pipefail

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(find_bin)
if [ -z "$bin" ]; then
  echo "with-postgres: installing PostgreSQL (apt-get install postgresql)" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  bin=$(find_bin)
fi

dir=$(mktemp -d /tmp/droneworks-pg.XXXXXX)
chmod 755 "$dir"
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then  # initdb and postgres refuse to run as root
  chown postgres: "$dir"
  as_owner() { runuser -u postgres -- "$@"; }
fi

stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_owner "$bin/initdb" -D "$dir/data" -U droneworks --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses='' -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export DRONEWORKS_TEST_POSTGRES="postgresql+psycopg://droneworks@/postgres?host=$dir"
"$@"
