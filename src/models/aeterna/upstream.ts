// The upstream Aeterna charts since their split (kikokikok/aeterna, charts/aeterna and
// charts/aeterna-prereqs): which values keys each chart's templates read (data/aeterna/upstream/
// layout.json, derived from the templates at UPSTREAM_COMMIT), a translation of a values document
// of seed 000's layout into the two charts' values, and the keys of a document a layout does not
// read. The layout file is read once, when first needed; everything else is pure.
import { readFileSync } from 'node:fs'
import { valueAt } from './tiers.js'

/** The upstream commit whose templates layout.json was derived from. */
export const UPSTREAM_COMMIT = {
  sha: 'f3d2d4db217ed0cc8a49f89d3f971c310fedc61c',
  date: '2026-05-05T16:15:48+02:00',
  repository: 'https://github.com/kikokikok/aeterna'
} as const

/** A tree of the keys a chart reads; 'open' where the chart hands the whole value on (or it is a single value). */
export type LayoutTree = 'open' | { [key: string]: LayoutTree }

export type UpstreamChart = 'upstream-app' | 'upstream-prereqs'
export type LayoutName = 'seed' | UpstreamChart

export interface UpstreamLayout { app: LayoutTree, prereqs: LayoutTree }

type Values = Record<string, unknown>

export interface NotExpressible { seedPath: string, reason: string }

export interface UpstreamValues {
  /** Values for charts/aeterna (the application). */
  app: Values
  /** Values for charts/aeterna-prereqs (CloudNativePG cluster, Dragonfly, Qdrant). */
  prereqs: Values
  /** Seed keys neither chart can take, each with what the operator does instead. */
  notExpressible: NotExpressible[]
}

export interface KeyNotRead {
  path: string
  /** The file and key that read it, where another layout knows it. */
  belongsIn?: { chart: LayoutName, path: string }
}

export interface UpstreamOptions {
  /** The aeterna-prereqs release's name, which its services are named after. */
  releaseName?: string
  /** The prereqs release's namespace, when the app runs in another one (hosts become <service>.<namespace>.svc). */
  namespace?: string
}

/** A function's value, computed on its first call and kept. */
function once<T> (compute: () => T): () => T {
  let value: { computed: T } | undefined
  return () => (value ??= { computed: compute() }).computed
}

const layoutFile = once(() => JSON.parse(readFileSync(new URL('../../../data/aeterna/upstream/layout.json', import.meta.url), 'utf8')) as UpstreamLayout)

/** The key trees the app chart's and the prereqs chart's templates read (the prereqs tree includes its subcharts' blocks). */
export function upstreamLayout (): UpstreamLayout {
  const { app, prereqs } = layoutFile()
  return { app, prereqs }
}

const isMapping = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The layout node at a path: 'open' anywhere below an open node, undefined where the key is not read. */
export function layoutNodeAt (tree: LayoutTree, path: readonly string[]): LayoutTree | undefined {
  let node: LayoutTree | undefined = tree
  for (const key of path) {
    if (node === 'open') return 'open'
    node = Object.hasOwn(node, key) ? node[key] : undefined
    if (node === undefined) return undefined
  }
  return node
}

function setAt (document: Values, path: readonly string[], value: unknown): void {
  let node = document
  for (const key of path.slice(0, -1)) {
    if (!isMapping(node[key])) node[key] = {}
    node = node[key] as Values
  }
  node[path[path.length - 1]] = value
}

// ---------------------------------------------------------------------------------------------
// Service names of the prereqs chart (templates/_helpers.tpl and the subcharts' fullname helpers)

/** Helm's usual fullname: the release name alone when it contains the chart's name, else release-chart; 63 characters at most. */
const fullname = (release: string, chart: string): string => (release.includes(chart) ? release : `${release}-${chart}`).slice(0, 63).replace(/-$/, '')

export interface PrereqsServices {
  /** The CloudNativePG Cluster resource. */
  cluster: string
  /** The Dragonfly resource (dragonflydb.io) the operator runs. */
  dragonfly: string
  /** CloudNativePG's read-write Service of the Cluster <fullname>-cnpg. */
  postgresqlHost: string
  /** The Secret CloudNativePG makes for the Cluster's owner (keys username, password). */
  postgresqlSecret: string
  /** The Service the Dragonfly operator makes for the Dragonfly resource <fullname>-dragonfly (its master). */
  redisHost: string
  /** The qdrant subchart's Service (its own fullname: <release>-qdrant). */
  vectorStoreHost: string
}

