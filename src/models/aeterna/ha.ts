// Validation of an Aeterna values document against the HA requirements of seed 002
// (002_ad5c5a84b95a0e13.txt) and the tier minimums of seed 000. Every checklist item of seed 002 is
// reported: pass, fail, absent (the document does not set it) or not assessable from a values file.
// Two modes: lenient (absent is a warning, the chart's default may supply it) and strict (absent is
// an error: a CI gate for HA tiers). A wrong setting is an error in both.
import { stringify } from 'yaml'
import { componentResources, replicaCount } from './resources.js'
import { COMPONENTS, TIERS, TIER_NAMES, type TierName, tierForMemoryCount, tierValues, valueAt } from './tiers.js'
import { haOverlay, knownLayout, type LayoutNode } from './values-files.js'

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
  mode: ValidationMode
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
}

interface Check {
  id: string
  checklistItem: string
  requirement: string
  path: string
  seedReference: string
  severity: FindingSeverity
  evaluate?: (values: Values, tier: TierName) => Outcome[]
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

function podDisruptionBudget (id: string, component: string, pdbPath: string[], replicasPath: string[], quorum: boolean, reference: string): Check {
  const path = dotted(pdbPath)
  return {
    id,
    checklistItem: CHECKLIST.pdb,
    requirement: `${component} has an enabled PodDisruptionBudget that allows at least one eviction` + (quorum ? ' and keeps a Raft majority' : ' and keeps at least one pod'),
    severity: 'error',
    path,
    seedReference: reference,
    evaluate: (values) => {
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
      const found = `${budget.desiredHealthy} of ${replicas} kept, ${budget.allowedDisruptions} eviction(s) allowed`
      if (budget.allowedDisruptions < 1) return [fail(found, expected, `${component}: the budget keeps all ${replicas} replica(s): no pod can ever be evicted, so node drains and upgrades block.`, fix)]
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

/**
 * Whether a labelSelector selects the component's pods, labelled app.kubernetes.io/name=<name>: every
 * matchLabels entry and every matchExpressions requirement must hold (Kubernetes ANDs them). Labels
 * other than app.kubernetes.io/name are not known to be on the pods, so a selector needing them fails.
 */
export function selects (selector: unknown, name: string): boolean {
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return false
  const labels: Record<string, string> = { 'app.kubernetes.io/name': name }
  const matchLabels = valueAt(selector, ['matchLabels'])
  const expressions = valueAt(selector, ['matchExpressions'])
  const labelsHold = matchLabels === undefined || (typeof matchLabels === 'object' && matchLabels !== null && !Array.isArray(matchLabels) &&
    Object.entries(matchLabels).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value))
  const requirementHolds = (expression: unknown): boolean => {
    const key = valueAt(expression, ['key'])
    const operator = valueAt(expression, ['operator'])
    const list = valueAt(expression, ['values'])
    const has = typeof key === 'string' && Object.hasOwn(labels, key)
    const inList = has && Array.isArray(list) && list.includes(labels[key])
    if (operator === 'In') return inList
    if (operator === 'NotIn') return !inList
    if (operator === 'Exists') return has
    return operator === 'DoesNotExist' && !has
  }
  const expressionsHold = expressions === undefined || (Array.isArray(expressions) && expressions.every(requirementHolds))
  return (matchLabels !== undefined || expressions !== undefined) && labelsHold && expressionsHold
}

interface AntiAffinityRule { component: string, label: string, affinityPath: string[], required: boolean, topologyKey: string }

function antiAffinity (id: string, rule: AntiAffinityRule, reference: string): Check {
  const path = dotted([...rule.affinityPath, 'podAntiAffinity'])
  const kind = rule.required ? 'required' : 'required or preferred'
  const expected = `${kind} anti-affinity by ${rule.topologyKey}, selecting app.kubernetes.io/name=${rule.label}`
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
      const good = terms.find(({ term }) => valueAt(term, ['topologyKey']) === rule.topologyKey && selects(valueAt(term, ['labelSelector']), rule.label))
      const perZone = good?.required === true && rule.topologyKey === 'topology.kubernetes.io/zone'
        ? ` Required by zone places at most one pod per zone: its ${replicaCount(values, [rule.affinityPath[0], 'replicaCount']).replicas} replicas need as many availability zones (seed 002 asks for 2+).`
        : ''
      if (good !== undefined) return [pass(`${good.required ? 'required' : 'preferred'} by ${rule.topologyKey}`, expected, `${rule.component}: ${good.required ? 'required' : 'preferred'} anti-affinity by ${rule.topologyKey}.${perZone}`)]
      const found = terms.length === 0
        ? (Array.isArray(preferredTerms) && preferredTerms.length > 0 ? 'preferred terms only' : 'no terms')
        : terms.map(({ term, required }) => `${required ? 'required' : 'preferred'} by ${show(valueAt(term, ['topologyKey']))} selecting ${show(valueAt(term, ['labelSelector']))}`).join('; ')
      const why = terms.length === 0 && Array.isArray(preferredTerms) && preferredTerms.length > 0
        ? `only preferred terms: the scheduler may still put ${rule.component} replicas together; seed 002 requires requiredDuringSchedulingIgnoredDuringExecution`
        : terms.length === 0 ? 'no anti-affinity term' : `no term both keys on ${rule.topologyKey} and selects ${rule.component}'s own pods (app.kubernetes.io/name=${rule.label})`
      return [fail(found, expected, `${path}: ${why}.`, fix, severity)]
    }
  }
}

const SPREAD_PATHS = [['aeterna', 'affinity', 'podTopologySpread'], ['aeterna', 'topologySpreadConstraints']]
const topologySpread: Check = {
  id: 'AETERNA_TOPOLOGY_SPREAD',
  checklistItem: CHECKLIST.spread,
  requirement: 'Aeterna pods spread across zones: maxSkew 1, DoNotSchedule, selecting Aeterna',
  severity: 'error',
  path: 'aeterna.affinity.podTopologySpread',
  seedReference: `${HA}, Topology Spread Constraints`,
  evaluate: (values) => {
    const where = SPREAD_PATHS.find((path) => valueAt(values, path) !== undefined)
    const expected = 'a constraint with topologyKey topology.kubernetes.io/zone, maxSkew 1, whenUnsatisfiable DoNotSchedule, selecting app.kubernetes.io/name=aeterna'
    const fix = nested(SPREAD_PATHS[0], overlayAt(SPREAD_PATHS[0]))
    if (where === undefined) return [absent('aeterna.affinity.podTopologySpread (or aeterna.topologySpreadConstraints)', expected, fix)]
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
const synchronousReplication: Check = {
  id: 'POSTGRESQL_SYNC_REPLICATION',
  checklistItem: CHECKLIST.components,
  requirement: 'PostgreSQL commits synchronously to a number of standbys that one standby\'s failure does not stall',
  severity: 'error',
  path: 'postgresql.cloudnativepg.postgresql',
  seedReference: `${HA}, PostgreSQL High Availability (synchronous_commit "on", synchronous standbys)`,
  evaluate: (values) => {
    const settingsPath = ['postgresql', 'cloudnativepg', 'postgresql']
    const settings = valueAt(values, settingsPath)
    const fix = nested(settingsPath, overlayAt(settingsPath))
    const commit = valueAt(settings, ['synchronous_commit']) ?? 'on' // PostgreSQL's default
    const standbyNames = valueAt(settings, ['synchronous_standby_names'])
    const instanceCount = replicaCount(values, ['postgresql', 'cloudnativepg', 'instances'])
    // with no instance count stated, the seed's 3 (1 primary + 2 standbys) is assumed
    const instances = instanceCount.stated ? instanceCount.replicas : 3
    const standbys = Math.max(0, instances - 1)
    const expected = `synchronous_commit on/remote_apply/remote_write; synchronous_standby_names waiting for k standbys, 1 <= k <= ${Math.max(1, standbys - 1)} of the ${standbys} (so one standby may fail)`
    if (standbyNames === undefined) return [absent('postgresql.cloudnativepg.postgresql.synchronous_standby_names', expected, fix)]
    if (!SYNC_COMMIT_VALUES.includes(String(commit).toLowerCase())) return [fail(`synchronous_commit ${show(commit)}`, expected, `synchronous_commit is ${show(commit)}: a commit can return before any standby has it, and a failover can lose it.`, fix)]
    if (typeof standbyNames !== 'string') return [fail(`synchronous_standby_names ${show(standbyNames)}`, expected, `synchronous_standby_names is ${show(standbyNames)}: PostgreSQL takes a string such as "ANY 1 (standby1, standby2)".`, fix)]
    if (standbyNames.trim() === '') return [fail('synchronous_standby_names ""', expected, 'synchronous_standby_names is empty: with no synchronous standby, commits are not replicated before they return.', fix)]
    const parsed = parseStandbyNames(standbyNames)
    if (parsed === undefined) return [fail(show(standbyNames), expected, `synchronous_standby_names ${show(standbyNames)} is not ANY k (...), FIRST k (...), k (...) or a list of names.`, fix)]
    const candidates = Math.min(parsed.names.includes('*') ? standbys : parsed.names.length, standbys)
    const found = `${parsed.method} ${parsed.count} of ${parsed.names.length} name(s), ${standbys} standby(s) (${instances} instances)`
    const seedNote = standbyNames.trim() === SEED_STANDBY_NAMES ? ' SEED_INCONSISTENCY: this is seed 002\'s own setting, which with its 3 instances waits for both standbys; use "ANY 1 (standby1, standby2)".' : ''
    if (parsed.count < 1) return [fail(found, expected, `synchronous_standby_names waits for ${parsed.count} standbys: commits are not synchronous.`, fix)]
    if (parsed.count > candidates) return [fail(found, expected, `synchronous_standby_names waits for ${parsed.count} standby(s) but only ${candidates} can answer: no commit can ever complete.${seedNote}`, fix)]
    if (parsed.count >= candidates) return [fail(found, expected, `Every commit waits for all ${candidates} named standby(s): one standby down stalls all writes.${seedNote}`, fix)]
    return [pass(found, expected, `synchronous_commit ${String(commit)}; commits wait for ${parsed.count} of ${candidates} standbys, so ${candidates - parsed.count} may fail.`)]
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
    const where = [['autoscaling'], ['aeterna', 'autoscaling']].find((path) => valueAt(values, path) !== undefined)
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
    evaluate: (values, tier) => [resourcesOutcome(component, values, tier)]
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
  seedReference: 'seed 000 values files and seed 002 settings: the chart layout the validator knows',
  evaluate: (values) => {
    const unknown = unknownPaths(values)
    if (unknown.length === 0) return [pass('every key known', 'only keys the chart reads', 'Every key is one the chart reads.')]
    return unknown.map((path) => {
      const misplacedResources = path.length === 1 && path[0] === 'resources'
      const hint = misplacedResources
        ? ' It belongs under aeterna.resources: seed 002\'s HA example puts the app\'s resources at the top level, where the chart does not read them.'
        : ' Values written for another chart layout do nothing here.'
      // null deletes a key when Helm merges values; the app's resources move under aeterna
      const fix = misplacedResources ? { resources: null, aeterna: { resources: valueAt(values, ['resources']) } } : nested(path, null)
      return { ...fail(dotted(path), 'a key the chart reads', `${dotted(path)} is not read by the chart: ignored.${hint}`, fix, 'warning'), path: dotted(path) }
    })
  }
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
  podDisruptionBudget('AETERNA_PDB', 'Aeterna', ['aeterna', 'pdb'], ['aeterna', 'replicaCount'], false, `${HA}, Pod Disruption Budgets (aeterna-pdb minAvailable 2)`),
  podDisruptionBudget('QDRANT_PDB', 'Qdrant', ['qdrant', 'pdb'], ['qdrant', 'replicaCount'], true, `${HA}, Pod Disruption Budgets (qdrant-pdb minAvailable 2)`),
  podDisruptionBudget('OPAL_PDB', 'OPAL server', ['opal', 'pdb'], ['opal', 'opalServer', 'replicaCount'], false, `${HA}, OPAL Authorization Server (pdb minAvailable 1)`),
  postgresqlPdb,
  antiAffinity('AETERNA_ANTI_AFFINITY', { component: 'Aeterna', label: 'aeterna', affinityPath: ['aeterna', 'affinity'], required: true, topologyKey: 'kubernetes.io/hostname' }, `${HA}, Aeterna Deployment (required anti-affinity by hostname)`),
  antiAffinity('QDRANT_ANTI_AFFINITY', { component: 'Qdrant', label: 'qdrant', affinityPath: ['qdrant', 'affinity'], required: true, topologyKey: 'topology.kubernetes.io/zone' }, `${HA}, Qdrant Vector Database (required anti-affinity by zone)`),
  antiAffinity('OPAL_ANTI_AFFINITY', { component: 'OPAL server', label: 'opal-server', affinityPath: ['opal', 'opalServer', 'affinity'], required: false, topologyKey: 'kubernetes.io/hostname' }, `${HA}, OPAL Authorization Server (preferred anti-affinity by hostname)`),
  antiAffinity('DRAGONFLY_ANTI_AFFINITY', { component: 'Dragonfly', label: 'dragonfly', affinityPath: ['dragonfly', 'affinity'], required: false, topologyKey: 'kubernetes.io/hostname' }, `${HA}, Dragonfly Cache (preferred anti-affinity by hostname)`),
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
  synchronousReplication,
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
  const severity: FindingSeverity = !failed ? check.severity : mode === 'strict' ? 'error' : outcome.status === 'absent' ? 'warning' : outcome.lenientSeverity ?? 'error'
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

export function validateAeterna (document: Values, memoryCount?: number, mode: ValidationMode = 'lenient'): HaValidation {
  const values = withoutNulls(document) as Values
  const tier = memoryCount === undefined ? tierOfDocument(values) : tierForMemoryCount(memoryCount)
  const findings = CHECKS.flatMap((check) => check.evaluate === undefined
    ? [{ id: check.id, checklistItem: check.checklistItem, seedReference: check.seedReference, status: 'not assessable' as const, severity: 'info' as const, passed: false, path: check.path, found: 'not in a values file', expected: check.requirement.replace(/^Not assessable from a values file: /, ''), message: check.requirement + '.', fix: '' }]
    : check.evaluate(values, tier).map((outcome) => finding(check, outcome, mode)))
  const failed = findings.filter((f) => f.status === 'fail' || f.status === 'absent')
  return {
    ok: !failed.some((f) => f.severity === 'error'),
    mode,
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
