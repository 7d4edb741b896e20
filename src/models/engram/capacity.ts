// The Engram capacity estimate: seed 004's estimate_capacity.sh and the documented formulas it
// leaves out, with the script's defects corrected (see docs/deviations.md).
import { type Assumption, type Warning, ceilClean, decimalClean, floorProduct, formatNumber, nextEven, sortBySeverity } from '../common.js'
import * as C from './constants.js'
import { GP3_LIMITS } from '../aws-volumes.js'
import { LINEAR_MODEL_MAX_CORES, VALIDATED_INSTANCE_OPS_PER_SEC, instanceLayout } from './performance.js'
import { type UpstreamScriptEstimate, WORKLOAD_PROFILES, type WorkloadType, upstreamScriptEstimate } from './upstream-script.js'

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
  /** compound daily growth of expectedNodes the plan must hold through horizonDays */
  dailyGrowthRate: number
  horizonDays: number
  /** upstream Engram's workload_type (orchard9/engram estimate_capacity.sh); none: the seed script's model */
  workloadType?: WorkloadType
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

export type InstanceRole = 'single' | 'shard' | 'replica'

export interface EngramLayout {
  /** single: one instance holds everything; shard: each holds a share; replica: each holds every memory space */
  role: InstanceRole
  replicationFactor: number
  copies: number
  dataShare: number
}

export interface EngramRecommendations {
  cores: number
  memoryGiB: number
  storageGiB: number
  instances: number
  coresPerInstance: number
  totalCores: number
  memoryGiBPerInstance: number
  storageGiBPerInstance: number
  layout: EngramLayout
}

/** What one instance holds and needs, today and at the horizon the plan is sized for. */
export interface InstanceNeed {
  nodes: number
  dataMiB: number
  activationPoolMiB: number
  runtimeMiB: number
  memoryNeedMiB: number
  dataGiB: number
  walGiB: number
  storageNeedGiB: number
}

export interface EngramPerInstance {
  horizonDays: number
  dailyGrowthRate: number
  /** instances the per-volume limit alone asks for (every copy's storage with headroom over 64 TiB volumes) */
  instancesForVolumes: number
  today: InstanceNeed
  atHorizon: InstanceNeed
  memoryPressurePercent: { today: number, atHorizon: number }
  diskUtilizationPercent: { today: number, atHorizon: number }
}

/** The seed script's own figures where the plan departs from them (WAL of every operation, 1.25x memory). */
export interface EngramSeedScript {
  walGiB: number
  storageTotalGiB: number
  memoryGiB: number
  storageGiB: number
  memoryPressurePercent: number
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
  perInstance: EngramPerInstance
  seedScript: EngramSeedScript
  /** upstream's script for the same arguments and workloadType: only when workloadType is given */
  upstreamScript?: UpstreamScriptFigures
  warnings: Warning[]
  assumptions: Assumption[]
}

/** The figures of upstream's script the answer reports (the rest of its printout derives from them). */
export interface UpstreamScriptFigures {
  workloadType: WorkloadType
  valid: boolean
  writeRatio: number
  readRatio: number
  walMultiplier: number
  cpuMultiplier: number
  memoryMultiplier: number
  totalCores: number
  recommendedCores: number
  numaAlignedCores: number
  totalMemoryMiB: number
  recommendedMemoryGiB: number
  walGiB: number
  tempSpaceGiB: number
  totalStorageGiB: number
  recommendedStorageGiB: number
  writeIops: number
  readIops: number
  totalIops: number
}

/** Defaults, then the workload type's write share (a stated writeRatio wins), then the request. */
export function resolveEngramInput (partial: Partial<EngramInput>): EngramInput {
  const profile = partial.workloadType === undefined ? {} : { writeRatio: WORKLOAD_PROFILES[partial.workloadType].writeRatio.value }
  return { ...C.ENGRAM_DEFAULTS, ...profile, ...partial }
}

