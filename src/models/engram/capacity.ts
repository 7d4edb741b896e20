// The Engram capacity estimate: seed 004's estimate_capacity.sh and the documented formulas it
// leaves out, with the script's defects corrected (see docs/deviations.md).
import { type Assumption, type Warning, ceilClean, decimalClean, floorProduct, formatNumber, nextEven, sortBySeverity } from '../common.js'
import * as C from './constants.js'
import { LINEAR_MODEL_MAX_CORES, VALIDATED_INSTANCE_OPS_PER_SEC, instanceLayout } from './performance.js'

export interface EngramInput {
  expectedNodes: number
  activeRatio: number
  edgesPerNode: number
  opsPerSec: number
  retentionDays: number
  consolidationIntervalSec: number
  gpuFallbackRatio: number
  grpcRequestRatio: number
  compactionsPerHour: number
  segmentSizeMiB: number
  compactionThroughputMiBPerSec: number
  writeRatio: number
  replicationFactor: number
  requestSizeBytes: number
  responseSizeBytes: number
  backupWindowHours: number
}

export interface EngramTiers {
  hotNodes: number
  warmNodes: number
  coldNodes: number
  totalEdges: number
  hotEdges: number
}

export interface EngramCpu {
  spreadingCores: number
  consolidationCores: number
  compactionCores: number
  apiCores: number
  systemCores: number
  totalCores: number
}

export interface EngramMemory {
  hotTierMiB: number
  warmTierMiB: number
  coldTierMiB: number
  activationPoolMiB: number
  runtimeMiB: number
  totalMiB: number
}

export interface EngramStorage {
  warmTierGiB: number
  coldTierGiB: number
  walGiB: number
  snapshotsGiB: number
  totalGiB: number
}

export interface EngramNetwork {
  clientMbps: number
  replicationMbps: number
  backupMbps: number
  peakMbps: number
}

export interface EngramRecommendations {
  cores: number
  memoryGiB: number
  storageGiB: number
  instances: number
  coresPerInstance: number
  totalCores: number
}

export interface EngramThroughput {
  targetOpsPerSec: number
  gpuFallbackFactor: number
  headroom: number
  requiredOpsPerSec: number
  throughputCoresPerInstance: number
  cpuCoresPerInstance: number
  perInstanceOpsPerSec: number
  layoutOpsPerSec: number
}

export interface EngramEstimate {
  inputs: EngramInput
  tiers: EngramTiers
  cpu: EngramCpu
  memory: EngramMemory
  storage: EngramStorage
  network: EngramNetwork
  throughput: EngramThroughput
  recommendations: EngramRecommendations
  warnings: Warning[]
  assumptions: Assumption[]
}

export function resolveEngramInput (partial: Partial<EngramInput>): EngramInput {
  return { ...C.ENGRAM_DEFAULTS, ...partial }
}

/** Hot = floor(N x ratio); warm = 3x hot while it fits; cold is the rest and never negative. */
export function tierDistribution (input: EngramInput): EngramTiers {
  const nodes = input.expectedNodes
  const hotNodes = floorProduct(nodes, input.activeRatio)
  const warmNodes = Math.min(floorProduct(nodes, input.activeRatio, C.WARM_TO_HOT_RATIO.value), nodes - hotNodes)
  return {
    hotNodes,
    warmNodes,
    coldNodes: nodes - hotNodes - warmNodes,
    totalEdges: floorProduct(nodes, input.edgesPerNode),
    hotEdges: floorProduct(hotNodes, input.edgesPerNode)
  }
}

export function memoryMiB (input: EngramInput, tiers: EngramTiers): EngramMemory {
  const nodeBytes = C.EMBEDDING_BYTES.value + C.NODE_METADATA_BYTES.value
  const hotTierMiB = (tiers.hotNodes * nodeBytes + tiers.hotEdges * C.EDGE_OVERHEAD_BYTES.value) *
    C.HASH_TABLE_OVERHEAD.value / C.BYTES_PER_MIB
  const warmTierMiB = tiers.warmNodes * C.EMBEDDING_BYTES.value * C.WARM_PREFETCH_RATIO.value / C.BYTES_PER_MIB
  const coldTierMiB = (tiers.coldNodes * C.BLOOM_FILTER_BITS_PER_NODE.value / 8 +
    tiers.coldNodes * C.SKIP_LIST_ENTRY_BYTES.value / C.SKIP_LIST_NODES_PER_ENTRY.value) / C.BYTES_PER_MIB
  const activationPoolMiB = input.opsPerSec * C.CONCURRENT_ACTIVATION_RATIO.value * C.ACTIVATION_RECORD_BYTES.value / C.BYTES_PER_MIB
  const runtimeMiB = C.RUNTIME_OVERHEAD_MIB.value
  return {
    hotTierMiB,
    warmTierMiB,
    coldTierMiB,
    activationPoolMiB,
    runtimeMiB,
    totalMiB: hotTierMiB + warmTierMiB + coldTierMiB + activationPoolMiB + runtimeMiB
  }
}

