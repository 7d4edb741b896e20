// Seed 002's HA settings merged over a tier's values file (GET /tiers/{name}?ha=true), and the
// differences between two values documents, path by path.
import { stringify } from 'yaml'
import { replicaCount } from './resources.js'
import { type TierName, TIERS, tierValues, valueAt } from './tiers.js'
import { haOverlay } from './values-files.js'
import { type ClusterPlan, HA_ZONES, clusterFor } from './topology.js'

type Values = Record<string, unknown>

const isMapping = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Helm's merge of values files: mappings merge key by key, anything else (lists too) is replaced. */
export function mergeValues (base: Values, overlay: Values): Values {
  const merged: Values = { ...base }
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = isMapping(merged[key]) && isMapping(value) ? mergeValues(merged[key] as Values, value) : value
  }
  return merged
}

/** from is left out where the path was not set, to where it is removed. */
export interface ValuesChange { path: string, from?: unknown, to?: unknown, reason: string }

/** Every leaf (or list) whose value differs between two documents. */
export function valuesChanges (before: unknown, after: unknown, reason: (path: string) => string, prefix: string[] = []): ValuesChange[] {
  // a mapping added or removed is listed leaf by leaf
  if ((isMapping(before) || before === undefined) && (isMapping(after) || after === undefined) && (isMapping(before) || isMapping(after))) {
    const from = (before ?? {}) as Values
    const to = (after ?? {}) as Values
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    return keys.flatMap((key) => valuesChanges(from[key], to[key], reason, [...prefix, key]))
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  const path = prefix.join('.')
  return [{ path, ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }), reason: reason(path) }]
}

export const SMALL_NOT_HA = 'the small tier cannot be highly available: seed 000 sizes it for 1-2 nodes in one zone with single replicas, and seed 002 needs 3+ nodes across 2+ zones with 3 Aeterna, PostgreSQL and Qdrant replicas. Use the medium tier: GET /tiers/medium?ha=true'

export interface HaTier { values: Values, text: string, changes: ValuesChange[], cluster: ClusterPlan }

/** Seed 002's "ANY 2": CloudNativePG's synchronous.number, at most the standbys less one so one standby may fail. */
export const SEED_SYNCHRONOUS_STANDBYS = 2

/** Synchronous standbys a commit waits for: seed 002's 2 where one standby can still fail, else the most that allows it. */
export function synchronousStandbys (instances: number): number {
  return Math.max(1, Math.min(SEED_SYNCHRONOUS_STANDBYS, instances - 2))
}

/** seed 002: "3-way replication within cluster" (its persistence.replicas: 3, a key nothing reads). */
export const SEED_QDRANT_COPIES = 3

export interface QdrantReplication { replicationFactor: number, writeConsistencyFactor: number, peersPerZone: number, zoneSafe: boolean }

/**
 * Qdrant collection replication: seed 002's 3 copies of every shard (fewer only with fewer peers).
 * With the peers spread evenly a zone holds up to ceil(peers / zones) of them; Qdrant does not place
 * copies by zone, so a zone loss is survived for certain only when the copies outnumber that
 * (zoneSafe), and writes must not wait for the copies a zone (or, short of that, a node) takes.
 */
export function qdrantReplication (peers: number, zones: number): QdrantReplication {
  const peersPerZone = Math.ceil(peers / Math.max(1, zones))
  const replicationFactor = Math.max(1, Math.min(peers, SEED_QDRANT_COPIES))
  const zoneSafe = replicationFactor > peersPerZone
  const lost = zoneSafe ? peersPerZone : 1
  return { replicationFactor, writeConsistencyFactor: Math.max(1, replicationFactor - lost), peersPerZone, zoneSafe }
}

const SYNC_REASON = (instances: number, number: number): string =>
  `CloudNativePG's synchronous stanza (method any, number ${number}, dataDurability required): commits wait for ${number} of the ${instances - 1} standbys, so ${instances - 1 - number} may fail without stalling writes. ` +
  'Seed 002 sets synchronous_standby_names "ANY 2 (standby1, standby2)" (SEED_INCONSISTENCY): CloudNativePG manages that parameter itself and its webhook rejects it, the names match no instance (CloudNativePG names them <cluster>-1..N), ' +
  `and ANY 2 with 3 instances would wait for both standbys${number === SEED_SYNCHRONOUS_STANDBYS ? '; with these instances the seed\'s 2 is kept' : ''}`

