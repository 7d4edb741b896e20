// Tier recommendation for Aeterna (seed 000): which tier and why, storage from per-memory sizes,
// the tier's total requests and limits against its cluster capacity, and its values file.
import { type Assumption, type Warning, ceilClean, decimalClean, sortBySeverity } from '../common.js'
import { type ValuesChange, mergeValues, sharedTierWithHa, valuesChanges } from './overlay.js'
import { valueAt } from './tiers.js'
import { type ComponentResources, type CpuMemory, componentResources, replicaCount, totalOf } from './resources.js'
import { TIERS, type Tier, type TierName, TIER_NAMES, tierForMemoryCount, tierValues } from './tiers.js'
import { type Cluster, type ClusterPlan, HA_ZONES, type Placement, clusterFor, hpaRange, placements } from './topology.js'
import { type QdrantReplication, qdrantReplication } from './overlay.js'
import { type ChartLayoutInfo, chartLayoutInfo } from './layouts.js'
import { type NotExpressible, toUpstreamValues } from './upstream.js'
import { GP3_LIMITS, type QdrantPeerPlan, qdrantPeerPlan, volumeLimitCheck } from './volumes.js'
import { type AeternaCost, type AeternaCostPlan, type AeternaPrices, type InstanceType, type SeedCostRow, SEED_COST_INPUTS, aeternaCost, mbpsToGiBPerMonth, resolveAeternaPrices, seedCostComparison } from './cost.js'

export interface AeternaInput {
  memoryCount: number
  concurrentUsers: number
  multiTenant: boolean
  requireHA: boolean
  cpuUtilizationPercent?: number
  memoryUtilizationPercent?: number
  p99LatencyMs?: number
  storageUsedPercent?: number
}

/** A request: the workload, and prices replacing the defaults by name (cost.ts). */
export type AeternaRequest = Partial<AeternaInput> & { memoryCount: number, prices?: Partial<AeternaPrices>, upstreamValues?: boolean }

export interface Reason { tier: TierName, trigger: string, observed: number | boolean, threshold: string, seedReference: string }

export interface StorageNeed { dataGiB: number, withHeadroomGiB: number, tierVolumeGiB: number, requiredGiB: number, volumes: number, copies: number, provisionedGiB: number }

export interface AeternaEstimate {
  inputs: AeternaInput
  tier: TierName
  reasons: Reason[]
  tierSummary: { memoryCount: Tier['memoryCount'], useCase: string, nodes: Tier['infrastructure']['nodes'], availabilityZones: number, haReady: boolean }
  storage: { postgresql: StorageNeed, qdrant: StorageNeed, dataGiB: number, totalGiB: number }
  resources: {
    components: ComponentResources[]
    requests: CpuMemory
    limits: CpuMemory
    clusterCapacity: CpuMemory & { nodes: number }
    requestsFit: boolean
    limitsFit: boolean
    requestsAtAutoscalingMax: CpuMemory
  }
  /** the layout valuesFile is for (seed), and with upstreamValues what today's charts cannot carry */
  chartLayout: ChartLayoutInfo & { notExpressible?: NotExpressible[] }
  /** valuesFile for today's upstream charts, when asked for */
  upstreamValues?: { app: Record<string, unknown>, prereqs: Record<string, unknown> }
  /** the plan's monthly AWS bill, line by line, and seed 000's own cost lines recomputed */
  cost: AeternaCost & { seedComparison: SeedCostRow[] }
  /** the smallest cluster of the tier's node size that holds this plan, and why */
  cluster: ClusterPlan
  /** every component's replicas against that cluster */
  placements: Placement[]
  valuesFile: Record<string, unknown>
  valuesChanges: ValuesChange[]
  warnings: Warning[]
  assumptions: Assumption[]
}

const TRIGGERS = 'seed 000, When to Scale Up'
const BYTES_PER_GIB = 2 ** 30
export const POSTGRES_BYTES_PER_MEMORY = 1024 // seed 000: ~1KB per memory object
export const QDRANT_BYTES_PER_VECTOR = 2048 // seed 000: ~2KB per vector, one vector per memory
export const STORAGE_HEADROOM = 1.5 // seed 000, Right-Sizing Checklist: storage >= 1.5x data volume

const TIER_ORDER: Record<TierName, number> = { small: 0, medium: 1, large: 2 }

