# Daemonless OCI image builds (mmdebstrap + umoci), cached by content in the machine cache.
# Sourced by scripts/images after common.sh; recipes live in images/<name>/recipe.sh.

IMAGES_DIR="$TOOLS_DIR/images"
RECIPES_DIR="$ROOT/images"
SERVICES_DIR="${BLOG_SERVICES_DIR:-$ROOT/services}"
# The services the platform deploys (docs: /work/brief contracts): a missing folder is skipped, not an error.
PLATFORM_SERVICES=(auth blog comment image frontend)
# Every timestamp in an image is this one (2025-05-20, the Debian snapshot the machine's apt lists name),
# so the same inputs give the same bytes and the same digest.
export SOURCE_DATE_EPOCH=1747699200
CREATED_ISO="2025-05-20T00:00:00Z"
DEBIAN_SUITE=bookworm
DEBIAN_MIRRORS=(
  "deb http://deb.debian.org/debian bookworm main"
  "deb http://deb.debian.org/debian bookworm-updates main"
  "deb http://deb.debian.org/debian-security bookworm-security main"
)
DEB_CACHE="$IMAGES_DIR/.debs"
HOOK_RUNNER="$ROOT/scripts/lib/images-hook.sh"

# apt_index_key: the Packages-index hashes of the suites above as the machine's apt lists know them, so
# a new package version in the archive (after apt-get update) changes the key and rebuilds.
apt_index_key() {
  local list
  for list in /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease \
              /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-updates_InRelease \
              /var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease; do
    [[ -f "$list" ]] || die "no apt list $list: run apt-get update (the image key needs the archive's package index)"
    sed -n '/^SHA256:/,/^[A-Z]/p' "$list" | grep -E ' main/binary-amd64/Packages$' || true
  done
}

