# shellcheck shell=bash
# The real-node cluster of scripts/cluster (its default mode): our own launcher for etcd,
# kube-apiserver, kube-controller-manager and kube-scheduler, plus one real node (containerd + runc,
# kubelet, kube-proxy, a CNI bridge), CoreDNS and a local registry. Sourced by scripts/cluster, which
# sets ROOT, CLUSTER_DIR, KUBECONFIG_PATH, TIMEOUT and the helpers of scripts/lib/common.sh.
#
# Why our own launcher and not kwokctl here: pods must reach the apiserver through the `kubernetes`
# Service, so the apiserver listens on the bridge address, and its serving certificate must name that
# address, the Service IP and kubernetes.default.svc; components need their own client identities and
# the aggregation layer needs a front-proxy CA. kwokctl's binary runtime owns its certificates and
# flags, so each of these would be a patch against it; a small launcher states them directly.

NODE_NAME=blog-node
BRIDGE=blog0                  # our bridge; `down` deletes only this name
NODE_IP=10.244.0.1            # the bridge's address: node IP, apiserver and kubelet address
POD_CIDR=10.244.0.0/16        # what kube-proxy treats as cluster-internal
NODE_POD_SUBNET=10.244.0.0/24 # what host-local hands out on this node
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1          # the `kubernetes` Service
DNS_IP=10.96.0.10             # the kube-dns Service
API_PORT=6443
API_URL="https://$NODE_IP:$API_PORT"
ETCD_CLIENT=127.0.0.1:32379
ETCD_PEER=127.0.0.1:32380
REGISTRY=127.0.0.1:5000
EGRESS_CHAIN=BLOG-NODE-EGRESS # mangle chain dropping pod/service traffic that would leave the machine
CNI_BIN_DIR=/usr/lib/cni      # Debian's containernetworking-plugins

NODE_DIR="$CLUSTER_DIR/node"
PKI="$NODE_DIR/pki"
PIDS="$NODE_DIR/pids"
LOGS="$NODE_DIR/logs"
CONTAINERD_SOCK="$NODE_DIR/containerd/containerd.sock"
REGISTRY_DATA="$TOOLS_DIR/registry"   # pushed images outlive the cluster (a cache, like the builds)
# cgroup (v1, cgroupfs) under which the kubelet puts every pod: ours to kill and remove.
CGROUP_ROOT=blog-node
# Host ports our processes listen on (besides the apiserver and kubelet on NODE_IP).
HOST_PORTS=(5000 32379 32380 10248 10249 10256 10257 10259 18080 18081 9080)

source "$ROOT/scripts/lib/cluster/pki.sh"
source "$ROOT/scripts/lib/cluster/node-images.sh"

# ---- processes ---------------------------------------------------------------------------------

# start_process NAME COMMAND...: start a daemon in its own session, log to logs/NAME.log and record
# its pid; every command line names a path under NODE_DIR, which is how our_pid recognises it.
start_process() {
  local name="$1"; shift
  mkdir -p "$PIDS" "$LOGS"
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 &
  printf '%s\n' "$!" >"$PIDS/$name.pid"
}

# our_pid PID: true when PID is alive and its command line names our node folder.
our_pid() {
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF "$NODE_DIR/"
}