const nextTier = (tier: TierName): TierName => TIER_NAMES[Math.min(TIER_ORDER[tier] + 1, TIER_NAMES.length - 1)]

/**
 * Every scale-up trigger the request meets, each naming the tier it calls for. What the deployment
 * holds (memories, users, tenancy, HA) sets the tier it belongs to; a load signal (seed 000's CPU and
 * memory triggers of small, latency and storage triggers of medium) moves it one step up from there:
 * small -> medium, medium -> large, whichever tier's list the signal comes from.
 */
export function scaleUpReasons (input: AeternaInput): Reason[] {
  const reasons: Reason[] = []
  const add = (tier: TierName, met: boolean, trigger: string, observed: number | boolean, threshold: string, seedReference = TRIGGERS): void => {
    if (met) reasons.push({ tier, trigger, observed, threshold, seedReference })
  }
  add('medium', input.memoryCount >= 1000 && input.memoryCount <= 100_000, 'memory count in the medium tier', input.memoryCount, '1,000 - 100,000 memories', 'seed 000, Sizing Tiers Overview')
  add('medium', input.concurrentUsers >= 10 && input.concurrentUsers < 100, 'concurrent users of a production SMB', input.concurrentUsers, '10-50 concurrent users (up to 99: large starts at 100)', 'seed 000, Medium Tier Configuration')
  add('medium', input.requireHA, 'need for HA/multi-replica', true, 'HA required')
  add('large', input.memoryCount > 100_000, '> 100,000 memory objects', input.memoryCount, '> 100,000 memories')
  add('large', input.concurrentUsers >= 100, '100+ concurrent users', input.concurrentUsers, '>= 100 users')
  add('large', input.multiTenant, 'multi-tenant', true, 'multi-tenant', 'seed 000, Sizing Tiers Overview (Large: enterprise, multi-tenant)')
  const base = recommendedTier(reasons)
  // small moves to medium on any load signal; medium moves to large on medium's own; large stays
  const load = (met: boolean, trigger: string, listedFor: 'small' | 'medium', observed: number, threshold: string): void => {
    const moves = base === 'small' || (base === 'medium' && listedFor === 'medium')
    const to = moves ? nextTier(base) : base
    const listed = listedFor === 'small' ? 'small -> medium' : 'medium -> large'
    const why = moves ? `from ${base} the next tier is ${to}` : `the deployment is already ${base}: ${base === 'large' ? 'scale out within large' : 'only medium\'s triggers move medium to large'}`
    add(to, met, `${trigger} (a ${listed} trigger; ${why})`, observed, threshold)
  }
  load((input.cpuUtilizationPercent ?? 0) > 75, 'CPU consistently > 75%', 'small', input.cpuUtilizationPercent ?? 0, '> 75%')
  load((input.memoryUtilizationPercent ?? 0) > 80, 'memory > 80% utilization', 'small', input.memoryUtilizationPercent ?? 0, '> 80%')
  load((input.p99LatencyMs ?? 0) > 200, 'query latency p99 > 200ms', 'medium', input.p99LatencyMs ?? 0, '> 200 ms')
  load((input.storageUsedPercent ?? 0) > 70, 'storage > 70% full', 'medium', input.storageUsedPercent ?? 0, '> 70%')
  return reasons
}

export function recommendedTier (reasons: Reason[]): TierName {
  return reasons.reduce<TierName>((tier, reason) => TIER_ORDER[reason.tier] > TIER_ORDER[tier] ? reason.tier : tier, 'small')
}

/** Data x 1.5 headroom per volume, never below the tier's volume size; every replica has its own volume with all of it. */
export function storageNeed (memoryCount: number, bytesPerMemory: number, tierVolumeGiB: number, volumes: number): StorageNeed {
  const dataGiB = decimalClean(memoryCount * bytesPerMemory / BYTES_PER_GIB)
  const withHeadroomGiB = decimalClean(dataGiB * STORAGE_HEADROOM)
  const requiredGiB = Math.max(tierVolumeGiB, ceilClean(withHeadroomGiB))
  return { dataGiB, withHeadroomGiB, tierVolumeGiB, requiredGiB, volumes, copies: volumes, provisionedGiB: requiredGiB * volumes }
}

/**
 * Qdrant in cluster mode (the HA plan): shards spread over the peers, each kept replication_factor
 * times, so a peer's volume holds data x copies / peers x 1.5, never below the tier's volume; peers
 * grow (odd) where that would exceed a gp3 volume.
 */
