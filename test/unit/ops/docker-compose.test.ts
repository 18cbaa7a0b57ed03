/**
 * The production stack: docker-compose.yml, ops/Dockerfile, .dockerignore, ops/prometheus/, ops/grafana/.
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

const ROOT = path.resolve(__dirname, '../../..');
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
      expect(r.stdout).toContain('ok (profiles cluster, monitoring, samples)');
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

  test('no `version:` key (Compose Specification) and the expected services', () => {
    expect(compose.version).toBeUndefined();
    expect(Object.keys(services).sort()).toEqual(
      [
        'gateway',
        'grafana',
        'loader',
        'opensearch',
        'opensearch-node1',
        'opensearch-node2',
        'opensearch-node3',
        'prometheus',
        'redis',
      ].sort(),
    );
  });

  test('profiles: default = opensearch, redis, gateway; samples, cluster and monitoring hold the rest', () => {
    const profileOf = (n: string) => svc(n).profiles;
    for (const n of ['opensearch', 'redis', 'gateway']) expect(profileOf(n)).toBeUndefined();
    expect(profileOf('loader')).toEqual(['samples']);
    for (const n of ['opensearch-node1', 'opensearch-node2', 'opensearch-node3']) expect(profileOf(n)).toEqual(['cluster']);
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
    for (const n of ['opensearch', 'opensearch-node1', 'opensearch-node2', 'opensearch-node3']) {
      expect(svc(n).image).toBe(`opensearchproject/opensearch:${pomVersion}`);
    }
  });

  test('opensearch: single node, security off, heap, ulimits, named volume, _cluster/health check', () => {
    const s = svc('opensearch');
    const env = envOf(s);
    expect(env['discovery.type']).toBe('single-node');
    expect(env.DISABLE_SECURITY_PLUGIN).toBe('true');
    expect(env.DISABLE_INSTALL_DEMO_CONFIG).toBe('true');
    expect(env.OPENSEARCH_JAVA_OPTS).toMatch(/-Xms\S+ -Xmx\S+/);
    expect(s.ulimits.memlock).toEqual({ soft: -1, hard: -1 });
    expect(s.ulimits.nofile.soft).toBeGreaterThanOrEqual(65536);
    const data = volumesOf(s).find((v) => v.target === '/usr/share/opensearch/data');
    expect(Object.keys(compose.volumes)).toContain(data?.source);
    expect(healthTest(s)).toContain('/_cluster/health');
    // Security is off: never published beyond loopback by default.
    for (const p of s.ports ?? []) expect(withDefaults(String(p))).toMatch(/^127\.0\.0\.1:/);
    expect(raw).toMatch(/To turn it on/);
  });

  test('redis: AOF on, data on a named volume, healthcheck, not published', () => {
    const s = svc('redis');
    const cmd: string[] = Array.isArray(s.command) ? s.command : String(s.command).split(/\s+/);
    expect(cmd[cmd.indexOf('--appendonly') + 1]).toBe('yes');
    expect(Object.keys(compose.volumes)).toContain(volumesOf(s).find((v) => v.target === '/data')?.source);
    expect(healthTest(s)).toMatch(/redis-cli ping/);
    expect(s.ports).toBeUndefined();
  });

  test('gateway: built from ops/Dockerfile, env, file store volume, healthy dependencies, /healthz check, scalable', () => {
    const s = svc('gateway');
    expect(s.build).toMatchObject({ context: '.', dockerfile: 'ops/Dockerfile', target: 'runtime' });
    const env = envOf(s);
    expect(env).toMatchObject({
      OPENSEARCH_URL: 'http://opensearch:9200',
      REDIS_URL: 'redis://redis:6379',
      HOST: '0.0.0.0',
      PORT: '8080',
      FILE_STORE_DIR: '/data/files',
    });
    expect(env.TRUST_PROXY).toBeUndefined();
    expect(raw).toMatch(/^\s*#\s*TRUST_PROXY:/m); // documented, commented out
    const files = volumesOf(s).find((v) => v.target === '/data/files');
    expect(Object.keys(compose.volumes)).toContain(files?.source);
    expect(s.depends_on).toEqual({
      opensearch: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(containerPorts(s)).toContain(8080);
    expect(healthTest(s)).toContain('http://127.0.0.1:8080/healthz');
    expect(s.restart).toBe('unless-stopped');
    expect(s.container_name).toBeUndefined();
    expect(typeof s.deploy?.replicas).toBe('number');
  });

  test('no service has a container_name (scaling and several projects on one host stay possible)', () => {
    for (const s of Object.values(services)) expect(s.container_name).toBeUndefined();
  });

  test('loader: one-shot ingest of every sample, from the Dockerfile stage with the sample packages', () => {
    const s = svc('loader');
    expect(s.command).toEqual(['node', 'dist/src/cli/ingest.js', '--all-samples']);
    expect(s.build).toMatchObject({ context: '.', dockerfile: 'ops/Dockerfile', target: 'loader' });
    expect(envOf(s).OPENSEARCH_URL).toBe('http://opensearch:9200');
    expect(s.depends_on).toEqual({ opensearch: { condition: 'service_healthy' } });
    expect(s.restart).toBe('no');
    expect(withDefaults(s.image)).not.toBe(withDefaults(svc('gateway').image)); // two targets, two images
  });

  test('cluster: three nodes forming one cluster', () => {
    const nodes = ['opensearch-node1', 'opensearch-node2', 'opensearch-node3'];
    const clusterNames = new Set<string>();
    const dataVolumes = new Set<string>();
    for (const n of nodes) {
      const s = svc(n);
      const env = envOf(s);
      clusterNames.add(env['cluster.name']!);
      expect(env['node.name']).toBe(n);
      expect(env['discovery.type']).toBeUndefined();
      expect(env['discovery.seed_hosts']!.split(',').sort()).toEqual(nodes);
      expect(env['cluster.initial_cluster_manager_nodes']!.split(',').sort()).toEqual(nodes);
      expect(s.ulimits.memlock).toEqual({ soft: -1, hard: -1 });
      expect(healthTest(s)).toContain('/_cluster/health');
      const data = volumesOf(s).find((v) => v.target === '/usr/share/opensearch/data')!.source;
      expect(Object.keys(compose.volumes)).toContain(data);
      dataVolumes.add(data);
    }
    expect(clusterNames.size).toBe(1);
    expect(dataVolumes.size).toBe(3);
    expect(raw).toMatch(/OPENSEARCH_URL=http:\/\/opensearch-node1:9200/); // how the gateway is pointed at it
  });

  test('every bind mount exists in the repository, every named volume is declared', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of volumesOf(s)) {
        if (v.source.startsWith('.') || v.source.startsWith('/')) {
          expect({ name, source: v.source, exists: existsSync(path.join(ROOT, v.source)) }).toEqual({
            name,
            source: v.source,
            exists: true,
          });
        } else {
          expect(Object.keys(compose.volumes)).toContain(v.source);
        }
      }
    }
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
      expect(containerPorts(gw)).toContain(8080);
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
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
