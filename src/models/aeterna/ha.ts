// Validation of an Aeterna values document against the HA requirements of seed 002
// (002_ad5c5a84b95a0e13.txt) and the tier minimums of seed 000. Every checklist item of seed 002 is
// reported: pass, fail, absent (the document does not set it) or not assessable from a values file.
// Two modes: lenient (absent is a warning, the chart's default may supply it) and strict (absent is
// an error: a CI gate for HA tiers). A wrong setting is an error in both.
import { stringify } from 'yaml'
import { componentResources, replicaCount } from './resources.js'
import { COMPONENTS, TIERS, TIER_NAMES, type TierName, tierForMemoryCount, tierValues, valueAt } from './tiers.js'
import { haOverlay, knownLayout, type LayoutNode } from './values-files.js'
import { SEED_QDRANT_COPIES, qdrantReplication, tierWithHa } from './overlay.js'
import { type ChartLayoutInfo, type ChartLayoutName, chartLayoutInfo } from './layouts.js'
import { keysNotRead } from './upstream.js'
import { closestParameter, isPostgresParameter, parameterSource } from './postgres-parameters.js'
import { AFFINITY_PATHS, HPA_PATHS, enabledHpaPath, type Cluster, type ClusterPlan, placeable, placementRule, placements, selects } from './topology.js'

export { selects }

export type FindingSeverity = 'error' | 'warning' | 'info'
export type FindingStatus = 'pass' | 'fail' | 'absent' | 'not assessable'
export type ValidationMode = 'strict' | 'lenient'

export interface Finding {
  id: string
  checklistItem: string
  seedReference: string
  status: FindingStatus
  severity: FindingSeverity
  passed: boolean
  path: string
  found: string
  expected: string
  message: string
  /** YAML that sets the path right; empty when the finding passes or nothing in a values file fixes it */
  fix: string
}

export interface ChecklistItem { id: string, checklistItem: string, requirement: string, severity: FindingSeverity, path: string, seedReference: string }

export interface HaValidation {
  ok: boolean
  /** whether the strict gate passes (the same as ok in strict mode) */
  strictOk: boolean
  mode: ValidationMode
  /** lenient mode only: what its ok does not mean */
  notice?: string
  /** the chart layout the document was judged as */
  chartLayout: ChartLayoutInfo
  /** the nodes and zones the scheduling checks judged against, and where they come from */
  cluster: Cluster & { basis: string }
  tier: TierName
  tierBasis: 'memoryCount' | 'document'
  summary: { errors: number, warnings: number, passed: number, notAssessable: number }
  findings: Finding[]
}

const HA = 'seed 002'
/** The lines of seed 002's "Checklist for HA Deployment". */
export const CHECKLIST = {
  nodes: '3+ nodes across 2+ AZs provisioned',
  storage: 'Storage class supports replication',
  replicas: 'All component replicaCounts >= minimum (Aeterna: 3, PostgreSQL: 3, Qdrant: 3)',
  pdb: 'PDB policies configured for all components',
  antiAffinity: 'Anti-affinity rules deployed',
  spread: 'Topology spread constraints active',
  hpa: 'HPA enabled and tested',
  backup: 'Backup/restore procedure validated',
  monitoring: 'Monitoring and alerting configured',
  loadTesting: 'Load testing confirms HA under failure scenarios',
  components: 'Component-Level High Availability (every component enabled, in HA mode)',
  layout: 'Values read by the chart (keys it does not read are ignored)',
  resources: 'seed 000: requests and limits at least the tier\'s'
} as const

type Values = Record<string, unknown>

/** What a check judges against: the tier for resources, the cluster for scheduling. */
interface Context { tier: TierName, cluster: Cluster, layout: ChartLayoutName }

/** What a check found; the mode turns `absent` and each check's own fail severity into the finding's. */
interface Outcome {
  status: Exclude<FindingStatus, 'not assessable'>
  found: string
  expected: string
  message: string
  fix?: Values
  /** severity of a fail in lenient mode (strict makes every fail an error); default error */
  lenientSeverity?: FindingSeverity
  /** the path this outcome is about, where a check looks at several */
  path?: string
  /** a fail that is advice, a warning in both modes (never blocks the gate) */
  advisory?: boolean
}

interface Check {
  id: string
  checklistItem: string
  requirement: string
  path: string
  seedReference: string
  severity: FindingSeverity
  evaluate?: (values: Values, context: Context) => Outcome[]
  /** judged in the upstream layouts too (its paths are read there); the rest read the seed's layout */
  everyLayout?: true
}

const dotted = (path: readonly string[]): string => path.join('.')
const show = (value: unknown): string => value === undefined ? 'not set' : JSON.stringify(value)
const pass = (found: string, expected: string, message: string): Outcome => ({ status: 'pass', found, expected, message })
const fail = (found: string, expected: string, message: string, fix?: Values, lenientSeverity?: FindingSeverity): Outcome =>
  ({ status: 'fail', found, expected, message, fix, lenientSeverity })
const absent = (path: string, expected: string, fix: Values): Outcome =>
  ({ status: 'absent', found: 'not set', expected, message: `${path} is not set in this document: the chart's default applies and cannot be verified here; seed 002 requires ${expected}.`, fix })

/** { a: { b: value } } for the path a.b: the fix snippets. */
export function nested (path: readonly string[], value: unknown): Values {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Values
}

const overlayAt = (path: readonly string[]): unknown => valueAt(haOverlay(), path)

// ---- replica counts ----------------------------------------------------------------------------

function minimumReplicas (id: string, component: string, path: string[], minimum: number, reference: string): Check {
  return {
    id,
    checklistItem: CHECKLIST.replicas,
    requirement: `${component} runs at least ${minimum} replicas`,
    severity: 'error',
    path: dotted(path),
    seedReference: reference,
    evaluate: (values) => {
      const count = replicaCount(values, path)
      const expected = `at least ${minimum}`
      if (count.invalid !== undefined) return [fail(show(count.invalid), expected, `${dotted(path)} is ${show(count.invalid)}: not a whole number of replicas, so the rendered manifest is invalid.`, nested(path, minimum))]
      if (!count.stated) return [absent(dotted(path), `${component} at ${expected} replicas (Kubernetes runs 1 without a count)`, nested(path, minimum))]
      return count.replicas >= minimum
        ? [pass(String(count.replicas), expected, `${component}: ${count.replicas} replicas.`)]
        : [fail(String(count.replicas), expected, `${component}: ${count.replicas} replica(s); at least ${minimum} are required for HA.`, nested(path, minimum))]
    }
  }
}

const qdrantReplicas: Check = {
  id: 'QDRANT_REPLICAS',
  checklistItem: CHECKLIST.replicas,
  requirement: 'Qdrant runs an odd number of at least 3 replicas (Raft majority)',
  severity: 'error',
  path: 'qdrant.replicaCount',
  seedReference: `${HA}, Qdrant Vector Database (Raft: 3 replicas tolerate 1 failure)`,
  evaluate: (values) => {
    const path = ['qdrant', 'replicaCount']
    const count = replicaCount(values, path)
    const expected = 'an odd count of at least 3'
    if (count.invalid !== undefined) return [fail(show(count.invalid), expected, `qdrant.replicaCount is ${show(count.invalid)}: not a whole number of replicas.`, nested(path, 3))]
    if (!count.stated) return [absent('qdrant.replicaCount', `Qdrant at ${expected}`, nested(path, 3))]
    const { replicas } = count
    const tolerated = Math.max(0, Math.floor((replicas - 1) / 2))
    if (replicas < 3) return [fail(String(replicas), expected, `Qdrant: ${replicas} replica(s) tolerate ${tolerated} failures; Raft needs at least 3.`, nested(path, 3))]
    if (replicas % 2 === 0) return [fail(String(replicas), expected, `Qdrant: ${replicas} replicas tolerate ${tolerated} failure(s), no more than ${replicas - 1}; use an odd count for Raft.`, nested(path, replicas + 1), 'warning')]
    return [pass(String(replicas), expected, `Qdrant: ${replicas} replicas tolerate ${tolerated} failure(s).`)]
  }
}

// ---- pod disruption budgets --------------------------------------------------------------------

const PERCENT = /^(\d+)%$/

/** An IntOrString of a PDB: a whole number, or a percentage of the replicas rounded up (Kubernetes). */
export function scaledIntOrPercent (value: unknown, replicas: number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined
  if (typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value)) return Number(value) // a quoted whole number renders as one
  const percent = typeof value === 'string' ? PERCENT.exec(value.trim()) : null
  return percent === null ? undefined : Math.ceil(Number(percent[1]) * replicas / 100)
}

export interface DisruptionBudget { desiredHealthy: number, allowedDisruptions: number }

/** minAvailable or maxUnavailable resolved against the replica count as Kubernetes does; a message when the budget is invalid. */
export function disruptionBudget (pdb: unknown, replicas: number): DisruptionBudget | string {
  // null removes a key when Helm merges values files
  const minAvailable = valueAt(pdb, ['minAvailable']) ?? undefined
  const maxUnavailable = valueAt(pdb, ['maxUnavailable']) ?? undefined
  if (minAvailable !== undefined && maxUnavailable !== undefined) return 'sets both minAvailable and maxUnavailable; a PodDisruptionBudget takes one'
  if (minAvailable === undefined && maxUnavailable === undefined) return 'sets neither minAvailable nor maxUnavailable'
  const raw = minAvailable ?? maxUnavailable
  const scaled = scaledIntOrPercent(raw, replicas)
  if (scaled === undefined) return `${minAvailable === undefined ? 'maxUnavailable' : 'minAvailable'} ${show(raw)} is neither a whole number nor a percentage`
  const desiredHealthy = minAvailable === undefined ? Math.max(0, replicas - scaled) : scaled
  return { desiredHealthy, allowedDisruptions: Math.max(0, replicas - desiredHealthy) }
}