/** The in-cluster names of what the prereqs chart deploys, for a release name. */
export function prereqsServices ({ releaseName = 'aeterna', namespace }: UpstreamOptions = {}): PrereqsServices {
  const prereqs = fullname(releaseName, 'aeterna-prereqs')
  const host = (service: string): string => namespace === undefined ? service : `${service}.${namespace}.svc`
  return {
    cluster: `${prereqs}-cnpg`,
    dragonfly: `${prereqs}-dragonfly`,
    postgresqlHost: host(`${prereqs}-cnpg-rw`),
    postgresqlSecret: `${prereqs}-cnpg-app`,
    redisHost: host(`${prereqs}-dragonfly`),
    vectorStoreHost: host(fullname(releaseName, 'qdrant'))
  }
}

// ---------------------------------------------------------------------------------------------
// The translation rules: seed path (a prefix) -> chart and path, or why neither chart can take it

type Chart = 'app' | 'prereqs'
type Kind = 'copy' | 'append' | 'parameter' | 'provider'

interface Target { chart: Chart, path: string[] }

interface Rule {
  seed: string[]
  to?: Target
  kind?: Kind
  reason?: string
}

const DRAGONFLY_CR = 'The Dragonfly the app connects to (redis.host: the operator-managed Dragonfly resource {dragonfly} of the prereqs chart\'s templates/dragonfly.yaml) takes only cache.dragonfly.replicas: its resources are fixed in the template (limits 500m CPU / 512Mi, requests 50m / 128Mi) and it has no affinity or snapshot keys. Patch the Dragonfly resource {dragonfly} (spec.resources, spec.affinity, spec.snapshot) after install or with a post-renderer. The chart\'s dragonfly.* block configures the dragonfly subchart, a second, standalone Dragonfly deployed under the same switch that no connection points at.'

const NOT_EXPRESSIBLE: Array<[string, string]> = [
  ['aeterna.pdb.maxUnavailable', 'The app chart\'s PodDisruptionBudget takes minAvailable only (aeterna.pdb.minAvailable).'],
  ['aeterna.autoscaling.behavior', 'The app chart\'s HorizontalPodAutoscaler has no behavior key: Kubernetes\' default scaling behaviour applies. Patch the HorizontalPodAutoscaler for any other.'],
  ['autoscaling.behavior', 'The app chart\'s HorizontalPodAutoscaler has no behavior key: Kubernetes\' default scaling behaviour applies. Patch the HorizontalPodAutoscaler for any other.'],
  ['opal.opalServer.affinity', 'The app chart\'s OPAL server StatefulSet takes no affinity: with more than one replica it sets its own preferred pod anti-affinity across topology.kubernetes.io/zone. Patch the StatefulSet (<app fullname>-opal-server) for another rule.'],
  ['opal.pdb', 'The app chart has no OPAL PodDisruptionBudget key: with opal.server.replicaCount above 1 it makes one with minAvailable max(1, replicas - 1) (2 of 3). Replace that PodDisruptionBudget after install for another budget.'],
  ['postgresql.cloudnativepg.postgresql.synchronous', 'The prereqs chart passes only parameters and pg_hba into the Cluster\'s spec.postgresql: CloudNativePG\'s synchronous stanza (method, number, dataDurability) has no key. Patch the Cluster resource ({cluster}, spec.postgresql.synchronous) after install or with a post-renderer; without it replication is asynchronous.'],
  ['postgresql.cloudnativepg.postgresql.synchronous_standby_names', 'CloudNativePG manages synchronous_standby_names itself and its webhook rejects a Cluster that sets it, so it cannot go through postgresql.parameters. Express the quorum as spec.postgresql.synchronous (method: any, number: 1) by patching the Cluster resource {cluster}.'],
  ['postgresql.cloudnativepg.postgresql.parameters.synchronous_standby_names', 'CloudNativePG manages synchronous_standby_names itself and its webhook rejects a Cluster that sets it, so it cannot go through postgresql.parameters. Express the quorum as spec.postgresql.synchronous (method: any, number: 1) by patching the Cluster resource {cluster}.'],
  ['postgresql.cloudnativepg.primaryUpdateStrategy', 'The prereqs chart\'s Cluster has no primaryUpdateStrategy key; CloudNativePG\'s default is unsupervised. Patch the Cluster resource {cluster} for supervised.'],
  ['postgresql.cloudnativepg.enablePDB', 'The prereqs chart\'s Cluster has no enablePDB key; CloudNativePG\'s default is true (the operator makes the PodDisruptionBudgets). Patch the Cluster resource {cluster} to turn them off.'],
  ['postgresql.cloudnativepg.monitoring', 'The prereqs chart\'s Cluster has no monitoring key. Patch the Cluster resource {cluster} (spec.monitoring.enablePodMonitor: true, needs the Prometheus Operator) or create a PodMonitor.'],
  ['postgresql.cloudnativepg.affinity', 'The prereqs chart\'s Cluster has no affinity key: CloudNativePG\'s default anti-affinity applies. Patch the Cluster resource {cluster} (spec.affinity) for another rule.'],
  ['qdrant.persistence.replicas', 'Not a key of the Qdrant chart: its StatefulSet gives every replica a volume of its own, so the number of volumes is qdrant.replicaCount; copies of the data are the collections\' replication_factor (qdrant.config.storage.collection).'],
  // everything of dragonfly but its switch and its replica count
  ['dragonfly', DRAGONFLY_CR]
]