export function qdrantClusterStorage (memoryCount: number, tierVolumeGiB: number, minPeers: number, zones: number): { need: StorageNeed, peers: QdrantPeerPlan, replication: QdrantReplication } {
  const dataGiB = decimalClean(memoryCount * QDRANT_BYTES_PER_VECTOR / BYTES_PER_GIB)
  const replication = qdrantReplication(minPeers, zones)
  const peers = qdrantPeerPlan({ dataGiB, headroom: STORAGE_HEADROOM, replicationFactor: replication.replicationFactor, minPeers, maxVolumeGiB: GP3_LIMITS.maxSizeGiB })
  const requiredGiB = Math.max(tierVolumeGiB, peers.perPeerVolumeGiB)
  const need = { dataGiB, withHeadroomGiB: decimalClean(dataGiB * STORAGE_HEADROOM), tierVolumeGiB, requiredGiB, volumes: peers.peers, copies: replication.replicationFactor, provisionedGiB: requiredGiB * peers.peers }
  return { need, peers, replication: qdrantReplication(peers.peers, zones) }
}

const POSTGRES_SIZE = ['postgresql', 'cloudnativepg', 'storage', 'size']
const QDRANT_SIZE = ['qdrant', 'persistence', 'size']

/** The tier's values (with seed 002's HA settings when HA is required), volumes sized to hold the storage. */
/** What growing Qdrant's peers changes in the values. */
const QDRANT_GROWTH_PATHS = new Set(['qdrant.replicaCount', 'qdrant.pdb.minAvailable', 'qdrant.config.storage.collection.replication_factor', 'qdrant.config.storage.collection.write_consistency_factor'])

/** Qdrant's cluster where the workload needs more peers than the tier runs (the HA plan only). */
export interface QdrantGrowth { peers: number, replication: QdrantReplication }

export function workloadValues (tierName: TierName, requireHA: boolean, postgresqlGiB: number, qdrantGiB: number, grown?: QdrantGrowth): { values: Record<string, unknown>, changes: ValuesChange[] } {
  const ha = requireHA && tierName !== 'small'
  const haTier = ha ? sharedTierWithHa(tierName) : undefined
  const base = haTier?.values ?? tierValues(tierName)
  const qdrantPeers = grown === undefined
    ? {}
    : {
        replicaCount: grown.peers,
        pdb: { minAvailable: Math.floor(grown.peers / 2) + 1 },
        config: { storage: { collection: { replication_factor: grown.replication.replicationFactor, write_consistency_factor: grown.replication.writeConsistencyFactor } } }
      }
  const values = mergeValues(base, { postgresql: { cloudnativepg: { storage: { size: `${postgresqlGiB}Gi` } } }, qdrant: { persistence: { size: `${qdrantGiB}Gi` }, ...qdrantPeers } })
  // a size changes only where the workload needs more than the tier's volume
  const haReasons = new Map(haTier?.changes.map((change) => [change.path, change.reason]))
  const changes = valuesChanges(tierValues(tierName), values, (path) =>
    path === POSTGRES_SIZE.join('.')
      ? `each PostgreSQL instance's volume holds the workload's data x 1.5 headroom (${postgresqlGiB} GiB)`
      : path === QDRANT_SIZE.join('.')
        ? (ha ? `each Qdrant peer's volume holds its share of the shards: vectors x ${grown?.replication.replicationFactor ?? 'replication_factor'} copies / peers x 1.5 headroom (${qdrantGiB} GiB)` : `each Qdrant replica's volume holds the workload's vectors x 1.5 headroom (${qdrantGiB} GiB)`)
        : grown !== undefined && QDRANT_GROWTH_PATHS.has(path)
          ? `Qdrant grows to ${grown.peers} peers so each volume fits a gp3 volume (${GP3_LIMITS.maxSizeGiB} GiB); its PDB keeps the Raft majority (${Math.floor(grown.peers / 2) + 1}), its collections ${grown.replication.replicationFactor} copies with writes acknowledged by ${grown.replication.writeConsistencyFactor}`
          // every other path the HA values change is one GET /tiers/{name}?ha=true lists, with its reason
          : haReasons.get(path) as string)
  return { values, changes }
}

const fits = (need: CpuMemory, capacity: CpuMemory): boolean => need.cpuCores <= capacity.cpuCores && need.memoryGiB <= capacity.memoryGiB