export function cpuCores (input: EngramInput, tiers: EngramTiers): EngramCpu {
  const spreadingCores = input.opsPerSec / C.SPREADING_OPS_PER_CORE.value *
    (1 + input.gpuFallbackRatio * C.GPU_FALLBACK_OVERHEAD.value)
  const consolidationCores = tiers.hotNodes / input.consolidationIntervalSec / C.CONSOLIDATION_NODES_PER_CORE_SEC.value
  const compactionCores = input.compactionsPerHour * input.segmentSizeMiB /
    (input.compactionThroughputMiBPerSec * C.COMPACTION_WINDOW_SECONDS.value)
  const grpcRequestsPerSec = input.opsPerSec * input.grpcRequestRatio
  const httpRequestsPerSec = input.opsPerSec - grpcRequestsPerSec
  const apiCores = httpRequestsPerSec / C.HTTP_REQUESTS_PER_CORE.value + grpcRequestsPerSec / C.GRPC_REQUESTS_PER_CORE.value
  const systemCores = C.SYSTEM_CORES.value
  return {
    spreadingCores,
    consolidationCores,
    compactionCores,
    apiCores,
    systemCores,
    totalCores: spreadingCores + consolidationCores + compactionCores + apiCores + systemCores
  }
}

export function storageGiB (input: EngramInput, tiers: EngramTiers): EngramStorage {
  const nodeBytes = C.EMBEDDING_BYTES.value + C.NODE_METADATA_BYTES.value
  const warmTierGiB = tiers.warmNodes * nodeBytes * C.WARM_VERSION_RETENTION_FACTOR.value / C.BYTES_PER_GIB
  const coldTierGiB = tiers.coldNodes * C.EMBEDDING_BYTES.value * C.COLD_COMPRESSION_RATIO.value / C.BYTES_PER_GIB
  const walGiB = input.opsPerSec * C.SECONDS_PER_DAY * input.retentionDays * C.WAL_RECORD_BYTES.value *
    C.WAL_SIZE_FACTOR.value / C.BYTES_PER_GIB
  const snapshotsGiB = (warmTierGiB + coldTierGiB) * C.SNAPSHOT_COUNT.value * C.SNAPSHOT_INCREMENT_RATIO.value
  return { warmTierGiB, coldTierGiB, walGiB, snapshotsGiB, totalGiB: warmTierGiB + coldTierGiB + walGiB + snapshotsGiB }
}

const bytesPerSecToMbps = (bytesPerSec: number): number => bytesPerSec * 8 / 1e6

/** Formula 4: replication and backup compete for the link; clients peak at 1.5x. */
export function networkMbps (input: EngramInput, storage: EngramStorage): EngramNetwork {
  const clientMbps = bytesPerSecToMbps((input.requestSizeBytes + input.responseSizeBytes) * input.opsPerSec)
  const writeBytesPerSec = input.opsPerSec * input.writeRatio * C.WAL_RECORD_BYTES.value
  const replicationMbps = bytesPerSecToMbps(writeBytesPerSec * input.replicationFactor)
  const backupBytes = (storage.warmTierGiB + storage.coldTierGiB) * C.BYTES_PER_GIB
  const backupMbps = bytesPerSecToMbps(backupBytes / (input.backupWindowHours * 3600))
  return {
    clientMbps,
    replicationMbps,
    backupMbps,
    peakMbps: Math.max(replicationMbps, backupMbps) + clientMbps * C.CLIENT_BANDWIDTH_PEAK_FACTOR.value
  }
}

