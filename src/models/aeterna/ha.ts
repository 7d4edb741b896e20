// Validation of an Aeterna values document against the HA requirements of seed 002
// (002_ad5c5a84b95a0e13.txt) and the tier minimums of seed 000. One finding per checklist item.
// A setting the document does not contain cannot be verified here (the chart's default applies):
// that is a warning; a setting that is present and wrong is an error.
import { componentResources, replicaCount } from './resources.js'
import { COMPONENTS, TIERS, TIER_NAMES, type TierName, tierForMemoryCount, tierValues, valueAt } from './tiers.js'

export type FindingSeverity = 'error' | 'warning' | 'info'

export interface Finding {
  id: string
  severity: FindingSeverity
  passed: boolean
  path: string
  message: string
  seedReference: string
}

export interface ChecklistItem { id: string, requirement: string, severity: FindingSeverity, path: string, seedReference: string }

export interface HaValidation {
  ok: boolean
  tier: TierName
  tierBasis: 'memoryCount' | 'document'
  summary: { errors: number, warnings: number, passed: number }
  findings: Finding[]
}

const HA = 'seed 002'
type Values = Record<string, unknown>
type Outcome = Omit<Finding, 'id' | 'path' | 'seedReference'>

interface Check extends ChecklistItem { evaluate: (values: Values, tier: TierName) => Outcome }

const pass = (message: string, severity: FindingSeverity = 'error'): Outcome => ({ severity, passed: true, message })
const fail = (message: string, severity: FindingSeverity = 'error'): Outcome => ({ severity, passed: false, message })
const notSet = (path: string, requirement: string): Outcome =>
  fail(`${path} is not set in this document, so the chart's default applies and cannot be verified here; seed 002 requires: ${requirement}.`, 'warning')
const dotted = (path: readonly string[]): string => path.join('.')

function minimumReplicas (id: string, component: string, path: string[], minimum: number, reference: string): Check {
  return {
    id,
    requirement: `${component} runs at least ${minimum} replicas`,
    severity: 'error',
    path: dotted(path),
    seedReference: reference,
    evaluate: (values) => {
      const { replicas, stated } = replicaCount(values, path)
      const shown = stated ? `${replicas} replica(s)` : 'replica count not set (Kubernetes runs 1)'
      return replicas >= minimum ? pass(`${component}: ${replicas} replicas (at least ${minimum}).`) : fail(`${component}: ${shown}; at least ${minimum} are required for HA.`)
    }
  }
}

const qdrantReplicas: Check = {
  id: 'QDRANT_REPLICAS',
  requirement: 'Qdrant runs an odd number of at least 3 replicas (Raft majority)',
  severity: 'error',
  path: 'qdrant.replicaCount',
  seedReference: `${HA}, Qdrant Vector Database (Raft: 3 replicas tolerate 1 failure)`,
  evaluate: (values) => {
    const { replicas } = replicaCount(values, ['qdrant', 'replicaCount'])
    const tolerated = Math.max(0, Math.floor((replicas - 1) / 2))
    if (replicas < 3) return fail(`Qdrant: ${replicas} replica(s) tolerate ${tolerated} failures; Raft needs at least 3.`)
    if (replicas % 2 === 0) return fail(`Qdrant: ${replicas} replicas tolerate ${tolerated} failure(s), no more than ${replicas - 1}; use an odd count for Raft.`)
    return pass(`Qdrant: ${replicas} replicas tolerate ${tolerated} failure(s).`)
  }
}

function podDisruptionBudget (id: string, component: string, pdbPath: string[], replicasPath: string[], reference: string): Check {
  const path = dotted(pdbPath)
  return {
    id,
    requirement: `${component} has a PodDisruptionBudget with 1 <= minAvailable < replicas`,
    severity: 'error',
    path,
    seedReference: reference,
    evaluate: (values) => {
      const pdb = valueAt(values, pdbPath)
      if (pdb === undefined) return notSet(path, 'a PDB with minAvailable below the replica count')
      const { replicas } = replicaCount(values, replicasPath)
      const enabled = valueAt(pdb, ['enabled'])
      const minAvailable = valueAt(pdb, ['minAvailable'])
      if (enabled !== true) return fail(`${path}.enabled is ${String(enabled)}: no disruption budget protects ${component}.`)
      if (typeof minAvailable !== 'number' || !Number.isInteger(minAvailable) || minAvailable < 1) return fail(`${path}.minAvailable must be a whole number of at least 1 (is ${String(minAvailable)}).`)
      if (minAvailable >= replicas) return fail(`${path}.minAvailable ${minAvailable} is not below the ${replicas} replicas: no pod could ever be evicted, so node drains block.`)
      return pass(`${component}: minAvailable ${minAvailable} of ${replicas} allows ${replicas - minAvailable} disruption(s).`)
    }
  }
}