/** The tier's values totalled against a cluster (the tier's minimum for GET /tiers, the planned one for an estimate). */
function resourceCheck (tier: Tier, values: Record<string, unknown>, cluster: Pick<Cluster, 'nodes'>): AeternaEstimate['resources'] {
  const components = componentResources(values)
  const requests = totalOf(components, 'requests')
  const limits = totalOf(components, 'limits')
  const { nodes } = cluster
  const clusterCapacity = { nodes, cpuCores: nodes * tier.infrastructure.nodeCpuCores, memoryGiB: nodes * tier.infrastructure.nodeMemoryGiB }
  // the values' own HPA where they set one (the HA plan), else the tier's range (seed 000)
  const maxReplicas = hpaRange(values)?.maxReplicas ?? (tier.autoscaling.enabled ? tier.autoscaling.maxReplicas : 0)
  const atMax = components.map((c) => c.component === 'aeterna' ? { ...c, replicas: Math.max(c.replicas, maxReplicas) } : c)
  return {
    components,
    requests,
    limits,
    clusterCapacity,
    requestsFit: fits(requests, clusterCapacity),
    limitsFit: fits(limits, clusterCapacity),
    requestsAtAutoscalingMax: totalOf(atMax, 'requests')
  }
}

/** Whether the tier's values fit the cluster it prescribes. */
export function resourceWarnings (tier: Tier, resources: AeternaEstimate['resources']): Warning[] {
  const warnings: Warning[] = []
  const capacity = `${resources.clusterCapacity.nodes} x ${tier.infrastructure.nodeCpuCores} cores / ${tier.infrastructure.nodeMemoryGiB} GiB = ${resources.clusterCapacity.cpuCores} cores, ${resources.clusterCapacity.memoryGiB} GiB`
  if (!resources.requestsFit) {
    warnings.push({ code: 'REQUESTS_EXCEED_CLUSTER', severity: 'critical', message: `The ${tier.name} tier requests ${resources.requests.cpuCores} cores and ${resources.requests.memoryGiB} GiB, more than the cluster (${capacity}).` })
  }
  if (!resources.limitsFit) {
    warnings.push({ code: 'LIMITS_EXCEED_CLUSTER', severity: 'warning', message: `The ${tier.name} tier's limits add up to ${resources.limits.cpuCores} cores and ${resources.limits.memoryGiB} GiB, more than the cluster (${capacity}): pods cannot all burst at once; add nodes or lower limits.` })
  }
  return warnings
}

/** Resource fit, HA readiness and the seed's slips about this tier. */
function aeternaWarnings (tier: Tier, resources: AeternaEstimate['resources']): Warning[] {
  const warnings = resourceWarnings(tier, resources)
  if (!tier.infrastructure.haReady) {
    warnings.push({ code: 'NOT_HIGHLY_AVAILABLE', severity: 'warning', message: `The ${tier.name} tier runs single replicas on 1-2 nodes: it fails the HA requirements of seed 002 and is not for production.` })
  }
  for (const example of tier.storage.seedExamples) {
    warnings.push({ code: 'SEED_INCONSISTENCY', severity: 'info', message: `Storage example "${example.statement}": ${example.note} Storage here is computed from 1 KiB (PostgreSQL) and 2 KiB (Qdrant) per memory x 1.5, never below the tier's volume.` })
  }
  if (tier.name === 'small') {
    warnings.push({ code: 'SEED_INCONSISTENCY', severity: 'info', message: 'The small tier\'s "Total Cluster: 2-4 CPU cores, 16GB RAM" assumes 2 nodes; its minimum of 1 node of 8 GB has 8 GB.' })
  }
  return warnings
}

