// Request and response schemas of POST/GET /estimate/engram (seed 004).
import { type TSchema, Type } from 'typebox'
import { ENGRAM_DEFAULTS as D } from '../models/engram/constants.js'
import { WORKLOAD_TYPES, type WorkloadType } from '../models/engram/upstream-script.js'
import { AssumptionsRef, WarningsRef, inputQuantity, outputQuantity } from './common.js'

const MAX_OPS_PER_SEC = 1e9
const MAX_BYTES = 1_073_741_824

/** upstream Engram's workload types (upstream-script.ts WORKLOAD_TYPES), an enum as the other string inputs */
const workloadTypeSchema = (description: string) => Type.Unsafe<WorkloadType>({ type: 'string', enum: [...WORKLOAD_TYPES], description })

/** No schema default: an unstated writeRatio takes workloadType's write share (else the seed's 0.4). */
const { default: _writeRatioDefault, ...writeRatioWithoutDefault } = inputQuantity({ description: 'Fraction of operations that are writes: each is one WAL record and is sent to every replica (seed: mixed workload 40%).', unit: 'fraction', minimum: 0, maximum: 1, default: D.writeRatio }) as TSchema & { default?: number, description: string }
const writeRatioSchema = Type.Number({ ...writeRatioWithoutDefault, description: `${writeRatioWithoutDefault.description.replace(/ Default: [^.]+\.$/, '')} Default: workloadType's write share, else ${D.writeRatio}.` })

/** The workload's shape: what /estimate/engram, the forecast's workload and calibration share. */
export const engramWorkloadProperties = {
  expectedNodes: inputQuantity({ description: 'Total memory-graph nodes expected (script $1).', unit: 'nodes', minimum: 0, maximum: 1e12, default: D.expectedNodes, integer: true }),
  activeRatio: inputQuantity({ description: 'Fraction of nodes active, i.e. in the hot tier (script $2).', unit: 'fraction', minimum: 0, maximum: 1, default: D.activeRatio }),
  edgesPerNode: inputQuantity({ description: 'Average edges per node (script $3).', unit: 'edges', minimum: 0, maximum: 1e6, default: D.edgesPerNode }),
  opsPerSec: inputQuantity({ description: 'Target operations per second (script $4); writeRatio of them are WAL records (the seed\'s script logs every one: seedScript.walGiB).', unit: 'ops/s', minimum: 0, maximum: MAX_OPS_PER_SEC, default: D.opsPerSec }),
  retentionDays: inputQuantity({ description: 'WAL and data retention period (script $5).', unit: 'days', minimum: 0, maximum: 36_500, default: D.retentionDays }),
  consolidationIntervalSec: inputQuantity({ description: 'Seconds between consolidations (script $6); must be above 0, and at least 0.001 so the CPU figure stays finite.', unit: 's', minimum: 0.001, maximum: 31_536_000, default: D.consolidationIntervalSec }),
  gpuFallbackRatio: inputQuantity({ description: 'Fraction of spreading that falls back from GPU to CPU; spreading cores x (1 + ratio x 0.5) (formula 2). 0 keeps the script\'s figures.', unit: 'fraction', minimum: 0, maximum: 1, default: D.gpuFallbackRatio }),
  grpcRequestRatio: inputQuantity({ description: 'Fraction of requests over gRPC (8,000/core) instead of HTTP (5,000/core) (formula 2). 0 keeps the script\'s figures.', unit: 'fraction', minimum: 0, maximum: 1, default: D.grpcRequestRatio }),
  compactionsPerHour: inputQuantity({ description: 'Segment compactions per hour (formula 2, COMPACTION_CPU). 0 keeps the script\'s figures.', unit: 'compactions/h', minimum: 0, maximum: 3600, default: D.compactionsPerHour }),
  segmentSizeMiB: inputQuantity({ description: 'Size of one compacted segment (service default; the seed gives none).', unit: 'MiB', minimum: 0, exclusiveMinimum: true, maximum: 1_048_576, default: D.segmentSizeMiB }),
  compactionThroughputMiBPerSec: inputQuantity({ description: 'Compaction throughput of one core (service default; the seed gives none).', unit: 'MiB/s', minimum: 1, maximum: 100_000, default: D.compactionThroughputMiBPerSec }),
  writeRatio: writeRatioSchema,
  replicationFactor: inputQuantity({ description: 'Replicas of each memory space beyond its primary, each on another instance; each write is sent to every one (formula 4; upstream Engram\'s cluster runs 2). 0: one copy, as the seed\'s single node.', unit: 'replicas', minimum: 0, maximum: 16, default: D.replicationFactor, integer: true }),
  requestSizeBytes: inputQuantity({ description: 'Average request size (service default).', unit: 'bytes', minimum: 0, maximum: MAX_BYTES, default: D.requestSizeBytes }),
  responseSizeBytes: inputQuantity({ description: 'Average response size (service default).', unit: 'bytes', minimum: 0, maximum: MAX_BYTES, default: D.responseSizeBytes }),
  backupWindowHours: inputQuantity({ description: 'Time a full backup of the warm and cold data may take (service default: the seed\'s 2-6 AM window).', unit: 'h', minimum: 0.01, maximum: 168, default: D.backupWindowHours }),
  workloadType: Type.Optional(workloadTypeSchema('Upstream Engram\'s workload_type (orchard9/engram scripts/estimate_capacity.sh, be5818a, 2025-10-29): sets writeRatio (write-heavy 0.8, read-heavy 0.2, analytical 0.1, mixed 0.4) unless stated, spreads only the reads, consolidates only the writes, and scales CPU (0.9 / 1.3 / 1.8 / 1.0), memory (1.2 / 1.0 / 1.5 / 1.0) and WAL (1.5 / 0.5 / 0.3 / 1.0); upstreamScript gives that script\'s own figures. Default: none, the seed script\'s model.'))
}