const MOVES: Array<[string, Chart, string, Kind?]> = [
  ['aeterna.affinity.podTopologySpread', 'app', 'aeterna.topologySpreadConstraints', 'append'],
  ['aeterna.podTopologySpread', 'app', 'aeterna.topologySpreadConstraints', 'append'],
  ['aeterna.topologySpreadConstraints', 'app', 'aeterna.topologySpreadConstraints', 'append'],
  ['aeterna', 'app', 'aeterna'],
  ['autoscaling', 'app', 'aeterna.autoscaling'],
  ['opal.opalServer', 'app', 'opal.server'],
  ['opal', 'app', 'opal'],
  ['postgresql.cloudnativepg.enabled', 'prereqs', 'postgresql.enabled'],
  ['postgresql.cloudnativepg.postgresql.pg_hba', 'prereqs', 'postgresql.pg_hba'],
  ['postgresql.cloudnativepg.postgresql.parameters', 'prereqs', 'postgresql.parameters', 'parameter'],
  ['postgresql.cloudnativepg.postgresql', 'prereqs', 'postgresql.parameters', 'parameter'],
  ['postgresql.cloudnativepg.backup.destination', 'prereqs', 'postgresql.backup.provider', 'provider'],
  ['postgresql.cloudnativepg', 'prereqs', 'postgresql'],
  ['qdrant.enabled', 'prereqs', 'vectorStore.qdrant.enabled'],
  ['qdrant.pdb', 'prereqs', 'qdrant.podDisruptionBudget'],
  ['qdrant.persistence.storageClass', 'prereqs', 'qdrant.persistence.storageClassName'],
  ['qdrant', 'prereqs', 'qdrant'],
  ['dragonfly.enabled', 'prereqs', 'cache.dragonfly.enabled'],
  ['dragonfly.replicaCount', 'prereqs', 'cache.dragonfly.replicas']
]

const split = (path: string): string[] => path.split('.')

const RULES: Rule[] = [
  ...NOT_EXPRESSIBLE.map(([seed, reason]): Rule => ({ seed: split(seed), reason })),
  ...MOVES.map(([seed, chart, path, kind = 'copy']): Rule => ({ seed: split(seed), to: { chart, path: split(path) }, kind }))
]

const isPrefix = (prefix: readonly string[], path: readonly string[]): boolean => prefix.length <= path.length && prefix.every((key, index) => path[index] === key)

/** The most specific rule for a seed path: the longest seed prefix of it. */
function ruleFor (path: readonly string[]): Rule | undefined {
  return RULES.filter((rule) => isPrefix(rule.seed, path)).sort((a, b) => b.seed.length - a.seed.length)[0]
}

