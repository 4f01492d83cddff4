# postgres: Debian's postgresql-15 honouring the official postgres image's contract: UID/GID 999,
# POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB, PGDATA (may be a subdirectory of the volume), initdb on
# the first start only, /docker-entrypoint-initdb.d, listens on every pod address, stop with SIGINT.
IMAGE_KIND=debian
IMAGE_PACKAGES=(ca-certificates tzdata postgresql-15)
IMAGE_USERS=("postgres:999:999:/var/lib/postgresql:/bin/bash")
PG_MAJOR=15
IMAGE_CONFIG=(
  --config.user="999:999"
  --config.env="PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --config.env="PG_MAJOR=$PG_MAJOR"
  --config.env="LANG=C.UTF-8"
  --config.env="PGDATA=/var/lib/postgresql/data"
  --config.volume="/var/lib/postgresql/data"
  --config.exposedports="5432/tcp"
  --config.stopsignal="SIGINT"
  --config.entrypoint="docker-entrypoint.sh"
  --config.cmd="postgres"
)

customize() {
  local root="$1"
  # The package's postinst may create a "main" cluster; the image makes its own in PGDATA at first start.
  rm -rf "$root/etc/postgresql/$PG_MAJOR" "$root/var/lib/postgresql/$PG_MAJOR"
  # Like upstream: new clusters listen on every address (the pod's), the entrypoint's temporary server on none.
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$root/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"
  grep -q "^listen_addresses = '\*'" "$root/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"
  install -m 0755 "$RECIPE_DIR/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  install -d -m 0755 "$root/docker-entrypoint-initdb.d"
  install -d -o 999 -g 999 -m 3777 "$root/var/run/postgresql"
  install -d -o 999 -g 999 -m 1777 "$root/var/lib/postgresql/data"
}