function podDisruptionBudget (id: string, component: string, pdbPath: string[], replicasPath: string[], quorum: boolean, reference: string, placementName: string): Check {
  const path = dotted(pdbPath)
  return {
    id,
    checklistItem: CHECKLIST.pdb,
    requirement: `${component} has an enabled PodDisruptionBudget that allows at least one eviction` + (quorum ? ' and keeps a Raft majority' : ' and keeps at least one pod'),
    severity: 'error',
    path,
    seedReference: reference,
    evaluate: (values, { cluster }) => {
      const pdb = valueAt(values, pdbPath)
      const { replicas: replicasForFix } = replicaCount(values, replicasPath)
      // the seed's minAvailable (for Raft, the majority of these replicas); a maxUnavailable beside it is removed (null deletes a key in Helm)
      const minAvailable = quorum ? Math.floor(replicasForFix / 2) + 1 : valueAt(overlayAt(pdbPath), ['minAvailable'])
      const fix = nested(pdbPath, { enabled: true, minAvailable, ...(valueAt(pdb, ['maxUnavailable']) === undefined ? {} : { maxUnavailable: null }) })
      const expected = quorum ? 'enabled, 1 <= disruptions allowed, a majority kept' : 'enabled, 1 <= disruptions allowed < replicas'
      if (pdb === undefined) return [absent(path, `a PodDisruptionBudget (${expected})`, fix)]
      const enabled = valueAt(pdb, ['enabled'])
      if (enabled !== true) return [fail(`enabled: ${show(enabled)}`, expected, `${path}.enabled is ${show(enabled)}: no disruption budget protects ${component}.`, fix)]
      const { replicas } = replicaCount(values, replicasPath)
      const budget = disruptionBudget(pdb, replicas)
      if (typeof budget === 'string') return [fail(show(pdb), expected, `${path} ${budget}.`, fix)]
      // pods its required anti-affinity cannot place never become healthy: the budget counts only those running
      const room = placeable(placementRule(values, placementName), cluster)
      const running = room === undefined ? replicas : Math.min(replicas, room)
      const allowed = Math.max(0, running - budget.desiredHealthy)
      const found = `${budget.desiredHealthy} of ${replicas} kept, ${allowed} eviction(s) allowed` + (running < replicas ? ` (${running} can run on ${cluster.nodes} nodes in ${cluster.zones} zones)` : '')
      if (running < replicas && allowed < 1) return [fail(found, expected, `${component}: only ${running} of ${replicas} replicas can be scheduled under its required anti-affinity on ${cluster.nodes} nodes in ${cluster.zones} zones, and the budget keeps ${budget.desiredHealthy}: no pod can be evicted, so node drains and cluster upgrades stall. Make every replica schedulable (SCHEDULING).`, fix)]
      if (allowed < 1) return [fail(found, expected, `${component}: the budget keeps all ${replicas} replica(s): no pod can ever be evicted, so node drains and upgrades block.`, fix)]
      const majority = Math.floor(replicas / 2) + 1
      if (quorum && budget.desiredHealthy < majority) return [fail(found, expected, `${component}: evictions may leave ${budget.desiredHealthy} of ${replicas} replicas, below the Raft majority of ${majority}: a drain can lose the quorum.`, fix)]
      if (budget.desiredHealthy < 1) return [fail(found, expected, `${component}: the budget lets every replica be evicted at once: it protects nothing.`, fix)]
      return [pass(found, expected, `${component}: ${found}.`)]
    }
  }
}

/** CloudNativePG creates PostgreSQL's PDBs itself unless spec.enablePDB is false (seed 002: "CloudNativePG manages this"). */
const postgresqlPdb: Check = {
  id: 'POSTGRESQL_PDB',
  checklistItem: CHECKLIST.pdb,
  requirement: 'CloudNativePG manages PostgreSQL\'s PodDisruptionBudget (enablePDB not false)',
  severity: 'error',
  path: 'postgresql.cloudnativepg.enablePDB',
  seedReference: `${HA}, Pod Disruption Budgets (postgresql-pdb minAvailable 1, "CloudNativePG manages this")`,
  evaluate: (values) => {
    const path = ['postgresql', 'cloudnativepg', 'enablePDB']
    const enabled = valueAt(values, path)
    const expected = 'true (CloudNativePG\'s default)'
    if (enabled === undefined) return [pass('not set: CloudNativePG\'s default, true', expected, 'PostgreSQL: CloudNativePG creates the primary\'s PodDisruptionBudget (minAvailable 1) by default.')]
    return enabled === true
      ? [pass('true', expected, 'PostgreSQL: CloudNativePG creates the PodDisruptionBudgets.')]
      : [fail(show(enabled), expected, `postgresql.cloudnativepg.enablePDB is ${show(enabled)}: no disruption budget protects the PostgreSQL primary.`, nested(path, true))]
  }
}

// ---- anti-affinity and spread ------------------------------------------------------------------

/** topologyKeys: the keys that satisfy the rule, the first the one a fix sets. */
interface AntiAffinityRule { component: string, label: string, affinityPath: string[], required: boolean, topologyKeys: string[] }

function antiAffinity (id: string, rule: AntiAffinityRule, reference: string): Check {
  const path = dotted([...rule.affinityPath, 'podAntiAffinity'])
  const kind = rule.required ? 'required' : 'required or preferred'
  const expected = `${kind} anti-affinity by ${rule.topologyKeys.join(' or ')}, selecting app.kubernetes.io/name=${rule.label}`
  return {
    id,
    checklistItem: CHECKLIST.antiAffinity,
    requirement: `${rule.component} spreads replicas with ${expected}`,
    severity: rule.required ? 'error' : 'warning',
    path,
    seedReference: reference,
    evaluate: (values) => {
      const podAntiAffinity = valueAt(values, [...rule.affinityPath, 'podAntiAffinity'])
      const fix = nested([...rule.affinityPath, 'podAntiAffinity'], overlayAt([...rule.affinityPath, 'podAntiAffinity']))
      const severity = rule.required ? 'error' : 'warning'
      if (podAntiAffinity === undefined) return [absent(path, expected, fix)]
      const requiredTerms = valueAt(podAntiAffinity, ['requiredDuringSchedulingIgnoredDuringExecution'])
      const preferredTerms = valueAt(podAntiAffinity, ['preferredDuringSchedulingIgnoredDuringExecution'])
      const terms = [
        ...(Array.isArray(requiredTerms) ? requiredTerms.map((term) => ({ term, required: true })) : []),
        ...(!rule.required && Array.isArray(preferredTerms) ? preferredTerms.map((term) => ({ term: valueAt(term, ['podAffinityTerm']), required: false })) : [])
      ]
      const good = terms.find(({ term }) => rule.topologyKeys.includes(valueAt(term, ['topologyKey']) as string) && selects(valueAt(term, ['labelSelector']), rule.label))
      const key = String(valueAt(good?.term, ['topologyKey']))
      const perZone = good?.required === true && key === 'topology.kubernetes.io/zone'
        ? ` Required by zone places at most one pod per zone: its ${replicaCount(values, [rule.affinityPath[0], 'replicaCount']).replicas} replicas need as many availability zones (seed 002 asks for 2+; SCHEDULING checks the count).`
        : ''
      if (good !== undefined) return [pass(`${good.required ? 'required' : 'preferred'} by ${key}`, expected, `${rule.component}: ${good.required ? 'required' : 'preferred'} anti-affinity by ${key}.${perZone}`)]
      const found = terms.length === 0
        ? (Array.isArray(preferredTerms) && preferredTerms.length > 0 ? 'preferred terms only' : 'no terms')
        : terms.map(({ term, required }) => `${required ? 'required' : 'preferred'} by ${show(valueAt(term, ['topologyKey']))} selecting ${show(valueAt(term, ['labelSelector']))}`).join('; ')
      const why = terms.length === 0 && Array.isArray(preferredTerms) && preferredTerms.length > 0
        ? `only preferred terms: the scheduler may still put ${rule.component} replicas together; seed 002 requires requiredDuringSchedulingIgnoredDuringExecution`
        : terms.length === 0 ? 'no anti-affinity term' : `no term both keys on ${rule.topologyKeys.join(' or ')} and selects ${rule.component}'s own pods (app.kubernetes.io/name=${rule.label})`
      return [fail(found, expected, `${path}: ${why}.`, fix, severity)]
    }
  }
}

