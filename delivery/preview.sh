# shellcheck shell=bash
# Shared by scripts/pr-check and scripts/drift: arguments, the environment (local or CI), one captured
# preview per stack, and the hand-over to delivery/cli.ts for the summary and the verdict. Sourced.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"

CI_MODE=false
MARKDOWN=""
STACKS=()

# delivery_args USAGE ARGS...: reads [--ci] [--markdown FILE] [STACK...]; stacks default to dev prod.
delivery_args() {
  local usage="$1"; shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --ci) CI_MODE=true ;;
      --markdown)
        [[ $# -ge 2 ]] || die "--markdown needs a file name"
        MARKDOWN="$2"; shift ;;
      -h|--help) printf '%s\n' "$usage"; exit 0 ;;
      -*) die "unknown option $1 (--help shows the usage)" ;;
      *) STACKS+=("$1") ;;
    esac
    shift
  done
  if [[ ${#STACKS[@]} -eq 0 ]]; then
    STACKS=(dev prod)
  fi
}

# delivery_env: in CI, check what the job must provide; locally, bootstrap, start the local cluster and
# make sure each stack exists on the backend (an empty stack previews as "create everything").
delivery_env() {
  if [[ $CI_MODE == true ]]; then
    command -v pulumi >/dev/null || die "pulumi is not on PATH: add a pulumi/actions step without a command before this one"
    command -v node >/dev/null || die "node is not on PATH: add actions/setup-node before this step"
    [[ -n "${PULUMI_BACKEND_URL:-}" ]] || die "PULUMI_BACKEND_URL is empty: set the repository secret PULUMI_BACKEND_URL (e.g. s3://bucket) and pass it in env"
    if [[ -z "$MARKDOWN" && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
      MARKDOWN="$GITHUB_STEP_SUMMARY"
    fi
    return
  fi
  source "$ROOT/scripts/lib/pulumi-env.sh"
  "$ROOT/scripts/bootstrap"
  # Any local cluster will do: reuse the one that is up (real node or simulated), else start the real
  # node. stdout is the summary's.
  "$ROOT/scripts/cluster" status >/dev/null 2>&1 || "$ROOT/scripts/cluster" up >&2
  # The local stacks read their images' digests from the lock file `scripts/images push` writes.
  [[ -f "$ROOT/.state/images.json" ]] || "$ROOT/scripts/images" push >&2
  # Stacks without blog:kubeconfig (prod) use the ambient kubeconfig: here, the local cluster's.
  export KUBECONFIG="$ROOT/.cluster/kubeconfig"
  local stack out
  for stack in "${STACKS[@]}"; do
    if ! out="$(cd "$ROOT" && pulumi stack init "$stack" --no-select --secrets-provider passphrase --non-interactive 2>&1)" \
        && [[ "$out" != *"already exists"* ]]; then
      die "could not create stack $stack on $PULUMI_BACKEND_URL: $out"
    fi
  done
}

# delivery_preview STACK DIR PULUMI_ARGS...: one preview, its engine events in DIR/STACK.events.jsonl
# and its standard error in DIR/STACK.stderr.log. Never fails: the summary judges the outcome.
delivery_preview() {
  local stack="$1" dir="$2"; shift 2
  step "pulumi preview --stack $stack $*"
  # Without PULUMI_ENABLE_STREAMING_JSON_PREVIEW `--json` prints the preview digest, which leaves out
  # policy findings. PULUMI_K8S_ENABLE_PATCH_FORCE: the deploy workflow's `up` takes back fields that
  # kubectl changed (server-side apply conflicts); previewing the same way shows such drift as the
  # update it is, instead of a conflict error.
  (cd "$ROOT" && PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi preview --stack "$stack" --json --non-interactive "$@") \
    >"$dir/$stack.events.jsonl" 2>"$dir/$stack.stderr.log" || true
  step_done "$(wc -l <"$dir/$stack.events.jsonl") events"
}

# delivery_summary CHECK DIR: the text summary on stdout, DIR/report.json, Markdown if asked; returns
# the verdict (0 passed, 1 failed, 2 unreadable previews).
delivery_summary() {
  local check="$1" dir="$2"
  local args=("$check" --dir "$dir" --json "$dir/report.json")
  if [[ -n "$MARKDOWN" ]]; then
    args+=(--markdown "$MARKDOWN")
  fi
  (cd "$ROOT" && node -r ts-node/register/transpile-only "$ROOT/delivery/cli.ts" "${args[@]}" "${STACKS[@]}")
}
