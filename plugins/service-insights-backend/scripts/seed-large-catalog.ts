// Writes a large, realistic catalog for trying and benchmarking service-insights:
//
//   node plugins/service-insights-backend/scripts/seed-large-catalog.ts \
//     --out data/large-catalog.yaml --components 10000 --groups 500 [--per-file 1000]
//
// Groups form three levels (departments → teams → squads) with profiles and chat channels; Users belong to them;
// Systems sit in one Domain per department; Components get a realistic mix: about 70 % fully tagged, the rest
// missing or breaking cost tags, about 60 % traced, about 2 % owned by groups that do not exist. The output is the
// same for the same arguments (seeded PRNG). Plain Node 22 (type stripping): erasable TypeScript and node: imports
// only. See the plugin README for loading the file into the local portal.
//
// `--per-file N` splits the entities into files of N entities next to `--out`, and `--out` holds one Location entity
// per file. The catalog reads a location's file and writes every entity it yields in one
// processing step, so one 100,000-entity file stalls ingestion for many minutes; parts of 1,000 are processed as
// ordinary locations, several at a time.

// CommonJS require rather than import: this package's package.json has no "type": "module", and Node warns when it
// has to reparse a .ts file as an ES module.
const { mkdirSync, writeFileSync } =
  require('node:fs') as typeof import('node:fs');
const { basename, dirname, join, resolve } =
  require('node:path') as typeof import('node:path');
const { parseArgs } = require('node:util') as typeof import('node:util');

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Entity = { apiVersion: string; kind: string; metadata: Json; spec: Json };

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'data/large-catalog.yaml' },
    components: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '500' },
    users: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'per-file': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout.write(
    'Usage: node seed-large-catalog.ts [--out data/large-catalog.yaml] [--components 10000] [--groups 500] [--users N] [--seed 42] [--per-file N]\n',
  );
  process.exit(0);
}

function count(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    process.stderr.write(
      `--${name} must be a whole number of at least ${min}, got ${value}\n`,
    );
    process.exit(2);
  }
  return n;
}

const componentCount = count('components', args.components, 1);
const groupCount = count('groups', args.groups, 3);
const userCount = count('users', args.users ?? String(groupCount * 2), 0);
const seed = count('seed', args.seed, 0);
const perFile =
  args['per-file'] === undefined ? 0 : count('per-file', args['per-file'], 1);

// mulberry32: small, fast, and the same sequence on every machine.
function prng(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];
const chance = (p: number): boolean => random() < p;
const pad = (n: number, width = 4): string => String(n).padStart(width, '0');

const DEPARTMENTS = [
  'retail',
  'logistics',
  'finance',
  'identity',
  'data',
  'media',
  'growth',
  'infra',
  'risk',
  'support',
];
const AREAS = [
  'payments',
  'search',
  'orders',
  'catalog',
  'pricing',
  'shipping',
  'accounts',
  'billing',
  'reporting',
  'messaging',
  'inventory',
  'checkout',
  'fraud',
  'reviews',
  'ads',
  'auth',
];
const NOUNS = [
  'api',
  'worker',
  'gateway',
  'scheduler',
  'indexer',
  'importer',
  'exporter',
  'service',
  'sync',
  'processor',
  'portal',
  'ui',
];
const FIRST = [
  'ada',
  'grace',
  'alan',
  'barbara',
  'edsger',
  'margaret',
  'ken',
  'dennis',
  'frances',
  'john',
  'radia',
  'tim',
  'linus',
  'guido',
  'anita',
];
const LAST = [
  'lovelace',
  'hopper',
  'turing',
  'liskov',
  'dijkstra',
  'hamilton',
  'thompson',
  'ritchie',
  'allen',
  'backus',
  'perlman',
  'berners-lee',
  'torvalds',
  'rossum',
  'borg',
];
const TYPES: Array<[string, number]> = [
  ['service', 0.55],
  ['worker', 0.2],
  ['website', 0.1],
  ['library', 0.1],
  ['cron-job', 0.05],
];
const LIFECYCLES: Array<[string, number]> = [
  ['production', 0.7],
  ['experimental', 0.2],
  ['deprecated', 0.1],
];
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

function weighted(options: Array<[string, number]>): string {
  let r = random();
  for (const [value, weight] of options) {
    r -= weight;
    if (r < 0) return value;
  }
  return options[options.length - 1][0];
}