/** Where a chart reads a pod's spread constraints; seed 002 writes them inside affinity, which Kubernetes does not read. */
const SPREAD_PATH = ['aeterna', 'topologySpreadConstraints']
const SEED_SPREAD_PATH = ['aeterna', 'affinity', 'podTopologySpread']
const topologySpread: Check = {
  id: 'AETERNA_TOPOLOGY_SPREAD',
  checklistItem: CHECKLIST.spread,
  requirement: 'Aeterna pods spread across zones: maxSkew 1, DoNotSchedule, selecting Aeterna',
  severity: 'error',
  path: 'aeterna.topologySpreadConstraints',
  seedReference: `${HA}, Topology Spread Constraints`,
  evaluate: (values) => {
    const expected = 'a constraint with topologyKey topology.kubernetes.io/zone, maxSkew 1, whenUnsatisfiable DoNotSchedule, selecting app.kubernetes.io/name=aeterna'
    const seedForm = valueAt(values, SEED_SPREAD_PATH)
    const stated = valueAt(values, SPREAD_PATH)
    if (seedForm !== undefined) {
      // a pod's affinity has no podTopologySpread field: the API server drops it (or rejects the pod under strict field validation)
      const fix = { aeterna: { affinity: { podTopologySpread: null }, ...(stated === undefined ? { topologySpreadConstraints: seedForm } : {}) } }
      return [fail(`${dotted(SEED_SPREAD_PATH)} set`, expected, `${dotted(SEED_SPREAD_PATH)} (seed 002's form) is not a Kubernetes field: a pod's affinity has no podTopologySpread, so the API server drops it and nothing spreads the pods. ` +
        `Spread constraints go in the pod's topologySpreadConstraints${stated === undefined ? ' (the fix moves them)' : ', which this document also sets'}.`, fix, stated === undefined ? 'error' : 'warning')]
    }
    const fix = nested(SPREAD_PATH, overlayAt(SPREAD_PATH))
    if (stated === undefined) return [absent(dotted(SPREAD_PATH), expected, fix)]
    const where = SPREAD_PATH
    const constraints = valueAt(values, where)
    const list = Array.isArray(constraints) ? constraints : []
    const zone = list.filter((c) => valueAt(c, ['topologyKey']) === 'topology.kubernetes.io/zone')
    if (zone.length === 0) return [fail(show(constraints), expected, 'No constraint has topologyKey topology.kubernetes.io/zone: a zone failure can take every replica.', fix)]
    const good = zone.find((c) => valueAt(c, ['maxSkew']) === 1 && valueAt(c, ['whenUnsatisfiable']) === 'DoNotSchedule' && selects(valueAt(c, ['labelSelector']), 'aeterna'))
    if (good !== undefined) return [pass('zone, maxSkew 1, DoNotSchedule', expected, 'Aeterna: spread across zones.')]
    const c = zone[0]
    const problems = [
      ...(valueAt(c, ['maxSkew']) === 1 ? [] : [`maxSkew is ${show(valueAt(c, ['maxSkew']))} (1: a zone may hold at most one more replica than another)`]),
      ...(valueAt(c, ['whenUnsatisfiable']) === 'DoNotSchedule' ? [] : [`whenUnsatisfiable is ${show(valueAt(c, ['whenUnsatisfiable']))} (ScheduleAnyway lets every replica land in one zone)`]),
      ...(selects(valueAt(c, ['labelSelector']), 'aeterna') ? [] : [`its labelSelector ${show(valueAt(c, ['labelSelector']))} does not select app.kubernetes.io/name=aeterna`])
    ]
    return [fail(`zone constraint: ${problems.join('; ')}`, expected, `${dotted(where)}: the zone constraint does not hold: ${problems.join('; ')}.`, fix)]
  }
}

// ---- PostgreSQL --------------------------------------------------------------------------------

export interface StandbyNames { method: 'ANY' | 'FIRST', count: number, names: string[] }