/** Each tier's node (seed 000: medium 3 m5.xlarge, large 7 m5.2xlarge; small's 2 vCPU / 8 GB is an m5.large). */
export const TIER_INSTANCE_TYPES: Readonly<Record<TierName, InstanceType>> = { small: 'm5.large', medium: 'm5.xlarge', large: 'm5.2xlarge' }
/** Provisioned IOPS per PostgreSQL volume: seed 000's large values comment "io2/gp3 with iops: 5000"; gp3's included 3,000 elsewhere. */
export const POSTGRES_VOLUME_IOPS: Readonly<Record<TierName, number>> = { small: GP3_LIMITS.baselineIops, medium: GP3_LIMITS.baselineIops, large: 5000 }
/** Offsite backup over one copy of the data volumes: seed 000, medium "1.5x PostgreSQL + Qdrant" (~450 GB), large "2x main data" (2TB+); small keeps WAL only. */
export const OFFSITE_BACKUP_FACTOR: Readonly<Record<TierName, number>> = { small: 0, medium: 1.5, large: 2 }
/** Cross-zone replication traffic: seed 000's medium "~20% of total bandwidth" (10 Mbps, the top of 20% of 10-50), large "200+ Mbps for data sync"; small runs in one zone. */
export const CROSS_AZ_MBPS: Readonly<Record<TierName, number>> = { small: 0, medium: SEED_COST_INPUTS.medium!.crossAzMbps.max, large: SEED_COST_INPUTS.large!.crossAzMbps.max }
/** One Application Load Balancer in front of Aeterna on the production tiers, at 1 LCU (SERVICE assumption: the seed prices none). */
export const LOAD_BALANCERS: Readonly<Record<TierName, number>> = { small: 0, medium: 1, large: 1 }
export const LCU_PER_HOUR = 1

/** The bill of the plan: its nodes, its volumes at their sizes and IOPS, backups, a load balancer and cross-zone replication. */
export function planCost (tierName: TierName, values: Record<string, unknown>, storage: { postgresql: StorageNeed, qdrant: StorageNeed }, cluster: ClusterPlan, prices: Partial<AeternaPrices> = {}): AeternaCost & { seedComparison: SeedCostRow[] } {
  const dragonflyPersistent = valueAt(values, ['dragonfly', 'persistence', 'enabled']) === true
  const dragonflyGiB = Number.parseInt(String(valueAt(values, ['dragonfly', 'persistence', 'size']) ?? '0'), 10) || 0
  const volume = (component: string, count: number, sizeGiB: number, iops: number) => ({ component, count, sizeGiB, iops, throughputMiBps: GP3_LIMITS.baselineThroughputMiBps })
  const oneCopyGiB = storage.postgresql.requiredGiB + Math.ceil(storage.qdrant.dataGiB * STORAGE_HEADROOM)
  const crossAzMbps = cluster.zones > 1 ? CROSS_AZ_MBPS[tierName] : 0
  const plan: AeternaCostPlan = {
    nodes: cluster.nodes,
    instanceType: TIER_INSTANCE_TYPES[tierName],
    volumes: [
      volume('PostgreSQL', storage.postgresql.volumes, storage.postgresql.requiredGiB, POSTGRES_VOLUME_IOPS[tierName]),
      volume('Qdrant', storage.qdrant.volumes, storage.qdrant.requiredGiB, GP3_LIMITS.baselineIops),
      ...(dragonflyPersistent && dragonflyGiB > 0 ? [volume('Dragonfly', replicaCount(values, ['dragonfly', 'replicaCount']).replicas, dragonflyGiB, GP3_LIMITS.baselineIops)] : [])
    ],
    backupGiB: 0,
    offsiteBackupGiB: Math.ceil(oneCopyGiB * OFFSITE_BACKUP_FACTOR[tierName]),
    loadBalancers: LOAD_BALANCERS[tierName],
    lcuPerHour: LOAD_BALANCERS[tierName] * LCU_PER_HOUR,
    crossAzGiBPerMonth: decimalClean(mbpsToGiBPerMonth(crossAzMbps, resolveAeternaPrices(prices).hoursPerMonth))
  }
  return { ...aeternaCost(plan, prices), seedComparison: seedCostComparison(tierName, prices) }
}

function zoneUnsafeWarning (peers: number, replication: QdrantReplication): Warning {
  return { code: 'QDRANT_PEERS_RAISED', severity: 'warning', message: `Qdrant's ${peers} peers put up to ${replication.peersPerZone} in a zone, more than the ${replication.replicationFactor} copies of a shard: a node loss leaves a copy, but Qdrant does not place copies by zone, so a zone loss can take every copy of some shards. Move copies across zones with the shard-replication API, or shard the data across more collections.` }
}

/** The estimate's values are the seed layout's; asked for, their translation for today's upstream charts. */
function layoutOf (values: Record<string, unknown>, upstream: boolean): Pick<AeternaEstimate, 'chartLayout' | 'upstreamValues'> {
  if (!upstream) return { chartLayout: chartLayoutInfo('seed') }
  const { app, prereqs, notExpressible } = toUpstreamValues(values)
  return { chartLayout: { ...chartLayoutInfo('seed'), notExpressible }, upstreamValues: { app, prereqs } }
}

