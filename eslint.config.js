import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// What may import what (docs/architecture.md, "Import boundaries"); tools/checks/tests/import-boundaries.test.ts
// feeds each rule a violation. Project-level edges are Nx tags; edges inside a project are file globs.
const codeFiles = ['**/*.{ts,mjs}'];
const testFiles = ['**/tests/**', 'e2e/**'];

const relativeInto = (...folders) => `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})(?:/|$)`;

const libsThroughTheirEntryPoint = [
  {
    regex: '^@storefront/[^/]+/',
    message: "A lib's only public door is its src/index.ts: import '@storefront/<lib>', never a file inside it.",
  },
];
const testCodeOnlyInTests = [
  {
    regex: '^@storefront/testing$',
    message: '@storefront/testing starts emulators and reads packaged templates: only tests may import it.',
  },
  { regex: relativeInto('tests'), message: 'Production code never imports test code.' },
];
const domainStaysPure = [
  {
    regex: relativeInto('adapters', 'handlers'),
    message: 'The domain is pure logic: adapters and handlers depend on it, never the reverse. Declare a port instead.',
  },
  {
    // Types too: the domain speaks in contract types, and a handler turns a Lambda event into one.
    regex: '^(?:@aws-sdk/|@smithy/|aws-sdk(?:/|$)|aws-lambda(?:/|$))',
    message: 'The domain has no AWS: reach AWS through a port that an adapter implements.',
  },
  {
    regex: '^(?:@middy/|@aws-lambda-powertools/)',
    message: 'The domain knows nothing of the Lambda runtime: handlers wrap it, adapters log and measure.',
  },
  {
    // Only these two libs are free of AWS and of the runtime; any other (or a new one) stays out.
    // @storefront/testing is left to its own message above, so one import gets one reason.
    regex: '^@storefront/(?!(?:contracts|errors|testing)(?:/|$))',
    message: 'The domain imports only @storefront/contracts and @storefront/errors; the other libs carry AWS or the Lambda runtime.',
  },
];
const adaptersBelowHandlers = [
  {
    regex: relativeInto('handlers'),
    message: 'Adapters implement ports for the handlers to wire; an adapter never imports a handler.',
  },
];
const handlersWrappedByTheRuntime = [
  {
    // One wrapper per trigger kind sets the Lambda context and correlation id and publishes metrics; a handler only uses it.
    regex: '^(?:@middy/|@aws-lambda-powertools/)',
    message:
      'Handlers are wrapped by @storefront/lambda-runtime (httpHandler, sqsEventHandler, s3ObjectHandler, scheduleHandler …): use its logger and countMetric, not Powertools or middy.',
  },
];
const importDeclarationsOnly = 'The domain imports through import declarations only, so the boundary rules can see every edge.';
// Node runs the Serverless plugins in the framework's process by stripping their types: it cannot compile these.
const notErasable = [
  'TSEnumDeclaration:not([declare=true])',
  'TSModuleDeclaration:not([declare=true])',
  'TSParameterProperty',
  'TSImportEqualsDeclaration',
  'TSExportAssignment',
].map((selector) => ({ selector, message: 'Node only strips types here: no enum, namespace, parameter property, import = or export =.' }));
// Bundles are minified, which renames classes: an error class names itself with a literal, or logs, problems and the
// checkout workflow's Retry and Catch would read a minified name.
const errorsNameThemselves = [
  {
    selector: "ClassDeclaration[abstract!=true][superClass.name=/Error$/]:not(:has(ClassBody > PropertyDefinition[key.name='name']))",
    message: "Declare the error's name as a literal (`override readonly name: string = '<ClassName>'`): minifying renames classes.",
  },
];
const restrictImports = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups.flat() }] });
// A consumer's event types (`<handler>.consumes.ts`) are read by the event-wiring plugin too, for the subscription's
// filter: Node loads them as they are, so they import types only, with `import type` (Node keeps `import { type X }
// from 'm'` as an import of m, which it cannot resolve).
const typesOnly = 'Node loads this declaration as it is: import types only, with `import type { … }`.';
const declarationsNodeLoads = [
  ...notErasable,
  ...[
    'ImportDeclaration[importKind="value"]',
    'ExportNamedDeclaration[source][exportKind="value"]',
    'ExportAllDeclaration',
    'ImportExpression',
  ].map((selector) => ({ selector, message: typesOnly })),
];
// Apps never import apps; libs never import apps; no project reaches into another by a relative path. `allow` names
// the imports one block lets past the tags (see the testing lib's below).
const projectBoundaries = ({ allow = [] } = {}) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow,
      depConstraints: [
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
        // The end-to-end suites boot the system through the local cloud's door (#local-cloud).
        { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:tooling'] },
        // The local cloud, the bench and the other tools build on the packaging project.
        { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:tooling', 'type:config', 'scope:test'] },
        // The shared Serverless settings and plugins import no lib (Node runs them as they are); their tests read libs
        // (the outbox's entity, template checks).
        { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:lib'] },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.serverless/**', '.stages/**', '**/.esbuild/**', '**/.nx/**', '**/.local/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: codeFiles,
    // A jest.config.ts reaches the workspace's shared preset, which belongs to no project.
    ignores: ['**/jest.config.ts'],
    plugins: { '@nx': nx },
    rules: projectBoundaries(),
  },
  {
    // The testing lib reads the templates `serverless package` wrote through the packaging project, which owns the one
    // model of a template and its one reader (CfnTemplate, packagedTemplate): the one edge from a lib to a tool. Nx
    // tags cannot say it (every constraint a project's tags match must hold, and this lib is a type:lib), so the
    // import is named; packaging imports no lib, so the edge makes no cycle.
    files: ['libs/testing/src/**/*.ts'],
    rules: projectBoundaries({ allow: ['@storefront/packaging'] }),
  },
  {
    files: ['**/src/**/*.ts', '**/tests/**/*.ts', 'tools/**/*.ts', 'libs/serverless-base/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  // Each block restates the groups before it: for one rule, the last matching block wins.
  { files: codeFiles, rules: restrictImports(libsThroughTheirEntryPoint, testCodeOnlyInTests) },
  { files: ['{apps,libs}/*/src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...errorsNameThemselves] } },
  { files: testFiles, rules: restrictImports(libsThroughTheirEntryPoint) },
  {
    files: ['apps/*/src/domain/**'],
    rules: {
      ...restrictImports(libsThroughTheirEntryPoint, testCodeOnlyInTests, domainStaysPure),
      // import() would slip past the rule above, which reads only import and export declarations.
      'no-restricted-syntax': [
        'error',
        ...errorsNameThemselves,
        ...['ImportExpression', 'TSImportType'].map((selector) => ({ selector, message: importDeclarationsOnly })),
      ],
    },
  },
  { files: ['apps/*/src/adapters/**'], rules: restrictImports(libsThroughTheirEntryPoint, testCodeOnlyInTests, adaptersBelowHandlers) },
  {
    files: ['apps/*/src/handlers/**'],
    rules: restrictImports(libsThroughTheirEntryPoint, testCodeOnlyInTests, handlersWrappedByTheRuntime),
  },
  {
    files: ['libs/serverless-base/*.ts', 'libs/serverless-base/{event-wiring,dead-letter-alarms,stages}/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...notErasable] },
  },
  {
    files: ['**/*.consumes.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...declarationsNodeLoads],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  prettier,
);