/** synchronous_standby_names as PostgreSQL reads it: ANY k (...), FIRST k (...), k (...) or a plain list (FIRST 1). */
export function parseStandbyNames (text: string): StandbyNames | undefined {
  const quorum = /^\s*(?:(ANY|FIRST)\s+)?(\d+)\s*\(([^()]*)\)\s*$/i.exec(text)
  // names are identifiers or double-quoted strings (which may hold commas); duplicates count once
  const names = (list: string): string[] => [...new Set([...list.matchAll(/\s*("(?:[^"]|"")*"|[^,]+)\s*(?:,|$)/g)]
    .map((match) => match[1].trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"')).filter((name) => name !== ''))]
  if (quorum !== null) return { method: (quorum[1]?.toUpperCase() ?? 'FIRST') as 'ANY' | 'FIRST', count: Number(quorum[2]), names: names(quorum[3]) }
  if (/[()]/.test(text)) return undefined
  const list = names(text)
  return list.length === 0 ? undefined : { method: 'FIRST', count: 1, names: list }
}

const SEED_STANDBY_NAMES = 'ANY 2 (standby1, standby2)'
/** synchronous_commit values that wait for a standby; PostgreSQL's default is on, and reads true/yes/1 as on. */
const SYNC_COMMIT_VALUES = ['on', 'true', 'yes', '1', 'remote_apply', 'remote_write']
const CNPG = ['postgresql', 'cloudnativepg']
const CNPG_POSTGRESQL = [...CNPG, 'postgresql']

/**
 * The fields of CloudNativePG's spec.postgresql (PostgresConfiguration, api/v1/cluster_types.go at
 * cloudnative-pg a95a534d, 2026-08-21): a PostgreSQL setting beside them is not read.
 */
export const CNPG_POSTGRESQL_FIELDS: ReadonlySet<string> = new Set(['parameters', 'synchronous', 'pg_hba', 'pg_ident', 'syncReplicaElectionConstraint', 'shared_preload_libraries', 'ldap', 'promotionTimeout', 'enableAlterSystem', 'extensions'])

/**
 * PostgreSQL parameters CloudNativePG sets itself or forbids: its webhook rejects a Cluster that sets
 * one ("Can't set fixed configuration parameter"). pkg/postgres/configuration.go, fixed and blocked
 * lists, cloudnative-pg a95a534d (2026-08-21); synchronous replication is the `synchronous` stanza.
 */
export const CNPG_MANAGED_PARAMETERS: ReadonlySet<string> = new Set([
  'allow_system_table_mods', 'archive_cleanup_command', 'archive_command', 'archive_mode', 'bonjour', 'bonjour_name', 'cluster_name', 'config_file',
  'data_directory', 'data_sync_retry', 'event_source', 'external_pid_file', 'hba_file', 'hot_standby', 'ident_file', 'jit_provider', 'listen_addresses',
  'log_destination', 'log_directory', 'log_file_mode', 'log_filename', 'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation', 'logging_collector',
  'pg_failover_slots.primary_dsn', 'pg_failover_slots.standby_slot_names', 'port', 'primary_conninfo', 'primary_slot_name', 'promote_trigger_file',
  'recovery_end_command', 'recovery_min_apply_delay', 'recovery_target', 'recovery_target_action', 'recovery_target_inclusive', 'recovery_target_lsn',
  'recovery_target_name', 'recovery_target_time', 'recovery_target_timeline', 'recovery_target_xid', 'restart_after_crash', 'restore_command',
  'shared_preload_libraries', 'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_dh_params_file', 'ssl_key_file', 'ssl_passphrase_command',
  'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers', 'stats_temp_directory', 'synchronized_standby_slots', 'synchronous_standby_names',
  'syslog_facility', 'syslog_ident', 'syslog_sequence_numbers', 'syslog_split_messages', 'temp_tablespaces', 'unix_socket_directories', 'unix_socket_group',
  'unix_socket_permissions'
])

/** The synchronous stanza the tier's plan sets for this many instances (overlay.ts). */
const synchronousFix = (instances: number): Values => ({ method: 'any', number: Math.max(1, Math.min(2, instances - 2)), dataDurability: 'required' })

const postgresqlParameters: Check = {
  id: 'POSTGRESQL_PARAMETERS',
  checklistItem: CHECKLIST.components,
  requirement: 'CloudNativePG and PostgreSQL accept the settings: every key of spec.postgresql is one of its fields, no parameter is one the operator manages, every parameter is one PostgreSQL knows',
  severity: 'error',
  path: dotted(CNPG_POSTGRESQL),
  seedReference: `${HA}, PostgreSQL High Availability (postgresql: synchronous_commit, synchronous_standby_names)`,
  evaluate: (values) => {
    const settings = valueAt(values, CNPG_POSTGRESQL)
    const instances = replicaCount(values, [...CNPG, 'instances']).replicas
    if (!isMapping(settings)) return [pass('not set', 'CloudNativePG fields only', 'No PostgreSQL settings: CloudNativePG\'s defaults.')]
    const parameters = valueAt(settings, ['parameters'])
    const stray = Object.keys(settings).filter((key) => !CNPG_POSTGRESQL_FIELDS.has(key)).map((key): Outcome => {
      const path = dotted([...CNPG_POSTGRESQL, key])
      const managed = CNPG_MANAGED_PARAMETERS.has(key)
      const fix = nested(CNPG_POSTGRESQL, { [key]: null, ...(managed ? {} : { parameters: { [key]: settings[key] } }), ...(key === 'synchronous_standby_names' ? { synchronous: synchronousFix(instances) } : {}) })
      const why = managed
        ? ` Under parameters it would be rejected too: CloudNativePG manages ${key} itself${key === 'synchronous_standby_names' ? ' (synchronous replication is the synchronous stanza, which the fix sets)' : ''}.`
        : ' A PostgreSQL parameter goes under parameters (the fix moves it).'
      return { ...fail(`${key}: ${show(settings[key])}`, 'a field of CloudNativePG\'s spec.postgresql', `${path} is not a field of CloudNativePG's spec.postgresql: the API server drops it and PostgreSQL never gets it.${why}`, fix), path }
    })
    const managed = (isMapping(parameters) ? Object.keys(parameters) : []).filter((key) => CNPG_MANAGED_PARAMETERS.has(key)).map((key): Outcome => {
      const path = dotted([...CNPG_POSTGRESQL, 'parameters', key])
      const fix = nested(CNPG_POSTGRESQL, { parameters: { [key]: null }, ...(key === 'synchronous_standby_names' ? { synchronous: synchronousFix(instances) } : {}) })
      return { ...fail(`${key}: ${show((parameters as Values)[key])}`, 'a parameter CloudNativePG lets you set', `${path}: CloudNativePG manages ${key} itself; its webhook rejects the Cluster ("Can't set fixed configuration parameter").${key === 'synchronous_standby_names' ? ' Synchronous replication is the synchronous stanza (method, number, dataDurability), which the fix sets.' : ''}`, fix), path }
    })
    const unknown = (isMapping(parameters) ? Object.keys(parameters) : []).filter((key) => !CNPG_MANAGED_PARAMETERS.has(key) && !isPostgresParameter(key)).map((key): Outcome => {
      const path = dotted([...CNPG_POSTGRESQL, 'parameters', key])
      const closest = closestParameter(key)
      const fix = nested(CNPG_POSTGRESQL, { parameters: { [key]: null, ...(closest === undefined ? {} : { [closest]: (parameters as Values)[key] }) } })
      return { ...fail(`${key}: ${show((parameters as Values)[key])}`, 'a parameter PostgreSQL knows', `${path}: PostgreSQL has no parameter ${key} (${parameterSource()}); it refuses to start with an unrecognized parameter in its configuration.${closest === undefined ? '' : ` Did you mean ${closest}? The fix renames it.`}`, fix), path }
    })
    const problems = [...stray, ...managed, ...unknown]
    return problems.length > 0 ? problems : [pass('CloudNativePG fields; no managed parameter', 'CloudNativePG fields only', 'CloudNativePG accepts these PostgreSQL settings.')]
  }
}

/** What seed 002's synchronous_standby_names would do, said where a document still carries it. */
function legacyStandbyNames (text: unknown, instances: number): string {
  const parsed = typeof text === 'string' ? parseStandbyNames(text) : undefined
  const seed = typeof text === 'string' && text.trim() === SEED_STANDBY_NAMES ? ' SEED_INCONSISTENCY: this is seed 002\'s own setting.' : ''
  if (parsed === undefined) return `synchronous_standby_names ${show(text)} is a parameter CloudNativePG manages itself: its webhook rejects it.${seed}`
  const names = parsed.names.filter((name) => name !== '*')
  return `synchronous_standby_names ${show(text)} is a parameter CloudNativePG manages itself: its webhook rejects it. ` +
    (names.length > 0 ? `Its names (${names.join(', ')}) match no CloudNativePG instance (they are <cluster>-1 to <cluster>-${instances}), ` : '') +
    `and ${parsed.method} ${parsed.count} with ${instances - 1} standby(s) ${parsed.count >= instances - 1 ? 'would make every commit wait for every standby, so one standby down stalls all writes' : `would wait for ${parsed.count} of them`}. ` +
    `CloudNativePG's synchronous stanza says the same (method ${parsed.method.toLowerCase()}, number ${parsed.count}) for the instances it names itself.${seed}`
}

const synchronousReplication: Check = {
  id: 'POSTGRESQL_SYNC_REPLICATION',
  checklistItem: CHECKLIST.components,
  requirement: 'PostgreSQL commits synchronously through CloudNativePG\'s synchronous stanza, to a number of standbys that one standby\'s failure does not stall',
  severity: 'error',
  path: dotted([...CNPG_POSTGRESQL, 'synchronous']),
  seedReference: `${HA}, PostgreSQL High Availability (synchronous_commit "on", synchronous standbys); CloudNativePG >= 1.24 .spec.postgresql.synchronous`,
  evaluate: (values) => {
    const settings = valueAt(values, CNPG_POSTGRESQL)
    const instanceCount = replicaCount(values, [...CNPG, 'instances'])
    // with no instance count stated, the seed's 3 (1 primary + 2 standbys) is assumed
    const instances = instanceCount.stated ? instanceCount.replicas : 3
    const standbys = Math.max(0, instances - 1)
    const stanza = valueAt(settings, ['synchronous'])
    const fix = nested(CNPG_POSTGRESQL, { synchronous: synchronousFix(instances), ...(valueAt(settings, ['synchronous_standby_names']) === undefined ? {} : { synchronous_standby_names: null }) })
    const expected = `synchronous {method any|first, number 1-${Math.max(1, standbys - 1)}} (of ${standbys} standbys, so one may fail), synchronous_commit on/remote_apply/remote_write`
    const legacy = valueAt(settings, ['synchronous_standby_names']) ?? valueAt(settings, ['parameters', 'synchronous_standby_names'])
    const deprecated = ['minSyncReplicas', 'maxSyncReplicas'].filter((key) => valueAt(values, [...CNPG, key]) !== undefined)
    if (stanza !== undefined && deprecated.length > 0) return [fail(deprecated.join(', '), expected, `${deprecated.map((key) => dotted([...CNPG, key])).join(' and ')} cannot be set with the synchronous stanza: CloudNativePG rejects the pair (minSyncReplicas/maxSyncReplicas are deprecated since 1.24).`, nested(CNPG, Object.fromEntries(deprecated.map((key) => [key, null]))))]
    if (stanza === undefined) {
      if (legacy !== undefined) return [fail(`synchronous_standby_names ${show(legacy)}`, expected, legacyStandbyNames(legacy, instances), fix)]
      if (deprecated.length > 0) return [fail(deprecated.join(', '), expected, `${deprecated.join(' and ')} are deprecated since CloudNativePG 1.24: use the synchronous stanza.`, nested(CNPG, { ...Object.fromEntries(deprecated.map((key) => [key, null])), postgresql: { synchronous: synchronousFix(instances) } }), 'warning')]
      return [absent(dotted([...CNPG_POSTGRESQL, 'synchronous']), expected, fix)]
    }
    const commit = valueAt(settings, ['parameters', 'synchronous_commit']) ?? 'on' // PostgreSQL's default
    if (!SYNC_COMMIT_VALUES.includes(String(commit).toLowerCase())) return [fail(`synchronous_commit ${show(commit)}`, expected, `synchronous_commit is ${show(commit)}: a commit can return before any standby has it, and a failover can lose it.`, nested(CNPG_POSTGRESQL, { parameters: { synchronous_commit: 'on' } }))]
    const method = valueAt(stanza, ['method'])
    const number = valueAt(stanza, ['number'])
    const durability = valueAt(stanza, ['dataDurability']) ?? 'required' // CloudNativePG's default
    const named = ['standbyNamesPre', 'standbyNamesPost'].map((key) => valueAt(stanza, [key])).reduce<number>((sum, list) => sum + (Array.isArray(list) ? list.length : 0), 0)
    const found = `method ${show(method)}, number ${show(number)}, dataDurability ${show(durability)}; ${standbys} standby(s) (${instances} instances)`
    if (method !== 'any' && method !== 'first') return [fail(found, expected, `synchronous.method is ${show(method)}: CloudNativePG takes any (quorum) or first (priority).`, fix)]
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) return [fail(found, expected, `synchronous.number is ${show(number)}: CloudNativePG needs a whole number of at least 1.`, fix)]
    if (durability !== 'required' && durability !== 'preferred') return [fail(found, expected, `synchronous.dataDurability is ${show(durability)}: CloudNativePG takes required or preferred.`, fix)]
    if (number >= instances + named) return [fail(found, expected, `synchronous.number ${number} with ${instances} instances: CloudNativePG's webhook rejects it ("the number of synchronous replicas must be less than the total number of instances and the provided standby names").`, fix)]
    if (durability === 'preferred' && named > 0) return [fail(found, expected, 'dataDurability preferred cannot name standbys (standbyNamesPre/Post): CloudNativePG rejects the Cluster.', fix)]
    if (durability === 'preferred') return [pass(found, expected, `Commits wait for ${number} standby(s) while they are up; with dataDurability preferred CloudNativePG lists only ready standbys, so a standby's loss never stalls writes (a commit may then have fewer copies).`)]
    if (number > standbys - 1) return [fail(found, expected, `Every commit waits for ${number} of the ${standbys} standbys: one standby down stalls all writes (dataDurability required).`, fix)]
    return [pass(found, expected, `synchronous_commit ${String(commit)}; commits wait for ${number} of ${standbys} standbys (${method}), so ${standbys - number} may fail.`)]
  }
}

const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])
const CRON_RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]]
/** A cron schedule: a macro, or five fields (six, with seconds first, as CloudNativePG's ScheduledBackup takes) whose numbers are in range. */
export function isCronSchedule (schedule: string): boolean {
  const text = schedule.trim()
  if (CRON_MACROS.has(text)) return true
  const fields = text.split(/\s+/)
  if (fields.length !== 5 && fields.length !== 6) return false
  const ranges = fields.length === 6 ? [[0, 59] as [number, number], ...CRON_RANGES] : CRON_RANGES
  return fields.every((field, index) => /^[\d*/,\-?A-Za-z]+$/.test(field) &&
    (field.match(/\d+/g) ?? []).every((number) => Number(number) >= ranges[index][0] && Number(number) <= ranges[index][1]))
}
const backups: Check = {
  id: 'POSTGRESQL_BACKUP',
  checklistItem: CHECKLIST.backup,
  requirement: 'PostgreSQL backups (and PITR) are enabled on a schedule',
  severity: 'error',
  path: 'postgresql.cloudnativepg.backup',
  seedReference: `${HA}, PostgreSQL High Availability (Backup + PITR, daily at 2 AM UTC)`,
  evaluate: (values) => {
    const path = ['postgresql', 'cloudnativepg', 'backup']
    const backup = valueAt(values, path)
    const fix = nested(path, { enabled: true, schedule: '0 2 * * *' })
    const expected = 'enabled: true with a cron schedule'
    if (backup === undefined) return [absent('postgresql.cloudnativepg.backup', expected, fix)]
    const enabled = valueAt(backup, ['enabled'])
    const schedule = valueAt(backup, ['schedule'])
    if (enabled !== true) return [fail(`enabled ${show(enabled)}`, expected, 'Backups are disabled: a lost volume cannot be restored.', fix)]
    if (typeof schedule !== 'string' || !isCronSchedule(schedule)) return [fail(`schedule ${show(schedule)}`, expected, `Backups are enabled but ${schedule === undefined ? 'have no schedule' : `the schedule ${show(schedule)} is not a cron expression`}: none will run.`, fix)]
    return [pass(`enabled, schedule "${schedule}"`, expected, `Backups enabled, schedule "${schedule}".`)]
  }
}

// ---- storage, components, monitoring, autoscaling ----------------------------------------------

/** Evaluates each path on its own; every outcome names its path. */
const eachPath = (paths: string[][], judge: (value: unknown, path: string[]) => Outcome) =>
  (values: Values): Outcome[] => paths.map((path) => ({ ...judge(valueAt(values, path), path), path: dotted(path) }))

/** A setting that must be true, and what follows when it is not. */
const mustBeTrue = (consequence: string) => (value: unknown, path: string[]): Outcome => {
  if (value === undefined) return absent(dotted(path), 'true', nested(path, true))
  return value === true ? pass('true', 'true', `${dotted(path)}: on.`) : fail(show(value), 'true', `${dotted(path)} is ${show(value)}: ${consequence}`, nested(path, true))
}