/** Where the plan needs more nodes or zones than seed 000 gives the tier. */
export function clusterWarnings (tier: Tier, cluster: ClusterPlan): Warning[] {
  // every tier states its typical node range (seed 000): small 1-2, medium 3-5, large 7-10
  const seedNodes = tier.infrastructure.typicalNodes.max!
  const largest = cluster.nodeBounds.reduce((top, bound) => bound.nodes > top.nodes ? bound : top)
  const warnings: Warning[] = []
  if (cluster.nodes > seedNodes) {
    warnings.push({ code: 'CLUSTER_ABOVE_TIER', severity: 'warning', message: `The plan needs ${cluster.nodes} nodes of ${cluster.nodeCpuCores} cores / ${cluster.nodeMemoryGiB} GiB (${largest.bound}); seed 000 gives the ${tier.name} tier ${seedNodes}.` })
  }
  if (cluster.zones > tier.infrastructure.availabilityZones) {
    warnings.push({ code: 'CLUSTER_ABOVE_TIER', severity: 'info', message: `The plan spans ${cluster.zones} zones where seed 000 gives the ${tier.name} tier ${tier.infrastructure.availabilityZones}: ${cluster.zoneBasis}.` })
  }
  return warnings
}

export const AETERNA_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'postgresBytesPerMemory', value: POSTGRES_BYTES_PER_MEMORY, unit: 'bytes', source: 'seed 000, Storage Sizing (1KB per memory object)', note: 'KB read as KiB, like the Gi of the values files. The medium tier\'s "100KB per memory" is flagged, not used.' },
  { name: 'qdrantBytesPerVector', value: QDRANT_BYTES_PER_VECTOR, unit: 'bytes', source: 'seed 000, Storage Sizing (2KB per vector)', note: 'One vector per memory.' },
  { name: 'storageHeadroom', value: STORAGE_HEADROOM, unit: 'factor', source: 'seed 000, Right-Sizing Checklist (storage >= 1.5x estimated data volume)' },
  { name: 'mediumLowerBound', value: 1000, unit: 'memories', source: 'seed 000, Sizing Tiers Overview (Medium: 1,000 - 100,000)', note: 'SEED_INCONSISTENCY: the scale-up trigger says "> 1,000 memory objects"; the tier table\'s bounds are used, so 1,000 is medium.' },
  { name: 'largeUsers', value: 100, unit: 'concurrent users', source: 'seed 000, When to Scale Up (100+ concurrent users)', note: 'Medium is stated for 10-50 users; 51-99 stay medium, since large starts at 100.' },
  { name: 'defaultReplicas', value: 1, unit: 'replicas', source: 'Kubernetes default', note: 'A component without a replica count (small tier\'s dragonfly) runs one replica.' },
  { name: 'nodeMemoryUnit', value: 1, unit: 'GiB per seed GB', source: 'SERVICE (not in the seed): documented in docs/deviations.md', note: 'Node RAM in GB is read as GiB, like the Gi of the resources; system daemons\' share is not subtracted.' },
  { name: 'haZones', value: HA_ZONES, unit: 'zones', source: 'SERVICE (seed 002 asks for 2+): docs/deviations.md, Aeterna 13', note: 'With requireHA: a Raft or quorum majority survives the loss of a zone only when no zone holds half the members.' },
  { name: 'gp3MaxVolumeGiB', value: GP3_LIMITS.maxSizeGiB, unit: 'GiB', source: 'AWS What\'s New, September 2025: gp3 up to 64 TiB per volume (checked 2026-12-07)', note: 'A Qdrant peer\'s volume above it adds peers; PostgreSQL\'s is a critical warning.' },
  { name: 'loadBalancers', value: 1, unit: 'ALB at 1 LCU', source: 'SERVICE (seed 000 prices none): docs/deviations.md, Aeterna 17', note: 'Medium and large only; the small tier is reached without one.' },
  { name: 'ebsSnapshotsGiB', value: 0, unit: 'GiB', source: 'SERVICE: docs/deviations.md, Aeterna 17', note: 'CloudNativePG\'s backups go to object storage (the offsite backup, priced as S3 Standard), not to EBS snapshots.' }
]