# recorded_pids: live pids from our pid files (a stale pid now used by another process is ignored).
recorded_pids() {
  local f pid
  for f in "$PIDS"/*.pid; do
    [[ -f "$f" ]] || continue
    pid="$(tr -dc '0-9' <"$f")"
    [[ -n "$pid" ]] && our_pid "$pid" && printf '%s %s\n' "$(basename "$f" .pid)" "$pid"
  done
  return 0
}

# shim_pids: containerd shims serving our containerd (their -address is our socket).
shim_pids() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "-address $CONTAINERD_SOCK " \
      && printf '%s\n' "${p#/proc/}"
  done
  return 0
}

# pod_pids: every process in the kubelet's pod cgroups.
pod_pids() {
  local c
  for c in /sys/fs/cgroup/pids/$CGROUP_ROOT /sys/fs/cgroup/memory/$CGROUP_ROOT; do
    [[ -d "$c" ]] && find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
  return 0
}

# stop_pids SECONDS PID...: TERM, wait up to SECONDS, then KILL what is left.
stop_pids() {
  local wait="$1" pid i alive; shift
  [[ $# -gt 0 ]] || return 0
  kill "$@" 2>/dev/null || true
  for ((i = 0; i < wait * 5; i++)); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.2
  done
  kill -9 "$@" 2>/dev/null || true
  sleep 0.2
}

# stop_named NAME...: stop those of our recorded processes.
stop_named() {
  local name pid pids=() n
  for name in "$@"; do
    while read -r n pid; do [[ "$n" == "$name" ]] && pids+=("$pid"); done < <(recorded_pids)
  done
  stop_pids 10 "${pids[@]}"
}

# ---- machine state ----------------------------------------------------------------------------

# our_mounts: mount points under our node folder, deepest first.
our_mounts() {
  awk -v d="$NODE_DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | awk '{print length, $0}' \
    | sort -rn | cut -d' ' -f2-
}

# our_chains: "table chain" for every iptables chain that our node adds: kube-proxy's KUBE-*, the
# CNI plugins' CNI-*, our egress chain. Only one real-node cluster may run per machine (see docs).
our_chains() {
  local t
  for t in filter nat mangle raw; do
    iptables-save -t "$t" 2>/dev/null | sed -n "s/^:\(KUBE-[^ ]*\|CNI-[^ ]*\|$EGRESS_CHAIN\) .*/$t \1/p"
  done
}

# our_nft_tables: nftables tables of our node's agents (kube-proxy's probe table, the policy agent).
our_nft_tables() {
  nft list tables 2>/dev/null | awk '$3 == "kube-proxy" || $3 == "kube-network-policies" {print $2, $3}'
}