/**
 * The layout's throughput need: the target ops/s with the GPU fallback overhead (formula 2) and the
 * script's 1.5x core headroom, in ops/s of the throughput model.
 */
export function requiredOpsPerSec (input: EngramInput): number {
  return decimalClean(input.opsPerSec * (1 + input.gpuFallbackRatio * C.GPU_FALLBACK_OVERHEAD.value) * C.HEADROOM_CORES.value)
}

/**
 * Headroom as the script, but rounded up (the script truncates 1.58 GiB to "1 GB"); instances and
 * cores per instance from the one layout rule /models/engram serves (performance.ts instanceLayout),
 * so the layout holds the cores with headroom and delivers the required ops/s by the throughput model.
 */
export function recommend (input: EngramInput, cpu: EngramCpu, memory: EngramMemory, storage: EngramStorage): { throughput: EngramThroughput, recommendations: EngramRecommendations } {
  const cores = nextEven(cpu.totalCores * C.HEADROOM_CORES.value)
  const layout = instanceLayout(requiredOpsPerSec(input), cores)
  return {
    throughput: {
      targetOpsPerSec: input.opsPerSec,
      gpuFallbackFactor: decimalClean(1 + input.gpuFallbackRatio * C.GPU_FALLBACK_OVERHEAD.value),
      headroom: C.HEADROOM_CORES.value,
      requiredOpsPerSec: layout.requiredOpsPerSec,
      throughputCoresPerInstance: layout.throughputCoresPerInstance,
      cpuCoresPerInstance: layout.cpuCoresPerInstance,
      perInstanceOpsPerSec: layout.perInstanceOpsPerSec,
      layoutOpsPerSec: layout.opsPerSec
    },
    recommendations: {
      cores,
      memoryGiB: ceilClean(memory.totalMiB * C.HEADROOM_MEMORY.value / 1024),
      storageGiB: ceilClean(storage.totalGiB * C.HEADROOM_STORAGE.value),
      instances: layout.instances,
      coresPerInstance: layout.coresPerInstance,
      totalCores: layout.totalCores
    }
  }
}

const fmt = (value: number, digits = 0): string => formatNumber(value, digits, digits)