/** A class name that says it replicates (gp3-replicated, regional-pd, Azure's ZRS) and does not say it does not. */
export const namesReplication = (storageClass: string): boolean =>
  /replicat|regional|zrs|zone-redundant/i.test(storageClass) && !/(^|[^a-z])(non|not|un|no)[-_]?replicat/i.test(storageClass)
const STORAGE_CLASS_PATHS = [['postgresql', 'cloudnativepg', 'storage', 'storageClass'], ['qdrant', 'persistence', 'storageClass']]
const replicatedStorage: Check = {
  id: 'REPLICATED_STORAGE',
  checklistItem: CHECKLIST.storage,
  requirement: 'PostgreSQL and Qdrant volumes use a replicated storage class',
  severity: 'error',
  path: STORAGE_CLASS_PATHS.map(dotted).join(', '),
  seedReference: `${HA}, Storage High Availability (e.g. gp3-replicated, regional pd-ssd)`,
  evaluate: eachPath(STORAGE_CLASS_PATHS, (storageClass, path) => {
    const expected = 'a StorageClass that replicates volumes (a name with "replicated" or "regional")'
    const fix = nested(path, 'gp3-replicated')
    if (storageClass === undefined) return absent(dotted(path), expected, fix)
    return namesReplication(String(storageClass))
      ? pass(String(storageClass), expected, `${dotted(path)}: ${String(storageClass)} replicates.`)
      : fail(String(storageClass), expected, `${dotted(path)} = ${show(storageClass)}: nothing says this class replicates volumes; a zone loss loses the data. Use a replicated class (and name it so).`, fix, 'warning')
  })
}

const ENABLED_PATHS = [['postgresql', 'cloudnativepg', 'enabled'], ['qdrant', 'enabled'], ['opal', 'enabled'], ['dragonfly', 'enabled']]
const componentsEnabled: Check = {
  id: 'COMPONENTS_ENABLED',
  checklistItem: CHECKLIST.components,
  requirement: 'CloudNativePG, Qdrant, OPAL and Dragonfly are enabled',
  severity: 'error',
  path: ENABLED_PATHS.map(dotted).join(', '),
  seedReference: `${HA}, Component-Level High Availability (each component "enabled: true")`,
  evaluate: eachPath(ENABLED_PATHS, mustBeTrue('the component HA depends on is not deployed by this chart.'))
}

function flag (id: string, checklistItem: string, requirement: string, path: string[], reference: string, consequence: string): Check {
  return { id, checklistItem, requirement, severity: 'error', path: dotted(path), seedReference: reference, evaluate: eachPath([path], mustBeTrue(consequence)) }
}

const qdrantCluster = flag('QDRANT_CLUSTER_MODE', CHECKLIST.components, 'Qdrant runs in cluster mode (Raft)', ['qdrant', 'config', 'cluster', 'enabled'], `${HA}, Qdrant Vector Database (config.cluster.enabled)`,
  'each Qdrant replica is a separate single node; nothing is replicated between them.')
const monitoring = flag('MONITORING', CHECKLIST.monitoring, 'PostgreSQL monitoring is on (failover detection, replication lag alerts)', ['postgresql', 'cloudnativepg', 'monitoring', 'enabled'], `${HA}, PostgreSQL High Availability (monitoring.enabled) and Monitoring for HA Health`,
  'no metrics for the replication-lag and failover alerts of seed 002.')

const autoscaling: Check = {
  id: 'AUTOSCALING',
  checklistItem: CHECKLIST.hpa,
  requirement: 'An HPA is enabled with 3 <= minReplicas <= maxReplicas',
  severity: 'error',
  path: 'autoscaling',
  seedReference: `${HA}, Horizontal Pod Autoscaling (minReplicas 3, maxReplicas 10)`,
  evaluate: (values) => {
    const where = HPA_PATHS.find((path) => valueAt(values, path) !== undefined)?.slice()
    const fix = nested(['autoscaling'], overlayAt(['autoscaling']))
    const expected = 'enabled: true, minReplicas >= 3, maxReplicas >= minReplicas'
    if (where === undefined) return [absent('autoscaling (or aeterna.autoscaling)', expected, fix)]
    const hpa = valueAt(values, where)
    const minimumCount = replicaCount(hpa, ['minReplicas'])
    const maximumCount = replicaCount(hpa, ['maxReplicas'])
    const minimum = minimumCount.stated ? minimumCount.replicas : valueAt(hpa, ['minReplicas'])
    const maximum = maximumCount.stated ? maximumCount.replicas : valueAt(hpa, ['maxReplicas'])
    const found = `enabled ${show(valueAt(hpa, ['enabled']))}, minReplicas ${show(minimum)}, maxReplicas ${show(maximum)}`
    if (valueAt(hpa, ['enabled']) !== true) return [fail(found, expected, `${dotted(where)}.enabled is ${show(valueAt(hpa, ['enabled']))}: no HPA.`, fix)]
    if (typeof minimum !== 'number' || !Number.isInteger(minimum) || minimum < 3) return [fail(found, expected, `${dotted(where)}.minReplicas is ${show(minimum)}: the HPA could scale below the 3 replicas HA needs.`, fix)]
    if (typeof maximum !== 'number' || !Number.isInteger(maximum) || maximum < minimum) return [fail(found, expected, `${dotted(where)}.maxReplicas is ${show(maximum)}: it must be a whole number of at least minReplicas (${minimum}).`, fix)]
    return [pass(found, expected, `Autoscaling from ${minimum} to ${maximum} replicas.`)]
  }
}

// ---- Qdrant collections, scheduling, autoscalers, Dragonfly -------------------------------------

const QDRANT_COLLECTION = ['qdrant', 'config', 'storage', 'collection']
const qdrantCollections: Check = {
  id: 'QDRANT_REPLICATION',
  checklistItem: CHECKLIST.components,
  requirement: 'Qdrant collections keep a copy of every shard through the loss of a node or a zone, and writes do not wait for the copies that zone takes',
  severity: 'error',
  path: dotted(QDRANT_COLLECTION),
  seedReference: `${HA}, Qdrant Vector Database ("3 replicas tolerate 1 node failure"; persistence.replicas: 3 "3-way replication")`,
  evaluate: (values, { cluster }) => {
    const peers = replicaCount(values, ['qdrant', 'replicaCount']).replicas
    const zones = placementRule(values, 'qdrant') === 'one per zone' ? Math.min(peers, cluster.zones) : Math.min(peers, Math.max(1, cluster.zones))
    const plan = qdrantReplication(peers, zones)
    const collection = valueAt(values, QDRANT_COLLECTION)
    const factor = valueAt(collection, ['replication_factor'])
    const consistency = valueAt(collection, ['write_consistency_factor']) ?? 1 // Qdrant's default
    const fix = nested(QDRANT_COLLECTION, { replication_factor: plan.replicationFactor, write_consistency_factor: plan.writeConsistencyFactor })
    const least = Math.min(peers, plan.peersPerZone + 1)
    const expected = `replication_factor ${Math.min(least, SEED_QDRANT_COPIES)}-${peers} (a zone holds up to ${plan.peersPerZone} of ${peers} peers), write_consistency_factor below replication_factor by the copies a zone (or a node) can take`
    const note = ' Qdrant\'s Raft replicates only the cluster\'s metadata; the data survives a peer\'s loss only in the copies replication_factor makes (default 1). The setting is the default for new collections; raise an existing collection\'s replication_factor through the collection API.'
    if (factor === undefined) return [absent(dotted(QDRANT_COLLECTION) + '.replication_factor', expected, fix)]
    const found = `replication_factor ${show(factor)}, write_consistency_factor ${show(consistency)}; ${peers} peer(s) over ${zones} zone(s)`
    if (typeof factor !== 'number' || !Number.isInteger(factor) || factor < 1) return [fail(found, expected, `replication_factor ${show(factor)} is not a whole number of at least 1.`, fix)]
    if (typeof consistency !== 'number' || !Number.isInteger(consistency) || consistency < 1) return [fail(found, expected, `write_consistency_factor ${show(consistency)} is not a whole number of at least 1.`, fix)]
    if (peers < 2) return [fail(found, expected, `One Qdrant peer: no copy can live elsewhere.${note}`, fix)]
    if (factor < 2 || (factor < least && factor < SEED_QDRANT_COPIES)) return [fail(found, expected, `${factor} cop${factor === 1 ? 'y' : 'ies'} of each shard: the loss of ${factor === 1 ? 'the node holding it' : `a zone (up to ${plan.peersPerZone} peers)`} can take every copy.${note}`, fix)]
    if (factor > peers) return [fail(found, expected, `replication_factor ${factor} above the ${peers} peers: Qdrant places one copy per peer, so only ${peers} exist.`, fix, 'warning')]
    const zoneSafe = factor >= least
    const lost = zoneSafe ? Math.min(plan.peersPerZone, factor - 1) : 1
    if (consistency > factor - lost) return [fail(found, expected, `Writes wait for ${consistency} of ${factor} copies: when ${zoneSafe ? `a zone takes ${lost}` : 'a node takes one'} of them, writes to those shards fail.`, fix)]
    if (!zoneSafe) return [{ ...fail(found, expected, `${factor} copies of each shard over ${peers} peers, up to ${plan.peersPerZone} in a zone: a node loss leaves a copy, but Qdrant does not place copies by zone, so a zone loss can take all ${factor} copies of a shard. Move copies across zones with the shard-replication API, or raise replication_factor above ${plan.peersPerZone}.`, undefined), advisory: true }]
    return [pass(found, expected, `Every shard has ${factor} copies on ${factor} peers; a node or zone loss leaves at least ${factor - lost}, and writes need ${consistency}.`)]
  }
}