function antiAffinity (id: string, component: string, affinityPath: string[], reference: string, severity: FindingSeverity): Check {
  const path = dotted([...affinityPath, 'podAntiAffinity'])
  return {
    id,
    requirement: `${component} spreads replicas with pod anti-affinity`,
    severity,
    path,
    seedReference: reference,
    evaluate: (values) => {
      const rule = valueAt(values, [...affinityPath, 'podAntiAffinity'])
      if (rule === undefined) return notSet(path, 'pod anti-affinity')
      const terms = ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution']
        .map((key) => valueAt(rule, [key])).filter((term) => Array.isArray(term) && term.length > 0)
      return terms.length > 0 ? pass(`${component}: pod anti-affinity is set.`, severity) : fail(`${path} has no required or preferred terms.`, severity)
    }
  }
}

const topologySpread: Check = {
  id: 'AETERNA_TOPOLOGY_SPREAD',
  requirement: 'Aeterna pods spread across zones (topology.kubernetes.io/zone)',
  severity: 'error',
  path: 'aeterna.affinity.podTopologySpread',
  seedReference: `${HA}, Topology Spread Constraints`,
  evaluate: (values) => {
    const constraints = valueAt(values, ['aeterna', 'affinity', 'podTopologySpread']) ?? valueAt(values, ['aeterna', 'topologySpreadConstraints'])
    if (constraints === undefined) return notSet('aeterna.affinity.podTopologySpread (or aeterna.topologySpreadConstraints)', 'a zone topology spread constraint')
    const zoneSpread = Array.isArray(constraints) && constraints.some((c) => valueAt(c, ['topologyKey']) === 'topology.kubernetes.io/zone')
    return zoneSpread ? pass('Aeterna: spread across zones.') : fail('No constraint has topologyKey topology.kubernetes.io/zone: a zone failure can take every replica.')
  }
}

const SYNC_COMMIT_VALUES = ['on', 'remote_apply', 'remote_write']
const synchronousReplication: Check = {
  id: 'POSTGRESQL_SYNC_REPLICATION',
  requirement: 'PostgreSQL commits synchronously to standbys',
  severity: 'error',
  path: 'postgresql.cloudnativepg.postgresql.synchronous_commit',
  seedReference: `${HA}, PostgreSQL High Availability (synchronous_commit "on", ANY 2 standbys)`,
  evaluate: (values) => {
    const settings = valueAt(values, ['postgresql', 'cloudnativepg', 'postgresql'])
    const commit = valueAt(settings, ['synchronous_commit'])
    if (commit === undefined) return notSet('postgresql.cloudnativepg.postgresql.synchronous_commit', 'synchronous_commit "on" with synchronous standbys')
    if (!SYNC_COMMIT_VALUES.includes(String(commit))) return fail(`synchronous_commit is ${String(commit)}: a failover can lose committed transactions.`)
    const standbys = valueAt(settings, ['synchronous_standby_names'])
    return typeof standbys === 'string' && standbys.trim() !== ''
      ? pass(`synchronous_commit ${String(commit)} with standbys ${standbys}.`)
      : fail('synchronous_standby_names is empty: with no synchronous standby, commits are not replicated before they return.')
  }
}

const backups: Check = {
  id: 'POSTGRESQL_BACKUP',
  requirement: 'PostgreSQL backups (and PITR) are enabled',
  severity: 'error',
  path: 'postgresql.cloudnativepg.backup.enabled',
  seedReference: `${HA}, PostgreSQL High Availability (Backup + PITR, daily at 2 AM UTC)`,
  evaluate: (values) => {
    const enabled = valueAt(values, ['postgresql', 'cloudnativepg', 'backup', 'enabled'])
    if (enabled === undefined) return notSet('postgresql.cloudnativepg.backup.enabled', 'scheduled backups with point-in-time recovery')
    return enabled === true ? pass(`Backups enabled (schedule ${String(valueAt(values, ['postgresql', 'cloudnativepg', 'backup', 'schedule']) ?? 'not set')}).`) : fail('Backups are disabled: a lost volume cannot be restored.')
  }
}

