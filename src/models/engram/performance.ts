// Performance prediction models and DR objectives of seed 004: throughput by cores (and its
// inverse), memory latency by tier, storage throughput, and recovery time by data size.
import { type Assumption, type Warning, ceilClean, decimalClean, formatNumber, nextEven, rangeRowIndex, sortBySeverity } from '../common.js'
import { MAX_USEFUL_CORES, SPREADING_OPS_PER_CORE } from './constants.js'

const SEED = 'seed 004, Performance Prediction Models'
const DR = 'seed 004, Disaster Recovery Scaling Considerations'

export const EFFICIENCY_LOSS_PER_CORE = 0.05 // seed 004: efficiency(cores) = 1.0 - (cores - 1) * 0.05
export const LINEAR_MODEL_MAX_CORES = 8 // seed 004: "Linear Scaling Model (up to 8 cores)"
/** cores x (1.05 - 0.05 cores) peaks between 10 and 11 cores; past that the curve falls. */
export const PEAK_CORES = 10

export const BASE_LATENCY_MS = 0.1
export const TIER_MULTIPLIER = { hot: 1, warm: 10, cold: 100 } as const
export const LATENCY_REFERENCE_NODES = 1000

export const WAL_REPLAY_MB_PER_SEC = 100
export const INDEX_REBUILD_NODES_PER_SEC_PER_CORE = 50_000
export const MEMORY_WARMUP_GB_PER_SEC = 1

export interface PerformanceInput {
  cores: number
  targetOpsPerSec: number
  nodesActivated: number
  diskIops: number
  diskBandwidthMBps: number
  walBufferBytes: number
  walFlushIntervalMs: number
  avgReadSizeKB: number
  cacheHitRate: number
  memoryBandwidthMBps: number
  dataSizeGiB: number
  walSizeGiB: number
  nodes: number
  memoryGiB: number
  minimumTotalCores: number
}

export const PERFORMANCE_DEFAULTS: PerformanceInput = {
  cores: 4, // the seed's middle example
  targetOpsPerSec: 5000, // estimate_capacity.sh default ops/s
  nodesActivated: 10_000, // the seed's latency example
  diskIops: 3000, // SERVICE: gp3 baseline
  diskBandwidthMBps: 125, // SERVICE: gp3 baseline
  walBufferBytes: 10_000 * 256, // seed 004: WAL_BUFFER_MEMORY default 10,000 x 256 B
  walFlushIntervalMs: 10, // SERVICE
  avgReadSizeKB: 4, // seed 004: MMAP_PAGE_SIZE 4,096 B
  cacheHitRate: 0.9, // SERVICE
  memoryBandwidthMBps: 10_000, // SERVICE
  dataSizeGiB: 10,
  walSizeGiB: 1,
  nodes: 1_000_000,
  memoryGiB: 2,
  minimumTotalCores: 0 // no CPU need beyond the throughput; the Engram estimate passes its recommended cores
}

export function efficiency (cores: number): number {
  return decimalClean(Math.max(0, 1 - (cores - 1) * EFFICIENCY_LOSS_PER_CORE))
}

/** throughput = 2,500 x cores x efficiency, held at its peak (10 cores) beyond it. */
export function throughputOpsPerSec (cores: number): number {
  const effective = Math.min(cores, PEAK_CORES)
  return decimalClean(SPREADING_OPS_PER_CORE.value * effective * efficiency(effective))
}

export const PEAK_THROUGHPUT = throughputOpsPerSec(PEAK_CORES)

/** Throughput of one instance at the top of the validated range (8 cores: 13,000 ops/s). */
export const VALIDATED_INSTANCE_OPS_PER_SEC = throughputOpsPerSec(LINEAR_MODEL_MAX_CORES)

export interface InstanceLayout {
  requiredOpsPerSec: number
  minimumTotalCores: number
  instances: number
  coresPerInstance: number
  /** even cores per instance the throughput alone needs (2 to 8) */
  throughputCoresPerInstance: number
  /** even cores per instance the CPU need alone needs (at least 2, at most 32) */
  cpuCoresPerInstance: number
  totalCores: number
  perInstanceOpsPerSec: number
  opsPerSec: number
}

/**
 * The one instance layout of Engram, used by /estimate/engram and /models/engram: the fewest
 * instances, then the fewest even cores per instance, that deliver requiredOpsPerSec by the
 * throughput model and hold minimumTotalCores (and, for replicated data, at least one instance per
 * copy). Throughput is sized within the validated linear
 * range (at most 8 cores, 13,000 ops/s an instance); more cores per instance come only from the CPU
 * need, up to the 32 useful cores, and add throughput only up to the 10-core peak.
 */
