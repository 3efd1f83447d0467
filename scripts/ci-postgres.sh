#!/usr/bin/env bash
# A PostgreSQL server on 127.0.0.1 for the tests, from Debian's packages.
#
#   eval "$(bash scripts/ci-postgres.sh)"   # install if missing, start, print: export ACCORDS_TEST_POSTGRES_URL=...
#                                           # (and ACCORDS_PG_STARTED=1 when this call started the server)
#   bash scripts/ci-postgres.sh stop        # stop the server
#
# Idempotent: installs PostgreSQL only when no server binaries are found, creates its own
# cluster (data in $ACCORDS_PG_DATA, default /var/lib/postgresql/accords-test) once, starts
# it only when it is not already answering, and creates the test database when missing.
# Its port ($ACCORDS_PG_PORT, default 54329) keeps it apart from any other server. Runs as
# root (the server itself runs as the postgres user); prints only the export line on stdout.
set -euo pipefail

PORT="${ACCORDS_PG_PORT:-54329}"
DATA="${ACCORDS_PG_DATA:-/var/lib/postgresql/accords-test}"
DB="${ACCORDS_PG_DB:-accords_test}"
SOCKDIR=/tmp

say() { echo "ci-postgres: $*" >&2; }

pg_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && [ -x "$found/pg_ctl" ] && echo "$found"
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

BIN=$(pg_bin || true)

if [ "${1:-start}" = stop ]; then
    if [ -n "$BIN" ] && [ -f "$DATA/postmaster.pid" ]; then
        as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "stopped the server in $DATA"
    fi
    exit 0
fi

if [ -z "$BIN" ]; then
    say "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-cache show postgresql >/dev/null 2>&1 || apt-get update -qq >/dev/null  # once, if not done before
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BIN=$(pg_bin)
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    say "created a cluster in $DATA"
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    rm -f "$DATA/postmaster.pid"  # left by a server that did not stop cleanly (e.g. a machine restart)
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $SOCKDIR -c fsync=off -c max_connections=100" start >/dev/null
    say "started PostgreSQL on 127.0.0.1:$PORT"
    STARTED=1
fi

psql_() { "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql_ -d postgres -c "CREATE DATABASE $DB"
fi

echo "export ACCORDS_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
# Whether this call started the server (so that `stop` at the end leaves alone one that was already running).
echo "export ACCORDS_PG_STARTED=${STARTED:-0}"