export function engramWarnings (input: EngramInput, result: Omit<EngramEstimate, 'warnings' | 'assumptions' | 'inputs'>): Warning[] {
  const { tiers, cpu, memory, storage, throughput, recommendations } = result
  const warnings: Warning[] = []
  const uncappedWarm = floorProduct(input.expectedNodes, input.activeRatio, C.WARM_TO_HOT_RATIO.value)
  if (uncappedWarm > tiers.warmNodes) {
    warnings.push({
      code: 'WARM_TIER_CAPPED',
      severity: 'warning',
      message: `activeRatio ${input.activeRatio} leaves room for ${fmt(tiers.warmNodes)} warm nodes, not 3x hot (${fmt(uncappedWarm)}); ` +
        `the cold tier is 0. The seed script would report ${fmt(input.expectedNodes - tiers.hotNodes - uncappedWarm)} cold nodes and negative memory and storage.`
    })
  }
  if (cpu.totalCores > C.WARN_TOTAL_CORES.value) {
    warnings.push({ code: 'HORIZONTAL_SCALING', severity: 'warning', message: `CPU: ${fmt(cpu.totalCores, 1)} cores needed; consider horizontal scaling beyond ${C.WARN_TOTAL_CORES.value} cores (seed 004).` })
  }
  if (memory.totalMiB > C.WARN_TOTAL_MEMORY_MIB.value) {
    warnings.push({ code: 'NUMA_AWARE_ALLOCATION', severity: 'warning', message: `Memory: ${fmt(memory.totalMiB, 1)} MiB is above 32 GiB; ensure NUMA-aware allocation (seed 004).` })
  }
  if (tiers.hotNodes > C.WARN_HOT_NODES.value) {
    warnings.push({ code: 'SHARD_HOT_TIER', severity: 'warning', message: `Hot tier: ${fmt(tiers.hotNodes)} nodes is above 10,000,000; consider sharding the hot tier across instances (seed 004).` })
  }
  if (recommendations.cores > C.MAX_USEFUL_CORES.value) {
    warnings.push({
      code: 'MAX_USEFUL_CORES_EXCEEDED',
      severity: 'warning', // the layout already splits them
      message: `${recommendations.cores} recommended cores exceed the ${C.MAX_USEFUL_CORES.value} useful cores per instance (lock contention); ` +
        `run ${fmt(recommendations.instances)} instances of ${recommendations.coresPerInstance} cores.`
    })
  }
  if (recommendations.instances > ceilClean(recommendations.cores / C.MAX_USEFUL_CORES.value)) {
    warnings.push({
      code: 'THROUGHPUT_NEEDS_INSTANCES',
      severity: 'warning',
      message: `${fmt(throughput.requiredOpsPerSec)} ops/s (the ${fmt(input.opsPerSec)} ops/s target` +
        (throughput.gpuFallbackFactor > 1 ? ` x ${throughput.gpuFallbackFactor} GPU fallback` : '') + ` x ${throughput.headroom} headroom) is more than one instance delivers in the throughput model's validated ${LINEAR_MODEL_MAX_CORES} cores ` +
        `(${fmt(VALIDATED_INSTANCE_OPS_PER_SEC)} ops/s): ${fmt(recommendations.instances)} instances of ${recommendations.coresPerInstance} cores deliver ${fmt(throughput.layoutOpsPerSec)} ops/s.`
    })
  }
  const headroomCores = ceilClean(cpu.totalCores * C.HEADROOM_CORES.value)
  if (headroomCores !== recommendations.cores) {
    warnings.push({ code: 'EVEN_CORE_COUNT', severity: 'info', message: `${headroomCores} cores with headroom rounded up to ${recommendations.cores}: the seed prefers even core counts for NUMA symmetry.` })
  }
  if (cpu.compactionCores > C.COMPACTION_CORE_LIMIT.value) {
    warnings.push({ code: 'COMPACTION_OVER_ONE_CORE', severity: 'warning', message: `Compaction needs ${fmt(cpu.compactionCores, 2)} cores; the seed advises limiting compaction to 1 core: compact less often or in smaller segments.` })
  }
  if (storage.walGiB > storage.totalGiB / 2) {
    warnings.push({
      code: 'WAL_DOMINATES_STORAGE',
      severity: 'info',
      message: `WAL is ${fmt(100 * storage.walGiB / storage.totalGiB, 1)}% of storage: the seed counts every operation as a 256-byte WAL record kept for all ${input.retentionDays} days. ` +
        'Lower retentionDays or opsPerSec if WAL is compacted sooner or reads are not logged.'
    })
  }
  return sortBySeverity(warnings)
}

function constantAssumption (name: string, constant: C.SeedConstant): Assumption {
  return constant.note === undefined
    ? { name, value: constant.value, unit: constant.unit, source: constant.source }
    : { name, value: constant.value, unit: constant.unit, source: constant.source, note: constant.note }
}

const CONSTANT_ASSUMPTIONS: Assumption[] = Object.entries({
  embeddingBytes: C.EMBEDDING_BYTES,
  nodeMetadataBytes: C.NODE_METADATA_BYTES,
  edgeOverheadBytes: C.EDGE_OVERHEAD_BYTES,
  hashTableOverhead: C.HASH_TABLE_OVERHEAD,
  walRecordBytes: C.WAL_RECORD_BYTES,
  coldCompressionRatio: C.COLD_COMPRESSION_RATIO,
  warmToHotRatio: C.WARM_TO_HOT_RATIO,
  warmPrefetchRatio: C.WARM_PREFETCH_RATIO,
  bloomFilterBitsPerNode: C.BLOOM_FILTER_BITS_PER_NODE,
  skipListNodesPerEntry: C.SKIP_LIST_NODES_PER_ENTRY,
  skipListEntryBytes: C.SKIP_LIST_ENTRY_BYTES,
  concurrentActivationRatio: C.CONCURRENT_ACTIVATION_RATIO,
  activationRecordBytes: C.ACTIVATION_RECORD_BYTES,
  runtimeOverheadMiB: C.RUNTIME_OVERHEAD_MIB,
  spreadingOpsPerCore: C.SPREADING_OPS_PER_CORE,
  gpuFallbackOverhead: C.GPU_FALLBACK_OVERHEAD,
  consolidationNodesPerCoreSec: C.CONSOLIDATION_NODES_PER_CORE_SEC,
  httpRequestsPerCore: C.HTTP_REQUESTS_PER_CORE,
  grpcRequestsPerCore: C.GRPC_REQUESTS_PER_CORE,
  compactionWindowSeconds: C.COMPACTION_WINDOW_SECONDS,
  systemCores: C.SYSTEM_CORES,
  maxUsefulCores: C.MAX_USEFUL_CORES,
  warmVersionRetentionFactor: C.WARM_VERSION_RETENTION_FACTOR,
  walSizeFactor: C.WAL_SIZE_FACTOR,
  snapshotCount: C.SNAPSHOT_COUNT,
  snapshotIncrementRatio: C.SNAPSHOT_INCREMENT_RATIO,
  clientBandwidthPeakFactor: C.CLIENT_BANDWIDTH_PEAK_FACTOR,
  headroomCores: C.HEADROOM_CORES,
  headroomMemory: C.HEADROOM_MEMORY,
  headroomStorage: C.HEADROOM_STORAGE
}).map(([name, constant]) => constantAssumption(name, constant))