/** Upstream's multipliers for the workload type; all 1 without one (the seed's script). */
export function workloadMultipliers (input: EngramInput): { cpu: number, memory: number, wal: number } {
  if (input.workloadType === undefined) return { cpu: 1, memory: 1, wal: 1 }
  const profile = WORKLOAD_PROFILES[input.workloadType]
  return { cpu: profile.cpuMultiplier.value, memory: profile.memoryMultiplier.value, wal: profile.walMultiplier.value }
}

export function upstreamFigures (input: EngramInput, workloadType: WorkloadType): UpstreamScriptFigures {
  const u: UpstreamScriptEstimate = upstreamScriptEstimate({
    expectedNodes: input.expectedNodes, activeRatio: input.activeRatio, edgesPerNode: input.edgesPerNode, opsPerSec: input.opsPerSec, retentionDays: input.retentionDays, consolidationIntervalSec: input.consolidationIntervalSec, workloadType
  })
  return {
    workloadType,
    valid: u.valid,
    writeRatio: u.ratios.write,
    readRatio: u.ratios.read,
    walMultiplier: u.ratios.walMultiplier,
    cpuMultiplier: u.ratios.cpuMultiplier,
    memoryMultiplier: u.ratios.memoryMultiplier,
    totalCores: u.cpu.totalCores,
    recommendedCores: u.recommended.cores,
    numaAlignedCores: u.recommended.numaAlignedCores,
    totalMemoryMiB: u.memory.totalMiB,
    recommendedMemoryGiB: u.recommended.memoryGiB,
    walGiB: u.storage.walGiB,
    tempSpaceGiB: u.storage.tempSpaceGiB,
    totalStorageGiB: u.storage.totalGiB,
    recommendedStorageGiB: u.recommended.storageGiB,
    writeIops: u.iops.write,
    readIops: u.iops.read,
    totalIops: u.iops.total
  }
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
  // upstream multiplies the total by the workload type's factor: each part is scaled, so the parts still add up
  const m = workloadMultipliers(input).memory
  return {
    hotTierMiB: hotTierMiB * m,
    warmTierMiB: warmTierMiB * m,
    coldTierMiB: coldTierMiB * m,
    activationPoolMiB: activationPoolMiB * m,
    runtimeMiB: runtimeMiB * m,
    totalMiB: (hotTierMiB + warmTierMiB + coldTierMiB + activationPoolMiB + runtimeMiB) * m
  }
}