export function instanceLayout (requiredOpsPerSec: number, minimumTotalCores = 0, minimumInstances = 1): InstanceLayout {
  const instances = Math.max(1, minimumInstances, ceilClean(requiredOpsPerSec / VALIDATED_INSTANCE_OPS_PER_SEC), ceilClean(minimumTotalCores / MAX_USEFUL_CORES.value))
  let throughputCoresPerInstance = 2
  while (throughputCoresPerInstance < LINEAR_MODEL_MAX_CORES && instances * throughputOpsPerSec(throughputCoresPerInstance) < requiredOpsPerSec) throughputCoresPerInstance += 2
  const cpuCoresPerInstance = Math.max(2, nextEven(minimumTotalCores / instances))
  const coresPerInstance = Math.max(throughputCoresPerInstance, cpuCoresPerInstance)
  const perInstanceOpsPerSec = throughputOpsPerSec(coresPerInstance)
  return {
    requiredOpsPerSec,
    minimumTotalCores,
    instances,
    coresPerInstance,
    throughputCoresPerInstance,
    cpuCoresPerInstance,
    totalCores: instances * coresPerInstance,
    perInstanceOpsPerSec,
    opsPerSec: decimalClean(instances * perInstanceOpsPerSec)
  }
}

export function sizeFactor (nodesActivated: number): number {
  const raw = 1 + Math.log10(Math.max(nodesActivated, 1) / LATENCY_REFERENCE_NODES)
  return decimalClean(Math.max(1, raw))
}

export function latencyMs (tier: keyof typeof TIER_MULTIPLIER, nodesActivated: number): number {
  return decimalClean(BASE_LATENCY_MS * TIER_MULTIPLIER[tier] * sizeFactor(nodesActivated))
}

export function storageThroughput (input: PerformanceInput): { writeMBps: number, readMBps: number, writeLimit: string, readLimit: string, cacheBlendMBps: number } {
  const writeLimits = {
    iops: input.diskIops * 4 / 1024,
    bandwidth: input.diskBandwidthMBps,
    walBuffer: input.walBufferBytes / 1_048_576 / (input.walFlushIntervalMs / 1000)
  }
  const cacheBlendMBps = input.cacheHitRate * input.memoryBandwidthMBps + (1 - input.cacheHitRate) * input.diskBandwidthMBps
  const readLimits = {
    iops: input.diskIops * input.avgReadSizeKB / 1024,
    bandwidth: input.diskBandwidthMBps,
    cacheBlend: cacheBlendMBps
  }
  const smallest = (limits: Record<string, number>): [string, number] =>
    Object.entries(limits).reduce((best, entry) => entry[1] < best[1] ? entry : best)
  const [writeLimit, writeMBps] = smallest(writeLimits)
  const [readLimit, readMBps] = smallest(readLimits)
  return { writeMBps: decimalClean(writeMBps), readMBps: decimalClean(readMBps), writeLimit, readLimit, cacheBlendMBps: decimalClean(cacheBlendMBps) }
}

/** seed 004, Recovery Time Objectives by Scale. */
export const RTO_TABLE = [
  { dataSize: '<1GB', from: 0, fromInclusive: true, coldStart: '30 seconds', coldStartSeconds: 30, warmStart: '10 seconds', hotStandby: '<1 second' },
  { dataSize: '1-10GB', from: 1, fromInclusive: true, coldStart: '2 minutes', coldStartSeconds: 120, warmStart: '30 seconds', hotStandby: '<5 seconds' },
  { dataSize: '10-100GB', from: 10, fromInclusive: true, coldStart: '10 minutes', coldStartSeconds: 600, warmStart: '2 minutes', hotStandby: '<30 seconds' },
  { dataSize: '100GB-1TB', from: 100, fromInclusive: true, coldStart: '1 hour', coldStartSeconds: 3600, warmStart: '10 minutes', hotStandby: '<2 minutes' },
  { dataSize: '>1TB', from: 1024, fromInclusive: false, coldStart: '4 hours', coldStartSeconds: 14_400, warmStart: '30 minutes', hotStandby: '<5 minutes' }
] as const

