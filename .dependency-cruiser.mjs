/**
 * The house rules: which room of src/ may import which. `npm run lint:deps` checks them (and
 * so `npm run lint` and `npm test`); every rule below says why it exists.
 *
 * The rooms form layers, lowest first. A room imports only rooms of lower layers, never a
 * room of its own layer or above, so the folders can never import each other in a circle
 * and each layer can be read, tested and reused (by the CLI, the demo, the bench) without
 * what sits above it. A new room must be added here before it can import or be imported.
 */

/** @type {{ name: string, rooms: string[], why: string }[]} */
const LAYERS = [
  {
    name: 'base',
    rooms: ['src/errors.ts', 'src/common/'],
    why: 'errors.ts and common/ are the leaf helpers every room shares (one BackportError, git ref-name rules, the source PR types)',
  },
  {
    name: 'engine and configuration',
    rooms: ['src/pick/', 'src/config/'],
    why: 'the cherry-pick engine (pick/) and the schema of .github/backport.yml (config/) are pure and know nothing of GitHub, the pipeline or each other',
  },
  {
    name: 'resolution',
    rooms: ['src/resolve/'],
    why: "resolve/ turns a conflicted pick into concrete choices and applies a person's answer, over the engine's object store; it is pure (no GitHub, no isomorphic-git, no rendering), so the conflict issue, the /backport resolve command, the CLI and the evaluation all share it",
  },
  {
    name: 'rendering',
    rooms: ['src/render/'],
    why: "render/ turns results into the text people read; it is pure and knows only the engine's result types and the configuration's templates",
  },
  {
    name: 'planning and storage',
    rooms: ['src/plan/', 'src/repo/', 'src/database/'],
    why: 'plan/ decides what to pick, repo/ reads, fetches and pushes git objects, database/ is the SQL seam (SQLite or PostgreSQL) under the ledger and the job queue; none knows GitHub REST, the pipeline or the others',
  },
  {
    name: 'GitHub writes and missing fixes',
    rooms: ['src/publish/', 'src/missing-fixes/'],
    why: 'publish/ is the retrying GitHub client and its writes; missing-fixes/ finds fixes a branch lacks in git; both serve the capabilities above them',
  },
  {
    name: 'capabilities',
    rooms: ['src/jobs/', 'src/ledger/'],
    why: "jobs/ (the backport pipeline and its queue) and ledger/ (the release managers' record and tracking issue) are independent capabilities: the pipeline never waits on the ledger, and the ledger learns from GitHub, not from the pipeline",
  },
  {
    name: 'front ends',
    rooms: ['src/dashboard/', 'src/cli/', 'src/app-settings.ts'],
    why: "the dashboard (HTTP pages over the ledger), the CLI and the app's settings are ways in that the event layer or a shell composes; none calls another",
  },
  {
    name: 'events',
    rooms: ['src/events/'],
    why: 'events/ turns webhooks into typed requests and wires the rooms together; only the entry point sits above it',
  },
  {
    name: 'entry point',
    rooms: ['src/index.ts'],
    why: 'index.ts is the Probot app: nothing imports it but the Action entry',
  },
  {
    name: 'Action entry point',
    rooms: ['src/action.ts'],
    why: 'action.ts runs the same Probot app once for a workflow event (the GitHub Action); nothing imports it',
  },
];

/** A regular expression matching exactly the given rooms (folders end in `/`, files do not). */
function roomsPattern(rooms) {
  return `^(${rooms.map((r) => r.replace(/[.]/g, '\\.') + (r.endsWith('/') ? '' : '$')).join('|')})`;
}

/**
 * The one exception to "lower layers only": a port. A room that needs something from outside
 * declares it as types in one file; the room that implements it (lower, next to the client
 * it wraps) may name that file's types, and only with `import type`, so no code crosses.
 */
const PORTS = [
  {
    implementer: 'src/publish/',
    port: 'src/ledger/ledger-ports.ts',
    why: "publish/ holds the GitHub adapters of the ledger's ports (ledger-github.ts, tracking-issue-api.ts), next to the retrying client they use. The ledger declares what it needs from GitHub in ledger/ledger-ports.ts; the adapters implement it. Only types cross, so the backport pipeline, which loads publish/, never loads ledger code (SQLite, the reducer)",
  },
];