function haReason (name: Exclude<TierName, 'small'>, path: string, facts: { replicas: number, majority: number, instances: number, number: number, cluster: ClusterPlan, replication: ReturnType<typeof qdrantReplication> }): string {
  const hpa = TIERS[name].autoscaling
  if (path === 'qdrant.pdb.minAvailable') return `seed 002's PDB, kept at the Raft majority of ${facts.replicas} Qdrant replicas (${facts.majority})`
  if (path.startsWith('postgresql.cloudnativepg.postgresql.synchronous')) return SYNC_REASON(facts.instances, facts.number)
  if (path === 'postgresql.cloudnativepg.postgresql.parameters.synchronous_commit') return 'seed 002\'s synchronous_commit "on", under parameters, where CloudNativePG reads PostgreSQL settings (seed 002 puts it beside them)'
  if (path === 'autoscaling.maxReplicas') return `seed 000's autoscaling maximum for the ${name} tier (${hpa.maxReplicas}) capped at the tier's largest cluster (${TIERS[name].infrastructure.typicalNodes.max!} nodes): Aeterna's required anti-affinity places one pod per node, so more pods than nodes stay Pending`
  if (path === 'autoscaling.minReplicas') return `seed 000's autoscaling minimum for the ${name} tier (${hpa.minReplicas}), at least seed 002's 3`
  if (path.startsWith('autoscaling.behavior')) return 'the HPA\'s scaling behaviour, stated: Kubernetes\' defaults (scale up at once by up to 4 pods or 100% per 15 s; scale down after a 300 s window)'
  if (path.startsWith('qdrant.config.storage.collection')) {
    return `Qdrant collections replicated ${facts.replication.replicationFactor} times, writes acknowledged by ${facts.replication.writeConsistencyFactor}: Raft replicates only metadata, and with ${facts.replicas} peers over ${facts.cluster.zones} zones a zone holds up to ${facts.replication.peersPerZone}, so every shard keeps a copy through a node or zone loss (Qdrant's default replication_factor is 1)`
  }
  if (path.startsWith('qdrant.affinity')) return `one Qdrant pod per node (seed 002 asks for one per zone, which places at most ${facts.cluster.zones} of ${facts.replicas} replicas in ${facts.cluster.zones} zones: SEED_INCONSISTENCY)`
  if (path.startsWith('qdrant.topologySpreadConstraints')) return `Qdrant spread evenly over the zones (maxSkew 1), so a zone holds at most ${facts.replication.peersPerZone} of ${facts.replicas} peers and a zone loss keeps the Raft majority`
  if (path.startsWith('aeterna.topologySpreadConstraints')) return 'seed 002\'s zone spread, as a topologySpreadConstraints list: seed 002 writes it as affinity.podTopologySpread, which is not a Kubernetes field (the API server drops it)'
  return `seed 002's HA setting (${TIERS[name].name} tier + values-ha-overlay.yaml)`
}

const haTiers = new Map<TierName, HaTier>()

/**
 * tierWithHa's answer computed once per tier and kept, for callers that only read it (as the values
 * files are kept): an HA estimate shares its blocks. Building it (its YAML above all) was nine tenths
 * of an HA estimate, 1.4 ms of each sweep point.
 */
export function sharedTierWithHa (name: Exclude<TierName, 'small'>): HaTier {
  const known = haTiers.get(name)
  if (known !== undefined) return known
  const haTier = tierWithHa(name)
  haTiers.set(name, haTier)
  return haTier
}

/** The tier's values with seed 002's HA settings, corrected so that CloudNativePG, Qdrant and the scheduler accept them: a copy of its own. */
export function tierWithHa (name: Exclude<TierName, 'small'>): HaTier {
  const base = tierValues(name)
  const merged = mergeValues(base, haOverlay())
  const { replicas } = replicaCount(base, ['qdrant', 'replicaCount'])
  const { replicas: instances } = replicaCount(base, ['postgresql', 'cloudnativepg', 'instances'])
  const majority = Math.floor(replicas / 2) + 1
  const number = synchronousStandbys(instances)
  const replication = qdrantReplication(replicas, HA_ZONES)
  // the HPA keeps seed 000's range for the tier (never below seed 002's minimum of 3), capped at the nodes the tier can have
  const hpa = TIERS[name].autoscaling
  // every tier states its typical node range (seed 000): medium 3-5, large 7-10
  const maxReplicas = Math.min(hpa.maxReplicas, TIERS[name].infrastructure.typicalNodes.max!)
  // a copy of its own: the merge shares the tier file's and the overlay's nested blocks, which are read once and kept
  const values = structuredClone(mergeValues(merged, {
    qdrant: { pdb: { minAvailable: majority }, config: { storage: { collection: { replication_factor: replication.replicationFactor, write_consistency_factor: replication.writeConsistencyFactor } } } },
    postgresql: { cloudnativepg: { postgresql: { synchronous: { number } } } },
    autoscaling: { minReplicas: Math.max(3, hpa.minReplicas), maxReplicas }
  }))
  const cluster = clusterFor(name, values, true)
  const changes = valuesChanges(base, values, (path) => haReason(name, path, { replicas, majority, instances, number, cluster, replication }))
  const header = [
    `# values-${name}-ha.yaml: seed 000's values-${name}.yaml with seed 002's HA settings (sizing-service), for the seed's chart layout.`,
    `# Cluster: ${cluster.nodes} nodes of ${cluster.nodeCpuCores} cores / ${cluster.nodeMemoryGiB} GiB over ${cluster.zones} zones (GET /tiers/${name}?ha=true: haCluster).`,
    `# PostgreSQL: CloudNativePG's synchronous stanza, ${number} of ${instances - 1} standbys (seed 002's synchronous_standby_names is rejected by CloudNativePG).`,
    `# Qdrant: one pod per node spread over the zones, collections replicated ${replication.replicationFactor}x; its PDB keeps the Raft majority (${majority} of ${replicas}).`,
    `# Aeterna's HPA: ${Math.max(3, hpa.minReplicas)}-${maxReplicas} pods, one per node.`
  ].join('\n')
  return { values, text: `${header}\n${stringify(values, { version: '1.1' })}`, changes, cluster }
}

export function isHaTier (name: TierName): name is Exclude<TierName, 'small'> {
  return name !== 'small' && valueAt(TIERS[name], ['infrastructure', 'haReady']) === true
}
