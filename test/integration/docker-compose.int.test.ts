/**
 * The production stack: docker-compose.yml, ops/Dockerfile, .dockerignore, ops/prometheus/, ops/grafana/.
 * In the integration layer because it runs a real Compose tool through bash.
 *
 * 1. A real Compose tool validates docker-compose.yml with every profile (ops/check-compose.sh). Where
 *    no tool is installed the test FAILS under CI (CI installs Debian's docker-compose) and is skipped
 *    elsewhere, saying so.
 * 2. Structural facts that `config` cannot see, read with the `yaml` package: pinned images, the
 *    gateway's healthcheck and dependencies, AOF, the profiles, the cluster wiring, the non-root
 *    Dockerfile, the Prometheus target and the Grafana dashboard against the metric contract
 *    (ops/prometheus/METRICS.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'ops/check-compose.sh');
const INSTALL_HINT = 'apt-get update && apt-get install -y --no-install-recommends docker-compose';
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

const runScript = (...args: string[]) =>
  spawnSync('bash', [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

const detected = runScript('--detect');
const toolLine = detected.status === 0 ? detected.stdout.trim() : '';
const ciValue = process.env.CI;
const inCI = ciValue !== undefined && ciValue !== '' && ciValue !== 'false' && ciValue !== '0';

describe('docker-compose.yml, validated by a Compose tool (ops/check-compose.sh)', () => {
  if (toolLine !== '') {
    test(`every profile is valid — ${toolLine}`, () => {
      const r = runScript();
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/INVALID/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('ok (default profile)');
      expect(r.stdout).toContain('ok (profiles monitoring, samples)');
    }, 120_000);

    test('a broken file fails with the tool’s own message', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'check-compose-'));
      try {
        const file = path.join(dir, 'docker-compose.yml');
        writeFileSync(file, 'services:\n  a:\n    image: redis:7.4\n    profiles: cluster\n');
        const r = runScript(file);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('INVALID');
        expect(r.stderr).toMatch(/profiles/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  } else if (inCI) {
    test('a Compose tool is installed (CI must install it)', () => {
      throw new Error(
        `No 'docker compose' or 'docker-compose' on this CI machine: .ci/run must run \`${INSTALL_HINT}\`.\n` +
          detected.stderr,
      );
    });
  } else {
    test.skip(`SKIPPED: no 'docker compose' / 'docker-compose' here (install: ${INSTALL_HINT})`, () => undefined);
  }
});

// ---------------------------------------------------------------------------------------------------
// Structural checks (only with a YAML parser in node_modules; `yaml` comes with the dev dependencies).

type Obj = Record<string, any>;
let YAML: { parse: (src: string, options?: Obj) => any } | undefined;
try {
  YAML = require('yaml');
} catch {
  YAML = undefined;
}

/** `${VAR:-default}` / `${VAR-default}` → default, `${VAR}` → '' : what an operator without a .env gets. */
const withDefaults = (s: string): string =>
  s.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_m, def: string | undefined) => def ?? '');

const envOf = (svc: Obj): Record<string, string> => {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e: string) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, withDefaults(String(v))]));
};

/** Short volume syntax `source:target[:mode]` or long syntax → {source, target}. */
const volumesOf = (svc: Obj): { source: string; target: string }[] =>
  (svc.volumes ?? []).map((v: string | Obj) => {
    if (typeof v !== 'string') return { source: String(v.source ?? ''), target: String(v.target) };
    const [source = '', target = ''] = v.split(':');
    return { source, target };
  });

/** Container ports of `ports:` entries ("[ip:]host:container", "container", or long syntax). */
const containerPorts = (svc: Obj): number[] =>
  (svc.ports ?? []).map((p: string | number | Obj) => {
    if (typeof p === 'object') return Number(p.target);
    const parts = withDefaults(String(p)).split(':');
    return Number(parts[parts.length - 1]!.split('/')[0]);
  });

const healthTest = (svc: Obj): string => {
  const t = svc.healthcheck?.test;
  return Array.isArray(t) ? t.join(' ') : String(t ?? '');
};

interface Stage {
  name: string;
  from: string;
  lines: string[]; // instructions, continuation lines joined
}
function dockerfileStages(src: string): { args: Record<string, string>; stages: Stage[] } {
  const joined = src
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      stages.push({ from: from[1]!, name: from[2] ?? String(stages.length), lines: [] });
      continue;
    }
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/i.exec(line);
    if (arg && stages.length === 0) args[arg[1]!] = arg[2]!;
    stages[stages.length - 1]?.lines.push(line);
  }
  return { args, stages };
}
const instr = (stage: Stage, name: string): string[] =>
  stage.lines.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());