/** Whether some rule is about a key below the path (then the path's value is translated key by key). */
const rulesBelow = (path: readonly string[]): boolean => RULES.some((rule) => rule.seed.length > path.length && isPrefix(path, rule.seed))

const CHART_LABEL: Record<Chart, string> = { app: 'app (charts/aeterna)', prereqs: 'prereqs (charts/aeterna-prereqs)' }
const NO_RULE = 'Not a key of the seed layout this translation knows, and no key of either upstream chart takes it.'
const PROVIDERS = new Set(['s3', 'gcs', 'azure'])

interface Output { app: Values, prereqs: Values, notExpressible: NotExpressible[], services: PrereqsServices }

/** A reason with the resources it names filled in. */
const named = (reason: string, services: PrereqsServices): string => reason.replaceAll('{cluster}', services.cluster).replaceAll('{dragonfly}', services.dragonfly)

/** Puts a value at a chart's path, key by key where the chart reads a tree there, refusing what it does not read. */
function copyInto (out: Output, chart: Chart, target: string[], value: unknown, seedPath: string, layout: UpstreamLayout): void {
  const node = layoutNodeAt(layout[chart], target)
  if (node === undefined) {
    out.notExpressible.push({ seedPath, reason: `The upstream ${CHART_LABEL[chart]} chart reads no ${target.join('.')}: nothing of this value would reach a manifest.` })
  } else if (node === 'open') {
    setAt(out[chart], target, value)
  } else if (!isMapping(value)) {
    out.notExpressible.push({ seedPath, reason: `The upstream ${CHART_LABEL[chart]} chart reads keys under ${target.join('.')}, not a single value.` })
  } else {
    for (const [key, child] of Object.entries(value)) copyInto(out, chart, [...target, key], child, `${seedPath}.${key}`, layout)
  }
}

/** One seed key by its rule. */
function place (out: Output, rule: Rule, to: Target, path: string[], value: unknown, layout: UpstreamLayout): void {
  const seedPath = path.join('.')
  const target = [...to.path, ...path.slice(rule.seed.length)]
  if (rule.kind === 'append') {
    if (!Array.isArray(value)) {
      out.notExpressible.push({ seedPath, reason: `${target.join('.')} is a list of topology spread constraints.` })
      return
    }
    const before = valueAt(out[to.chart], target)
    setAt(out[to.chart], target, [...(Array.isArray(before) ? before : []), ...value])
  } else if (rule.kind === 'parameter') {
    if (isMapping(value) || Array.isArray(value)) {
      out.notExpressible.push({ seedPath, reason: named('Not a PostgreSQL parameter: the prereqs chart passes into the Cluster\'s spec.postgresql only parameters (name: string) and pg_hba. Patch the Cluster resource {cluster} for other fields.', out.services) })
      return
    }
    // CloudNativePG takes parameter values as strings only
    setAt(out.prereqs, target, String(value))
  } else if (rule.kind === 'provider') {
    if (!PROVIDERS.has(String(value))) {
      out.notExpressible.push({ seedPath, reason: 'The prereqs chart\'s backup provider is one of s3, gcs, azure.' })
      return
    }
    setAt(out.prereqs, target, value)
  } else {
    copyInto(out, to.chart, target, value, seedPath, layout)
  }
}

function translate (out: Output, path: string[], value: unknown, layout: UpstreamLayout): void {
  if (isMapping(value) && (path.length === 0 || rulesBelow(path))) {
    for (const [key, child] of Object.entries(value)) translate(out, [...path, key], child, layout)
    return
  }
  const rule = ruleFor(path)
  if (rule?.to === undefined) {
    out.notExpressible.push({ seedPath: path.join('.'), reason: named(rule?.reason ?? NO_RULE, out.services) })
    return
  }
  place(out, rule, rule.to, path, value, layout)
}

// ---------------------------------------------------------------------------------------------
// What the seed leaves to the charts' defaults, and the connections

const HPA_TARGETS = ['targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage']

/**
 * The app chart's defaults that would add what the seed document does not have: an HPA (on by
 * default, it takes the Deployment's replicas over: aeterna.replicaCount would be ignored; its
 * memory target defaults to 80) and a PodDisruptionBudget (on by default, minAvailable 1: with one
 * replica it blocks every drain). Off unless the seed asks for them; an HPA target the seed does not
 * set is removed (null deletes a chart default in Helm).
 */
