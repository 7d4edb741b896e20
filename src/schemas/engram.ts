// Request and response schemas of POST/GET /estimate/engram (seed 004).
import { Type } from 'typebox'
import { ENGRAM_DEFAULTS as D } from '../models/engram/constants.js'
import { AssumptionsRef, WarningsRef, inputQuantity, outputQuantity } from './common.js'

const MAX_OPS_PER_SEC = 1e9
const MAX_BYTES = 1_073_741_824

export const engramInputProperties = {
  expectedNodes: inputQuantity({ description: 'Total memory-graph nodes expected (script $1).', unit: 'nodes', minimum: 0, maximum: 1e12, default: D.expectedNodes, integer: true }),
  activeRatio: inputQuantity({ description: 'Fraction of nodes active, i.e. in the hot tier (script $2).', unit: 'fraction', minimum: 0, maximum: 1, default: D.activeRatio }),
  edgesPerNode: inputQuantity({ description: 'Average edges per node (script $3).', unit: 'edges', minimum: 0, maximum: 1e6, default: D.edgesPerNode }),
  opsPerSec: inputQuantity({ description: 'Target operations per second (script $4); each is also one WAL record, as in the seed.', unit: 'ops/s', minimum: 0, maximum: MAX_OPS_PER_SEC, default: D.opsPerSec }),
  retentionDays: inputQuantity({ description: 'WAL and data retention period (script $5).', unit: 'days', minimum: 0, maximum: 36_500, default: D.retentionDays }),
  consolidationIntervalSec: inputQuantity({ description: 'Seconds between consolidations (script $6); must be above 0, and at least 0.001 so the CPU figure stays finite.', unit: 's', minimum: 0.001, maximum: 31_536_000, default: D.consolidationIntervalSec }),
  gpuFallbackRatio: inputQuantity({ description: 'Fraction of spreading that falls back from GPU to CPU; spreading cores x (1 + ratio x 0.5) (formula 2). 0 keeps the script\'s figures.', unit: 'fraction', minimum: 0, maximum: 1, default: D.gpuFallbackRatio }),
  grpcRequestRatio: inputQuantity({ description: 'Fraction of requests over gRPC (8,000/core) instead of HTTP (5,000/core) (formula 2). 0 keeps the script\'s figures.', unit: 'fraction', minimum: 0, maximum: 1, default: D.grpcRequestRatio }),
  compactionsPerHour: inputQuantity({ description: 'Segment compactions per hour (formula 2, COMPACTION_CPU). 0 keeps the script\'s figures.', unit: 'compactions/h', minimum: 0, maximum: 3600, default: D.compactionsPerHour }),
  segmentSizeMiB: inputQuantity({ description: 'Size of one compacted segment (service default; the seed gives none).', unit: 'MiB', minimum: 0, exclusiveMinimum: true, maximum: 1_048_576, default: D.segmentSizeMiB }),
  compactionThroughputMiBPerSec: inputQuantity({ description: 'Compaction throughput of one core (service default; the seed gives none).', unit: 'MiB/s', minimum: 1, maximum: 100_000, default: D.compactionThroughputMiBPerSec }),
  writeRatio: inputQuantity({ description: 'Fraction of operations that are writes, for replication bandwidth (seed: mixed workload 40%).', unit: 'fraction', minimum: 0, maximum: 1, default: D.writeRatio }),
  replicationFactor: inputQuantity({ description: 'Replicas each write is sent to (formula 4; "future: distributed mode", so 0).', unit: 'replicas', minimum: 0, maximum: 16, default: D.replicationFactor, integer: true }),
  requestSizeBytes: inputQuantity({ description: 'Average request size (service default).', unit: 'bytes', minimum: 0, maximum: MAX_BYTES, default: D.requestSizeBytes }),
  responseSizeBytes: inputQuantity({ description: 'Average response size (service default).', unit: 'bytes', minimum: 0, maximum: MAX_BYTES, default: D.responseSizeBytes }),
  backupWindowHours: inputQuantity({ description: 'Time a full backup of the warm and cold data may take (service default: the seed\'s 2-6 AM window).', unit: 'h', minimum: 0.01, maximum: 168, default: D.backupWindowHours })
}

export const EngramRequestSchema = Type.Partial(Type.Object(engramInputProperties), {
  additionalProperties: false,
  description: 'Workload shape of an Engram deployment. Every field is optional; defaults are the seed script\'s.'
})

export const EngramQuerySchema = Type.Partial(Type.Object(engramInputProperties), {
  additionalProperties: false
})

const object = <T extends Record<string, ReturnType<typeof outputQuantity>>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description })

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
    walGiB: outputQuantity('GiB', 'opsPerSec x 86,400 x retentionDays x 256 B x 0.7.'),
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
  recommendations: object({
    cores: outputQuantity('cores', 'totalCores x 1.5, rounded up to the next even count.'),
    memoryGiB: outputQuantity('GiB', 'totalMiB x 1.25 / 1024, rounded up.'),
    storageGiB: outputQuantity('GiB', 'totalGiB x 1.5, rounded up.'),
    instances: outputQuantity('instances', 'Instances of the layout: the fewest that deliver throughput.requiredOpsPerSec (13,000 ops/s each in the validated 8 cores) and hold `cores` within 32 useful cores each. The same rule as /models/engram coresForTarget.'),
    coresPerInstance: outputQuantity('cores', 'Cores per instance, even: the larger of what the throughput and the CPU need ask of each instance.'),
    totalCores: outputQuantity('cores', 'instances x coresPerInstance; never below `cores`.')
  }, 'Provisioning with the seed\'s headroom (cores x1.5, memory x1.25, storage x1.5), always rounded up. Memory and storage are totals across instances.'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'EngramEstimate', additionalProperties: false, description: 'Engram resource plan.' })