export function cpuCores (input: EngramInput, tiers: EngramTiers): EngramCpu {
  // with a workload type, upstream spreads only the reads and consolidates only the writes, then
  // scales the work (not the system core) by the type's CPU factor; without one, the seed's script
  const typed = input.workloadType !== undefined
  const m = workloadMultipliers(input).cpu
  const spreadingOps = typed ? input.opsPerSec * (1 - input.writeRatio) : input.opsPerSec
  const spreadingCores = spreadingOps / C.SPREADING_OPS_PER_CORE.value *
    (1 + input.gpuFallbackRatio * C.GPU_FALLBACK_OVERHEAD.value) * m
  const consolidationCores = tiers.hotNodes * (typed ? input.writeRatio : 1) / input.consolidationIntervalSec / C.CONSOLIDATION_NODES_PER_CORE_SEC.value * m
  const compactionCores = input.compactionsPerHour * input.segmentSizeMiB /
    (input.compactionThroughputMiBPerSec * C.COMPACTION_WINDOW_SECONDS.value) * m
  const grpcRequestsPerSec = input.opsPerSec * input.grpcRequestRatio
  const httpRequestsPerSec = input.opsPerSec - grpcRequestsPerSec
  const apiCores = (httpRequestsPerSec / C.HTTP_REQUESTS_PER_CORE.value + grpcRequestsPerSec / C.GRPC_REQUESTS_PER_CORE.value) * m
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

/**
 * WAL kept for the retention: one 256-byte record per logged operation, compressed to 70%. The seed's
 * script logs every operation (seedScript.walGiB); only writes change state, so the plan logs writes.
 */
export function walStorageGiB (loggedOpsPerSec: number, retentionDays: number): number {
  return loggedOpsPerSec * C.SECONDS_PER_DAY * retentionDays * C.WAL_RECORD_BYTES.value * C.WAL_SIZE_FACTOR.value / C.BYTES_PER_GIB
}

export function storageGiB (input: EngramInput, tiers: EngramTiers): EngramStorage {
  const nodeBytes = C.EMBEDDING_BYTES.value + C.NODE_METADATA_BYTES.value
  const warmTierGiB = tiers.warmNodes * nodeBytes * C.WARM_VERSION_RETENTION_FACTOR.value / C.BYTES_PER_GIB
  const coldTierGiB = tiers.coldNodes * C.EMBEDDING_BYTES.value * C.COLD_COMPRESSION_RATIO.value / C.BYTES_PER_GIB
  const walGiB = walStorageGiB(input.opsPerSec * input.writeRatio, input.retentionDays) * workloadMultipliers(input).wal
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

/** Nodes after `days` of compound growth, whole nodes, at most the model's maximum (/forecast/engram's model). */
export function nodesAfter (nodes: number, dailyGrowthRate: number, days: number): number {
  // 0 nodes stay 0: 0 x Infinity (a large rate over many days) would be NaN
  return nodes === 0 ? 0 : Math.min(C.MAX_NODES, Math.round(nodes * (1 + dailyGrowthRate) ** days))
}

/** The sections that follow from the node count: tiers, CPU, memory, storage. */
export interface NodeSections { tiers: EngramTiers, cpu: EngramCpu, memory: EngramMemory, storage: EngramStorage }

export function sectionsAt (input: EngramInput, nodes: number): NodeSections {
  const at = { ...input, expectedNodes: nodes }
  const tiers = tierDistribution(at)
  return { tiers, cpu: cpuCores(at, tiers), memory: memoryMiB(at, tiers), storage: storageGiB(at, tiers) }
}

/** Who holds what: copies = 1 + replicationFactor, spread over the instances (at least one per copy). */
export function layoutOf (instances: number, replicationFactor: number): EngramLayout {
  const copies = 1 + replicationFactor
  const role: InstanceRole = instances === 1 ? 'single' : copies >= instances ? 'replica' : 'shard'
  return { role, replicationFactor, copies, dataShare: decimalClean(Math.min(1, copies / instances)) }
}

/**
 * One instance's need: its share of the tiers' data and of the WAL, its share of the activation pool
 * (operations spread over the instances), and the whole runtime overhead, which every process has.
 */
export function instanceNeed (sections: NodeSections, instances: number, layout: EngramLayout): InstanceNeed {
  const { memory, storage } = sections
  const dataMiB = (memory.hotTierMiB + memory.warmTierMiB + memory.coldTierMiB) * layout.dataShare
  const activationPoolMiB = memory.activationPoolMiB / instances
  const dataGiB = (storage.warmTierGiB + storage.coldTierGiB + storage.snapshotsGiB) * layout.dataShare
  const walGiB = storage.walGiB * layout.dataShare
  return {
    nodes: sections.tiers.hotNodes + sections.tiers.warmNodes + sections.tiers.coldNodes,
    dataMiB: decimalClean(dataMiB),
    activationPoolMiB: decimalClean(activationPoolMiB),
    runtimeMiB: memory.runtimeMiB,
    memoryNeedMiB: decimalClean(dataMiB + activationPoolMiB + memory.runtimeMiB),
    dataGiB: decimalClean(dataGiB),
    walGiB: decimalClean(walGiB),
    storageNeedGiB: decimalClean(dataGiB + walGiB)
  }
}

/**
 * Instances enough that each one's storage, with the 1.5x headroom, fits one volume (gp3: 64 TiB):
 * past it the data is split over more shards, not put on a volume AWS cannot make.
 */
export function instancesForVolumes (today: NodeSections, atHorizon: NodeSections, copies: number): number {
  const storedGiB = Math.max(today.storage.totalGiB, atHorizon.storage.totalGiB) * copies * C.HEADROOM_STORAGE.value
  return ceilClean(decimalClean(storedGiB / GP3_LIMITS.maxSizeGiB))
}

/**
 * The smallest whole GiB that keeps the need under 60%: the seed's memory matrix stays at row 1
 * ("<60%", no action), and the forecast's 80% threshold is not near.
 */
export function quietMemoryGiB (needMiB: number): number {
  return Math.floor(decimalClean(needMiB / (C.MEMORY_QUIET_PRESSURE.value * C.MIB_PER_GIB))) + 1
}

const percentOf = (need: number, size: number): number => size === 0 ? 0 : decimalClean(100 * need / size)

/**
 * Cores with the script's headroom, rounded up to an even count; instances and cores per instance
 * from the one layout rule /models/engram serves (performance.ts instanceLayout), with at least one
 * instance per copy of the data. Memory and storage per instance cover the larger of today's and the
 * horizon's need: memory under 60% (quietMemoryGiB), storage with the script's 1.5x (67%, under the
 * seed's 70% disk trigger). Totals are instances x per instance.
 */
export function recommend (input: EngramInput, today: NodeSections, atHorizon: NodeSections): { throughput: EngramThroughput, recommendations: EngramRecommendations, perInstance: EngramPerInstance } {
  const cores = nextEven(Math.max(today.cpu.totalCores, atHorizon.cpu.totalCores) * C.HEADROOM_CORES.value)
  const copies = 1 + input.replicationFactor
  const volumeBound = instancesForVolumes(today, atHorizon, copies)
  const layout = instanceLayout(requiredOpsPerSec(input), cores, Math.max(copies, volumeBound))
  const who = layoutOf(layout.instances, input.replicationFactor)
  const needToday = instanceNeed(today, layout.instances, who)
  const needLater = instanceNeed(atHorizon, layout.instances, who)
  const memoryGiBPerInstance = quietMemoryGiB(Math.max(needToday.memoryNeedMiB, needLater.memoryNeedMiB))
  const storageGiBPerInstance = ceilClean(Math.max(needToday.storageNeedGiB, needLater.storageNeedGiB) * C.HEADROOM_STORAGE.value)
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
      memoryGiB: layout.instances * memoryGiBPerInstance,
      storageGiB: layout.instances * storageGiBPerInstance,
      instances: layout.instances,
      coresPerInstance: layout.coresPerInstance,
      totalCores: layout.totalCores,
      memoryGiBPerInstance,
      storageGiBPerInstance,
      layout: who
    },
    perInstance: {
      horizonDays: input.horizonDays,
      dailyGrowthRate: input.dailyGrowthRate,
      instancesForVolumes: volumeBound,
      today: needToday,
      atHorizon: needLater,
      memoryPressurePercent: { today: percentOf(needToday.memoryNeedMiB, memoryGiBPerInstance * C.MIB_PER_GIB), atHorizon: percentOf(needLater.memoryNeedMiB, memoryGiBPerInstance * C.MIB_PER_GIB) },
      diskUtilizationPercent: { today: percentOf(needToday.storageNeedGiB, storageGiBPerInstance), atHorizon: percentOf(needLater.storageNeedGiB, storageGiBPerInstance) }
    }
  }
}