function seedDefaults (app: Values): void {
  if (valueAt(app, ['aeterna', 'autoscaling', 'enabled']) !== true) {
    setAt(app, ['aeterna', 'autoscaling', 'enabled'], false)
  } else {
    for (const target of HPA_TARGETS) {
      if (valueAt(app, ['aeterna', 'autoscaling', target]) === undefined) setAt(app, ['aeterna', 'autoscaling', target], null)
    }
  }
  if (valueAt(app, ['aeterna', 'pdb']) === undefined) setAt(app, ['aeterna', 'pdb', 'enabled'], false)
}

interface Backend { seedPath: string, switchPath: string[], appPath: string[], host: (services: PrereqsServices) => string, what: string }

const BACKENDS: Backend[] = [
  { seedPath: 'postgresql.cloudnativepg.enabled', switchPath: ['postgresql', 'enabled'], appPath: ['postgresql', 'host'], host: (s) => s.postgresqlHost, what: 'PostgreSQL' },
  { seedPath: 'dragonfly.enabled', switchPath: ['cache', 'dragonfly', 'enabled'], appPath: ['redis', 'host'], host: (s) => s.redisHost, what: 'Redis-compatible cache' },
  { seedPath: 'qdrant.enabled', switchPath: ['vectorStore', 'qdrant', 'enabled'], appPath: ['vectorStore', 'host'], host: (s) => s.vectorStoreHost, what: 'vector store' }
]

/** The app chart fails without postgresql.host, redis.host and vectorStore.host: the prereqs chart's services, where it deploys them. */
function connect (out: Output): void {
  const { services } = out
  for (const backend of BACKENDS) {
    if (valueAt(out.prereqs, backend.switchPath) === false) {
      out.notExpressible.push({ seedPath: backend.seedPath, reason: `The prereqs chart deploys no ${backend.what} then, and the app chart fails without ${backend.appPath.join('.')}: set it to your own.` })
    } else {
      setAt(out.app, backend.appPath, backend.host(services))
    }
  }
  if (valueAt(out.prereqs, ['postgresql', 'enabled']) !== false) setAt(out.app, ['postgresql', 'existingSecret'], services.postgresqlSecret)
  if (valueAt(out.prereqs, ['vectorStore', 'qdrant', 'enabled']) !== false) {
    setAt(out.app, ['vectorStore', 'type'], 'qdrant')
    setAt(out.app, ['vectorStore', 'port'], 6333)
  }
  // OPAL's servers broadcast through Redis when there is more than one (the chart's default is 3);
  // the chart's default URI names a host (aeterna-redis) that nothing deploys
  if (valueAt(out.app, ['opal', 'enabled']) !== false && valueAt(out.prereqs, ['cache', 'dragonfly', 'enabled']) !== false) {
    setAt(out.app, ['opal', 'server', 'redis', 'pubsubUri'], `redis://${services.redisHost}:6379/0`)
  }
}

/** CloudNativePG backups need a destination path the seed does not give: the chart fails to render an s3 backup without it. */
function backupInputs (out: Output): void {
  if (valueAt(out.prereqs, ['postgresql', 'backup', 'enabled']) === true && valueAt(out.prereqs, ['postgresql', 'backup', 'destinationPath']) === undefined) {
    out.notExpressible.push({ seedPath: 'postgresql.cloudnativepg.backup', reason: 'Backups on, but the seed names no place: set postgresql.backup.destinationPath (s3://bucket/path for s3: the template takes the bucket from it and fails to render without it) and the credentials Secret of the provider (postgresql.backup.s3Credentials, googleCredentials or azureCredentials) in the prereqs values.' })
  }
}

/**
 * The Qdrant chart (0.10.1) defaults podDisruptionBudget.maxUnavailable to 1 and renders whichever
 * of the two is set: a minAvailable beside it makes a PodDisruptionBudget with both, which the API
 * server rejects. null removes the default (Helm deletes a key set to null).
 */
function singleBudget (prereqs: Values): void {
  const budget = ['qdrant', 'podDisruptionBudget']
  if (valueAt(prereqs, [...budget, 'minAvailable']) !== undefined && valueAt(prereqs, [...budget, 'maxUnavailable']) === undefined) setAt(prereqs, ['qdrant', 'podDisruptionBudget', 'maxUnavailable'], null)
}

