#!/bin/bash
# pg-harness.sh: runs one test program against a throwaway PostgreSQL
# cluster, and stops the cluster whatever happens.
#
#   pg-harness.sh PROGRAM [ARGS…]   initdb into a temporary directory, start
#                                   the server (unix socket in that directory
#                                   plus a loopback TCP port), run PROGRAM with
#                                   the connection in its environment, stop
#                                   and remove the cluster (trap: also on
#                                   failure or a signal)
#   pg-harness.sh restart           (for the tests) restart the cluster named
#                                   by the environment this script exported
#
# PROGRAM sees PGHOST, PGPORT, PGUSER, PGDATABASE (so psql and libpq's
# defaults reach the cluster), SETL_TEST_PG_URI (a postgresql:// URI of the
# same), SETL_TEST_PG_TCP_PORT and SETL_TEST_PG_PW_USER / _PASSWORD (a role
# that must log in with a password over TCP, for the ~/.pgpass and
# redaction tests), and SETL_TEST_PG_HARNESS (this script, for `restart`).
#
# The server binaries come from SETL_PG_BINDIR, else /usr/lib/postgresql/*/bin
# (Debian's `postgresql` package, newest first), else `pg_config --bindir`.
# Without them the suite is skipped with a visible TAP skip — unless CI is
# set (CI=true, as CI services set it): then it fails. SETL_PG_BINDIR=none
# acts as if there were none.
#
# PostgreSQL refuses to run as root; as root (CI containers, this project's
# machines) the server runs as the `postgres` system user (SETL_PG_OS_USER),
# through runuser or su. The test program itself runs as the caller.
set -u

die () { echo "Bail out! pg-harness: $*"; exit 1; }

find_bindir () {
  case "${SETL_PG_BINDIR:-}" in
    none) return ;;   # as if no server were installed (to see the skip)
    "") ;;
    *) [ -x "$SETL_PG_BINDIR/initdb" ] && [ -x "$SETL_PG_BINDIR/pg_ctl" ] ||
         die "SETL_PG_BINDIR=$SETL_PG_BINDIR has no initdb and pg_ctl"
       echo "$SETL_PG_BINDIR"; return ;;
  esac
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
           "$(pg_config --bindir 2>/dev/null)"; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
}

# as_server CMD…: runs CMD as the user owning the cluster.
as_server () {
  if [ "$(id -u)" = 0 ]; then
    local u="${SETL_PG_OS_USER:-postgres}"
    if command -v runuser >/dev/null; then
      runuser -u "$u" -- "$@"
    else
      su -s /bin/sh "$u" -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

if [ "${1:-}" = restart ]; then
  : "${SETL_TEST_PG_DATA:?restart: not under pg-harness.sh}"
  as_server "$SETL_TEST_PG_BIN/pg_ctl" -D "$SETL_TEST_PG_DATA" -m fast -w -t 60 \
      -l "$SETL_TEST_PG_DATA/../server.log" restart >/dev/null || exit 1
  exit 0
fi

[ $# -ge 1 ] || die "usage: pg-harness.sh PROGRAM [ARGS…]"

bindir="$(find_bindir)"
if [ -z "$bindir" ]; then
  case "${CI:-}" in
    ""|false|0)
      echo "1..0 # SKIP no PostgreSQL server binaries (install Debian's “postgresql” package or set SETL_PG_BINDIR)"
      exit 0 ;;
    *) die "no PostgreSQL server binaries, and CI is set: the postgres suite must run in CI" ;;
  esac
fi

if [ "$(id -u)" = 0 ]; then
  id "${SETL_PG_OS_USER:-postgres}" >/dev/null 2>&1 ||
    die "running as root, and there is no “${SETL_PG_OS_USER:-postgres}” user to run the server as"
fi

base="$(mktemp -d "${TMPDIR:-/tmp}/setl-pg.XXXXXX")" || die "mktemp failed"
chmod 0755 "$base"
if [ "$(id -u)" = 0 ]; then chown "${SETL_PG_OS_USER:-postgres}" "$base"; fi
data="$base/data"
started=0

cleanup () {
  if [ "$started" = 1 ]; then
    as_server "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

pw_user=setl_pw_user
pw_password="s3cret-$RANDOM$RANDOM"
as_server "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 ||
  { cat "$base/initdb.log"; die "initdb failed"; }

# A random loopback port; retried, as another run may hold it.
for attempt in 1 2 3 4 5 6 7 8; do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  if as_server "$bindir/pg_ctl" -D "$data" -w -t 60 -l "$base/server.log" \
       -o "-k $base -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60" \
       start >/dev/null 2>&1; then
    started=1
    break
  fi
done
[ "$started" = 1 ] || { cat "$base/server.log"; die "the server did not start"; }

export PGHOST="$base" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
unset PGPASSWORD PGSERVICE PGOPTIONS PGAPPNAME PGHOSTADDR PGPASSFILE
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $pw_user LOGIN PASSWORD '$pw_password' CREATEDB" \
    -c "CREATE DATABASE setl_test" >/dev/null || die "creating the test role failed"

export PGDATABASE=setl_test
export SETL_TEST_PG_URI="postgresql:///setl_test?host=$base&port=$port&user=postgres"
export SETL_TEST_PG_TCP_PORT="$port"
export SETL_TEST_PG_PW_USER="$pw_user" SETL_TEST_PG_PW_PASSWORD="$pw_password"
export SETL_TEST_PG_HARNESS="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
export SETL_TEST_PG_DATA="$data" SETL_TEST_PG_BIN="$bindir"
export SETL_TEST_PG_PSQL="$bindir/psql"

"$@"
status=$?
if [ $status -ne 0 ] && [ -f "$base/server.log" ]; then
  echo "# pg-harness: the program exited with $status; the server's log ends with:"
  tail -n 20 "$base/server.log" | sed 's/^/# /'
fi
exit $status