/** `src/ledger/` → `ledger`, `src/index.ts` → `index`: for rule names. */
function shortName(path) {
  return path
    .replace(/^src\//, '')
    .replace(/\/$/, '')
    .replace(/\.ts$/, '');
}

function layerRules() {
  return LAYERS.flatMap((layer, rank) =>
    layer.rooms.flatMap((room) => {
      const above = LAYERS.slice(rank)
        .flatMap((l) => l.rooms)
        .filter((r) => r !== room);
      if (above.length === 0) return [];
      const below = LAYERS.slice(0, rank).flatMap((l) => l.rooms);
      const ports = PORTS.filter((p) => p.implementer === room).map((p) => p.port);
      return [
        {
          name: `layer-${shortName(room)}`,
          severity: 'error',
          comment:
            `${room} is in the layer "${layer.name}": ${layer.why}. ` +
            `It may import only lower layers (${below.join(', ') || 'none'}), so that it stays ` +
            `usable and testable without what sits above it and the folders cannot import each ` +
            `other in a circle. Move the shared piece down instead (domain types to common/, ` +
            `a port's types to the room that declares the port).`,
          from: { path: roomsPattern([room]) },
          to: { path: roomsPattern(above), ...(ports.length ? { pathNot: roomsPattern(ports) } : {}) },
        },
      ];
    }),
  );
}

function portRules() {
  return PORTS.map((p) => ({
    name: `port-types-only-${shortName(p.implementer)}-to-${shortName(p.port)}`,
    severity: 'error',
    comment: `${p.implementer} may name ${p.port} with \`import type\` only: ${p.why}.`,
    from: { path: roomsPattern([p.implementer]) },
    to: { path: roomsPattern([p.port]), dependencyTypesNot: ['type-only'] },
  }));
}

const everyRoom = LAYERS.flatMap((l) => l.rooms);
const UNLISTED =
  'Every file of src/ belongs to a room listed in LAYERS of .dependency-cruiser.mjs: place a new room in a layer there, or the layer rules cannot see it.';

export default {
  forbidden: [
    ...layerRules(),
    ...portRules(),
    {
      name: 'render-knows-pick-types-only',
      severity: 'error',
      comment:
        "render/ is pure text: it may name the engine's result types (`import type` from pick/) but never run the engine; whoever renders a pick has already made it.",
      from: { path: '^src/render/' },
      to: { path: '^src/pick/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'room-not-in-layers',
      severity: 'error',
      comment: UNLISTED,
      from: { path: '^src/', pathNot: roomsPattern(everyRoom) },
      to: {},
    },
    {
      name: 'to-room-not-in-layers',
      severity: 'error',
      comment: UNLISTED,
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: roomsPattern(everyRoom) },
    },
    {
      name: 'probot-only-in-events',
      severity: 'error',
      comment:
        'Only src/events/ and the two entry points (src/index.ts, src/action.ts) import probot: the engine, planner, renderers, ledger and CLI take plain typed requests, so the CLI, the demo and the tests use them without a Probot app, and a change of framework touches one folder.',
      from: { path: '^src/', pathNot: '^src/(events/|index\\.ts$|action\\.ts$)' },
      to: { path: '(^|/)node_modules/(probot|@probot/[^/]+)/' },
    },
    {
      name: 'isomorphic-git-only-in-repo',
      severity: 'error',
      comment:
        'Only src/repo/ imports isomorphic-git: repo/ is where git objects, refs and transport are ours or wrapped (our pack reader and smart-HTTP client replaced its slow paths), so a second direct user would bypass those and the per-repository cache.',
      from: { path: '^src/', pathNot: '^src/repo/' },
      to: { path: '(^|/)node_modules/isomorphic-git/' },
    },
    {
      name: 'src-not-to-tools-test-bench-scripts',
      severity: 'error',
      comment:
        'Product code never imports tools/ (the simulated GitHub), test/, bench/ or scripts/: what ships in lib/ must not depend on development code, and a test double reachable from src/ could stand in for GitHub in production.',
      from: { path: '^src/' },
      to: { path: '^(tools|test|bench|scripts)/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Product code imports only packages listed in "dependencies": a production install (`npm ci --omit=dev`) leaves devDependencies out, and a package that is there only because another one needs it may go at its next release.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'simulator-not-to-app',
      severity: 'error',
      comment:
        'tools/github-sim stands for GitHub. If it imported the app (src/) or the tests, a bug in the app could be mirrored in the simulator, and the tests would pass against a GitHub that does not exist.',
      from: { path: '^tools/github-sim/' },
      to: { path: '^(src|test|bench|scripts)/' },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      scope: 'folder',
      comment:
        'Folders of src/ never import each other in a circle: a circle means neither can be understood, tested or moved without the other, and the layers above forbid it room by room; this catches it in subfolders too.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No two modules import each other, even through others and even for types only: a circle hides which of them is the concept and which the user of it. Move what both need into a third module.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type is a dependency of the design even when erased.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