export function estimateAeterna ({ prices, upstreamValues, ...partial }: AeternaRequest): AeternaEstimate {
  const inputs: AeternaInput = { concurrentUsers: 0, multiTenant: false, requireHA: false, ...partial }
  const reasons = scaleUpReasons(inputs)
  const tierName = recommendedTier(reasons)
  const tier = TIERS[tierName]
  const tierFile = tierValues(tierName)
  const ha = inputs.requireHA && tierName !== 'small'
  const postgresql = storageNeed(inputs.memoryCount, POSTGRES_BYTES_PER_MEMORY, tier.storage.postgresqlGiB, replicaCount(tierFile, ['postgresql', 'cloudnativepg', 'instances']).replicas)
  const qdrantReplicas = replicaCount(tierFile, ['qdrant', 'replicaCount']).replicas
  const qdrantCluster = ha ? qdrantClusterStorage(inputs.memoryCount, tier.storage.qdrantGiB, qdrantReplicas, HA_ZONES) : undefined
  const qdrant = qdrantCluster?.need ?? storageNeed(inputs.memoryCount, QDRANT_BYTES_PER_VECTOR, tier.storage.qdrantGiB, qdrantReplicas)
  const grown = qdrantCluster?.peers.peersRaised === true ? { peers: qdrantCluster.peers.peers, replication: qdrantCluster.replication } : undefined
  const { values, changes } = workloadValues(tierName, inputs.requireHA, postgresql.requiredGiB, qdrant.requiredGiB, grown)
  const cluster = clusterFor(tierName, values, ha)
  const resources = resourceCheck(tier, values, cluster)
  const volumeWarnings = [
    ...volumeLimitCheck({ component: 'PostgreSQL', volumeGiB: postgresql.requiredGiB, maxVolumeGiB: GP3_LIMITS.maxSizeGiB, canShard: false, volumeType: 'gp3' }),
    // without cluster mode every Qdrant replica holds everything: only the HA plan shards
    ...(ha ? qdrantCluster!.peers.warnings : volumeLimitCheck({ component: 'Qdrant', volumeGiB: qdrant.requiredGiB, maxVolumeGiB: GP3_LIMITS.maxSizeGiB, canShard: false, volumeType: 'gp3 (without cluster mode, each replica holds every vector: requireHA shards them)' })),
    ...(qdrantCluster !== undefined && !qdrantCluster.replication.zoneSafe ? [zoneUnsafeWarning(qdrantCluster.peers.peers, qdrantCluster.replication)] : [])
  ] as Warning[]
  const cost = planCost(tierName, values, { postgresql, qdrant }, cluster, prices)
  return {
    inputs,
    tier: tierName,
    reasons: reasons.length > 0 ? reasons : [{ tier: 'small', trigger: 'no scale-up trigger met', observed: inputs.memoryCount, threshold: '< 1,000 memories, no HA, no load signals', seedReference: 'seed 000, Sizing Tiers Overview' }],
    tierSummary: { memoryCount: tier.memoryCount, useCase: tier.useCase, nodes: tier.infrastructure.nodes, availabilityZones: tier.infrastructure.availabilityZones, haReady: tier.infrastructure.haReady },
    storage: { postgresql, qdrant, dataGiB: decimalClean(postgresql.dataGiB + qdrant.dataGiB), totalGiB: postgresql.provisionedGiB + qdrant.provisionedGiB },
    resources,
    cluster,
    placements: placements(values, cluster),
    valuesFile: values,
    valuesChanges: changes,
    cost,
    ...layoutOf(values, upstreamValues === true),
    warnings: sortBySeverity([...volumeWarnings, ...aeternaWarnings(tier, resources), ...clusterWarnings(tier, cluster)]),
    assumptions: AETERNA_ASSUMPTIONS as Assumption[]
  }
}

export { tierForMemoryCount }

export type TierDocument = Tier & { chartLayout: ChartLayoutInfo, valuesFile: Record<string, unknown>, warnings: Warning[], assumptions: Assumption[] }

/** A whole tier for GET /tiers/{name}: the catalogue entry, its values file, what is wrong with it. */
export function tierDocument (name: TierName): TierDocument {
  const tier = TIERS[name]
  const values = tierValues(name)
  const warnings = aeternaWarnings(tier, resourceCheck(tier, values, { nodes: tier.infrastructure.nodes.min }))
  return { ...tier, chartLayout: chartLayoutInfo('seed'), valuesFile: values, warnings: sortBySeverity(warnings), assumptions: AETERNA_ASSUMPTIONS as Assumption[] }
}