# leftovers: one line per thing of ours on the machine (processes, shims, pods, mounts, bridge,
# chains, nft tables, cgroups); empty when the machine is clean.
leftovers() (
  # Best effort by design: an empty answer from any probe just means "none of that".
  set +e +o pipefail
  local name pid
  while read -r name pid; do printf 'process %s (pid %s)\n' "$name" "$pid"; done < <(recorded_pids)
  for pid in $(shim_pids); do printf 'containerd shim (pid %s)\n' "$pid"; done
  for pid in $(pod_pids); do printf 'pod process (pid %s)\n' "$pid"; done
  while read -r name; do [[ -n "$name" ]] && printf 'mount %s\n' "$name"; done < <(our_mounts)
  ip link show "$BRIDGE" >/dev/null 2>&1 && printf 'bridge %s\n' "$BRIDGE"
  while read -r name pid; do [[ -n "$name" ]] && printf 'iptables chain %s/%s\n' "$name" "$pid"; done < <(our_chains)
  while read -r name pid; do [[ -n "$name" ]] && printf 'nft table %s %s\n' "$name" "$pid"; done < <(our_nft_tables)
  for name in $(our_ipsets); do printf 'ipset %s\n' "$name"; done
  for name in /sys/fs/cgroup/*/"$CGROUP_ROOT"; do [[ -d "$name" ]] && printf 'cgroup %s\n' "$name"; done
  return 0
)

# leftovers_summary: what leftovers() found, counted by kind ("7 process, 12 mount, 1 bridge, ...").
leftovers_summary() {
  leftovers | awk '{print $1}' | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}'
}

# remove_chains: delete our chains and every rule that jumps to them (kube-proxy --cleanup first,
# which also knows its nftables leftovers).
remove_chains() {
  local table chain rule name
  if [[ -x "$BIN_DIR/kube-proxy" && -n "$(our_chains | grep ' KUBE-' || true)" ]]; then
    "$BIN_DIR/kube-proxy" --cleanup >"$LOGS/kube-proxy-cleanup.log" 2>&1 || true
  fi
  # Rules in any chain that jump to one of ours, then our chains themselves.
  for table in filter nat mangle raw; do
    iptables-save -t "$table" 2>/dev/null \
      | grep -E "^-A .* -j (KUBE-[^ ]*|CNI-[^ ]*|$EGRESS_CHAIN)( |$)" | while read -r rule; do
        # shellcheck disable=SC2086 # the rule is iptables-save's own word list
        eval "iptables -t $table ${rule/#-A/-D}" 2>/dev/null || true
      done
    while read -r t chain; do
      [[ "$t" == "$table" ]] || continue
      iptables -t "$table" -F "$chain" 2>/dev/null || true
    done < <(our_chains)
    while read -r t chain; do
      [[ "$t" == "$table" ]] || continue
      iptables -t "$table" -X "$chain" 2>/dev/null || true
    done < <(our_chains)
  done
  while read -r family name; do
    # shellcheck disable=SC2015 # `|| true` on purpose: a table already deleted is not an error
    [[ -n "$name" ]] && nft delete table "$family" "$name" 2>/dev/null || true
  done < <(our_nft_tables)
  # kube-router's ipsets, once no rule refers to them.
  for name in $(our_ipsets); do ipset destroy "$name" 2>/dev/null || true; done
}

# our_ipsets: the ipsets kube-router's firewall makes (KUBE-SRC-*, KUBE-DST-*, kube-router-*).
our_ipsets() {
  ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router-)' || true
}

# remove_cgroups: the kubelet's pod cgroups, deepest first (they are empty once the pods are killed).
remove_cgroups() {
  local d
  for d in /sys/fs/cgroup/*/"$CGROUP_ROOT"; do
    [[ -d "$d" ]] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# teardown_node: undo everything the real-node cluster did, in an order that works after a crash or
# a killed `up` too: agents, pods, shims, containerd, rules, mounts, bridge, control plane, cgroups.
teardown_node() (
  # Best effort by design: each step removes what is there; leftovers() checks the result after.
  set +e +o pipefail
  local i m
  stop_named kube-router kubelet kube-proxy
  for ((i = 0; i < 3; i++)); do
    # shellcheck disable=SC2046
    stop_pids 5 $(pod_pids)
  done
  # shellcheck disable=SC2046
  stop_pids 5 $(shim_pids)
  stop_named containerd
  remove_chains
  while read -r m; do [[ -n "$m" ]] && umount -l "$m" 2>/dev/null; done < <(our_mounts)
  # veths of pods whose namespace is gone disappear with it; any still on our bridge go with it.
  for m in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$m" 2>/dev/null || true
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
  stop_named registry kube-scheduler kube-controller-manager kube-apiserver
  stop_named etcd   # last: an apiserver without etcd shuts down slowly
  remove_cgroups
  if [[ -f "$NODE_DIR/ip_forward.before" ]]; then
    cat "$NODE_DIR/ip_forward.before" >/proc/sys/net/ipv4/ip_forward 2>/dev/null || true
  fi
  rm -rf "$NODE_DIR" 2>/dev/null || { sleep 1; rm -rf "$NODE_DIR"; }
  return 0
)

# ---- preflight --------------------------------------------------------------------------------

need_node_tools() {
  local b missing=()
  [[ $EUID -eq 0 ]] || die "the real-node cluster needs root (bridge, iptables, cgroups, mounts); run as root or use: scripts/cluster up --simulated-nodes N"
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
    [[ -x "$BIN_DIR/$b" ]] || missing+=("$b")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    printf 'cluster binaries missing (%s): building them with scripts/toolchain/cluster.sh\n' "${missing[*]}" >&2
    "$ROOT/scripts/toolchain/cluster.sh"
  fi
  for b in pause coredns; do
    [[ -x "$BIN_DIR/$b" ]] || die "$BIN_DIR/$b is missing: build the node's add-ons with scripts/toolchain/addons.sh"
  done
  for b in containerd containerd-shim-runc-v2 runc docker-registry umoci skopeo iptables iptables-save ipset nft ip openssl; do
    command -v "$b" >/dev/null || die "$b is not installed: run scripts/toolchain/debian.sh (or scripts/bootstrap)"
  done
  [[ -x "$CNI_BIN_DIR/bridge" && -x "$CNI_BIN_DIR/host-local" ]] \
    || die "the CNI plugins are not in $CNI_BIN_DIR: apt-get install containernetworking-plugins"
}

# ports_in_use: "port by process" for each of our host ports that something else holds.
ports_in_use() {
  local port line
  for port in "${HOST_PORTS[@]}" 10250 "$API_PORT"; do
    line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1)"
    [[ -n "$line" ]] && printf 'port %s is held by %s\n' "$port" \
      "$(grep -o 'users:(([^)]*))' <<<"$line" || echo 'an unknown process')"
  done
  return 0
}