/** The script's figures where the plan departs from them: WAL of every operation, memory x 1.25. */
export function seedScriptFigures (input: EngramInput, memory: EngramMemory, storage: EngramStorage): EngramSeedScript {
  const walGiB = walStorageGiB(input.opsPerSec, input.retentionDays)
  const storageTotalGiB = storage.warmTierGiB + storage.coldTierGiB + walGiB + storage.snapshotsGiB
  const memoryGiB = ceilClean(memory.totalMiB * C.HEADROOM_MEMORY.value / C.MIB_PER_GIB)
  return {
    walGiB,
    storageTotalGiB,
    memoryGiB,
    storageGiB: ceilClean(storageTotalGiB * C.HEADROOM_STORAGE.value),
    memoryPressurePercent: percentOf(memory.totalMiB, memoryGiB * C.MIB_PER_GIB)
  }
}

const fmt = (value: number, digits = 0): string => formatNumber(value, digits, digits)

/** What the seed's memory matrix answers at the script's pressure, 60% to 80% (scaling.ts has the rows). */
export function memoryMatrixRowText (percent: number): string {
  if (percent >= 75) return 'which the seed\'s own memory matrix answers with "Scale RAM" (75-85%)'
  return 'which the seed\'s own memory matrix answers with "Optimize" when hot-heavy (60-75%) and, balanced, falls in a gap of its rows; only under 60% is it "No action"'
}