/**
 * Row of the RTO table by the one boundary rule (common.ts rangeRowIndex): 1 GiB is in "1-10GB"
 * ("<1GB" excludes it), 10 and 100 GiB take the higher of the rows that share them, and 1 TiB stays
 * in "100GB-1TB" (">1TB" excludes it). GB and TB are read as GiB and TiB, the estimate's units.
 */
export function rtoRow (dataSizeGiB: number): typeof RTO_TABLE[number] {
  return RTO_TABLE[rangeRowIndex(dataSizeGiB, RTO_TABLE)]
}

export type RtoObjective = Omit<typeof RTO_TABLE[number], 'from' | 'fromInclusive'>

export function recoveryTime (input: PerformanceInput): { walReplaySeconds: number, indexRebuildSeconds: number, memoryWarmupSeconds: number, coldStartSeconds: number } {
  const walReplaySeconds = decimalClean(input.walSizeGiB * 1024 / WAL_REPLAY_MB_PER_SEC)
  const indexRebuildSeconds = decimalClean(input.nodes / (INDEX_REBUILD_NODES_PER_SEC_PER_CORE * input.cores))
  const memoryWarmupSeconds = decimalClean(input.memoryGiB / MEMORY_WARMUP_GB_PER_SEC)
  return { walReplaySeconds, indexRebuildSeconds, memoryWarmupSeconds, coldStartSeconds: decimalClean(walReplaySeconds + indexRebuildSeconds + memoryWarmupSeconds) }
}

export const PERFORMANCE_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'efficiencyLossPerCore', value: EFFICIENCY_LOSS_PER_CORE, unit: 'per core', source: `${SEED} (efficiency(cores) = 1.0 - (cores - 1) * 0.05)` },
  { name: 'linearModelMaxCores', value: LINEAR_MODEL_MAX_CORES, unit: 'cores', source: `${SEED} (Linear Scaling Model (up to 8 cores))` },
  { name: 'peakCores', value: PEAK_CORES, unit: 'cores', source: 'SERVICE (not in the seed): documented in docs/deviations.md', note: 'The curve peaks at 10-11 cores (13,750 ops/s), reaches 0 efficiency at 21 and goes negative after: throughput is held at the peak instead.' },
  { name: 'layoutCoresPerInstance', value: LINEAR_MODEL_MAX_CORES, unit: 'cores per instance', source: `${SEED} (validated up to 8 cores); seed 004, formula 2 constraints (32 useful cores, even counts)`, note: 'One layout rule for /estimate/engram and /models/engram: the fewest instances, then the fewest even cores per instance, that deliver the required ops/s within the validated 8 cores (13,000 ops/s an instance) and hold the CPU need within 32 cores an instance.' },
  { name: 'latencySizeFactorFloor', value: 1, unit: 'factor', source: 'SERVICE (not in the seed): documented in docs/deviations.md', note: '1 + log10(n/1000) is below 1 under 1,000 nodes, 0 at 100 and negative below: the base latency is the floor.' },
  { name: 'walReplayMBPerSec', value: WAL_REPLAY_MB_PER_SEC, unit: 'MB/s', source: `${DR} (WAL replay, NVMe)` },
  { name: 'indexRebuildNodesPerSecPerCore', value: INDEX_REBUILD_NODES_PER_SEC_PER_CORE, unit: 'nodes/s per core', source: DR },
  { name: 'memoryWarmupGBPerSec', value: MEMORY_WARMUP_GB_PER_SEC, unit: 'GB/s', source: DR },
  { name: 'rtoDataSizeUnit', value: 1024, unit: 'GiB per TB', source: DR, note: 'The RTO table\'s GB and TB are read as GiB and TiB, the units of the Engram estimate. Shared row ends take the higher row (10 GiB is "10-100GB"); "<1GB" and ">1TB" exclude their bound, so 1 GiB is "1-10GB" and 1,024 GiB "100GB-1TB".' },
  { name: 'readThroughputFormula', value: 0, unit: '', source: `${SEED} (Storage Throughput Model)`, note: 'SEED_INCONSISTENCY: the read model takes min() with a cache-weighted bandwidth, so a cache hit can never raise reads above disk bandwidth; computed as written, with cacheBlendMBps shown.' }
]

export interface PerformanceModels {
  inputs: PerformanceInput
  throughput: { cores: number, efficiency: number, opsPerSec: number, perCoreOpsPerSec: number, withinValidatedRange: boolean, curve: Array<{ cores: number, efficiency: number, opsPerSec: number }> }
  coresForTarget: InstanceLayout & { targetOpsPerSec: number, cores: number }
  latency: { nodesActivated: number, sizeFactor: number, hotMs: number, warmMs: number, coldMs: number }
  storage: ReturnType<typeof storageThroughput>
  recovery: ReturnType<typeof recoveryTime> & { rto: RtoObjective, withinColdStartObjective: boolean }
  warnings: Warning[]
  assumptions: Assumption[]
}

