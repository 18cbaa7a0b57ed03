/**
 * Which folder of src/ may import which (docs/architecture.md). `npm run lint` runs this with
 * dependency-cruiser after ESLint.
 *
 * LAYERS lists the folders from the bottom up. A module may import from its own folder and from folders
 * listed before its own, never after: the folder-level import graph is therefore acyclic by construction,
 * and a new arrow that would close a loop fails the check. A new folder must be added here (the
 * `unknown-folder` rule fails until it is).
 */
const LAYERS = [
  // foundation: the error vocabulary, settings, logging
  ['errors.ts', 'config.ts', 'logger.ts', 'ttl-cache.ts'],
  // the dataset model: descriptors, mappings, index names, the stored record and catalog document
  ['datasets'],
  // pure cores: the q language, search parameters, response shapes, analysis, clustering
  ['query'],
  ['search'],
  ['responses'],
  ['analyze'],
  ['geocluster'],
  // the v2.1 ODSQL compiler (docs/odsql.md), a pure core above the v1 ones it reuses
  ['odsql'],
  // adapters and services (download and geomap read pages through the OpenSearch backend)
  ['opensearch'],
  ['download'],
  ['geomap'],
  ['ingest'],
  ['auth'],
  ['files'],
  ['push'],
  ['quota'],
  ['metrics'],
  ['protection'],
  // the response cache's parts (generations, the byte-bounded LRU, metrics); its middleware is in src/http
  ['cache'],
  // the application layer: who asks for which dataset view
  ['app'],
  // edges: HTTP, the API description, command lines, wiring
  ['http'],
  ['openapi'],
  ['cli'],
  ['app.ts', 'main.ts'],
];

const pathOf = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);
const known = LAYERS.flat().map(pathOf);

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${layer.join('+')}`,
      comment: `${layer.join(', ')} may not import from a layer above it (${above.join(', ')}); see .dependency-cruiser.cjs`,
      severity: 'error',
      from: { path: layer.map(pathOf) },
      to: { path: above.map(pathOf) },
    },
    // Folders on one layer do not import each other either.
    ...layer.map((name) => ({
      name: `same-layer-${name}`,
      severity: 'error',
      from: { path: pathOf(name) },
      to: { path: layer.filter((n) => n !== name).map(pathOf) },
    })).filter((r) => r.to.path.length > 0),
  ];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'unknown-folder',
      comment: 'every module of src/ belongs to a folder listed in LAYERS (.dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: known },
      to: {},
    },
    {
      name: 'route-to-route',
      comment: 'a route module does not import another route: shared request handling lives in src/app or src/http/params',
      severity: 'error',
      from: { path: '^src/http/routes/' },
      to: { path: '^src/http/routes/' },
    },
    {
      name: 'no-circular',
      comment: 'no module-level import cycle (type-only imports excepted)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '^src/(query|analyze/expression)/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