export function engramWarnings (input: EngramInput, result: Omit<EngramEstimate, 'warnings' | 'assumptions' | 'inputs'>): Warning[] {
  const { tiers, cpu, storage, throughput, recommendations, perInstance, seedScript } = result
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
  const instanceNeedMiB = Math.max(perInstance.today.memoryNeedMiB, perInstance.atHorizon.memoryNeedMiB)
  if (instanceNeedMiB > C.WARN_TOTAL_MEMORY_MIB.value) {
    warnings.push({ code: 'NUMA_AWARE_ALLOCATION', severity: 'warning', message: `Memory: ${fmt(instanceNeedMiB, 1)} MiB an instance is above 32 GiB; ensure NUMA-aware allocation (seed 004).` })
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
      message: `WAL is ${fmt(100 * storage.walGiB / storage.totalGiB, 1)}% of storage: every write (${fmt(input.opsPerSec * input.writeRatio)} a second) is a 256-byte WAL record kept for all ${input.retentionDays} days. ` +
        'Lower retentionDays if WAL is compacted into snapshots sooner.'
    })
  }
  if (seedScript.walGiB > storage.walGiB) {
    warnings.push({
      code: 'SEED_INCONSISTENCY',
      severity: 'info',
      message: `WAL: the seed's script logs every operation (${fmt(seedScript.walGiB, 1)} GiB, seedScript.walGiB; ${fmt(seedScript.storageGiB)} GiB recommended); reads change nothing and write no record, ` +
        `so the plan logs the writes only (writeRatio ${input.writeRatio}: ${fmt(storage.walGiB, 1)} GiB).`
    })
  }
  if (seedScript.memoryPressurePercent >= C.MEMORY_QUIET_PRESSURE.value * 100) {
    warnings.push({
      code: 'SEED_INCONSISTENCY',
      severity: 'info',
      message: `Memory: the script's 1.25x headroom gives ${fmt(seedScript.memoryGiB)} GiB, ${fmt(seedScript.memoryPressurePercent, 1)}% used, ${memoryMatrixRowText(seedScript.memoryPressurePercent)}. ` +
        `Each instance gets ${fmt(recommendations.memoryGiBPerInstance)} GiB: ${fmt(perInstance.memoryPressurePercent.today, 1)}% used today, ${fmt(perInstance.memoryPressurePercent.atHorizon, 1)}% on day ${perInstance.horizonDays}, under the matrix's 60% (no action).`
    })
  }
  const otherBounds = Math.max(recommendations.layout.copies, ceilClean(throughput.requiredOpsPerSec / VALIDATED_INSTANCE_OPS_PER_SEC), ceilClean(recommendations.cores / C.MAX_USEFUL_CORES.value))
  if (perInstance.instancesForVolumes > otherBounds) {
    warnings.push({
      code: 'STORAGE_SPLIT_FOR_VOLUME_LIMIT',
      severity: 'warning',
      message: `${fmt(recommendations.storageGiB)} GiB of storage does not fit ${fmt(recommendations.layout.copies)} volume(s) of at most ${fmt(GP3_LIMITS.maxSizeGiB)} GiB (gp3, 64 TiB): the plan splits the data over ${fmt(recommendations.instances)} instances of ${fmt(recommendations.storageGiBPerInstance)} GiB each.`
    })
  }
  if (recommendations.layout.role === 'shard' && input.replicationFactor === 0) {
    warnings.push({
      code: 'UNREPLICATED_SHARDS',
      severity: 'warning',
      message: `${fmt(recommendations.instances)} instances each hold 1/${fmt(recommendations.instances)} of the memory spaces with no copy: losing one loses its share until it is restored. ` +
        `Upstream Engram's cluster sets replication factor ${C.UPSTREAM_CLUSTER.value} (${C.UPSTREAM_CLUSTER.value + 1} copies if, as its config documents, the factor excludes the primary); set replicationFactor to size for it.`
    })
  }
  const walPerInstanceGiB = Math.max(perInstance.today.walGiB, perInstance.atHorizon.walGiB)
  if (walPerInstanceGiB > C.WAL_TRIGGER_GIB.value) {
    warnings.push({
      code: 'WAL_ABOVE_SEED_TRIGGER',
      severity: 'info',
      message: `Each instance keeps ${fmt(walPerInstanceGiB, 1)} GiB of WAL (every write for ${input.retentionDays} days), above the seed's storage trigger "WAL size >10GB: increase compaction": ` +
        'that trigger fires on this plan from day 0. The plan is sized to hold the WAL; compact it into snapshots sooner (a shorter retentionDays) to keep the trigger quiet.'
    })
  }
  if (perInstance.atHorizon.nodes >= C.MAX_NODES && perInstance.horizonDays > 0 && input.dailyGrowthRate > 0) {
    warnings.push({ code: 'GROWTH_CAPPED', severity: 'warning', message: `${input.dailyGrowthRate} a day for ${perInstance.horizonDays} days passes ${C.MAX_NODES.toExponential()} nodes, the most the model takes: the plan holds that many. Check dailyGrowthRate or shorten horizonDays.` })
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
  headroomStorage: C.HEADROOM_STORAGE,
  memoryQuietPressure: C.MEMORY_QUIET_PRESSURE,
  upstreamClusterReplicationFactor: C.UPSTREAM_CLUSTER
}).map(([name, constant]) => constantAssumption(name, constant))