const describeYaml = YAML ? describe : describe.skip;
if (!YAML) {
  test.skip('SKIPPED structural checks: no YAML parser (`yaml`) in node_modules', () => undefined);
}

describeYaml('docker-compose.yml structure', () => {
  const raw = read('docker-compose.yml');
  const compose: Obj = YAML ? YAML.parse(raw, { merge: true }) : {};
  const services: Record<string, Obj> = compose.services ?? {};
  const svc = (name: string): Obj => {
    const s = services[name];
    if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
    return s;
  };
  const pomVersion = /<opensearch\.version>([^<]+)<\/opensearch\.version>/.exec(read('ops/opensearch/pom.xml'))?.[1];

  const NODES = ['opensearch-node1', 'opensearch-node2', 'opensearch-node3'];

  test('no `version:` key (Compose Specification) and the expected services', () => {
    expect(compose.version).toBeUndefined();
    expect(Object.keys(services).sort()).toEqual(
      ['gateway', 'grafana', 'loader', 'minio', 'minio-init', ...NODES, 'prometheus', 'proxy', 'redis'].sort(),
    );
  });

  test('profiles: the production stack is the default; samples and monitoring hold the rest', () => {
    const profileOf = (n: string) => svc(n).profiles;
    for (const n of [...NODES, 'redis', 'minio', 'minio-init', 'gateway', 'proxy']) expect({ n, p: profileOf(n) }).toEqual({ n, p: undefined });
    expect(profileOf('loader')).toEqual(['samples']);
    for (const n of ['prometheus', 'grafana']) expect(profileOf(n)).toEqual(['monitoring']);
  });

  test('every image is pinned to a version (no `latest`, no bare name)', () => {
    for (const [name, s] of Object.entries(services)) {
      expect({ name, image: typeof s.image }).toEqual({ name, image: 'string' });
      const image = withDefaults(s.image as string);
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/\d/) });
      expect({ name, tag }).not.toEqual({ name, tag: 'latest' });
    }
  });

  test('OpenSearch images are 2.19.x, the same patch as ops/opensearch/pom.xml', () => {
    expect(pomVersion).toMatch(/^2\.19\.\d+$/);
    for (const n of NODES) expect(svc(n).image).toBe(`opensearchproject/opensearch:${pomVersion}`);
  });

  test('OpenSearch: three nodes of one cluster, security plugin on, TLS on HTTP and transport with our CA, never published', () => {
    const clusterNames = new Set<string>();
    const dataVolumes = new Set<string>();
    for (const n of NODES) {
      const s = svc(n);
      const env = envOf(s);
      clusterNames.add(env['cluster.name']!);
      expect(env['node.name']).toBe(n);
      expect(env['discovery.type']).toBeUndefined();
      expect(env['discovery.seed_hosts']!.split(',').sort()).toEqual(NODES);
      expect(env['cluster.initial_cluster_manager_nodes']!.split(',').sort()).toEqual(NODES);
      expect(env.DISABLE_SECURITY_PLUGIN).toBeUndefined(); // the security plugin runs
      expect(env.DISABLE_INSTALL_DEMO_CONFIG).toBe('true'); // with our certificates, not the demo ones
      expect(env['plugins.security.ssl.http.enabled']).toBe('true');
      for (const layer of ['transport', 'http']) {
        expect(env[`plugins.security.ssl.${layer}.pemtrustedcas_filepath`]).toBe('secrets/root-ca.pem');
        expect(env[`plugins.security.ssl.${layer}.pemcert_filepath`]).toBe('secrets/node.pem');
        expect(env[`plugins.security.ssl.${layer}.pemkey_filepath`]).toBe('secrets/node-key.pem');
      }
      expect(env['plugins.security.ssl.transport.enforce_hostname_verification']).toBe('true');
      expect(env['plugins.security.nodes_dn']).toBe('CN=opensearch-node,OU=ops,O=ods');
      expect(env['plugins.security.authcz.admin_dn']).toBe('CN=ods-admin,OU=ops,O=ods');
      expect(env.OPENSEARCH_JAVA_OPTS).toMatch(/-Xms\S+ -Xmx\S+/);
      expect(s.ulimits.memlock).toEqual({ soft: -1, hard: -1 });
      expect(s.ports).toBeUndefined();
      const mounts = volumesOf(s);
      expect(mounts).toContainEqual({ source: './ops/compose/secrets/opensearch', target: '/usr/share/opensearch/config/secrets' });
      expect(mounts).toContainEqual({ source: './ops/compose/secrets/opensearch-security', target: '/usr/share/opensearch/config/opensearch-security' });
      const data = mounts.find((v) => v.target === '/usr/share/opensearch/data')!.source;
      expect(Object.keys(compose.volumes)).toContain(data);
      dataVolumes.add(data);
      expect(healthTest(s)).toMatch(/--cacert config\/secrets\/root-ca\.pem https:\/\/localhost:9200/);
    }
    expect(clusterNames.size).toBe(1);
    expect(dataVolumes.size).toBe(3);
  });

  test('OpenSearch users: the gateway and the loader have least-privilege roles, mapped by name', () => {
    const roles: Obj = YAML ? YAML.parse(read('ops/compose/opensearch-security/roles.yml')) : {};
    const mapping: Obj = YAML ? YAML.parse(read('ops/compose/opensearch-security/roles_mapping.yml')) : {};
    const users: Obj = YAML ? YAML.parse(read('ops/compose/opensearch-security/internal_users.yml.template')) : {};
    expect(mapping.ods_gateway.users).toEqual(['ods_gateway']);
    expect(mapping.ods_loader.users).toEqual(['ods_loader']);
    expect(Object.keys(users).filter((k) => k !== '_meta').sort()).toEqual(['admin', 'ods_gateway', 'ods_loader']);
    for (const u of ['admin', 'ods_gateway', 'ods_loader']) expect(users[u].hash).toMatch(/^@HASH_[A-Z]+@$/); // never a real hash in git
    // the gateway may not create, delete or re-alias dataset indices, nor do anything cluster-wide
    const gw = roles.ods_gateway as Obj;
    const allActions = (gw.index_permissions as Obj[]).flatMap((p) => p.allowed_actions as string[]);
    for (const forbidden of ['indices_all', 'indices:admin/delete', 'indices:admin/aliases', 'delete_index', 'manage']) expect(allActions).not.toContain(forbidden);
    expect(gw.cluster_permissions).not.toContain('cluster_all');
    const onRecords = (gw.index_permissions as Obj[]).filter((p) => (p.index_patterns as string[]).includes('ods-records-*'));
    expect(onRecords.flatMap((p) => p.allowed_actions as string[]).filter((a) => /create_index|admin/.test(a))).toEqual([]);
    // every file the nodes load is generated from these (init-secrets.sh copies them)
    expect(read('ops/compose/init-secrets.sh')).toMatch(/cp "\$HERE"\/opensearch-security\/\*\.yml/);
  });

  test('redis: AOF on, data on a named volume, healthcheck, not published', () => {
    const s = svc('redis');
    const cmd: string[] = Array.isArray(s.command) ? s.command : String(s.command).split(/\s+/);
    expect(cmd[cmd.indexOf('--appendonly') + 1]).toBe('yes');
    expect(Object.keys(compose.volumes)).toContain(volumesOf(s).find((v) => v.target === '/data')?.source);
    expect(healthTest(s)).toMatch(/redis-cli ping/);
    expect(s.ports).toBeUndefined();
  });

  test('minio: the file store, not published, its bucket and a bucket-only user made once', () => {
    const s = svc('minio');
    expect(s.ports).toBeUndefined();
    expect(Object.keys(compose.volumes)).toContain(volumesOf(s).find((v) => v.target === '/data')?.source);
    const init = svc('minio-init');
    expect(init.restart).toBe('no');
    expect(init.depends_on).toEqual({ minio: { condition: 'service_healthy' } });
    const script = (init.command as string[]).join(' ');
    expect(script).toMatch(/mc mb --ignore-existing stack\/ods-files/);
    expect(script).toMatch(/mc admin policy attach stack ods-files-rw --user/);
    const policy = JSON.parse(read('ops/compose/minio-gateway-policy.json')) as Obj;
    expect(policy.Statement[0].Resource).toEqual(['arn:aws:s3:::ods-files', 'arn:aws:s3:::ods-files/*']);
  });

  test('gateway: 2+ replicas, no published port, all three nodes over verified TLS as ods_gateway, the file store in MinIO', () => {
    const s = svc('gateway');
    expect(s.build).toMatchObject({ context: '.', dockerfile: 'ops/Dockerfile', target: 'runtime' });
    const env = envOf(s);
    expect(env.OPENSEARCH_URL!.split(',')).toEqual(NODES.map((n) => `https://${n}:9200`));
    expect(env).toMatchObject({
      OPENSEARCH_USERNAME: 'ods_gateway',
      OPENSEARCH_CA_FILE: '/etc/ods/ca/root-ca.pem',
      REDIS_URL: 'redis://redis:6379',
      FILE_STORE_S3_BUCKET: 'ods-files',
      FILE_STORE_S3_ENDPOINT: 'http://minio:9000',
      HOST: '0.0.0.0',
      PORT: '8080',
      TRUST_PROXY: '1',
    });
    expect(String(s.environment.OPENSEARCH_PASSWORD)).toBe('${OPENSEARCH_GATEWAY_PASSWORD}');
    expect(env.OPENSEARCH_TLS_INSECURE).toBeUndefined();
    expect(env.FILE_STORE_DIR).toBeUndefined();
    expect(env.PUSH_BACKUP_DIR).toBeUndefined();
    // only the CA is mounted, no key; nothing else of its own on disk
    expect(volumesOf(s)).toEqual([{ source: './ops/compose/secrets/ca', target: '/etc/ods/ca' }]);
    expect(s.ports).toBeUndefined();
    expect(s.expose).toEqual(['8080']);
    expect(Number(withDefaults(String(s.deploy?.replicas)))).toBeGreaterThanOrEqual(2);
    expect(s.depends_on).toEqual({
      'opensearch-node1': { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      'minio-init': { condition: 'service_completed_successfully' },
    });
    expect(healthTest(s)).toContain('http://127.0.0.1:8080/healthz');
    expect(s.restart).toBe('unless-stopped');
    const grace = /^(\d+)s$/.exec(String(s.stop_grace_period))?.[1];
    expect(Number(grace) * 1000).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS) + 5000);
  });

  test('proxy: HAProxy is the only published entry, balancing over every replica checked on /readyz', () => {
    const s = svc('proxy');
    expect(containerPorts(s)).toEqual([8080]);
    expect(volumesOf(s)).toContainEqual({ source: './ops/compose/haproxy.cfg', target: '/usr/local/etc/haproxy/haproxy.cfg' });
    const cfg = read('ops/compose/haproxy.cfg');
    expect(cfg).toMatch(/option httpchk GET \/readyz/);
    expect(cfg).toMatch(/http-check expect status 200/);
    expect(cfg).toMatch(/server-template gw \d+ gateway:8080/);
    expect(cfg).toMatch(/resolvers docker/);
    expect(cfg).toMatch(/option forwardfor/);
    const published = Object.entries(services).filter(([, v]) => (v.ports ?? []).length > 0).map(([k]) => k);
    expect(published.sort()).toEqual(['grafana', 'prometheus', 'proxy']);
    for (const n of ['grafana', 'prometheus']) for (const p of svc(n).ports) expect(withDefaults(String(p))).toMatch(/^127\.0\.0\.1:/);
  });

  test('no service has a container_name (scaling and several projects on one host stay possible)', () => {
    for (const s of Object.values(services)) expect(s.container_name).toBeUndefined();
  });

  test('loader: one-shot ingest of every sample with a replica, as ods_loader, from the Dockerfile stage with the sample packages', () => {
    const s = svc('loader');
    expect(s.command).toEqual(['node', 'dist/src/cli/ingest.js', '--all-samples', '--replicas', '1']);
    expect(s.build).toMatchObject({ context: '.', dockerfile: 'ops/Dockerfile', target: 'loader' });
    const env = envOf(s);
    expect(env.OPENSEARCH_URL).toBe(envOf(svc('gateway')).OPENSEARCH_URL);
    expect(env.OPENSEARCH_USERNAME).toBe('ods_loader');
    expect(env.OPENSEARCH_CA_FILE).toBe('/etc/ods/ca/root-ca.pem');
    expect(env.FILE_STORE_S3_BUCKET).toBe('ods-files');
    expect(s.restart).toBe('no');
    expect(withDefaults(s.image)).not.toBe(withDefaults(svc('gateway').image)); // two targets, two images
  });

  test('every bind mount exists in the repository or is made by ops/compose/init-secrets.sh; every named volume is declared', () => {
    const initSecrets = read('ops/compose/init-secrets.sh');
    for (const [name, s] of Object.entries(services)) {
      for (const v of volumesOf(s)) {
        if (v.source.startsWith('./ops/compose/secrets/')) {
          const sub = v.source.slice('./ops/compose/secrets/'.length);
          expect({ name, source: v.source, made: initSecrets.includes(`$OUT/${sub}`) }).toEqual({ name, source: v.source, made: true });
        } else if (v.source.startsWith('.') || v.source.startsWith('/')) {
          expect({ name, source: v.source, exists: existsSync(path.join(ROOT, v.source)) }).toEqual({ name, source: v.source, exists: true });
        } else {
          expect(Object.keys(compose.volumes)).toContain(v.source);
        }
      }
    }
    expect(read('ops/compose/secrets/.gitignore')).toMatch(/^\*$/m);
  });

  describe('ops/Dockerfile', () => {
    const { args, stages } = dockerfileStages(read('ops/Dockerfile'));
    const stage = (name: string): Stage => {
      const s = stages.find((x) => x.name === name);
      if (!s) throw new Error(`ops/Dockerfile has no stage "${name}"`);
      return s;
    };

    test('bases on node:20-bookworm-slim (glibc, for prebuilt native modules such as sharp)', () => {
      expect(args.NODE_IMAGE).toBe('node:20-bookworm-slim');
      const names = new Set(stages.map((s) => s.name));
      for (const s of stages) expect(s.from === '${NODE_IMAGE}' || names.has(s.from)).toBe(true);
    });

    test('the targets compose builds exist; runtime is the last (default) stage', () => {
      for (const s of Object.values(services)) if (s.build?.target) expect(stage(s.build.target)).toBeDefined();
      expect(stages[stages.length - 1]!.name).toBe('runtime');
    });

    test('build stage: npm ci + npm run build; runtime deps: npm ci --omit=dev', () => {
      const runs = (n: string) => instr(stage(n), 'RUN').join('\n');
      expect(runs('deps')).toMatch(/npm ci(?!.*--omit)/);
      expect(runs('build')).toMatch(/npm run build/);
      expect(runs('prod-deps')).toMatch(/npm ci --omit=dev/);
    });

    test('runtime: production deps + dist + mappings, non-root, EXPOSE 8080, node healthcheck, CMD', () => {
      const rt = stage('runtime');
      const copies = instr(rt, 'COPY').join('\n');
      expect(copies).toMatch(/--from=prod-deps \/app\/node_modules/);
      expect(copies).toMatch(/--from=build \/app\/dist/);
      expect(copies).toMatch(/^mappings /m);
      expect(copies).not.toMatch(/grammar|--from=deps/);
      expect(instr(rt, 'USER').pop()).toBe('node');
      expect(instr(rt, 'EXPOSE')).toContain('8080');
      expect(instr(rt, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
      const hc = instr(rt, 'HEALTHCHECK').join(' ');
      expect(hc).toMatch(/CMD \["node", "-e", .*\/healthz/);
      expect(hc).not.toMatch(/curl|wget/);
      expect(JSON.parse(instr(rt, 'CMD').pop()!)).toEqual(['node', 'dist/src/main.js']);
    });

    test('loader stage: non-root, runs the same command as the compose loader', () => {
      const ld = stage('loader');
      expect(instr(ld, 'USER').pop()).toBe('node');
      expect(JSON.parse(instr(ld, 'CMD').pop()!)).toEqual(svc('loader').command);
    });

    test('.dockerignore keeps node_modules, dist, .local, .git, coverage and .env out of the context', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
      for (const p of ['node_modules', 'dist', '.local', '.git', 'coverage', '.env']) expect(ignored).toContain(p);
    });
  });

  describe('monitoring', () => {
    const prom: Obj = YAML ? YAML.parse(read('ops/prometheus/prometheus.yml')) : {};
    const metricsMd = read('ops/prometheus/METRICS.md');
    const contract = [...metricsMd.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(counter|gauge|histogram)\s*\|/gm)].map((m) => ({
      name: m[1]!,
      type: m[2]!,
    }));
    const dashboard: Obj = JSON.parse(read('ops/grafana/dashboards/gateway.json'));
    const panels: Obj[] = (dashboard.panels as Obj[]).flatMap((p) => [p, ...((p.panels as Obj[]) ?? [])]);
    const exprs: string[] = panels.flatMap((p) => ((p.targets as Obj[]) ?? []).map((t) => String(t.expr)));
    const datasources: Obj = YAML ? YAML.parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) : {};
    const providers: Obj = YAML ? YAML.parse(read('ops/grafana/provisioning/dashboards/dashboards.yml')) : {};

    test('Prometheus scrapes /metrics on the gateway service name and its container port', () => {
      const job = (prom.scrape_configs as Obj[]).find((j) => j.job_name === 'gateway')!;
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      const targets = [
        ...((job.static_configs as Obj[]) ?? []).flatMap((c) => c.targets as string[]),
        ...((job.dns_sd_configs as Obj[]) ?? []).flatMap((c) => (c.names as string[]).map((n) => `${n}:${c.port}`)),
      ];
      expect(targets).toEqual(['gateway:8080']);
      const gw = svc('gateway');
      expect(envOf(gw).PORT).toBe('8080');
      expect((gw.expose as string[]).map(Number)).toContain(8080);
      expect(volumesOf(svc('prometheus')).map((v) => v.source)).toContain('./ops/prometheus/prometheus.yml');
    });

    test('METRICS.md is the contract the brief fixed', () => {
      expect(contract).toEqual([
        { name: 'ods_http_requests_total', type: 'counter' },
        { name: 'ods_http_request_duration_seconds', type: 'histogram' },
        { name: 'ods_opensearch_errors_total', type: 'counter' },
        { name: 'ods_quota_decisions_total', type: 'counter' },
        { name: 'ods_quota_store_errors_total', type: 'counter' },
        { name: 'ods_quota_identities_near_limit', type: 'gauge' },
        { name: 'ods_response_cache_requests_total', type: 'counter' },
        { name: 'ods_response_cache_evictions_total', type: 'counter' },
        { name: 'ods_response_cache_bytes', type: 'gauge' },
        { name: 'ods_response_cache_entries', type: 'gauge' },
      ]);
      for (const d of ['allowed', 'rejected', 'fail_open', 'fail_closed']) expect(metricsMd).toContain(`\`${d}\``);
    });

    test('Grafana: the datasource points at the prometheus service; dashboards are mounted where provisioned', () => {
      const ds = (datasources.datasources as Obj[])[0]!;
      expect(ds.type).toBe('prometheus');
      expect(ds.url).toBe('http://prometheus:9090');
      expect(containerPorts(svc('prometheus'))).toContain(9090);
      const mounts = volumesOf(svc('grafana'));
      expect(mounts).toContainEqual({ source: './ops/grafana/provisioning', target: '/etc/grafana/provisioning' });
      const dashPath = (providers.providers as Obj[])[0]!.options.path;
      expect(mounts).toContainEqual({ source: './ops/grafana/dashboards', target: dashPath });
      for (const p of panels.filter((x) => x.type !== 'row')) expect(p.datasource).toEqual({ type: 'prometheus', uid: ds.uid });
    });

    test('the dashboard uses only contract metrics (and default process metrics), and every contract metric', () => {
      const names = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:ods|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!)));
      const base = (n: string) => {
        const h = contract.find((c) => c.type === 'histogram' && /_(bucket|sum|count)$/.test(n) && n.startsWith(c.name));
        return h ? h.name : n;
      };
      for (const n of names) {
        if (n.startsWith('ods_')) expect(contract.map((c) => c.name)).toContain(base(n));
        else expect(metricsMd).toContain(`\`${n}\``); // default metrics the dashboard relies on are listed
      }
      for (const c of contract) expect([...names].map(base)).toContain(c.name);
    });

    test('the dashboard has the panels the operators need', () => {
      const byExpr = (re: RegExp) => panels.filter((p) => ((p.targets as Obj[]) ?? []).some((t) => re.test(String(t.expr))));
      expect(exprs.some((e) => /sum by \(endpoint, status\) \(rate\(ods_http_requests_total/.test(e))).toBe(true);
      for (const q of ['0.50', '0.95', '0.99']) {
        expect(exprs.some((e) => e.includes(`histogram_quantile(${q}, sum by (le) (rate(ods_http_request_duration_seconds_bucket`))).toBe(
          true,
        );
      }
      expect(byExpr(/ods_opensearch_errors_total/).length).toBeGreaterThan(0);
      expect(byExpr(/ods_quota_decisions_total\{[^}]*decision="rejected"/).length).toBeGreaterThan(0);
      expect(byExpr(/sum by \(decision\) \(rate\(ods_quota_decisions_total/).length).toBeGreaterThan(0);
      expect(byExpr(/ods_quota_store_errors_total/).length).toBeGreaterThan(0);
      expect(byExpr(/ods_quota_identities_near_limit/).length).toBeGreaterThan(0);
      expect(byExpr(/sum by \(result\) \(rate\(ods_response_cache_requests_total/).length).toBeGreaterThan(0);
      expect(byExpr(/ods_response_cache_bytes/).length).toBeGreaterThan(0);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
