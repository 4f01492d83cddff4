#!/bin/bash
# Entrypoint of the postgres image, following the official image's contract in brief: on the first start
# (no PG_VERSION in PGDATA) initdb with POSTGRES_USER/POSTGRES_PASSWORD, create POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sql|*.sh on a socket-only server, then exec postgres as PID 1.
set -Eeuo pipefail

# Arguments starting with a dash are options for postgres, as upstream.
if [[ "${1:-}" == -* ]]; then set -- postgres "$@"; fi

if [[ "${1:-}" == postgres && "$(id -u)" != 0 ]]; then
  : "${PGDATA:=/var/lib/postgresql/data}"
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  export PGDATA
  # initdb cannot chmod a volume's root as a non-root UID, hence PGDATA as a subdirectory; create it.
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" 2>/dev/null || true

  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
      echo "error: database is uninitialized and POSTGRES_PASSWORD is not set; set POSTGRES_PASSWORD to a non-empty value" >&2
      exit 1
    fi
    pwfile="$(mktemp)"
    printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
    # POSTGRES_INITDB_ARGS is split into words on purpose, as upstream does.
    # shellcheck disable=SC2086
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
    rm -f "$pwfile"
    printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

    # A temporary server on the socket only: nothing can connect over the network before setup ends.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start >/dev/null
    psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
    if [[ "$POSTGRES_DB" != postgres ]]; then
      "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";' >/dev/null
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)
          echo "running $f"
          # shellcheck disable=SC1090  # the user's init scripts
          . "$f" ;;
        *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
        *) ;;
      esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "PostgreSQL init process complete; ready for start up."
  fi
fi

exec "$@"