/** Where each component's replica count lives, and what fixes a count its anti-affinity cannot place. */
const scheduling: Check = {
  id: 'SCHEDULING',
  checklistItem: CHECKLIST.nodes,
  requirement: 'Every component\'s replicas (Aeterna at the HPA\'s maxReplicas) fit the nodes and zones its required anti-affinity allows, and a drained node\'s pods can start elsewhere',
  severity: 'error',
  path: '(replica counts against the cluster)',
  seedReference: `${HA}, Infrastructure Baseline, Pod Anti-Affinity and Horizontal Pod Autoscaling`,
  evaluate: (values, { cluster }) => placements(values, cluster).map((p): Outcome => {
    const component = COMPONENTS.find((c) => c.name === p.component)!
    const path = dotted(component.replicasPath)
    const on = `${cluster.nodes} nodes in ${cluster.zones} zones`
    if (p.placeable === undefined) return { ...pass(`${p.peakReplicas} pods, no required anti-affinity`, 'replicas within what the anti-affinity places', `${p.component}: no required anti-affinity; the scheduler places its ${p.peakReplicas} pods by resources.`), path }
    const found = `${p.peakReplicas} pods${p.peakReplicas > p.replicas ? ' at the HPA maximum' : ''}, ${p.rule}: ${p.placeable} fit on ${on}`
    const expected = `at most ${p.placeable} (${p.rule} on ${on})`
    const spreadByNode = (): Values => {
      const affinityPath = AFFINITY_PATHS[p.component]
      const selector = { matchLabels: { 'app.kubernetes.io/name': p.component } }
      return nested(affinityPath.slice(0, -1), {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }] } },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }]
      })
    }
    if (!p.fits) {
      const atHpa = p.peakReplicas > p.replicas
      // a peak above the replicas comes from an HPA: one of the two places holds it
      const hpaPath = enabledHpaPath(values) as string[]
      const fix = atHpa
        ? nested([...hpaPath, 'maxReplicas'], p.placeable)
        : p.rule === 'one per zone' ? spreadByNode() : nested(component.replicasPath, p.placeable)
      const remedy = atHpa
        ? `set maxReplicas to ${p.placeable} or run ${p.peakReplicas} nodes`
        : p.rule === 'one per zone' ? `run ${p.peakReplicas} zones, or require one pod per node and spread over the zones with topologySpreadConstraints (maxSkew 1), which places ${p.peakReplicas} pods on ${p.peakReplicas}+ nodes` : `run ${p.peakReplicas} nodes, or ${p.placeable} replicas`
      return { ...fail(found, expected, `${p.component}: ${p.peakReplicas} pods${atHpa ? ' at the HPA\'s maxReplicas' : ''} but its required anti-affinity (${p.rule}) places at most ${p.placeable} on ${on}: ${p.peakReplicas - p.placeable} stay Pending. Fix: ${remedy}.`, fix), path: atHpa ? dotted([...hpaPath, 'maxReplicas']) : path }
    }
    if (!p.drainReschedules) return { ...fail(found, expected, `${p.component}: ${p.replicas} pods (${p.rule}) on ${on}; while a node is drained only ${p.placeableWhileDraining} can run, so the drained pod stays Pending until the node returns.${p.rule === 'one per zone' ? ' Require one pod per node and spread over the zones instead (the fix), or give every zone two nodes.' : ` Run ${p.replicas + 1} nodes.`}`, p.rule === 'one per zone' ? spreadByNode() : undefined, 'warning'), path }
    return { ...pass(found, expected, `${p.component}: ${p.peakReplicas} pods fit (${p.rule}, up to ${p.placeable} on ${on}); a drained node's pod can start elsewhere.`), path }
  })
}

/** Where a values document may carry a VerticalPodAutoscaler for Aeterna (the upstream chart: aeterna.autoscaling.vpa). */
const VPA_PATHS = [['aeterna', 'autoscaling', 'vpa'], ['aeterna', 'vpa'], ['vpa']]
/** The HPA's resource targets, by the seed's and the upstream chart's key names. */
const HPA_TARGETS: Record<'cpu' | 'memory', string[]> = { cpu: ['targetCPUUtilizationPercentage', 'targetCPU'], memory: ['targetMemoryUtilizationPercentage', 'targetMemory'] }

const autoscalers: Check = {
  id: 'AUTOSCALER_CONFLICT',
  checklistItem: CHECKLIST.hpa,
  everyLayout: true,
  requirement: 'No VPA changes the requests of a resource the HPA scales on; no VPA in the deprecated Auto mode',
  severity: 'error',
  path: VPA_PATHS.map(dotted).join(', '),
  seedReference: 'Kubernetes VPA documentation (do not use with the HPA on the same resource metric); VPA 1.5.0 release notes (Auto deprecated)',
  evaluate: (values) => {
    const where = VPA_PATHS.find((path) => valueAt(values, path) !== undefined)
    const expected = 'no VPA on a resource the HPA targets; updateMode Off, Initial, Recreate or InPlaceOrRecreate'
    if (where === undefined) return [pass('no VPA', expected, 'No VerticalPodAutoscaler in this document.')]
    const vpa = valueAt(values, where)
    if (valueAt(vpa, ['enabled']) === false) return [pass('VPA disabled', expected, 'The VPA is disabled.')]
    const mode = valueAt(vpa, ['updateMode']) ?? valueAt(vpa, ['updatePolicy', 'updateMode'])
    const hpaPath = enabledHpaPath(values)
    const hpa = hpaPath === undefined ? undefined : valueAt(values, hpaPath)
    const controlled = valueAt(vpa, ['controlledResources'])
    const vpaResources = Array.isArray(controlled) ? controlled.map(String) : ['cpu', 'memory']
    // the document is read without nulls (Helm deletes them): a target present is one the HPA has
    const hpaTargets = (['cpu', 'memory'] as const).filter((resource) => HPA_TARGETS[resource].some((key) => valueAt(hpa, [key]) !== undefined))
    const shared = hpaTargets.filter((resource) => vpaResources.includes(resource))
    const outcomes: Outcome[] = []
    const found = `VPA updateMode ${show(mode)}, controls ${show(vpaResources)}; HPA targets ${show(hpaTargets)}`
    if (mode !== 'Off' && shared.length > 0) {
      outcomes.push({
        ...fail(found, expected, `The HPA scales Aeterna's replicas on ${shared.join(' and ')} utilisation while the VPA changes the ${shared.join(' and ')} requests that utilisation is measured against: they fight (the VPA documentation: not with the HPA on the same resource metric). ` +
        'Keep the VPA for recommendations (updateMode Off), or let it control only a resource the HPA does not target.', nested(where, { updateMode: 'Off' })),
        path: dotted(where)
      })
    }
    if (mode === undefined || mode === 'Auto') {
      outcomes.push({
        ...fail(found, expected, `updateMode ${mode === undefined ? 'not set (the chart\'s default, Auto upstream)' : 'Auto'}: deprecated since VPA 1.5.0 (2025-09-19), where it now means Recreate (evict to resize). ` +
        'InPlaceOrRecreate resizes running pods where it can: beta in VPA 1.5, GA in VPA 1.6, on Kubernetes 1.33+ (in-place pod resize: beta in 1.33, GA in 1.35).', nested(where, { updateMode: shared.length > 0 ? 'Off' : 'InPlaceOrRecreate' }), 'warning'),
        path: dotted([...where, 'updateMode'])
      })
    }
    return outcomes.length > 0 ? outcomes : [pass(found, expected, `The VPA (${String(mode)}) and the HPA act on different resources.`)]
  }
}

/** Kubernetes' HPA defaults (autoscaling/v2 behavior), written out where a document leaves them implicit. */
export const HPA_DEFAULT_BEHAVIOR = 'scale up at once (no stabilisation window) by the larger of 4 pods or 100% per 15 s; scale down after a 300 s stabilisation window by up to 100% per 15 s'
const hpaBehavior: Check = {
  id: 'HPA_BEHAVIOR',
  checklistItem: CHECKLIST.hpa,
  requirement: 'The HPA\'s scaling behaviour is stated',
  severity: 'warning',
  path: 'autoscaling.behavior',
  seedReference: `${HA}, Horizontal Pod Autoscaling; Kubernetes HorizontalPodAutoscaler behavior defaults`,
  evaluate: (values) => {
    const where = enabledHpaPath(values)
    if (where === undefined) return [pass('no HPA', 'behavior stated', 'No HPA: nothing to state.')]
    const behavior = valueAt(values, [...where, 'behavior'])
    if (behavior !== undefined) return [pass(show(behavior), 'behavior stated', 'The HPA\'s behaviour is stated.')]
    return [{ ...fail('not set', 'behavior stated', `${dotted(where)}.behavior is not set: Kubernetes' defaults apply (${HPA_DEFAULT_BEHAVIOR}). The fix writes them out, to be tuned.`, nested([...where, 'behavior'], overlayAt(['autoscaling', 'behavior'])), 'warning'), advisory: true, path: `${dotted(where)}.behavior` }]
  }
}

const dragonflyRoles: Check = {
  id: 'DRAGONFLY_REPLICATION',
  checklistItem: CHECKLIST.components,
  requirement: 'Dragonfly runs a primary and at least one replica for failover (replicas are read-only)',
  severity: 'error',
  path: 'dragonfly.replicaCount',
  seedReference: `${HA}, Dragonfly Cache (primary + replica); seed 000 large tier ("1 primary + 2 replicas for write distribution")`,
  evaluate: (values) => {
    const { replicas, stated } = replicaCount(values, ['dragonfly', 'replicaCount'])
    const expected = '1 primary + at least 1 replica'
    const roles = 'Dragonfly replicas are read-only copies of the primary (REPLICAOF): writes go to the primary alone, so more replicas add read capacity and failover candidates, never write capacity. ' +
      'Promotion on failure needs the Dragonfly Operator or Sentinel; pods started from a replica count alone are independent caches.'
    if (!stated || replicas < 2) return [pass(`${replicas} pod(s)`, expected, `Dragonfly: ${replicas} pod(s) (DRAGONFLY_REPLICAS checks the count). ${roles}`)]
    return [pass(`1 primary + ${replicas - 1} replica(s)`, expected, `Dragonfly: 1 primary and ${replicas - 1} read-only replica(s). ${roles}`)]
  }
}

