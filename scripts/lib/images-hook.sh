#!/usr/bin/env bash
# mmdebstrap hook for scripts/images: images-hook.sh RECIPE users|customize|normalise ROOTFS.
# Runs inside mmdebstrap (as its hook), so it gets only the recipe file and the root file system path.
set -euo pipefail
recipe="$1" action="$2" rootfs="$3"
RECIPE_DIR="$(cd "$(dirname "$recipe")" && pwd)"
export RECIPE_DIR
# shellcheck disable=SC1090
source "$recipe"

case "$action" in
  users)
    # IMAGE_USERS entries are name:uid:gid:home:shell, the upstream image's user, created before any
    # package's postinst so `adduser --system` finds it and keeps its UID.
    for entry in "${IMAGE_USERS[@]}"; do
      IFS=: read -r name uid gid home shell <<<"$entry"
      grep -q "^$name:" "$rootfs/etc/group" || printf '%s:x:%s:\n' "$name" "$gid" >>"$rootfs/etc/group"
      grep -q "^$name:" "$rootfs/etc/passwd" || printf '%s:x:%s:%s::%s:%s\n' "$name" "$uid" "$gid" "$home" "$shell" >>"$rootfs/etc/passwd"
    done
    ;;
  customize)
    if declare -F customize >/dev/null; then customize "$rootfs"; fi
    ;;
  normalise)
    # Files that record when or on which machine the image was built, not what is in it.
    rm -f "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/var/cache/ldconfig/aux-cache \
      "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old "$rootfs"/etc/*- \
      "$rootfs"/var/lib/dpkg/lock* "$rootfs"/var/cache/apt/*.bin
    : >"$rootfs/etc/machine-id"
    # Password-change days in /etc/shadow are "today" at build time; the epoch day keeps them fixed.
    if [[ -f "$rootfs/etc/shadow" ]]; then
      day=$(( SOURCE_DATE_EPOCH / 86400 ))
      awk -F: -v OFS=: -v day="$day" '{ if ($3 != "") $3 = day; print }' "$rootfs/etc/shadow" >"$rootfs/etc/shadow.new"
      cat "$rootfs/etc/shadow.new" >"$rootfs/etc/shadow" && rm -f "$rootfs/etc/shadow.new"
    fi
    ;;
  *) echo "images-hook: unknown action $action" >&2; exit 2 ;;
esac
