# nginx-unprivileged: Debian's nginx-light honouring nginxinc/nginx-unprivileged's contract: UID/GID 101,
# listens on 8080, pid and temp files in /tmp, logs to stdout/stderr, config in /etc/nginx (conf.d/*.conf),
# static files in /usr/share/nginx/html, `nginx -g 'daemon off;'`, stop with SIGQUIT.
IMAGE_KIND=debian
IMAGE_PACKAGES=(ca-certificates tzdata nginx-light)
IMAGE_USERS=("nginx:101:101:/nonexistent:/usr/sbin/nologin")
IMAGE_CONFIG=(
  --config.user="101:101"
  --config.env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --config.exposedports="8080/tcp"
  --config.stopsignal="SIGQUIT"
  --config.cmd="nginx" --config.cmd="-g" --config.cmd="daemon off;"
)

customize() {
  local root="$1"
  rm -rf "$root/etc/nginx/sites-enabled" "$root/etc/nginx/sites-available" "$root/var/www"
  install -m 0644 "$RECIPE_DIR/nginx.conf" "$root/etc/nginx/nginx.conf"
  install -D -m 0644 "$RECIPE_DIR/default.conf" "$root/etc/nginx/conf.d/default.conf"
  install -D -m 0644 "$RECIPE_DIR/index.html" "$root/usr/share/nginx/html/index.html"
  # Like the upstream image: logs go to the container's output. Debian's compiled-in temp paths
  # (/var/lib/nginx/*) point into /tmp for a config that does not set its own.
  ln -sfn /dev/stdout "$root/var/log/nginx/access.log"
  ln -sfn /dev/stderr "$root/var/log/nginx/error.log"
  rm -rf "$root/var/lib/nginx" && ln -sfn /tmp "$root/var/lib/nginx"
}
