# shellcheck shell=bash
# The node's own images (pause sandbox, CoreDNS, busybox, the e2e test server), made without a daemon:
# one static binary in a one-layer OCI image (umoci), cached by content under $TOOLS_DIR/images/node,
# pushed with skopeo to the local registry. Sourced by scripts/lib/cluster/real-node.sh.

NODE_IMAGES_DIR="$TOOLS_DIR/images/node"
# Bump when the recipe below changes, so cached images are rebuilt.
NODE_IMAGE_RECIPE=2

# binary_image NAME BINARY UID: build (or reuse) an image whose only file is BINARY at /bin/NAME,
# run as UID; prints the OCI layout path. Same binary -> same cached layout -> same digest.
binary_image() {
  local name="$1" binary="$2" uid="$3" key layout tmp
  [[ -x "$binary" ]] || die "no binary for the $name image at $binary"
  key="$( (sha256sum <"$(readlink -f "$binary")"; printf '%s %s %s' "$NODE_IMAGE_RECIPE" "$name" "$uid") \
    | sha256sum | cut -c1-16)"
  layout="$NODE_IMAGES_DIR/$name-$key"
  if [[ ! -f "$layout/index.json" ]]; then
    tmp="$(mktemp -d "$NODE_IMAGES_DIR.tmp.XXXXXX")"
    mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/tmp" "$tmp/rootfs/etc"
    cp "$(readlink -f "$binary")" "$tmp/rootfs/bin/$name"
    chmod 0755 "$tmp/rootfs/bin/$name"
    if [[ "$name" == busybox ]]; then
      # Every applet on PATH, so scripts (local-path-provisioner's helper pods) can run `sh`, `mkdir`...
      local applet
      for applet in $("$binary" --list); do
        [[ "$applet" == busybox ]] || ln -s busybox "$tmp/rootfs/bin/$applet"
      done
    fi
    chmod 1777 "$tmp/rootfs/tmp"
    printf 'root:x:0:0:root:/:/bin/false\nnobody:x:%s:%s:nobody:/:/bin/false\n' "$uid" "$uid" \
      >"$tmp/rootfs/etc/passwd"
    # A reproducible layer: fixed order, owner and times.
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tmp/rootfs" -cf "$tmp/layer.tar" .
    {
      umoci init --layout "$tmp/oci" \
        && umoci new --image "$tmp/oci:latest" \
        && umoci raw add-layer --image "$tmp/oci:latest" --history.created_by "blog-platform: /bin/$name" \
          --history.created 1970-01-01T00:00:00Z "$tmp/layer.tar" \
        && umoci config --image "$tmp/oci:latest" --no-history --config.entrypoint "/bin/$name" \
          --config.user "$uid:$uid" --config.workingdir / --config.env PATH=/bin --created 1970-01-01T00:00:00Z \
          --architecture amd64 --os linux
    } >>"$NODE_DIR/logs/images.log" 2>&1 \
      || die "umoci could not build the $name image (details: $NODE_DIR/logs/images.log)"
    mkdir -p "$NODE_IMAGES_DIR"
    rm -rf "$layout"
    mv "$tmp/oci" "$layout"
    rm -rf "$tmp"
  fi
  printf '%s\n' "$layout"
}

# push_image LAYOUT NAME: copy an OCI layout to the local registry as node/NAME; prints the
# reference by digest (127.0.0.1:5000/node/NAME@sha256:...).
push_image() {
  local layout="$1" name="$2" digest_file="$NODE_DIR/images/$2.digest"
  mkdir -p "$NODE_DIR/images"
  skopeo copy --quiet --dest-tls-verify=false --digestfile "$digest_file" \
    "oci:$layout:latest" "docker://$REGISTRY/node/$name:latest" >>"$NODE_DIR/logs/images.log" 2>&1 \
    || die "skopeo could not push the $name image to $REGISTRY (details: $NODE_DIR/logs/images.log)"
  printf '%s/node/%s@%s\n' "$REGISTRY" "$name" "$(cat "$digest_file")"
}

# node_images: build and push the images the node, its add-ons and its tests need; writes
# .cluster/node/images.json {"pause": "127.0.0.1:5000/node/pause@sha256:...", ...}. An add-on whose
# binary scripts/toolchain/addons.sh has not built is left out (and its add-on not deployed).
node_images() {
  local name binary uid ref first=true json="{"
  # name, binary, user it runs as
  local specs=(
    "pause $BIN_DIR/pause 65535"
    "coredns $BIN_DIR/coredns 65532"
    "busybox /bin/busybox 65534"
    "testserver $TOOLS_DIR/testserver/testserver 10001"
    "local-path-provisioner $BIN_DIR/local-path-provisioner 0"
    "metrics-server $BIN_DIR/metrics-server 65534"
    "traefik $BIN_DIR/traefik 65532"
  )
  build_testserver
  for spec in "${specs[@]}"; do
    read -r name binary uid <<<"$spec"
    if [[ ! -x "$binary" ]]; then
      printf '    no %s binary (%s): its add-on is skipped; scripts/toolchain/addons.sh builds it\n' "$name" "$binary" >&2
      continue
    fi
    ref="$(push_image "$(binary_image "$name" "$binary" "$uid")" "$name")"
    $first || json+=", "
    first=false
    json+="\"$name\": \"$ref\""
  done
  printf '%s}\n' "$json" >"$NODE_DIR/images.json"
}

# image_ref NAME: the pushed reference of a node image ('' when it was not built).
image_ref() {
  sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$NODE_DIR/images.json"
}

# build_testserver: the e2e tests' HTTP server (test/e2e/testserver, standard library only).
build_testserver() {
  local out="$TOOLS_DIR/testserver/testserver" key
  key="$(sha256sum "$ROOT/test/e2e/testserver/main.go" "$ROOT/test/e2e/testserver/go.mod" | sha256sum | cut -c1-16)"
  if [[ ! -x "$out" || "$(cat "$out.key" 2>/dev/null)" != "$key" ]]; then
    mkdir -p "$(dirname "$out")"
    (cd "$ROOT/test/e2e/testserver" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" .) \
      >"$NODE_DIR/logs/testserver-build.log" 2>&1 \
      || die "go build of test/e2e/testserver failed (details: $NODE_DIR/logs/testserver-build.log)"
    mv -f "$out.tmp" "$out"
    printf '%s\n' "$key" >"$out.key"
  fi
}
