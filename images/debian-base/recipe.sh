# debian-base: Debian 12 (essential packages) with CA certificates, time zones and libstdc++ (Node needs it); parent of the Node,
# Go-binary and service images. UID 10001 ("app") is the platform's unprivileged service user.
IMAGE_KIND=debian
IMAGE_PACKAGES=(ca-certificates tzdata libstdc++6)
IMAGE_USERS=("app:10001:10001:/nonexistent:/usr/sbin/nologin")
IMAGE_CONFIG=(
  --config.env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --config.env="LANG=C.UTF-8"
  --config.cmd="/bin/bash"
)
