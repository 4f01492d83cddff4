# Generic recipe for a service under services/<name>/ (package.json + Containerfile): the same image its
# Containerfile describes, built without a daemon. The Node.js services share services/Containerfile (its
# SERVICE build argument is the name); a service with a Containerfile of its own uses that one. A backend is node-runtime + its production node_modules + dist/
# (`node dist/main.js`, UID 10001, port 8080); a Containerfile FROM nginx makes a static site:
# nginx-unprivileged + dist/ in /usr/share/nginx/html + the service's nginx.conf.
# scripts/images sets SERVICE_NAME and SERVICE_DIR; services/shared, when present, is built and copied too.
# shellcheck shell=bash disable=SC2034 # sourced by scripts/lib/images.sh, which reads the IMAGE_* settings
IMAGE_KIND=layer
SHARED_DIR="$(dirname "$SERVICE_DIR")/shared"
containerfile="$SERVICE_DIR/Containerfile"
[[ -f "$containerfile" ]] || containerfile="$(dirname "$SERVICE_DIR")/Containerfile"
if grep -qiE '^FROM[[:space:]].*nginx' "$containerfile" 2>/dev/null; then
  SERVICE_RUNTIME=static
  IMAGE_PARENT=nginx-unprivileged
else
  SERVICE_RUNTIME=node
  IMAGE_PARENT=node-runtime
fi
# The Containerfile's last WORKDIR is where the app lives, so relative paths (../shared) match Docker's build.
SERVICE_WORKDIR="$(sed -n 's/^WORKDIR[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$containerfile" 2>/dev/null | tail -n1)"
SERVICE_WORKDIR="${SERVICE_WORKDIR:-/app}"
if [[ "$SERVICE_RUNTIME" == node ]]; then
  IMAGE_CONFIG=(
    --config.user="10001:10001"
    --config.workingdir="$SERVICE_WORKDIR"
    --config.env="PORT=8080"
    --config.env="ADMIN_PORT=9464"
    --config.exposedports="8080/tcp"
    --config.exposedports="9464/tcp"
    --clear=config.entrypoint
    --config.cmd="node" --config.cmd="dist/main.js"
  )
else
  IMAGE_CONFIG=()
fi

key_inputs() {
  echo "$SERVICE_NAME $SERVICE_RUNTIME $SERVICE_WORKDIR"
  sha256sum <"$containerfile"
  tree_key "$SERVICE_DIR"
  tree_key "$SHARED_DIR"
  node --version
  npm --version
}

# copy_sources FROM TO: the package's files without installed or built outputs.
copy_sources() {
  mkdir -p "$2"
  tar -C "$1" --exclude=./node_modules --exclude=./dist -cf - . | tar -C "$2" -xf -
}

# npm_quiet DIR ARGS...: npm in DIR, its output in the build log, one clear line when it fails.
npm_quiet() {
  local dir="$1"; shift
  (cd "$dir" && npm "$@" --no-audit --no-fund --loglevel=error) >>"$NPM_LOG" 2>&1 \
    || die "npm $* failed in ${dir} for $SERVICE_NAME (log: $NPM_LOG)"
}

stage() {
  local layer="$1" src="$2/src" app
  NPM_LOG="$TOOLS_DIR/logs/image-$SERVICE_NAME-npm.log"
  : >"$NPM_LOG"
  # Build stage: all dependencies, then `npm run build` (tsc or vite) to dist/.
  if [[ -f "$SHARED_DIR/package.json" ]]; then
    copy_sources "$SHARED_DIR" "$src/shared"
    npm_quiet "$src/shared" ci
    npm_quiet "$src/shared" run build --if-present
  fi
  copy_sources "$SERVICE_DIR" "$src/$SERVICE_NAME"
  npm_quiet "$src/$SERVICE_NAME" ci
  npm_quiet "$src/$SERVICE_NAME" run build
  [[ -d "$src/$SERVICE_NAME/dist" ]] || die "$SERVICE_NAME: npm run build made no dist/ folder"

  if [[ "$SERVICE_RUNTIME" == static ]]; then
    mkdir -p "$layer/usr/share/nginx/html"
    cp -a "$src/$SERVICE_NAME/dist/." "$layer/usr/share/nginx/html/"
    if [[ -f "$SERVICE_DIR/nginx.conf" ]]; then
      # A whole nginx.conf (with its http block) replaces the image's; a server block is the default site.
      if grep -qE '^[[:space:]]*http[[:space:]]*\{' "$SERVICE_DIR/nginx.conf"; then
        install -D -m 0644 "$SERVICE_DIR/nginx.conf" "$layer/etc/nginx/nginx.conf"
      else
        install -D -m 0644 "$SERVICE_DIR/nginx.conf" "$layer/etc/nginx/conf.d/default.conf"
      fi
    fi
    return 0
  fi

  # Runtime stage, as the Containerfile does it: prune to production dependencies in the build stage
  # and copy package.json, node_modules and dist/. The service's .npmrc (install-links) packs
  # services/shared into node_modules, so the image needs nothing outside its own folder.
  npm_quiet "$src/$SERVICE_NAME" prune --omit=dev
  app="$layer$SERVICE_WORKDIR"
  mkdir -p "$app"
  cp "$src/$SERVICE_NAME/package.json" "$app/"
  cp -a "$src/$SERVICE_NAME/dist" "$app/"
  # A package without dependencies has no node_modules at all.
  if [[ -d "$src/$SERVICE_NAME/node_modules" ]]; then cp -a "$src/$SERVICE_NAME/node_modules" "$app/"; fi
  # npm's own bookkeeping that records nothing the app reads.
  rm -rf "$app/node_modules/.cache"
}