/** The documented terms the script leaves out and this service leaves out too, stated, not hidden. */
const OMITTED_TERMS: Assumption[] = [
  { name: 'walBufferMiB', value: 0, unit: 'MiB', source: 'seed 004, formula 1 (WAL_BUFFER_MEMORY, 10,000 x 256 B = 2.44 MiB)', note: 'Not in the script; not added, it is inside the 500 MiB runtime overhead.' },
  { name: 'warmPageCacheMiB', value: 0, unit: 'MiB', source: 'seed 004, formula 1 (page_cache_size, typically 25% of warm tier)', note: 'OS-managed page cache, not process memory; not added, as in the script.' },
  { name: 'tempSpaceGiB', value: 0, unit: 'GiB', source: 'seed 004, formula 3 (TEMP_SPACE = max(largest_segment x 2, data x 0.1))', note: 'Not in the script; covered by the 1.5x storage headroom.' }
]

/** Inputs whose defaults the service chose (the seed gives none), with the value actually used. */
const SERVICE_CHOSEN_INPUTS: Array<{ name: keyof EngramInput, unit: string, source: string, note: string }> = [
  { name: 'segmentSizeMiB', unit: 'MiB', source: C.SERVICE_ASSUMPTION, note: 'Used only when compactionsPerHour > 0.' },
  { name: 'compactionThroughputMiBPerSec', unit: 'MiB/s', source: C.SERVICE_ASSUMPTION, note: 'Used only when compactionsPerHour > 0.' },
  { name: 'requestSizeBytes', unit: 'bytes', source: C.SERVICE_ASSUMPTION, note: 'Default: one 3,072-byte embedding plus envelope.' },
  { name: 'responseSizeBytes', unit: 'bytes', source: C.SERVICE_ASSUMPTION, note: 'Default: as the request.' },
  { name: 'backupWindowHours', unit: 'h', source: C.SERVICE_ASSUMPTION, note: 'Default: the seed\'s 2-6 AM low-traffic window; the backup is the warm and cold tier data.' },
  { name: 'writeRatio', unit: 'fraction', source: 'seed 004, Mixed Workload (40% writes)', note: 'Replication carries one 256-byte WAL record per write.' }
]

export function engramAssumptions (inputs: EngramInput): Assumption[] {
  const chosen = SERVICE_CHOSEN_INPUTS.map(({ name, unit, source, note }) => {
    const fromRequest = inputs[name] !== C.ENGRAM_DEFAULTS[name]
    return { name, value: inputs[name], unit, source: fromRequest ? 'request' : source, note }
  })
  return [...CONSTANT_ASSUMPTIONS, ...OMITTED_TERMS, ...chosen]
}

export function estimateEngram (partial: Partial<EngramInput> = {}): EngramEstimate {
  const inputs = resolveEngramInput(partial)
  const tiers = tierDistribution(inputs)
  const cpu = cpuCores(inputs, tiers)
  const memory = memoryMiB(inputs, tiers)
  const storage = storageGiB(inputs, tiers)
  const network = networkMbps(inputs, storage)
  const { throughput, recommendations } = recommend(inputs, cpu, memory, storage)
  const sections = { tiers, cpu, memory, storage, network, throughput, recommendations }
  return { inputs, ...sections, warnings: engramWarnings(inputs, sections), assumptions: engramAssumptions(inputs) }
}