/**
 * A values document of seed 000's layout (a tier file, with seed 002's HA settings merged or not) as
 * values for the two upstream charts, with every seed key neither chart can take and why.
 */
export function toUpstreamValues (seedValues: Values, options: UpstreamOptions = {}): UpstreamValues {
  const out: Output = { app: {}, prereqs: {}, notExpressible: [], services: prereqsServices(options) }
  translate(out, [], seedValues, upstreamLayout())
  seedDefaults(out.app)
  connect(out)
  backupInputs(out)
  singleBudget(out.prereqs)
  return { app: out.app, prereqs: out.prereqs, notExpressible: out.notExpressible }
}

// ---------------------------------------------------------------------------------------------
// Keys a layout does not read, and where they belong

const CHART_NAME: Record<Chart, UpstreamChart> = { app: 'upstream-app', prereqs: 'upstream-prereqs' }

type Trees = Record<LayoutName, LayoutTree>

/** Where the seed translation puts a seed path, when the chart there reads it. */
function seedTarget (path: string[], layout: UpstreamLayout): { chart: UpstreamChart, path: string } | undefined {
  const rule = ruleFor(path)
  if (rule?.to === undefined) return undefined
  const target = [...rule.to.path, ...path.slice(rule.seed.length)]
  return layoutNodeAt(layout[rule.to.chart], target) === undefined ? undefined : { chart: CHART_NAME[rule.to.chart], path: target.join('.') }
}

/**
 * The file and key a key belongs in: for a key of the seed layout, where the seed translation puts it;
 * else the same key in the other upstream chart, the translation's key, or the seed layout's.
 */
function belongsIn (path: string[], layout: LayoutName, trees: Trees): KeyNotRead['belongsIn'] {
  const seedKnows = layoutNodeAt(trees.seed, path) !== undefined
  const target = seedTarget(path, { app: trees['upstream-app'], prereqs: trees['upstream-prereqs'] })
  if (seedKnows && target !== undefined) return target
  const same = (['upstream-app', 'upstream-prereqs'] as const).find((chart) => chart !== layout && layoutNodeAt(trees[chart], path) !== undefined)
  if (same !== undefined) return { chart: same, path: path.join('.') }
  if (target !== undefined) return target
  return layout !== 'seed' && seedKnows ? { chart: 'seed', path: path.join('.') } : undefined
}

/**
 * An unread key, or its keys one by one where another layout reads a tree there or the seed
 * translation treats them one by one (each then gets its own hint).
 */
function unreadBelow (path: string[], value: unknown, layout: LayoutName, trees: Trees): KeyNotRead[] {
  const others = (Object.keys(trees) as LayoutName[]).filter((name) => name !== layout)
  if (isMapping(value) && Object.keys(value).length > 0 && (rulesBelow(path) || others.some((name) => isMapping(layoutNodeAt(trees[name], path))))) {
    return Object.entries(value).flatMap(([key, child]) => unreadBelow([...path, key], child, layout, trees))
  }
  const hint = belongsIn(path, layout, trees)
  return [hint === undefined ? { path: path.join('.') } : { path: path.join('.'), belongsIn: hint }]
}

function unread (document: unknown, path: string[], node: LayoutTree, layout: LayoutName, trees: Trees): KeyNotRead[] {
  if (node === 'open' || !isMapping(document)) return []
  return Object.entries(document).flatMap(([key, value]) => Object.hasOwn(node, key)
    ? unread(value, [...path, key], node[key], layout, trees)
    : unreadBelow([...path, key], value, layout, trees))
}

/**
 * The keys of a values document that a layout does not read (setting them changes nothing), and,
 * where another layout reads the key, which file and key it belongs in. The seed layout is the one
 * values-files.ts's knownLayout() gives.
 */
export function keysNotRead (values: Values, layout: LayoutName, seedLayoutTree: LayoutTree): KeyNotRead[] {
  const { app, prereqs } = upstreamLayout()
  const trees: Trees = { seed: seedLayoutTree, 'upstream-app': app, 'upstream-prereqs': prereqs }
  return unread(values, [], trees[layout], layout, trees)
}