const REPLICATED = /replicat|regional/i
const replicatedStorage: Check = {
  id: 'REPLICATED_STORAGE',
  requirement: 'PostgreSQL and Qdrant volumes use a replicated storage class',
  severity: 'warning',
  path: 'postgresql.cloudnativepg.storage.storageClass, qdrant.persistence.storageClass',
  seedReference: `${HA}, Storage High Availability (e.g. gp3-replicated, regional pd-ssd)`,
  evaluate: (values) => {
    const classes = [['postgresql', 'cloudnativepg', 'storage', 'storageClass'], ['qdrant', 'persistence', 'storageClass']]
      .map((path) => ({ path: dotted(path), storageClass: valueAt(values, path) }))
    const missing = classes.filter((c) => c.storageClass === undefined).map((c) => c.path)
    if (missing.length > 0) return notSet(missing.join(', '), 'a storage class that replicates volumes')
    const unclear = classes.filter((c) => !REPLICATED.test(String(c.storageClass)))
    return unclear.length === 0
      ? pass(`Storage classes ${classes.map((c) => String(c.storageClass)).join(', ')} replicate.`, 'warning')
      : fail(`Cannot tell that ${unclear.map((c) => `${c.path} = ${String(c.storageClass)}`).join(', ')} replicates: check the StorageClass has replication enabled.`, 'warning')
  }
}

const autoscalingMinimum: Check = {
  id: 'AUTOSCALING_MIN_REPLICAS',
  requirement: 'Autoscaling is enabled with minReplicas >= 3',
  severity: 'error',
  path: 'autoscaling.minReplicas',
  seedReference: `${HA}, Horizontal Pod Autoscaling (minReplicas 3, maxReplicas 10)`,
  evaluate: (values) => {
    const autoscaling = valueAt(values, ['autoscaling']) ?? valueAt(values, ['aeterna', 'autoscaling'])
    if (autoscaling === undefined) return notSet('autoscaling (or aeterna.autoscaling)', 'an HPA with minReplicas >= 3')
    if (valueAt(autoscaling, ['enabled']) !== true) return fail('Autoscaling is not enabled.')
    const minimum = valueAt(autoscaling, ['minReplicas'])
    const maximum = valueAt(autoscaling, ['maxReplicas'])
    if (typeof minimum !== 'number' || minimum < 3) return fail(`autoscaling.minReplicas is ${String(minimum)}: the HPA could scale below the 3 replicas HA needs.`)
    if (typeof maximum === 'number' && maximum < minimum) return fail(`autoscaling.maxReplicas ${maximum} is below minReplicas ${minimum}.`)
    return pass(`Autoscaling from ${minimum} to ${String(maximum)} replicas.`)
  }
}

function resourcesAtTier (component: (typeof COMPONENTS)[number]): Check {
  const path = dotted(component.resourcesPath)
  return {
    id: `${component.name.toUpperCase()}_RESOURCES`,
    requirement: `${component.name} requests and limits are at least the tier's`,
    severity: 'error',
    path,
    seedReference: 'seed 000, Component Resource Requests and Limits',
    evaluate: (values, tier) => {
      const needed = componentResources(tierValues(tier)).find((c) => c.component === component.name)!
      const actual = componentResources(values).find((c) => c.component === component.name)!
      const short = (['requests', 'limits'] as const).flatMap((kind) => (['cpuCores', 'memoryGiB'] as const)
        .filter((figure) => actual[kind][figure] < needed[kind][figure])
        .map((figure) => `${kind}.${figure === 'cpuCores' ? 'cpu' : 'memory'} ${actual[kind][figure]} < ${needed[kind][figure]} ${figure === 'cpuCores' ? 'cores' : 'GiB'}`))
      return short.length === 0
        ? pass(`${component.name}: at or above the ${tier} tier.`)
        : fail(`${component.name} is below the ${tier} tier: ${short.join(', ')}.`)
    }
  }
}