const title = (name: string): string =>
  name
    .split('-')
    .map(word => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

// --- Groups: departments → teams → squads -------------------------------------------------------------------------

interface GroupInfo {
  name: string;
  parent?: string;
  children: string[];
  level: number;
  costCenter: string;
  area: string;
}

const departmentCount = Math.max(1, Math.round(groupCount * 0.02));
const teamCount = Math.max(1, Math.round(groupCount * 0.28));
const squadCount = Math.max(0, groupCount - departmentCount - teamCount);

const groups: GroupInfo[] = [];
const departments: GroupInfo[] = [];
for (let i = 0; i < departmentCount; i++) {
  const name = `dept-${DEPARTMENTS[i % DEPARTMENTS.length]}${
    i >= DEPARTMENTS.length ? `-${i}` : ''
  }`;
  const department = {
    name,
    children: [],
    level: 1,
    costCenter: `CC-${pad(1000 + i * 100)}`,
    area: pick(AREAS),
  };
  departments.push(department);
  groups.push(department);
}
const teams: GroupInfo[] = [];
for (let i = 0; i < teamCount; i++) {
  const parent = departments[i % departments.length];
  const area = pick(AREAS);
  const team = {
    name: `team-${area}-${pad(i + 1, 3)}`,
    parent: parent.name,
    children: [],
    level: 2,
    // Teams share their department's first digits, so cost centers roll up sensibly.
    costCenter: `CC-${pad(Number(parent.costCenter.slice(3)) + 1 + (i % 99))}`,
    area,
  };
  parent.children.push(team.name);
  teams.push(team);
  groups.push(team);
}
const squads: GroupInfo[] = [];
for (let i = 0; i < squadCount; i++) {
  const parent = pick(teams);
  const squad = {
    name: `squad-${parent.area}-${pad(i + 1, 3)}`,
    parent: parent.name,
    children: [],
    level: 3,
    costCenter: parent.costCenter,
    area: parent.area,
  };
  parent.children.push(squad.name);
  squads.push(squad);
  groups.push(squad);
}
const owningGroups = [...teams, ...squads];

const entities: Entity[] = [];
for (const group of groups) {
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: group.name,
      title: title(group.name),
      annotations: { 'golden-path.io/chat-channel': `#${group.name}` },
    },
    spec: {
      type: ['department', 'team', 'squad'][group.level - 1],
      profile: {
        displayName: title(group.name),
        email: `${group.name}@example.com`,
      },
      ...(group.parent ? { parent: group.parent } : {}),
      children: group.children,
    },
  });
}

// --- Users --------------------------------------------------------------------------------------------------------

const users: string[] = [];
for (let i = 0; i < userCount; i++) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const name = `${first}.${last}.${pad(i + 1)}`;
  users.push(name);
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: {
      profile: {
        displayName: `${title(first)} ${title(last)}`,
        email: `${name}@example.com`,
      },
      memberOf: [pick(owningGroups).name],
    },
  });
}

// --- Domains and Systems ------------------------------------------------------------------------------------------

for (const department of departments) {
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: `domain-${department.name.slice('dept-'.length)}` },
    spec: { owner: `group:${department.name}` },
  });
}
const systemCount = Math.max(1, Math.round(componentCount / 20));
const systems: Array<{ name: string; owner: GroupInfo }> = [];
for (let i = 0; i < systemCount; i++) {
  const owner = pick(teams);
  const name = `${owner.area}-system-${pad(i + 1)}`;
  systems.push({ name, owner });
  const department = groups.find(g => g.name === owner.parent)!;
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, title: title(name) },
    spec: {
      owner: `group:${owner.name}`,
      domain: `domain-${department.name.slice('dept-'.length)}`,
    },
  });
}

// --- Components ---------------------------------------------------------------------------------------------------

