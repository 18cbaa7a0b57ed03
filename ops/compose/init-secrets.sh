#!/usr/bin/env bash
# Usage: ops/compose/init-secrets.sh [--force]
#
# Prepares the secrets of the production stack (docker-compose.yml) on the host, once, before the
# first `docker compose up`:
#   .env (beside docker-compose.yml), when missing: random passwords for the OpenSearch users admin,
#        ods_gateway and ods_loader, and for MinIO (root and the gateway's bucket user)
#   ops/compose/secrets/ca/root-ca.pem                 the CA the gateway and the loader verify
#   ops/compose/secrets/opensearch/{root-ca,node,node-key,admin,admin-key}.pem
#        one node certificate for opensearch-node1..3 (SANs: the three names, localhost, 127.0.0.1),
#        TLS on HTTP and transport; the admin certificate for securityadmin.sh (operators only)
#   ops/compose/secrets/opensearch-security/           the security configuration the nodes load at
#        their first start: ops/compose/opensearch-security/*.yml, plus internal_users.yml with the
#        bcrypt hashes of the .env passwords
# Needs openssl, and htpasswd (Debian: apt-get install apache2-utils) for the bcrypt hashes.
# Existing certificates are kept unless --force. The secrets directory is ignored by git.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/secrets"
force=0
[[ "${1:-}" == "--force" ]] && force=1
command -v openssl >/dev/null || { echo "init-secrets.sh: openssl is required" >&2; exit 1; }
command -v htpasswd >/dev/null || { echo "init-secrets.sh: htpasswd is required (Debian/Ubuntu: apt-get install apache2-utils)" >&2; exit 1; }

env_file="$ROOT/.env"
if [[ ! -f "$env_file" ]]; then
  rnd() { openssl rand -base64 33 | tr -d '/+=' | cut -c1-32; }
  cat > "$env_file" <<ENV
# Secrets of the production stack (ops/compose/init-secrets.sh); keep this file out of git.
OPENSEARCH_ADMIN_PASSWORD=$(rnd)
OPENSEARCH_GATEWAY_PASSWORD=$(rnd)
OPENSEARCH_LOADER_PASSWORD=$(rnd)
MINIO_ROOT_USER=minio-root
MINIO_ROOT_PASSWORD=$(rnd)
FILE_STORE_S3_ACCESS_KEY_ID=ods-gateway
FILE_STORE_S3_SECRET_ACCESS_KEY=$(rnd)
ENV
  chmod 600 "$env_file"
  echo "wrote $env_file (random passwords)"
fi
# shellcheck disable=SC1090
set -a; source "$env_file"; set +a

mkdir -p "$OUT/ca" "$OUT/opensearch" "$OUT/opensearch-security"
os="$OUT/opensearch"
if [[ $force -eq 1 || ! -f "$os/node.pem" ]]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  openssl genrsa -out "$tmp/root-ca-key.pem" 3072 2>/dev/null
  openssl req -x509 -new -key "$tmp/root-ca-key.pem" -sha256 -days 3650 -subj "/O=ods/OU=ops/CN=ods-root-ca" -out "$os/root-ca.pem"
  sign() { # name, subject, extensions
    openssl genrsa -out "$tmp/$1-key.rsa" 3072 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "$tmp/$1-key.rsa" -out "$os/$1-key.pem"
    openssl req -new -key "$os/$1-key.pem" -subj "$2" -out "$tmp/$1.csr"
    printf '%s\n' "$3" > "$tmp/$1.ext"
    openssl x509 -req -in "$tmp/$1.csr" -CA "$os/root-ca.pem" -CAkey "$tmp/root-ca-key.pem" -CAcreateserial -CAserial "$tmp/root-ca.srl" -sha256 -days 825 -extfile "$tmp/$1.ext" -out "$os/$1.pem" 2>/dev/null
  }
  sign node "/O=ods/OU=ops/CN=opensearch-node" "$(printf 'subjectAltName=DNS:opensearch-node1,DNS:opensearch-node2,DNS:opensearch-node3,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment')"
  sign admin "/O=ods/OU=ops/CN=ods-admin" "$(printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment')"
  cp "$os/root-ca.pem" "$OUT/ca/root-ca.pem"
  # The nodes run as uid 1000 in the image; keys readable by it only.
  chmod 644 "$os"/*.pem "$OUT/ca/root-ca.pem"
  chmod 600 "$os"/*-key.pem
  chown 1000:1000 "$os"/*.pem 2>/dev/null || true
  echo "wrote the CA and the node and admin certificates under $OUT"
fi

cp "$HERE"/opensearch-security/*.yml "$OUT/opensearch-security/"
hash() { htpasswd -nbBC 12 "" "$1" | cut -d: -f2 | tr -d '\n'; }
sed -e "s|@HASH_ADMIN@|$(hash "$OPENSEARCH_ADMIN_PASSWORD")|" \
    -e "s|@HASH_GATEWAY@|$(hash "$OPENSEARCH_GATEWAY_PASSWORD")|" \
    -e "s|@HASH_LOADER@|$(hash "$OPENSEARCH_LOADER_PASSWORD")|" \
    "$HERE/opensearch-security/internal_users.yml.template" > "$OUT/opensearch-security/internal_users.yml"
chmod 644 "$OUT/opensearch-security"/*.yml
echo "wrote the security configuration under $OUT/opensearch-security (the nodes load it at their first start)"