export function predictPerformance (partial: Partial<PerformanceInput> = {}): PerformanceModels {
  const inputs = { ...PERFORMANCE_DEFAULTS, ...partial }
  const warnings: Warning[] = []
  if (inputs.cores > LINEAR_MODEL_MAX_CORES) {
    warnings.push({
      code: 'MODEL_EXTRAPOLATED',
      severity: inputs.cores > PEAK_CORES ? 'warning' : 'info',
      message: `The linear model is validated up to ${LINEAR_MODEL_MAX_CORES} cores; ${inputs.cores} cores is extrapolated` +
        (inputs.cores > PEAK_CORES ? `, and past ${PEAK_CORES} cores the curve falls (efficiency ${efficiency(inputs.cores)}): throughput is held at its ${PEAK_THROUGHPUT} ops/s peak. Scale horizontally.` : '.')
    })
  }
  const layout = instanceLayout(inputs.targetOpsPerSec, inputs.minimumTotalCores)
  if (layout.instances > 1) {
    warnings.push({
      code: 'TARGET_ABOVE_SINGLE_INSTANCE',
      severity: 'warning',
      message: `${formatNumber(inputs.targetOpsPerSec, 1)} ops/s` + (inputs.minimumTotalCores > MAX_USEFUL_CORES.value ? ` with ${formatNumber(inputs.minimumTotalCores, 1)} cores` : '') +
        ` is more than one instance holds (${formatNumber(VALIDATED_INSTANCE_OPS_PER_SEC)} ops/s in the validated ${LINEAR_MODEL_MAX_CORES} cores, ${MAX_USEFUL_CORES.value} useful cores): ` +
        `${formatNumber(layout.instances)} instances of ${layout.coresPerInstance} cores (${formatNumber(layout.opsPerSec)} ops/s in all).`
    })
  }
  if (1 + Math.log10(Math.max(inputs.nodesActivated, 1) / LATENCY_REFERENCE_NODES) < 1) {
    warnings.push({ code: 'LATENCY_FLOORED', severity: 'info', message: `Under ${LATENCY_REFERENCE_NODES} nodes activated the seed's size factor falls below 1 (negative under 100): the base latency is used.` })
  }
  const recovery = recoveryTime(inputs)
  const rto = rtoRow(inputs.dataSizeGiB)
  if (recovery.coldStartSeconds > rto.coldStartSeconds) {
    warnings.push({ code: 'RTO_EXCEEDED', severity: 'warning', message: `A cold start takes ${recovery.coldStartSeconds} s by the recovery rates, above the ${rto.coldStart} the RTO table gives for ${rto.dataSize}.` })
  }
  return {
    inputs,
    throughput: {
      cores: inputs.cores,
      efficiency: efficiency(inputs.cores),
      opsPerSec: throughputOpsPerSec(inputs.cores),
      perCoreOpsPerSec: SPREADING_OPS_PER_CORE.value,
      withinValidatedRange: inputs.cores <= LINEAR_MODEL_MAX_CORES,
      curve: [1, 2, 4, 8, 10, 16, 32].map((cores) => ({ cores, efficiency: efficiency(cores), opsPerSec: throughputOpsPerSec(cores) }))
    },
    coresForTarget: { targetOpsPerSec: inputs.targetOpsPerSec, cores: layout.totalCores, ...layout },
    latency: { nodesActivated: inputs.nodesActivated, sizeFactor: sizeFactor(inputs.nodesActivated), hotMs: latencyMs('hot', inputs.nodesActivated), warmMs: latencyMs('warm', inputs.nodesActivated), coldMs: latencyMs('cold', inputs.nodesActivated) },
    storage: storageThroughput(inputs),
    recovery: { ...recovery, rto: { dataSize: rto.dataSize, coldStart: rto.coldStart, coldStartSeconds: rto.coldStartSeconds, warmStart: rto.warmStart, hotStandby: rto.hotStandby }, withinColdStartObjective: recovery.coldStartSeconds <= rto.coldStartSeconds },
    warnings: sortBySeverity(warnings),
    assumptions: PERFORMANCE_ASSUMPTIONS as Assumption[]
  }
}