// ---- resources at the tier ---------------------------------------------------------------------

function resourcesAtTier (component: (typeof COMPONENTS)[number]): Check {
  const path = dotted(component.resourcesPath)
  return {
    id: `${component.name.toUpperCase()}_RESOURCES`,
    checklistItem: CHECKLIST.resources,
    requirement: `${component.name} requests and limits are at least the tier's`,
    severity: 'error',
    path,
    seedReference: 'seed 000, Component Resource Requests and Limits',
    evaluate: (values, { tier }) => [resourcesOutcome(component, values, tier)]
  }
}

function resourcesOutcome (component: (typeof COMPONENTS)[number], values: Values, tier: TierName): Outcome {
  const path = dotted(component.resourcesPath)
  const tierResources = valueAt(tierValues(tier), component.resourcesPath)
  const fix = nested(component.resourcesPath, tierResources)
  const expected = `at least the ${tier} tier's ${JSON.stringify(tierResources)}`
  if (valueAt(values, component.resourcesPath) === undefined) {
    const misplaced = component.name === 'aeterna' && valueAt(values, ['resources']) !== undefined
      ? ' A top-level `resources` block is present: the chart reads the app\'s resources under aeterna.resources (seed 002\'s example puts them at the top level).'
      : ''
    return { ...absent(path, expected, fix), message: `${path} is not set in this document: the chart's default applies and cannot be verified here.${misplaced}` }
  }
  const needed = componentResources(tierValues(tier)).find((c) => c.component === component.name)!
  const actual = componentResources(values).find((c) => c.component === component.name)!
  const short = (['requests', 'limits'] as const).flatMap((kind) => (['cpuCores', 'memoryGiB'] as const)
    .filter((figure) => actual[kind][figure] < needed[kind][figure])
    .map((figure) => `${kind}.${figure === 'cpuCores' ? 'cpu' : 'memory'} ${actual[kind][figure]} < ${needed[kind][figure]} ${figure === 'cpuCores' ? 'cores' : 'GiB'}`))
  const found = JSON.stringify(valueAt(values, component.resourcesPath))
  return short.length === 0
    ? pass(found, expected, `${component.name}: at or above the ${tier} tier.`)
    : fail(found, expected, `${component.name} is below the ${tier} tier: ${short.join(', ')}.`, fix)
}

// ---- keys the chart does not read --------------------------------------------------------------

/** Paths of the document that the known chart layout does not read. */
export function unknownPaths (values: unknown, layout: LayoutNode = knownLayout(), prefix: string[] = []): string[][] {
  if (layout === 'open' || typeof values !== 'object' || values === null || Array.isArray(values)) return []
  return Object.entries(values).flatMap(([key, child]) => {
    const known = Object.hasOwn(layout, key) ? layout[key] : undefined
    return known === undefined ? [[...prefix, key]] : unknownPaths(child, known, [...prefix, key])
  })
}

const isMapping = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The first place the document has something other than a mapping where the chart reads one
 * (`aeterna: 5`), as a 400 message naming the path; undefined when the shape is sound. null is
 * allowed: Helm deletes a key set to null.
 */
/** Pass-through blocks whose own shape Kubernetes or PostgreSQL fixes: a mapping, or a list. */
const BLOCK_SHAPES: Record<string, 'mapping' | 'list'> = {
  resources: 'mapping',
  affinity: 'mapping',
  pdb: 'mapping',
  config: 'mapping',
  backup: 'mapping',
  autoscaling: 'mapping',
  postgresql: 'mapping',
  podAntiAffinity: 'mapping',
  podTopologySpread: 'list',
  topologySpreadConstraints: 'list',
  requiredDuringSchedulingIgnoredDuringExecution: 'list',
  preferredDuringSchedulingIgnoredDuringExecution: 'list'
}

function blockShapeError (value: unknown, path: string[]): string | undefined {
  if (!isMapping(value)) return undefined
  for (const [key, child] of Object.entries(value)) {
    const shape = Object.hasOwn(BLOCK_SHAPES, key) ? BLOCK_SHAPES[key] : undefined
    if (shape === undefined || child === null) continue
    const here = [...path, key]
    if (shape === 'list' && !Array.isArray(child)) return `body/${here.join('/')} must be a list, not ${show(child)}`
    if (shape === 'mapping' && !isMapping(child)) return `body/${here.join('/')} must be a mapping, not ${show(child)}`
    const inner = blockShapeError(child, here)
    if (inner !== undefined) return inner
  }
  return undefined
}

export function layoutTypeError (values: unknown, layout: LayoutNode = knownLayout(), prefix: string[] = []): string | undefined {
  if (layout === 'open' || !isMapping(values)) return undefined
  for (const [key, child] of Object.entries(values)) {
    const known = Object.hasOwn(layout, key) ? layout[key] : undefined
    if (known === undefined || child === null) continue
    const path = [...prefix, key]
    if (known === 'open') {
      const shape = Object.hasOwn(BLOCK_SHAPES, key) ? BLOCK_SHAPES[key] : undefined
      if (shape === 'mapping' && !isMapping(child)) return `body/${path.join('/')} must be a mapping, not ${show(child)}`
      const inner = shape === 'mapping' ? blockShapeError(child, path) : undefined
      if (inner !== undefined) return inner
      continue
    }
    if (!isMapping(child)) return `body/${path.join('/')} must be a mapping (the chart reads ${Object.keys(known).join(', ')} under it), not ${show(child)}`
    const inner = layoutTypeError(child, known, path)
    if (inner !== undefined) return inner
  }
  return undefined
}

const unknownKeys: Check = {
  id: 'UNKNOWN_KEYS',
  checklistItem: CHECKLIST.layout,
  requirement: 'Every key is one the chart reads',
  severity: 'error',
  path: '(document)',
  seedReference: 'seed 000 values files and seed 002 settings (layout seed); kikokikok/aeterna charts/aeterna and charts/aeterna-prereqs templates (upstream-app, upstream-prereqs)',
  everyLayout: true,
  evaluate: (values, { layout }) => {
    if (layout !== 'seed') return upstreamKeys(values, layout)
    const unknown = unknownPaths(values)
    if (unknown.length === 0) return [pass('every key known', 'only keys the chart reads', 'Every key is one the chart reads.')]
    const homes = keysNotRead(values, 'seed', knownLayout())
    return unknown.map((path) => {
      const misplacedResources = path.length === 1 && path[0] === 'resources'
      // the key, or the keys below it, that another layout reads
      const home = homes.filter((key) => key.belongsIn !== undefined && (key.path === dotted(path) || key.path.startsWith(`${dotted(path)}.`))).map((key) => key.belongsIn!)
      const hint = misplacedResources
        ? ' It belongs under aeterna.resources: seed 002\'s HA example puts the app\'s resources at the top level, where the chart does not read them.'
        : home.length === 0
          ? ' Values written for another chart layout do nothing here.'
          : ` It belongs in the ${home[0].chart} file (${chartLayoutInfo(home[0].chart).chart}) at ${home.map((h) => h.path).join(', ')}: validate it there with ?layout=${home[0].chart}.`
      // null deletes a key when Helm merges values; the app's resources move under aeterna
      const fix = misplacedResources ? { resources: null, aeterna: { resources: valueAt(values, ['resources']) } } : nested(path, null)
      return { ...fail(dotted(path), 'a key the chart reads', `${dotted(path)} is not read by the chart: ignored.${hint}`, fix, 'warning'), path: dotted(path) }
    })
  }
}

/** The keys an upstream chart does not read, each with the file and key it belongs in where one reads it. */
function upstreamKeys (values: Values, layout: Exclude<ChartLayoutName, 'seed'>): Outcome[] {
  const { chart } = chartLayoutInfo(layout)
  const unread = keysNotRead(values, layout, knownLayout())
  if (unread.length === 0) return [pass('every key known', `only keys ${chart} reads`, `Every key is one ${chart} reads.`)]
  return unread.map(({ path, belongsIn }) => {
    const where = belongsIn === undefined
      ? ' No layout the service knows reads it.'
      : ` It belongs in the ${belongsIn.chart} file (${chartLayoutInfo(belongsIn.chart).chart}) at ${belongsIn.path}.`
    return { ...fail(path, `a key ${chart} reads`, `${path} is not read by ${chart}: ignored.${where}`, nested(path.split('.'), null), 'warning'), path }
  })
}

// ---- items a values file cannot show -----------------------------------------------------------

const notAssessable = (id: string, checklistItem: string, requirement: string, reference: string): Check =>
  ({ id, checklistItem, requirement, severity: 'info', path: '(cluster, not values)', seedReference: reference })

