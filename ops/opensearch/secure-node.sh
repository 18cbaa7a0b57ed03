#!/usr/bin/env bash
# Usage: ops/opensearch/secure-node.sh start|stop [--port 9250] [--name secure]
#
# A local OpenSearch node WITH the security plugin (TLS on HTTP and transport, basic authentication,
# the users and roles of the production stack), to test the gateway as production runs it: HTTPS with
# CA verification, a least-privilege user. Built from Maven Central like the plain node, but:
#   - core 2.19.4: the newest org.opensearch.plugin:opensearch-security published there is 2.19.4.0,
#     built for core 2.19.4 (pom.xml's version with -Dopensearch.version=2.19.4, log4j-core matched to
#     the log4j-api 2.21.0 it brings);
#   - the plugin zip's jars appended to the classpath, and Launcher.java --plugins
#     org.opensearch.security.OpenSearchSecurityPlugin (its own TLS transports replace netty4's);
#   - the certificates and the security configuration of ops/compose/init-secrets.sh (the node
#     certificate names localhost and 127.0.0.1), copied into the node's config/ directory; the
#     security index is initialised from them at first start.
# Users: admin, ods_gateway, ods_loader with the passwords of .env (written by init-secrets.sh).
# Data and logs under .local/opensearch/secure/<name>/; transport port = HTTP port + 100.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${OPENSEARCH_LOCAL_DIR:-$ROOT/.local/opensearch}"
MVN="${MVN:-mvn}"
CORE=2.19.4
SECURITY=2.19.4.0
LOG4J=2.21.0
cmd="${1:-}"; shift || true
port=9250; name=secure; timeout=180
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    *) echo "secure-node.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
node_dir="$STATE_DIR/secure/$name"
case "$cmd" in
  stop) exec "$HERE/stop.sh" --dir secure --name "$name" ;;
  start) ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

mkdir -p "$STATE_DIR"
cp_file="$STATE_DIR/classpath-secure-$CORE.txt"
plugin_dir="$STATE_DIR/opensearch-security-$SECURITY"
if [[ ! -s "$cp_file" || "$HERE/pom.xml" -nt "$cp_file" ]]; then
  echo "resolving OpenSearch $CORE and opensearch-security $SECURITY from Maven Central..."
  "$MVN" -B -q -f "$HERE/pom.xml" -Dopensearch.version=$CORE dependency:build-classpath -Dmdep.outputFile="$cp_file.core" >"$STATE_DIR/mvn-secure.log" 2>&1
  "$MVN" -B -q dependency:get -Dartifact=org.apache.logging.log4j:log4j-core:$LOG4J >>"$STATE_DIR/mvn-secure.log" 2>&1
  "$MVN" -B -q dependency:copy -Dartifact=org.opensearch.plugin:opensearch-security:$SECURITY:zip -DoutputDirectory="$STATE_DIR" >>"$STATE_DIR/mvn-secure.log" 2>&1
  rm -rf "$plugin_dir" && mkdir -p "$plugin_dir" && (cd "$plugin_dir" && unzip -q "$STATE_DIR/opensearch-security-$SECURITY.zip")
  core="$(tr ':' '\n' < "$cp_file.core" | sed "s#log4j-core/[0-9.]*/log4j-core-[0-9.]*\.jar#log4j-core/$LOG4J/log4j-core-$LOG4J.jar#")"
  # the plugin's jars after the core's (a library both have resolves to the core's copy)
  { echo "$core"; ls "$plugin_dir"/*.jar; } | paste -sd: > "$cp_file"
  rm -f "$cp_file.core"
fi

[[ -f "$ROOT/ops/compose/secrets/opensearch/node.pem" ]] || bash "$ROOT/ops/compose/init-secrets.sh"
mkdir -p "$node_dir/config/secrets" "$node_dir/config/opensearch-security" "$node_dir/logs" "$node_dir/data"
cp "$ROOT"/ops/compose/secrets/opensearch/*.pem "$node_dir/config/secrets/"
cp "$ROOT"/ops/compose/secrets/opensearch-security/*.yml "$node_dir/config/opensearch-security/"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi
console="$node_dir/logs/console.log"
: > "$console"
(
  cd "$node_dir"
  exec nohup "$JAVA" -Xms512m -Xmx512m -XX:+UseG1GC -Djava.locale.providers=SPI,COMPAT -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -cp "$(cat "$cp_file")" "$HERE/Launcher.java" --home "$node_dir" --data "$node_dir/data" --logs "$node_dir/logs" \
    --cluster-name ods-secure --node-name "$name" --http-port "$port" --transport-port $((port + 100)) \
    --plugins org.opensearch.security.OpenSearchSecurityPlugin \
    -E plugins.security.ssl.transport.pemcert_filepath=secrets/node.pem \
    -E plugins.security.ssl.transport.pemkey_filepath=secrets/node-key.pem \
    -E plugins.security.ssl.transport.pemtrustedcas_filepath=secrets/root-ca.pem \
    -E plugins.security.ssl.transport.enforce_hostname_verification=false \
    -E plugins.security.ssl.http.enabled=true \
    -E plugins.security.ssl.http.pemcert_filepath=secrets/node.pem \
    -E plugins.security.ssl.http.pemkey_filepath=secrets/node-key.pem \
    -E plugins.security.ssl.http.pemtrustedcas_filepath=secrets/root-ca.pem \
    -E "plugins.security.nodes_dn=CN=opensearch-node,OU=ops,O=ods" \
    -E "plugins.security.authcz.admin_dn=CN=ods-admin,OU=ops,O=ods" \
    -E plugins.security.allow_default_init_securityindex=true \
    </dev/null >>"$console" 2>&1
) &
echo "$!" > "$node_dir/opensearch.pid"
echo "starting the secured node '$name' (pid $!) on https://127.0.0.1:$port; log $console"
ca="$ROOT/ops/compose/secrets/ca/root-ca.pem"
for ((i = 0; i < timeout; i++)); do
  pid="$(cat "$node_dir/opensearch.pid")"
  if ! kill -0 "$pid" 2>/dev/null; then echo "secure-node.sh: the node exited; last lines of $console:" >&2; tail -n 40 "$console" >&2; exit 1; fi
  code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" "https://127.0.0.1:$port/" 2>/dev/null || true)"
  if [[ "$code" == 401 ]]; then echo "secured node '$name' is ready on https://127.0.0.1:$port after $i s (401 without credentials)"; exit 0; fi
  sleep 1
done
echo "secure-node.sh: not ready after $timeout s; last lines of $console:" >&2
tail -n 40 "$console" >&2
exit 1