/** The documented terms the script leaves out and this service leaves out too, stated, not hidden. */
const OMITTED_TERMS: Assumption[] = [
  { name: 'walBufferMiB', value: 0, unit: 'MiB', source: 'seed 004, formula 1 (WAL_BUFFER_MEMORY, 10,000 x 256 B = 2.44 MiB)', note: 'Not in the script; not added, it is inside the 500 MiB runtime overhead.' },
  { name: 'warmPageCacheMiB', value: 0, unit: 'MiB', source: 'seed 004, formula 1 (page_cache_size, typically 25% of warm tier)', note: 'OS-managed page cache, not process memory; not added, as in the script.' },
  { name: 'walRecordsPerWrite', value: 1, unit: 'WAL records per write', source: `${C.SERVICE_ASSUMPTION}; seed 004 formula 3 and script (WAL_STORAGE = ops x 86,400 x days x 256 B x 0.7)`, note: 'SEED_INCONSISTENCY: the script logs every operation; reads change no state, so storage.walGiB counts writes (opsPerSec x writeRatio) and seedScript.walGiB keeps the script\'s figure.' },
  { name: 'instanceShare', value: 1, unit: 'runtime per instance', source: C.SERVICE_ASSUMPTION, note: 'Each instance holds min(1, copies / instances) of the data (memory spaces placed evenly, as upstream\'s random placement does on average), 1 / instances of the activation pool (operations spread evenly) and a whole 500 MiB runtime; storage holds its data share and the WAL of the writes to it. Replicas applying writes use CPU the seed\'s formulas do not count; cores are not raised for it.' },
  { name: 'tempSpaceGiB', value: 0, unit: 'GiB', source: 'seed 004, formula 3 (TEMP_SPACE = max(largest_segment x 2, data x 0.1))', note: 'Not in the script; covered by the 1.5x storage headroom.' }
]