/** How long the plan must hold: memory and storage cover the need at the horizon's node count. */
export const engramPlanningProperties = {
  dailyGrowthRate: inputQuantity({ description: 'Compound daily growth of expectedNodes the plan must hold through horizonDays (seed 004, Growth Prediction Model; typically 0.01-0.05). 0 sizes the workload as given, as the script does.', unit: 'fraction per day', minimum: 0, maximum: 1, default: D.dailyGrowthRate }),
  horizonDays: inputQuantity({ description: 'Days the plan must hold without the seed\'s scaling matrices asking for more (the forecast\'s default horizon).', unit: 'days', minimum: 0, maximum: 3650, default: D.horizonDays, integer: true })
}

export const engramInputProperties = { ...engramWorkloadProperties, ...engramPlanningProperties }

export const EngramRequestSchema = Type.Partial(Type.Object(engramInputProperties), {
  additionalProperties: false,
  description: 'Workload shape of an Engram deployment. Every field is optional; defaults are the seed script\'s.'
})

export const EngramQuerySchema = Type.Partial(Type.Object(engramInputProperties), {
  additionalProperties: false
})

const object = <T extends Record<string, ReturnType<typeof outputQuantity>>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description })

const instanceNeed = (description: string) => object({
  nodes: outputQuantity('nodes', 'Nodes of the whole deployment at that day.'),
  dataMiB: outputQuantity('MiB', '(hot + warm + cold tier memory) x dataShare.'),
  activationPoolMiB: outputQuantity('MiB', 'The activation pool / instances (operations spread over the instances).'),
  runtimeMiB: outputQuantity('MiB', 'Runtime overhead: every instance has its own.'),
  memoryNeedMiB: outputQuantity('MiB', 'dataMiB + activationPoolMiB + runtimeMiB.'),
  dataGiB: outputQuantity('GiB', '(warm + cold + snapshots) x dataShare.'),
  walGiB: outputQuantity('GiB', 'storage.walGiB x dataShare: each copy logs the writes of what it holds.'),
  storageNeedGiB: outputQuantity('GiB', 'dataGiB + walGiB.')
}, description)

