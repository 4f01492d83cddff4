# shellcheck shell=bash
# Certificates and kubeconfigs of the real-node cluster, made with openssl (EC P-256: fast to make on
# every create). Sourced by scripts/lib/cluster/real-node.sh; uses its PKI, NODE_IP, SERVICE_IP,
# NODE_NAME and API_URL.

# new_key FILE: a fresh EC P-256 private key, readable only by root.
new_key() {
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

# new_ca NAME CN: a self-signed CA (NAME.crt, NAME.key).
new_ca() {
  new_key "$PKI/$1.key"
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI/$1.crt" 2>/dev/null
}

# issue CA NAME SUBJECT USAGE [SAN]: a certificate NAME.crt for SUBJECT signed by CA, for
# USAGE clientAuth or serverAuth, with subjectAltName SAN when given.
issue() {
  local ca="$1" name="$2" subject="$3" usage="$4" san="${5:-}" ext="$PKI/$2.ext"
  new_key "$PKI/$name.key"
  {
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n'
    printf 'extendedKeyUsage=%s\n' "$usage"
    [[ -z "$san" ]] || printf 'subjectAltName=%s\n' "$san"
  } >"$ext"
  openssl req -new -key "$PKI/$name.key" -subj "$subject" 2>/dev/null \
    | openssl x509 -req -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial -days 3650 -sha256 \
        -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext"
}

# write_pki: every certificate the cluster uses. Components get their own identities, so RBAC and
# the Node authorizer apply to them as in a real cluster; only the admin kubeconfig is system:masters.
write_pki() {
  mkdir -p "$PKI"
  new_ca ca blog-node-ca
  new_ca front-proxy-ca blog-node-front-proxy-ca
  issue ca apiserver "/CN=kube-apiserver" serverAuth \
    "IP:$NODE_IP,IP:$SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  issue ca apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  issue ca kubelet-serving "/O=system:nodes/CN=system:node:$NODE_NAME" serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
  issue ca kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
  issue ca admin "/O=system:masters/CN=blog-node-admin" clientAuth
  issue ca controller-manager "/CN=system:kube-controller-manager" clientAuth
  issue ca scheduler "/CN=system:kube-scheduler" clientAuth
  issue ca kube-proxy "/CN=system:kube-proxy" clientAuth
  issue ca kube-router "/CN=system:kube-router" clientAuth
  # The aggregation layer (metrics-server): the apiserver proxies as front-proxy-client.
  issue front-proxy-ca front-proxy-client "/CN=front-proxy-client" clientAuth
  # ServiceAccount tokens are signed with this key pair.
  new_key "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

# write_kubeconfig_for NAME FILE: a kubeconfig with NAME's client certificate, embedded.
write_kubeconfig_for() {
  local name="$1" file="$2"
  (umask 077 && cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: blog-node
  cluster:
    server: $API_URL
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$name.crt")
    client-key-data: $(base64 -w0 <"$PKI/$name.key")
contexts:
- name: blog-node
  context: {cluster: blog-node, user: $name}
current-context: blog-node
EOF
  )
}