const stats = { fullyTagged: 0, traced: 0, ghostOwners: 0, userOwners: 0 };
for (let i = 0; i < componentCount; i++) {
  const roll = random();
  let owner: string;
  let team: GroupInfo = pick(owningGroups);
  if (roll < 0.02) {
    owner = `group:default/ghost-team-${pad(i % 50, 2)}`;
    stats.ghostOwners++;
  } else if (roll < 0.04 && users.length > 0) {
    owner = `user:default/${pick(users)}`;
    stats.userOwners++;
  } else if (roll < 0.06) {
    team = pick(departments);
    owner = `group:default/${team.name}`;
  } else {
    owner = `group:default/${team.name}`;
  }
  const type = weighted(TYPES);
  const name = `${team.area}-${pick(NOUNS)}-${pad(i + 1, 5)}`;
  const system = chance(0.85)
    ? systems.find(s => s.owner.area === team.area) ?? pick(systems)
    : undefined;

  // Cost tags: ~70 % complete and valid, ~12 % missing some, ~10 % invalid values, ~8 % none at all.
  const labels: Record<string, string> = {
    'golden-path.io/team': team.name.replace(/^(dept|team|squad)-/, ''),
    'golden-path.io/product': system
      ? system.name.replace(/-system-\d+$/, '')
      : team.area,
    'golden-path.io/cost-center': team.costCenter,
    'golden-path.io/environment': pick(ENVIRONMENTS),
  };
  const tagRoll = random();
  if (tagRoll < 0.7) {
    stats.fullyTagged++;
  } else if (tagRoll < 0.82) {
    delete labels[pick(Object.keys(labels))];
    if (chance(0.3)) delete labels['golden-path.io/product'];
  } else if (tagRoll < 0.92) {
    if (chance(0.6))
      labels['golden-path.io/cost-center'] = team.costCenter.slice(3);
    // "1234": no CC- prefix
    else
      labels['golden-path.io/environment'] = pick(['production', 'qa', 'PROD']);
  } else {
    for (const key of Object.keys(labels)) delete labels[key];
  }

  const annotations: Record<string, string> = {};
  if (chance(0.6)) {
    annotations['golden-path.io/otel-service-name'] = name;
    annotations['jaegertracing.io/service'] = name;
    stats.traced++;
  }
  if (chance(0.5)) {
    annotations['backstage.io/source-template'] = `template:default/${pick([
      'go-api',
      'java-api',
      'node-worker',
    ])}`;
    annotations['backstage.io/template-version'] = `1.${Math.floor(
      random() * 6,
    )}.${Math.floor(random() * 10)}`;
  }
  if (chance(0.1)) annotations['golden-path.io/chat-channel'] = `#${name}`;

  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      title: title(name),
      description: `${title(type)} for ${team.area} in ${team.name}.`,
      labels,
      annotations,
    },
    spec: {
      type,
      lifecycle: weighted(LIFECYCLES),
      owner,
      ...(system ? { system: system.name } : {}),
    },
  });
}

// --- YAML ---------------------------------------------------------------------------------------------------------

// Block YAML with every string double-quoted (JSON string syntax is valid YAML), so no value is misread.
function yaml(value: Json, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map(item => `\n${indent}-${yaml(item, `${indent}  `)}`)
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return ' {}';
    return keys
      .map(
        key =>
          `\n${indent}${JSON.stringify(key)}:${yaml(
            value[key],
            `${indent}  `,
          )}`,
      )
      .join('');
  }
  return ` ${JSON.stringify(value)}`;
}

const header = `# Generated by plugins/service-insights-backend/scripts/seed-large-catalog.ts --components ${componentCount} --groups ${groupCount} --users ${userCount} --seed ${seed}${
  perFile ? ` --per-file ${perFile}` : ''
}\n`;
const documents = (items: readonly Json[]) =>
  items.map(item => `---${yaml(item, '')}\n`).join('');
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
let files = 1;
if (perFile === 0) {
  writeFileSync(out, header + documents(entities as unknown as Json[]));
} else {
  const stem = basename(out).replace(/\.ya?ml$/, '');
  const targets: string[] = [];
  for (let start = 0; start < entities.length; start += perFile) {
    const name = `${stem}-${pad(targets.length + 1)}.yaml`;
    targets.push(`./${name}`);
    writeFileSync(
      join(dirname(out), name),
      header +
        documents(entities.slice(start, start + perFile) as unknown as Json[]),
    );
  }
  files += targets.length;
  // One Location entity per file: the catalog reads all targets of one Location entity while processing that entity,
  // so a single Location listing every file would be one 100,000-entity step again.
  const locations = targets.map((target, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: `${stem.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 50)}-${pad(i + 1)}`,
      description: `Generated entities, part ${i + 1} of ${targets.length}`,
    },
    spec: { type: 'file', target },
  }));
  writeFileSync(out, header + documents(locations));
}

process.stdout.write(
  `Wrote ${out}: ${groups.length} groups (${departmentCount} departments, ${teamCount} teams, ${squadCount} squads), ` +
    `${userCount} users, ${departmentCount} domains, ${systemCount} systems, ${componentCount} components ` +
    `(${stats.fullyTagged} fully tagged, ${stats.traced} traced, ${stats.ghostOwners} with owners that do not exist, ` +
    `${stats.userOwners} owned by users)${
      files > 1
        ? `, in ${files - 1} files of ${perFile}, each its own Location`
        : ''
    }\n`,
);