const CHECKS: readonly Check[] = [
  notAssessable('NODES_AND_ZONES', CHECKLIST.nodes, 'Not assessable from a values file: 3+ nodes of 4 CPU / 16 GB across 2+ availability zones', `${HA}, Infrastructure Baseline`),
  replicatedStorage,
  minimumReplicas('AETERNA_REPLICAS', 'Aeterna', ['aeterna', 'replicaCount'], 3, `${HA}, Aeterna Deployment (minimum 3 replicas)`),
  minimumReplicas('POSTGRESQL_INSTANCES', 'PostgreSQL', ['postgresql', 'cloudnativepg', 'instances'], 3, `${HA}, PostgreSQL High Availability (1 primary + 2 standbys)`),
  qdrantReplicas,
  minimumReplicas('OPAL_REPLICAS', 'OPAL server', ['opal', 'opalServer', 'replicaCount'], 2, `${HA}, OPAL Authorization Server (minimum 2)`),
  minimumReplicas('DRAGONFLY_REPLICAS', 'Dragonfly', ['dragonfly', 'replicaCount'], 2, `${HA}, Dragonfly Cache (primary + replica)`),
  podDisruptionBudget('AETERNA_PDB', 'Aeterna', ['aeterna', 'pdb'], ['aeterna', 'replicaCount'], false, `${HA}, Pod Disruption Budgets (aeterna-pdb minAvailable 2)`, 'aeterna'),
  podDisruptionBudget('QDRANT_PDB', 'Qdrant', ['qdrant', 'pdb'], ['qdrant', 'replicaCount'], true, `${HA}, Pod Disruption Budgets (qdrant-pdb minAvailable 2)`, 'qdrant'),
  podDisruptionBudget('OPAL_PDB', 'OPAL server', ['opal', 'pdb'], ['opal', 'opalServer', 'replicaCount'], false, `${HA}, OPAL Authorization Server (pdb minAvailable 1)`, 'opal'),
  postgresqlPdb,
  antiAffinity('AETERNA_ANTI_AFFINITY', { component: 'Aeterna', label: 'aeterna', affinityPath: ['aeterna', 'affinity'], required: true, topologyKeys: ['kubernetes.io/hostname'] }, `${HA}, Aeterna Deployment (required anti-affinity by hostname)`),
  antiAffinity('QDRANT_ANTI_AFFINITY', { component: 'Qdrant', label: 'qdrant', affinityPath: ['qdrant', 'affinity'], required: true, topologyKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] }, `${HA}, Qdrant Vector Database (required anti-affinity by zone; by node with a zone spread places more replicas than zones)`),
  antiAffinity('OPAL_ANTI_AFFINITY', { component: 'OPAL server', label: 'opal-server', affinityPath: ['opal', 'opalServer', 'affinity'], required: false, topologyKeys: ['kubernetes.io/hostname'] }, `${HA}, OPAL Authorization Server (preferred anti-affinity by hostname)`),
  antiAffinity('DRAGONFLY_ANTI_AFFINITY', { component: 'Dragonfly', label: 'dragonfly', affinityPath: ['dragonfly', 'affinity'], required: false, topologyKeys: ['kubernetes.io/hostname'] }, `${HA}, Dragonfly Cache (preferred anti-affinity by hostname)`),
  topologySpread,
  autoscaling,
  notAssessable('HPA_TESTED', CHECKLIST.hpa, 'Not assessable from a values file: the HPA scales under load', `${HA}, Horizontal Pod Autoscaling`),
  backups,
  notAssessable('BACKUP_RESTORE_VALIDATED', CHECKLIST.backup, 'Not assessable from a values file: a restore from backup has been carried out', `${HA}, PostgreSQL High Availability (Backup + PITR)`),
  monitoring,
  notAssessable('LOAD_TESTING', CHECKLIST.loadTesting, 'Not assessable from a values file: load tests under failure', `${HA}, Checklist for HA Deployment`),
  notAssessable('FAILOVER_TESTS', CHECKLIST.loadTesting, 'Not assessable from a values file: pod, PostgreSQL and zone failover drills', `${HA}, Testing HA Failover`),
  componentsEnabled,
  qdrantCluster,
  qdrantCollections,
  dragonflyRoles,
  postgresqlParameters,
  synchronousReplication,
  scheduling,
  autoscalers,
  hpaBehavior,
  unknownKeys,
  ...COMPONENTS.map(resourcesAtTier)
]

export const HA_CHECKLIST: readonly ChecklistItem[] = CHECKS.map(({ id, checklistItem, requirement, severity, path, seedReference }) => ({ id, checklistItem, requirement, severity, path, seedReference }))

/** seed 002, Monitoring for HA Health: the alert rules, as written. */
export const HA_ALERT_RULES = [
  { alert: 'AeternaPodsBelowMinReplicas', expr: 'kube_deployment_status_replicas_available{deployment="aeterna"} < 2', for: '5m', note: '' },
  { alert: 'PostgreSQLNotReplicating', expr: 'cnpg_replication_lag_bytes > 1000000', for: '', note: '1 MB of lag.' },
  { alert: 'QdrantClusterDegraded', expr: 'qdrant_cluster_peers_total < 3', for: '', note: '' },
  { alert: 'StorageIOPSThrottled', expr: 'rate(kubelet_volume_stats_available_bytes[5m]) < 10000000', for: '', note: 'SEED_INCONSISTENCY: this measures how fast free space changes (rate() of a gauge; deriv() is meant), not IOPS, and fires whenever free space is steady.' }
] as const

/** The largest tier whose every component's requests and limits the document meets. */
export function tierOfDocument (values: Values): TierName {
  const meets = (tier: TierName): boolean => COMPONENTS.every((component) => resourcesOutcome(component, values, tier).status === 'pass')
  return [...TIER_NAMES].reverse().find(meets) ?? 'small'
}

function finding (check: Check, outcome: Outcome, mode: ValidationMode): Finding {
  const failed = outcome.status !== 'pass'
  const severity: FindingSeverity = !failed ? check.severity : outcome.advisory === true ? 'warning' : mode === 'strict' ? 'error' : outcome.status === 'absent' ? 'warning' : outcome.lenientSeverity ?? 'error'
  return {
    id: check.id,
    checklistItem: check.checklistItem,
    seedReference: check.seedReference,
    status: outcome.status,
    severity,
    passed: !failed,
    path: outcome.path ?? check.path,
    found: outcome.found,
    expected: outcome.expected,
    message: outcome.message,
    // YAML 1.1 quoting: Helm reads values as YAML 1.1, where an unquoted on is true
    fix: failed && outcome.fix !== undefined ? stringify(outcome.fix, { version: '1.1' }) : ''
  }
}

/** The document as the chart gets it: Helm deletes a key whose value is null. */
export function withoutNulls (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (!isMapping(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([, child]) => child !== null).map(([key, child]) => [key, withoutNulls(child)]))
}

/**
 * The cluster a document is judged on when the request names none: the one GET /tiers/{tier}?ha=true
 * plans for the tier (the small tier, which cannot be HA: its own minimum).
 */
export function defaultCluster (tier: TierName): ClusterPlan {
  // the small tier cannot be HA: a document checked against the HA checklist is judged on the smallest HA cluster
  return tierWithHa(tier === 'small' ? 'medium' : tier).cluster
}

export const LENIENT_NOTICE = 'lenient mode (opt-in): a setting the document leaves out is only a warning, so ok here does not mean the file survives the loss of a node; strictOk is the HA gate\'s verdict'

/** In an upstream layout: the checks that read the seed layout's paths cannot be judged on this file. */
const SEED_LAYOUT_CHECKS = (layout: ChartLayoutName): Finding => ({
  id: 'HA_CHECKLIST_LAYOUT',
  checklistItem: CHECKLIST.layout,
  seedReference: 'seed 002 checklist, on the seed layout',
  status: 'not assessable',
  severity: 'info',
  passed: false,
  path: '(document)',
  found: `a ${chartLayoutInfo(layout).chart} values file`,
  expected: 'the seed layout for the HA checklist',
  message: `The HA checklist reads the seed layout's keys; on ${chartLayoutInfo(layout).chart} only the keys it reads and the autoscalers are judged here. Validate the seed-layout file (GET /tiers/{name}?ha=true, or an estimate's valuesFile) and translate it with ?layout=upstream-app and ?layout=upstream-prereqs: their chartLayout.notExpressible lists what the upstream charts cannot carry.`,
  fix: ''
})

function findingsOf (values: Values, context: Context, mode: ValidationMode): Finding[] {
  const checks = context.layout === 'seed' ? CHECKS : CHECKS.filter((check) => check.everyLayout === true)
  return [...(context.layout === 'seed' ? [] : [SEED_LAYOUT_CHECKS(context.layout)]), ...checks.flatMap((check) => check.evaluate === undefined
    ? [{ id: check.id, checklistItem: check.checklistItem, seedReference: check.seedReference, status: 'not assessable' as const, severity: 'info' as const, passed: false, path: check.path, found: 'not in a values file', expected: check.requirement.replace(/^Not assessable from a values file: /, ''), message: check.requirement + '.', fix: '' }]
    : check.evaluate(values, context).map((outcome) => finding(check, outcome, mode)))]
}

const blocks = (findings: Finding[]): boolean => findings.some((f) => (f.status === 'fail' || f.status === 'absent') && f.severity === 'error')

/** Every check of the document; strict (the default) is the HA gate, lenient is opt-in and says so. */
export function validateAeterna (document: Values, memoryCount?: number, mode: ValidationMode = 'strict', cluster: Partial<Cluster> = {}, layout: ChartLayoutName = 'seed'): HaValidation {
  const values = withoutNulls(document) as Values
  const tier = memoryCount === undefined ? tierOfDocument(values) : tierForMemoryCount(memoryCount)
  const planned = defaultCluster(tier)
  const judgedOn: Cluster = { nodes: cluster.nodes ?? planned.nodes, zones: cluster.zones ?? planned.zones }
  const context: Context = { tier, cluster: judgedOn, layout }
  const findings = findingsOf(values, context, mode)
  const failed = findings.filter((f) => f.status === 'fail' || f.status === 'absent')
  const strictOk = mode === 'strict' ? !blocks(findings) : !blocks(findingsOf(values, context, 'strict'))
  const given = cluster.nodes !== undefined || cluster.zones !== undefined
  return {
    ok: !blocks(findings),
    strictOk,
    mode,
    chartLayout: chartLayoutInfo(layout),
    ...(mode === 'lenient' ? { notice: LENIENT_NOTICE } : {}),
    cluster: { ...judgedOn, basis: given ? 'the request (nodes, zones; the rest from the tier\'s HA plan)' : `the HA cluster GET /tiers/${tier === 'small' ? 'medium' : tier}?ha=true plans (${planned.nodes} nodes, ${planned.zones} zones)${tier === 'small' ? ': the small tier cannot be HA' : ''}` },
    tier,
    tierBasis: memoryCount === undefined ? 'document' : 'memoryCount',
    summary: {
      errors: failed.filter((f) => f.severity === 'error').length,
      warnings: failed.filter((f) => f.severity === 'warning').length,
      passed: findings.filter((f) => f.status === 'pass').length,
      notAssessable: findings.filter((f) => f.status === 'not assessable').length
    },
    findings
  }
}

export { TIERS }