const CHECKS: readonly Check[] = [
  minimumReplicas('AETERNA_REPLICAS', 'Aeterna', ['aeterna', 'replicaCount'], 3, `${HA}, Aeterna Deployment (minimum 3 replicas)`),
  minimumReplicas('POSTGRESQL_INSTANCES', 'PostgreSQL', ['postgresql', 'cloudnativepg', 'instances'], 3, `${HA}, PostgreSQL High Availability (1 primary + 2 standbys)`),
  qdrantReplicas,
  minimumReplicas('OPAL_REPLICAS', 'OPAL server', ['opal', 'opalServer', 'replicaCount'], 2, `${HA}, OPAL Authorization Server (minimum 2)`),
  minimumReplicas('DRAGONFLY_REPLICAS', 'Dragonfly', ['dragonfly', 'replicaCount'], 2, `${HA}, Dragonfly Cache (primary + replica)`),
  podDisruptionBudget('AETERNA_PDB', 'Aeterna', ['aeterna', 'pdb'], ['aeterna', 'replicaCount'], `${HA}, Pod Disruption Budgets (aeterna-pdb minAvailable 2)`),
  podDisruptionBudget('QDRANT_PDB', 'Qdrant', ['qdrant', 'pdb'], ['qdrant', 'replicaCount'], `${HA}, Pod Disruption Budgets (qdrant-pdb minAvailable 2)`),
  podDisruptionBudget('OPAL_PDB', 'OPAL server', ['opal', 'pdb'], ['opal', 'opalServer', 'replicaCount'], `${HA}, OPAL Authorization Server (pdb minAvailable 1)`),
  antiAffinity('AETERNA_ANTI_AFFINITY', 'Aeterna', ['aeterna', 'affinity'], `${HA}, Aeterna Deployment (required anti-affinity by hostname)`, 'error'),
  antiAffinity('QDRANT_ANTI_AFFINITY', 'Qdrant', ['qdrant', 'affinity'], `${HA}, Qdrant Vector Database (required anti-affinity by zone)`, 'error'),
  antiAffinity('OPAL_ANTI_AFFINITY', 'OPAL server', ['opal', 'opalServer', 'affinity'], `${HA}, OPAL Authorization Server (preferred anti-affinity)`, 'warning'),
  antiAffinity('DRAGONFLY_ANTI_AFFINITY', 'Dragonfly', ['dragonfly', 'affinity'], `${HA}, Dragonfly Cache (preferred anti-affinity)`, 'warning'),
  topologySpread,
  synchronousReplication,
  backups,
  replicatedStorage,
  autoscalingMinimum,
  ...COMPONENTS.map(resourcesAtTier)
]

export const HA_CHECKLIST: readonly ChecklistItem[] = CHECKS.map(({ id, requirement, severity, path, seedReference }) => ({ id, requirement, severity, path, seedReference }))

/** seed 002, Monitoring for HA Health: the alert rules, as written. */
export const HA_ALERT_RULES = [
  { alert: 'AeternaPodsBelowMinReplicas', expr: 'kube_deployment_status_replicas_available{deployment="aeterna"} < 2', for: '5m', note: '' },
  { alert: 'PostgreSQLNotReplicating', expr: 'cnpg_replication_lag_bytes > 1000000', for: '', note: '1 MB of lag.' },
  { alert: 'QdrantClusterDegraded', expr: 'qdrant_cluster_peers_total < 3', for: '', note: '' },
  { alert: 'StorageIOPSThrottled', expr: 'rate(kubelet_volume_stats_available_bytes[5m]) < 10000000', for: '', note: 'SEED_INCONSISTENCY: this measures how fast free space changes (rate() of a gauge; deriv() is meant), not IOPS, and fires whenever free space is steady.' }
] as const

/** The largest tier whose every component's requests and limits the document meets. */
export function tierOfDocument (values: Values): TierName {
  const meets = (tier: TierName): boolean => COMPONENTS.every((component) => resourcesAtTier(component).evaluate(values, tier).passed)
  return [...TIER_NAMES].reverse().find(meets) ?? 'small'
}

export function validateAeterna (values: Values, memoryCount?: number): HaValidation {
  const tier = memoryCount === undefined ? tierOfDocument(values) : tierForMemoryCount(memoryCount)
  const findings = CHECKS.map(({ id, path, seedReference, evaluate }) => ({ id, path, seedReference, ...evaluate(values, tier) }))
  const failed = findings.filter((f) => !f.passed)
  return {
    ok: !failed.some((f) => f.severity === 'error'),
    tier,
    tierBasis: memoryCount === undefined ? 'document' : 'memoryCount',
    summary: { errors: failed.filter((f) => f.severity === 'error').length, warnings: failed.filter((f) => f.severity === 'warning').length, passed: findings.length - failed.length },
    findings
  }
}

export { TIERS }