# ---- configuration files ----------------------------------------------------------------------

write_containerd_config() {
  local pause="$1" d="$NODE_DIR/containerd"
  mkdir -p "$d/root" "$d/state" "$d/opt" "$d/certs.d/$REGISTRY"
  cat >"$d/certs.d/$REGISTRY/hosts.toml" <<EOF
# The local registry speaks plain HTTP on 127.0.0.1 only.
server = "http://$REGISTRY"
[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve"]
EOF
  cat >"$d/config.toml" <<EOF
# containerd 1.6 (Debian 12) for the blog node: its own root, state and socket under .cluster/node.
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause"
  # This machine's capability bounding set lacks CAP_SYS_RESOURCE: runc cannot lower an OOM score,
  # so every sandbox failed with "can't get final child's PID from pipe: EOF" without this.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # Pod network namespaces are mounted under our state dir, so down finds them by path.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_DIR/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$d/certs.d"
EOF
}

write_cni_config() {
  mkdir -p "$NODE_DIR/cni/net.d" "$NODE_DIR/cni/ipam"
  cat >"$NODE_DIR/cni/net.d/10-blog-node.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "blog-node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$NODE_POD_SUBNET", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
EOF
}

write_kubelet_config() {
  mkdir -p "$NODE_DIR/kubelet" "$NODE_DIR/pod-logs" "$NODE_DIR/volume-plugins" "$NODE_DIR/volumes"
  cat >"$NODE_DIR/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 and no systemd: kubelet 1.37 refuses v1 unless told.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_ROOT
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: ""
podLogsDir: $NODE_DIR/pod-logs
volumePluginDir: $NODE_DIR/volume-plugins
staticPodPath: ""
serializeImagePulls: false
# A shared build machine: don't evict pods over a busy disk.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
nodeStatusReportFrequency: 10s
EOF
}

write_kube_proxy_config() {
  cat >"$NODE_DIR/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $NODE_DIR/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# NodePorts only on the bridge address, never on the machine's own interfaces.
nodePortAddresses: ["$NODE_IP/32"]
# Leave the machine's conntrack sysctls alone (read-only here, and not ours to change).
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

write_registry_config() {
  mkdir -p "$REGISTRY_DATA"
  cat >"$NODE_DIR/registry.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $REGISTRY_DATA}
  delete: {enabled: true}
http:
  addr: $REGISTRY
EOF
}

# ---- machine setup ----------------------------------------------------------------------------

setup_bridge() {
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Pods reach Services and each other through the host: forwarding on (restored by down).
  cat /proc/sys/net/ipv4/ip_forward >"$NODE_DIR/ip_forward.before"
  echo 1 >/proc/sys/net/ipv4/ip_forward
}

# setup_egress_drop: nothing addressed to or coming from the pod or Service ranges may leave through
# any interface but our bridge. Hooked in mangle POSTROUTING, which every packet passes after
# kube-proxy's DNAT (forwarded or sent by the host) and whatever a filter ACCEPT decided: a ClusterIP
# kube-proxy has not programmed yet still has its Service address there and is dropped, instead of
# being routed out of the machine (seen in the trial: something outside answered it).
setup_egress_drop() {
  iptables -t mangle -N "$EGRESS_CHAIN"
  # The host talking to itself on the bridge address (e.g. to the apiserver) goes through lo.
  iptables -t mangle -A "$EGRESS_CHAIN" -o lo -j RETURN
  iptables -t mangle -A "$EGRESS_CHAIN" -d "$SERVICE_CIDR" -j DROP
  iptables -t mangle -A "$EGRESS_CHAIN" -d "$POD_CIDR" ! -o "$BRIDGE" -j DROP
  iptables -t mangle -A "$EGRESS_CHAIN" -s "$POD_CIDR" ! -o "$BRIDGE" -j DROP
  iptables -t mangle -I POSTROUTING 1 -j "$EGRESS_CHAIN"
}

# setup_cgroups: the kubelet's cgroupRoot must exist in every v1 hierarchy it uses.
setup_cgroups() {
  local c
  for c in /sys/fs/cgroup/*; do
    [[ -d "$c" && ! -L "$c" && "$(basename "$c")" != unified ]] || continue
    mkdir -p "$c/$CGROUP_ROOT"
    if [[ -f "$c/cpuset.cpus" ]]; then
      cat "$c/cpuset.cpus" >"$c/$CGROUP_ROOT/cpuset.cpus"
      cat "$c/cpuset.mems" >"$c/$CGROUP_ROOT/cpuset.mems"
    fi
  done
}

# ---- start ------------------------------------------------------------------------------------

start_control_plane() {
  start_process etcd "$BIN_DIR/etcd" --name blog-node --data-dir "$NODE_DIR/etcd" \
    --listen-client-urls "http://$ETCD_CLIENT" --advertise-client-urls "http://$ETCD_CLIENT" \
    --listen-peer-urls "http://$ETCD_PEER" --initial-advertise-peer-urls "http://$ETCD_PEER" \
    --initial-cluster "blog-node=http://$ETCD_PEER" --listen-metrics-urls "" \
    --quota-backend-bytes 2147483648 --log-level warn
  start_process kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://$ETCD_CLIENT" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" \
    --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --profiling=false --event-ttl 1h
}

start_controllers() {
  start_process kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$NODE_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$NODE_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$NODE_DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10257 --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false
  start_process kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig "$NODE_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig "$NODE_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig "$NODE_DIR/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false --profiling=false
}

start_node() {
  start_process containerd containerd --config "$NODE_DIR/containerd/config.toml"
}

start_kubelet() {
  start_process kubelet "$BIN_DIR/kubelet" --config "$NODE_DIR/kubelet-config.yaml" \
    --kubeconfig "$NODE_DIR/kubelet.kubeconfig" --root-dir "$NODE_DIR/kubelet" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --node-labels "topology.kubernetes.io/zone=local-0"
}

start_kube_proxy() {
  start_process kube-proxy "$BIN_DIR/kube-proxy" --config "$NODE_DIR/kube-proxy-config.yaml"
}

# start_policy_agent: NetworkPolicy enforcement by kube-router v2.1.0's firewall (iptables + ipset),
# as a host process. sigs.k8s.io/kube-network-policies was the first choice but needs the nftables
# `queue` statement, which this machine's kernel lacks (docs/local-cluster.md has the error).
start_policy_agent() {
  if [[ ! -x "$BIN_DIR/kube-router" ]]; then
    printf '    no kube-router binary: NetworkPolicies are NOT enforced (scripts/toolchain/cluster.sh builds it)\n' >&2
    return 0
  fi
  kubectl apply -f "$ROOT/scripts/lib/cluster/addons/kube-router-rbac.yaml" >/dev/null
  start_process kube-router "$BIN_DIR/kube-router" --kubeconfig "$NODE_DIR/kube-router.kubeconfig" \
    --hostname-override "$NODE_NAME" --run-firewall=true --run-router=false \
    --run-service-proxy=false --enable-cni=false --health-port=0 \
    --service-cluster-ip-range "$SERVICE_CIDR" --enable-ipv6=false
}

# ---- readiness --------------------------------------------------------------------------------

# wait_until WHAT COMMAND...: retry COMMAND until it succeeds or the `up` deadline passes, then say
# which step never happened and where the logs are.
wait_until() {
  local what="$1"; shift
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then
      die "the cluster did not become ready within ${TIMEOUT}s: $what never happened (logs: $LOGS/; clean up with: scripts/cluster down)"
    fi
    sleep 0.5
  done
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
containerd_ready() { ctr --address "$CONTAINERD_SOCK" version; }
node_ready() {
  [[ "$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
# kubelet_healthy: the kubelet answers its healthz, reached as the apiserver reaches it (port 10250).
kubelet_healthy() { [[ "$(kubectl get --raw "/api/v1/nodes/$NODE_NAME/proxy/healthz" 2>/dev/null)" == ok ]]; }
# node_ready_since TIME: Ready, with a heartbeat at or after TIME (UTC, RFC 3339): a kubelet started then.
node_ready_since() {
  node_ready && [[ ! "$(kubectl get node "$NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}')" < "$1" ]]
}
dns_answers() {
  busybox nslookup kubernetes.default.svc.cluster.local "$DNS_IP" 2>/dev/null | grep -qF "$SERVICE_IP"
}

# ---- up / down / status -----------------------------------------------------------------------

# core_processes_alive: every process `up` starts is still running (the node can report Ready for
# a while after its kubelet died).
core_processes_alive() {
  local name alive
  alive="$(recorded_pids | awk '{print $1}')"
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler registry containerd kubelet kube-proxy; do
    grep -qx "$name" <<<"$alive" || return 1
  done
}

real_node_healthy() {
  [[ -f "$KUBECONFIG_PATH" && -f "$CLUSTER_DIR/mode" ]] && core_processes_alive \
    && [[ "$(kubectl get --raw /readyz 2>/dev/null)" == ok ]] && node_ready
}

real_node_up() {
  local started deadline in_way pause_ref coredns_ref
  started=$(date +%s)
  deadline=$((started + TIMEOUT))
  need_node_tools

  if [[ -n "$(leftovers)" ]]; then
    step "clean up what an earlier run left: $(leftovers_summary)"
    teardown_node
    [[ -z "$(leftovers)" ]] || die "could not remove everything an earlier run left: $(leftovers | paste -sd ';' -)"
    step_done
  fi
  in_way="$(ports_in_use)"
  [[ -z "$in_way" ]] || die "something else is in the way of the real-node cluster: $(paste -sd ';' - <<<"$in_way") (stop it, or use: scripts/cluster up --simulated-nodes N)"

  step "certificates, bridge $BRIDGE ($NODE_IP/24), egress drop, cgroups"
  mkdir -p "$NODE_DIR" "$PIDS" "$LOGS"
  write_pki
  write_kubeconfig_for admin "$KUBECONFIG_PATH.tmp"
  for c in controller-manager scheduler kubelet kube-proxy kube-router; do
    write_kubeconfig_for "$c" "$NODE_DIR/$c.kubeconfig"
  done
  setup_bridge
  setup_egress_drop
  setup_cgroups
  step_done

  step "etcd and kube-apiserver ($API_URL), registry ($REGISTRY)"
  start_control_plane
  write_registry_config
  start_process registry docker-registry serve "$NODE_DIR/registry.yml"
  wait_until "the registry listening on $REGISTRY" tcp_open 127.0.0.1 5000
  step_done

  step "node images (pause, coredns, busybox, testserver) into the registry"
  node_images
  pause_ref="$(image_ref pause)"
  coredns_ref="$(image_ref coredns)"
  step_done

  step "containerd, CNI bridge config"
  write_cni_config
  write_containerd_config "$pause_ref"
  write_kubelet_config
  write_kube_proxy_config
  start_node
  wait_until "containerd answering on $CONTAINERD_SOCK" containerd_ready
  step_done

  step "wait for kube-apiserver, then controllers, kubelet, kube-proxy"
  mv -f "$KUBECONFIG_PATH.tmp" "$KUBECONFIG_PATH"
  wait_until "the apiserver answering /readyz" apiserver_healthy
  start_controllers
  start_kubelet
  start_kube_proxy
  step_done

  step "node $NODE_NAME Ready, CoreDNS answering on $DNS_IP"
  wait_until "node $NODE_NAME turning Ready" node_ready
  wait_until "creating CoreDNS" apply_manifest coredns.yaml "$coredns_ref"
  wait_until "starting the NetworkPolicy agent" start_policy_agent
  wait_until "the default ServiceAccount appearing" kubectl get serviceaccount default -n default
  wait_until "CoreDNS answering kubernetes.default.svc.cluster.local on $DNS_IP" dns_answers
  step_done

  start_addons

  printf 'real_node\n' >"$CLUSTER_DIR/mode"
  printf 'cluster is up (%ss): kubernetes %s, node %s (containerd), pods %s, services %s; kubeconfig:\n' \
    "$(($(date +%s) - started))" "$("$BIN_DIR/kube-apiserver" --version | awk '{print $2}')" \
    "$NODE_NAME" "$NODE_POD_SUBNET" "$SERVICE_CIDR" >&2
  printf '%s\n' "$KUBECONFIG_PATH"
}

# apply_manifest FILE IMAGE: apply one of scripts/lib/cluster's manifests with its placeholders filled.
apply_manifest() {
  sed -e "s|__IMAGE__|$2|" -e "s|__BUSYBOX_IMAGE__|$(image_ref busybox)|" \
    -e "s|__DNS_IP__|$DNS_IP|" -e "s|__NODE_IP__|$NODE_IP|" \
    -e "s|__STORAGE_DIR__|$NODE_DIR/volumes|" "$ROOT/scripts/lib/cluster/$1" | kubectl apply -f -
}

# start_addons: the add-ons whose images were built, each waited for (they start in parallel).
start_addons() {
  local addon name file ref waits=()
  # image name, manifest, what to wait for
  local addons=(
    "local-path-provisioner addons/local-path-storage.yaml deployment/local-path-provisioner -n local-path-storage"
    "metrics-server addons/metrics-server.yaml deployment/metrics-server"
    "traefik addons/traefik.yaml deployment/traefik"
  )
  [[ ${#addons[@]} -gt 0 ]] || return 0
  step "add-ons"
  for addon in "${addons[@]}"; do
    read -r name file ref <<<"$addon"
    [[ -n "$(image_ref "$name")" ]] || continue
    wait_until "creating the $name add-on" apply_manifest "$file" "$(image_ref "$name")"
    waits+=("$ref")
  done
  for ref in "${waits[@]}"; do
    # shellcheck disable=SC2086 # "KIND/NAME [-n NAMESPACE]"
    wait_until "$ref becoming ready" kubectl -n kube-system rollout status $ref --timeout=2s
  done
  step_done "${waits[*]:-none built}"
}

real_node_down() {
  local left
  step "stop the real-node cluster and undo its machine changes"
  teardown_node
  rm -f "$KUBECONFIG_PATH" "$CLUSTER_DIR/mode"
  left="$(leftovers)"
  [[ -z "$left" ]] || die "down left these behind: $(paste -sd ';' - <<<"$left")"
  step_done
}

real_node_status() {
  if real_node_healthy; then
    printf 'cluster: up (real node), kubeconfig %s\n' "$KUBECONFIG_PATH"
    kubectl get nodes -o wide
    return 0
  fi
  local left
  left="$(leftovers_summary)"
  printf 'cluster: down (real node)%s\n' "${left:+; left from an earlier run: $left (scripts/cluster down removes them)}"
  return 1
}

# real_node_restart_kubelet: what a node's kubelet restart (an upgrade, a crash) does to the workloads.
# Stops the kubelet by its pid file and starts it again as `up` does; the pods' containers keep running
# under containerd meanwhile. Returns once the new kubelet is healthy and the node Ready with its heartbeat.
real_node_restart_kubelet() {
  local started deadline old new stopped_at
  need_node_tools
  # A worktree may reach the cluster through a symlinked .cluster; the processes were started with the
  # physical path, which is how our_pid recognises them and how `down` will find the new kubelet.
  NODE_DIR="$(cd "$CLUSTER_DIR" && pwd -P)/node"
  PKI="$NODE_DIR/pki" PIDS="$NODE_DIR/pids" LOGS="$NODE_DIR/logs"
  old="$(recorded_pids | awk '$1 == "kubelet" {print $2}')"
  [[ -n "$old" ]] || die "no running kubelet recorded in $PIDS/kubelet.pid (is the real-node cluster up? scripts/cluster status)"
  started=$(date +%s)
  deadline=$((started + TIMEOUT))
  step "stop the kubelet (pid $old); pods keep running"
  stop_pids 10 "$old"
  stopped_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  # Keep the stopped kubelet's log beside the new one (start_process starts a fresh log).
  mv -f "$LOGS/kubelet.log" "$LOGS/kubelet.previous.log" 2>/dev/null || true
  step_done
  step "start the kubelet again, as up does"
  start_kubelet
  new="$(tr -dc '0-9' <"$PIDS/kubelet.pid")"
  wait_until "the new kubelet answering its healthz" kubelet_healthy
  wait_until "node $NODE_NAME Ready with a heartbeat from the new kubelet" node_ready_since "$stopped_at"
  step_done "pid $new"
  printf 'kubelet restarted (pid %s -> %s), node %s Ready again after %ss\n' "$old" "$new" "$NODE_NAME" \
    "$(($(date +%s) - started))" >&2
}
