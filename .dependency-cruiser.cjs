/**
 * The shape of the house, checked in CI (`npm run check:structure`): doors at the top,
 * capabilities in the middle, platform at the bottom, and fastify only in the doors.
 * A module is a folder of src/; LAYERS lists them from the bottom up: a module may import
 * only modules below it (ARCHITECTURE.md, "Layout").
 */
const LAYERS = [
  ['platform'],
  ['identity'],
  ['directory'],
  ['notify'],
  ['audit'],
  ['records'],
  ['accounts'],
  ['events'],
  ['access'],
  ['documents'],
  ['history'],
  ['lifecycle', 'care-history'],
  ['api'],
  ['app'],
];

const group = (names) => `^src/(${names.join('|')})/`;
const layerRules = LAYERS.slice(0, -1).map((names, i) => ({
  name: `no-upward-from-${names.join('-')}`,
  comment: `${names.join(', ')} may not import a module above it`,
  severity: 'error',
  from: { path: group(names) },
  to: { path: group(LAYERS.slice(i + 1).flat()) },
}));
const sameLayerRules = LAYERS.filter((names) => names.length > 1).map((names) => ({
  name: `no-sideways-in-${names.join('-')}`,
  comment: `${names.join(' and ')} are on one floor and do not import each other`,
  severity: 'error',
  from: { path: `^src/(${names.join('|')})/` },
  to: { path: group(names), pathNot: '^src/$1/' },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...sameLayerRules,
    {
      name: 'fastify-only-in-doors',
      comment: 'only src/api (the doors) speaks HTTP: capabilities stay callable from the CLI, workers and tests',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/api/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: 'node_modules/(fastify|@fastify/|fastify-)' },
    },
    {
      name: 'modules-through-their-index',
      comment: 'a module is used only through its index.ts, so that what it keeps inside can change freely',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/[^/]+/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/(api|app)/'] },
    },
    {
      name: 'shared-stands-alone',
      comment: 'shared/ is imported by the web app too: it may not pull in the service',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(src|web)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(src|shared)/' },
      to: { circular: true },
    },
    {
      name: 'no-dev-packages-in-the-service',
      comment: 'a production install (npm ci --omit=dev) has no devDependencies: the service may not load one, but for the development OpenID provider',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/api/dev/oidc-provider\\.ts$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dev-provider-loaded-only-when-on',
      comment: 'the development OpenID provider (oidc-provider, a devDependency) is loaded by a dynamic import, when DEV_OIDC_PROVIDER is on',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/api/dev/oidc-provider\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'src-not-to-tests',
      comment: 'the service never loads test code',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/|\\.test\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^web/dist' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
