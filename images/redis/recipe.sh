# redis: Debian's redis-server honouring the official redis image's contract: UID/GID 999, /data as the
# working directory and volume, arguments as upstream (`redis-server --requirepass ...`, or options
# alone), protected mode off (upstream builds it so; the platform always sets a password).
IMAGE_KIND=debian
IMAGE_PACKAGES=(ca-certificates tzdata redis-server)
IMAGE_USERS=("redis:999:999:/data:/usr/sbin/nologin")
IMAGE_CONFIG=(
  --config.user="999:999"
  --config.env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --config.workingdir="/data"
  --config.volume="/data"
  --config.exposedports="6379/tcp"
  --config.entrypoint="docker-entrypoint.sh"
  --config.cmd="redis-server"
)

customize() {
  local root="$1"
  install -m 0755 "$RECIPE_DIR/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  install -d -o 999 -g 999 -m 0755 "$root/data"
}