# tree_key DIR...: hash of the files under DIR (names and contents), skipping build outputs.
tree_key() {
  local dir
  for dir in "$@"; do
    [[ -d "$dir" ]] || continue
    (cd "$dir" && find . -type f -not -path '*/node_modules/*' -not -path './dist/*' -not -path '*/dist/*' -print0 \
      | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  done | sha256sum | cut -c1-64
}

# layout_digest LAYOUT: the manifest digest of the image tagged "latest" in an OCI layout.
layout_digest() {
  sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' "$1/index.json" | head -n1
}

# current_layout NAME: the layout the last build of NAME produced (empty when never built).
current_layout() {
  local link="$IMAGES_DIR/$1/current"
  if [[ -L "$link" && -f "$link/index.json" ]]; then readlink -f "$link"; fi
}

# image_size LAYOUT: bytes of the compressed layers, config and manifest (what a pull transfers).
image_size() {
  du -sb --apparent-size "$1/blobs" | cut -f1
}

# deterministic_tar DIR OUT: a tar of DIR whose bytes depend only on names, contents, modes and owners.
deterministic_tar() {
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --numeric-owner --format=pax \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$1" -cf "$2" .
}

# finish_layout WORK CONFIG...: apply the image config with fixed timestamps and drop unreferenced blobs.
finish_layout() {
  local layout="$1"; shift
  umoci config --no-history --image "$layout:latest" --created="$CREATED_ISO" --author="blog-platform scripts/images" "$@"
  umoci gc --layout "$layout"
}

# debian_layout RECIPE WORK: a one-layer image of an mmdebstrap root file system built from the recipe.
debian_layout() {
  local recipe="$1" work="$2"
  local -a users_hook=() packages
  # shellcheck disable=SC2154  # IMAGE_PACKAGES and IMAGE_USERS come from the sourced recipe
  packages=$(IFS=,; echo "${IMAGE_PACKAGES[*]}")
  mkdir -p "$DEB_CACHE"
  # Users the recipe pins (upstream UIDs) exist before the packages' postinst would pick free ones.
  users_hook=(--essential-hook="$HOOK_RUNNER '$recipe' users \"\$1\"")
  # A plain PATH: mmdebstrap's per-package filter (mmtarfilter) must find Debian's python3, not a shim.
  # Hooks in single quotes get the root file system as "$1" from mmdebstrap, not from this shell.
  # shellcheck disable=SC2016
  PATH=/usr/sbin:/usr/bin:/sbin:/bin nice mmdebstrap --variant=essential --include="$packages" --skip=essential/unlink \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in '$DEB_CACHE' /var/cache/apt/archives/" \
    "${users_hook[@]}" \
    --customize-hook="$HOOK_RUNNER '$recipe' customize \"\$1\"" \
    --customize-hook="sync-out /var/cache/apt/archives '$DEB_CACHE'" \
    --customize-hook="$HOOK_RUNNER '$recipe' normalise \"\$1\"" \
    "$DEBIAN_SUITE" "$work/rootfs.tar" "${DEBIAN_MIRRORS[@]}" >"$work/mmdebstrap.log" 2>&1 \
    || { tail -n 20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed for $(basename "$(dirname "$recipe")") (log above)"; }
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:latest"
  umoci raw add-layer --image "$work/oci:latest" --history.created="$CREATED_ISO" \
    --history.created_by="mmdebstrap --variant=essential --include=$packages $DEBIAN_SUITE" "$work/rootfs.tar"
}

# layer_layout RECIPE WORK: the parent image plus one layer the recipe's stage() fills.
layer_layout() {
  local recipe="$1" work="$2" parent
  # shellcheck disable=SC2154  # IMAGE_PARENT comes from the sourced recipe
  parent="$(current_layout "$IMAGE_PARENT")"
  [[ -n "$parent" ]] || die "image $IMAGE_PARENT (parent of $(basename "$(dirname "$recipe")")) is not built"
  cp -a "$parent" "$work/oci"
  mkdir -p "$work/layer"
  stage "$work/layer" "$work"
  deterministic_tar "$work/layer" "$work/layer.tar"
  umoci raw add-layer --image "$work/oci:latest" --history.created="$CREATED_ISO" \
    --history.created_by="scripts/images: $(basename "$(dirname "$recipe")") layer" "$work/layer.tar"
}

# build_image NAME RECIPE: build NAME from RECIPE unless a layout with the same content key exists.
build_image() {
  local name="$1" recipe="$2"
  (
    # shellcheck disable=SC1090
    source "$recipe"
    local key work dest started
    key="$(
      {
        cat "$ROOT/scripts/lib/images.sh" "$HOOK_RUNNER"
        tree_key "$(dirname "$recipe")"
        if [[ "$IMAGE_KIND" == debian ]]; then apt_index_key; else layout_digest "$(current_layout "$IMAGE_PARENT")"; fi
        if declare -F key_inputs >/dev/null; then key_inputs; fi
      } | sha256sum | cut -c1-16
    )"
    dest="$IMAGES_DIR/$name/$key"
    # --rebuild builds again even when the key exists: the reproducibility check compares the digests.
    if [[ -f "$dest/index.json" && " ${REBUILD_IMAGES:-} " != *" $name "* ]]; then
      ln -sfn "$key" "$IMAGES_DIR/$name/current"
      printf '    %-22s cached   %s\n' "$name" "$(layout_digest "$dest")" >&2
      exit 0
    fi
    started=$(date +%s)
    mkdir -p "$IMAGES_DIR/.work"
    work="$(mktemp -d "$IMAGES_DIR/.work/$name.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    case "$IMAGE_KIND" in
      debian) debian_layout "$recipe" "$work" ;;
      layer) layer_layout "$recipe" "$work" ;;
      *) die "$recipe: IMAGE_KIND must be debian or layer (got '$IMAGE_KIND')" ;;
    esac
    # shellcheck disable=SC2154  # IMAGE_CONFIG comes from the sourced recipe
    finish_layout "$work/oci" "${IMAGE_CONFIG[@]}" \
      --config.label="org.opencontainers.image.source=blog-platform/images/$name" \
      --config.label="blog-platform.content-key=$key"
    mkdir -p "$IMAGES_DIR/$name"
    rm -rf "$dest.tmp" "$dest.old" && mv "$work/oci" "$dest.tmp"
    [[ ! -e "$dest" ]] || mv "$dest" "$dest.old"
    mv "$dest.tmp" "$dest" && rm -rf "$dest.old"
    ln -sfn "$key" "$IMAGES_DIR/$name/current"
    printf '    %-22s built    %s (%ss, %s MB)\n' "$name" "$(layout_digest "$dest")" "$(( $(date +%s) - started ))" \
      "$(( $(image_size "$dest") / 1000000 ))" >&2
  )
}

# go_build_into WRAPPER_DIR PACKAGE OUT [LDFLAGS]: a static, reproducible (-trimpath, no VCS stamp) build of
# PACKAGE inside a copy of the committed wrapper module (go.mod, go.sum, tools.go) that pins its version.
go_build_into() {
  local wrapper="$1" pkg="$2" out="$3" ldflags="${4:-}" src log
  src="$(mktemp -d "$IMAGES_DIR/.work/go.XXXXXX")"
  log="$TOOLS_DIR/logs/image-go-$(basename "$pkg").log"
  cp "$wrapper"/go.mod "$wrapper"/go.sum "$wrapper"/*.go "$src/"
  mkdir -p "$(dirname "$out")"
  if ! (cd "$src" && CGO_ENABLED=0 nice go build -trimpath -buildvcs=false -ldflags "-s -w $ldflags" -o "$out" "$pkg") >"$log" 2>&1; then
    rm -rf "$src"
    local refused
    refused="$(refused_in "$log")"
    [[ -z "$refused" ]] || die "the Go module proxy refused $refused (details: $log)"
    die "go build of $pkg failed (details: $log)"
  fi
  rm -rf "$src"
}