export const EngramEstimateSchema = Type.Object({
  inputs: Type.Object(engramInputProperties, { additionalProperties: false, description: 'The request with every default resolved.' }),
  tiers: object({
    hotNodes: outputQuantity('nodes', 'In-memory tier: floor(expectedNodes x activeRatio).'),
    warmNodes: outputQuantity('nodes', 'Memory-mapped tier: floor(expectedNodes x activeRatio x 3), capped at the nodes left after the hot tier.'),
    coldNodes: outputQuantity('nodes', 'Compressed tier: the rest, never negative.'),
    totalEdges: outputQuantity('edges', 'floor(expectedNodes x edgesPerNode).'),
    hotEdges: outputQuantity('edges', 'floor(hotNodes x edgesPerNode).')
  }, 'Tier distribution of the nodes (seed 004, script).'),
  cpu: object({
    spreadingCores: outputQuantity('cores', 'opsPerSec / 2,500 x (1 + gpuFallbackRatio x 0.5).'),
    consolidationCores: outputQuantity('cores', 'hotNodes / consolidationIntervalSec / 50,000.'),
    compactionCores: outputQuantity('cores', 'compactionsPerHour x segmentSizeMiB / (compactionThroughputMiBPerSec x 3,600).'),
    apiCores: outputQuantity('cores', 'HTTP requests / 5,000 + gRPC requests / 8,000.'),
    systemCores: outputQuantity('cores', 'The script\'s constant +1 core.'),
    totalCores: outputQuantity('cores', 'Sum of the above, unrounded.')
  }, 'CPU cores by component (seed 004, formula 2 and script).'),
  memory: object({
    hotTierMiB: outputQuantity('MiB', '(hotNodes x 3,136 B + hotEdges x 32 B) x 1.5 hash-table overhead.'),
    warmTierMiB: outputQuantity('MiB', 'warmNodes x 3,072 B x 0.1 prefetch.'),
    coldTierMiB: outputQuantity('MiB', 'coldNodes x (10 bits bloom filter + 64 B / 128 skip list).'),
    activationPoolMiB: outputQuantity('MiB', 'opsPerSec x 1% concurrent x 8 KiB.'),
    runtimeMiB: outputQuantity('MiB', 'Runtime overhead (tokio, heap, stacks).'),
    totalMiB: outputQuantity('MiB', 'Sum of the above, unrounded.')
  }, 'Memory by component (seed 004, formula 1 and script). MiB = 2^20 bytes.'),
  storage: object({
    warmTierGiB: outputQuantity('GiB', 'warmNodes x 3,136 B x 1.3 version retention.'),
    coldTierGiB: outputQuantity('GiB', 'coldNodes x 3,072 B x 0.4 compression.'),
    walGiB: outputQuantity('GiB', 'opsPerSec x writeRatio x 86,400 x retentionDays x 256 B x 0.7: one record per write (the script logs every operation: seedScript.walGiB).'),
    snapshotsGiB: outputQuantity('GiB', '(warm + cold) x 5 snapshots x 0.3 incremental.'),
    totalGiB: outputQuantity('GiB', 'Sum of the above, unrounded.')
  }, 'Storage by component (seed 004, formula 3 and script). GiB = 2^30 bytes.'),
  network: object({
    clientMbps: outputQuantity('Mbit/s', '(requestSizeBytes + responseSizeBytes) x opsPerSec.'),
    replicationMbps: outputQuantity('Mbit/s', 'opsPerSec x writeRatio x 256 B x replicationFactor.'),
    backupMbps: outputQuantity('Mbit/s', '(warm + cold data) / backupWindowHours.'),
    peakMbps: outputQuantity('Mbit/s', 'max(replication, backup) + client x 1.5.')
  }, 'Network bandwidth (seed 004, formula 4). Mbit = 10^6 bits.'),
  throughput: object({
    targetOpsPerSec: outputQuantity('ops/s', 'opsPerSec.'),
    gpuFallbackFactor: outputQuantity('factor', '1 + gpuFallbackRatio x 0.5 (formula 2).'),
    headroom: outputQuantity('factor', 'The script\'s core headroom (1.5).'),
    requiredOpsPerSec: outputQuantity('ops/s', 'targetOpsPerSec x gpuFallbackFactor x headroom: what the layout must deliver.'),
    throughputCoresPerInstance: outputQuantity('cores', 'Even cores per instance the throughput alone needs (2 to 8).'),
    cpuCoresPerInstance: outputQuantity('cores', 'Even cores per instance the recommended cores need (at least 2).'),
    perInstanceOpsPerSec: outputQuantity('ops/s', 'Throughput of one instance of coresPerInstance cores by the performance model (2,500 x cores x efficiency, held at the 10-core peak).'),
    layoutOpsPerSec: outputQuantity('ops/s', 'instances x perInstanceOpsPerSec; never below requiredOpsPerSec.')
  }, 'Throughput of the recommended layout by the performance model /models/engram serves (seed 004, Performance Prediction Models).'),
  recommendations: Type.Object({
    cores: outputQuantity('cores', 'The larger of today\'s and the horizon\'s totalCores x 1.5, rounded up to the next even count.'),
    memoryGiB: outputQuantity('GiB', 'instances x memoryGiBPerInstance.'),
    storageGiB: outputQuantity('GiB', 'instances x storageGiBPerInstance.'),
    instances: outputQuantity('instances', 'Instances of the layout: the fewest that deliver throughput.requiredOpsPerSec (13,000 ops/s each in the validated 8 cores), hold `cores` within 32 useful cores each, and put each copy of the data on its own instance (at least 1 + replicationFactor). The same rule as /models/engram coresForTarget.'),
    coresPerInstance: outputQuantity('cores', 'Cores per instance, even: the larger of what the throughput and the CPU need ask of each instance.'),
    totalCores: outputQuantity('cores', 'instances x coresPerInstance; never below `cores`.'),
    memoryGiBPerInstance: outputQuantity('GiB', 'The smallest whole GiB that keeps one instance\'s memory need under 60% today and at the horizon (the seed\'s memory matrix, row 1: no action).'),
    storageGiBPerInstance: outputQuantity('GiB', 'The larger of one instance\'s storage need today and at the horizon x 1.5, rounded up (67% used, under the seed\'s 70% disk trigger).'),
    layout: Type.Object({
      role: Type.Union([Type.Literal('single'), Type.Literal('shard'), Type.Literal('replica')], { description: 'single: one instance holds everything; shard: each instance holds dataShare of the memory spaces; replica: every instance holds all of them (copies >= instances).' }),
      replicationFactor: outputQuantity('replicas', 'Replicas of each memory space beyond its primary (the request\'s).'),
      copies: outputQuantity('copies', '1 + replicationFactor, each on its own instance.'),
      dataShare: outputQuantity('fraction', 'Share of the data one instance holds: min(1, copies / instances).')
    }, { additionalProperties: false, description: 'What an instance is.' })
  }, { additionalProperties: false, description: 'The plan: instances, and per instance its cores, memory and storage; totals are instances x per instance. Rounded up, never below the need.' }),
  perInstance: Type.Object({
    horizonDays: outputQuantity('days', 'The horizon the plan holds through.'),
    dailyGrowthRate: outputQuantity('fraction per day', 'Compound growth of the nodes.'),
    instancesForVolumes: outputQuantity('instances', 'Instances the per-volume limit alone asks for: every copy\'s storage x 1.5 over volumes of at most 65,536 GiB (gp3, 64 TiB); above the other bounds the data is split over more shards (STORAGE_SPLIT_FOR_VOLUME_LIMIT).'),
    today: instanceNeed('One instance\'s need at expectedNodes.'),
    atHorizon: instanceNeed('One instance\'s need at the horizon\'s nodes (expectedNodes x (1 + dailyGrowthRate)^horizonDays).'),
    memoryPressurePercent: object({ today: outputQuantity('%', 'memoryNeedMiB / memoryGiBPerInstance today.'), atHorizon: outputQuantity('%', 'The same at the horizon.') }, 'Memory used of what each instance is given (the seed\'s matrix: under 60% no action).'),
    diskUtilizationPercent: object({ today: outputQuantity('%', 'storageNeedGiB / storageGiBPerInstance today.'), atHorizon: outputQuantity('%', 'The same at the horizon.') }, 'Disk used of what each instance is given (the seed\'s trigger: above 70% expand).')
  }, { additionalProperties: false, description: 'One instance\'s need, today and at the horizon, and what it leaves used.' }),
  upstreamScript: Type.Optional(Type.Object({
    workloadType: workloadTypeSchema('The workload type asked for.'),
    valid: Type.Boolean({ description: 'false when upstream\'s script cannot compute these inputs itself (bc fails on a fractional tier count or a 0 interval): the figures are then the ones it would print with those counted as 0.' }),
    writeRatio: outputQuantity('fraction', 'The type\'s WRITE_RATIO.'),
    readRatio: outputQuantity('fraction', 'The type\'s READ_RATIO.'),
    walMultiplier: outputQuantity('factor', 'The type\'s WAL_MULTIPLIER.'),
    cpuMultiplier: outputQuantity('factor', 'The type\'s CPU_MULTIPLIER.'),
    memoryMultiplier: outputQuantity('factor', 'The type\'s MEMORY_MULTIPLIER.'),
    totalCores: outputQuantity('cores', '(ops x readRatio / 2,500 + hotNodes x writeRatio / interval / 50,000 + ops / 5,000) x cpuMultiplier + 1.'),
    recommendedCores: outputQuantity('cores', 'totalCores x 1.5, rounded half up.'),
    numaAlignedCores: outputQuantity('cores', 'The printed "Recommended: N vCPUs (NUMA-aligned)": the first of 2, 4, 8, 16, 32 that holds recommendedCores, beyond 32 the next multiple of 32.'),
    totalMemoryMiB: outputQuantity('MiB', '(hot + warm + cold + activation pool + 500) x memoryMultiplier; warm is 3x hot uncapped.'),
    recommendedMemoryGiB: outputQuantity('GiB', 'The printed "Recommended: N GB": totalMemoryMiB x 1.25 / 1024, truncated (bc truncates the quotient before adding 0.5).'),
    walGiB: outputQuantity('GiB', 'ops x writeRatio x 86,400 x retentionDays x 256 B x 0.7 x walMultiplier.'),
    tempSpaceGiB: outputQuantity('GiB', '(warm + cold data) x 0.1.'),
    totalStorageGiB: outputQuantity('GiB', 'warm + cold + WAL + snapshots + temp space.'),
    recommendedStorageGiB: outputQuantity('GiB', 'totalStorageGiB x 1.5, rounded half up.'),
    writeIops: outputQuantity('IOPS', 'ops x writeRatio x 1.5, truncated.'),
    readIops: outputQuantity('IOPS', 'ops x readRatio x 0.3, truncated.'),
    totalIops: outputQuantity('IOPS', 'writeIops + readIops.')
  }, { additionalProperties: false, description: 'Upstream Engram\'s scripts/estimate_capacity.sh (orchard9/engram be5818a) for the same six arguments and workloadType, figure for figure (a parity test runs that script with bash and bc). Only with workloadType.' })),
  seedScript: object({
    walGiB: outputQuantity('GiB', 'The script\'s WAL: every operation a record (opsPerSec x 86,400 x retentionDays x 256 B x 0.7).'),
    storageTotalGiB: outputQuantity('GiB', 'warm + cold + the script\'s WAL + snapshots.'),
    memoryGiB: outputQuantity('GiB', 'memory.totalMiB x 1.25 / 1024, rounded up (the script truncates).'),
    storageGiB: outputQuantity('GiB', 'storageTotalGiB x 1.5, rounded up.'),
    memoryPressurePercent: outputQuantity('%', 'memory.totalMiB / memoryGiB: up to 80%, above the 60% under which the seed\'s memory matrix takes no action (75-85%: "Scale RAM").')
  }, 'The seed script\'s own figures where the plan departs from them (SEED_INCONSISTENCY warnings say why).'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'EngramEstimate', additionalProperties: false, description: 'Engram resource plan.' })