/** Inputs whose defaults the service chose (the seed gives none), with the value actually used. */
const SERVICE_CHOSEN_INPUTS: Array<{ name: keyof typeof C.ENGRAM_DEFAULTS, unit: string, source: string, note: string }> = [
  { name: 'segmentSizeMiB', unit: 'MiB', source: C.SERVICE_ASSUMPTION, note: 'Used only when compactionsPerHour > 0.' },
  { name: 'compactionThroughputMiBPerSec', unit: 'MiB/s', source: C.SERVICE_ASSUMPTION, note: 'Used only when compactionsPerHour > 0.' },
  { name: 'requestSizeBytes', unit: 'bytes', source: C.SERVICE_ASSUMPTION, note: 'Default: one 3,072-byte embedding plus envelope.' },
  { name: 'responseSizeBytes', unit: 'bytes', source: C.SERVICE_ASSUMPTION, note: 'Default: as the request.' },
  { name: 'backupWindowHours', unit: 'h', source: C.SERVICE_ASSUMPTION, note: 'Default: the seed\'s 2-6 AM low-traffic window; the backup is the warm and cold tier data.' },
  { name: 'writeRatio', unit: 'fraction', source: 'seed 004, Mixed Workload (40% writes)', note: 'Each write is one 256-byte WAL record, kept for retentionDays and sent to every replica. With workloadType, the type\'s write share unless the request states writeRatio.' }
]

export function engramAssumptions (inputs: EngramInput): Assumption[] {
  const chosen = SERVICE_CHOSEN_INPUTS.map(({ name, unit, source, note }) => {
    const fromProfile = name === 'writeRatio' && inputs.workloadType !== undefined && inputs.writeRatio === WORKLOAD_PROFILES[inputs.workloadType].writeRatio.value
    const fromRequest = inputs[name] !== C.ENGRAM_DEFAULTS[name]
    return { name, value: inputs[name], unit, source: fromProfile ? WORKLOAD_PROFILES[inputs.workloadType as WorkloadType].writeRatio.source : fromRequest ? 'request' : source, note }
  })
  return [...CONSTANT_ASSUMPTIONS, ...OMITTED_TERMS, ...chosen]
}

/**
 * The plan for a workload whose nodes reach `horizonNodes` within its horizon; /forecast/engram
 * passes its own model's count (a linear fit), the estimate its compound growth.
 */
export function planEngram (inputs: EngramInput, horizonNodes: number): EngramEstimate {
  const today = sectionsAt(inputs, inputs.expectedNodes)
  const atHorizon = horizonNodes === inputs.expectedNodes ? today : sectionsAt(inputs, horizonNodes)
  const network = networkMbps(inputs, today.storage)
  const { throughput, recommendations, perInstance } = recommend(inputs, today, atHorizon)
  const sections = {
    ...today,
    network,
    throughput,
    recommendations,
    perInstance,
    seedScript: seedScriptFigures(inputs, today.memory, today.storage),
    ...(inputs.workloadType === undefined ? {} : { upstreamScript: upstreamFigures(inputs, inputs.workloadType) })
  }
  return { inputs, ...sections, warnings: engramWarnings(inputs, sections), assumptions: engramAssumptions(inputs) }
}

/** The plan's deployment (its instances and layout) at another node count: what it then needs in all. */
export function deploymentNeedAt (plan: EngramEstimate, nodes: number): { cores: number, memoryGiB: number, storageGiB: number } {
  const sections = sectionsAt(plan.inputs, nodes)
  const { instances, layout } = plan.recommendations
  const need = instanceNeed(sections, instances, layout)
  return { cores: sections.cpu.totalCores, memoryGiB: decimalClean(instances * need.memoryNeedMiB / C.MIB_PER_GIB), storageGiB: decimalClean(instances * need.storageNeedGiB) }
}

export function estimateEngram (partial: Partial<EngramInput> = {}): EngramEstimate {
  const inputs = resolveEngramInput(partial)
  return planEngram(inputs, nodesAfter(inputs.expectedNodes, inputs.dailyGrowthRate, inputs.horizonDays))
}
