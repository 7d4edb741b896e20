// Scaling decisions of seed 004 (Vertical Scaling Procedures): the CPU and memory decision matrices
// and the storage triggers, applied to observed metrics, with the concrete new size where a row
// gives one. Where the tables leave gaps or overlap, the rule used is stated in the answer.
import { type Assumption, type RangeRow, type Warning, rangeRowIndex, sortBySeverity } from '../common.js'
import { MAX_USEFUL_CORES } from './constants.js'

export type Urgency = 'none' | 'planned' | 'immediate' | 'urgent' | 'emergency'
export type TierDistribution = 'balanced' | 'hot-heavy' | 'cold-heavy'

export interface ScalingInput {
  cpuUtilizationPercent?: number
  p99LatencyMs?: number
  currentCores?: number
  memoryPressurePercent?: number
  tierDistribution?: TierDistribution
  hotTierPercent?: number
  currentMemoryGiB?: number
  diskUtilizationPercent?: number
  currentStorageGiB?: number
  walSizeGiB?: number
  iopsUtilizationPercent?: number
  snapshotCount?: number
}

export interface MatrixDecision {
  row: number
  condition: string
  action: string
  implementation: string
  urgency: Urgency
  rule: string
}

export interface CpuDecision extends MatrixDecision { utilizationBand: string, latencyBand: string, newCores?: number }
export interface MemoryDecision extends MatrixDecision { pressureBand: string, tierDistribution: TierDistribution, newMemoryGiB?: number }
export interface StorageTrigger {
  metric: string
  observed: number
  threshold: string
  triggered: boolean
  action: string
  procedure: string
  newSizeGiB?: number
}

export interface ScalingDecision {
  inputs: ScalingInput
  cpu?: CpuDecision
  memory?: MemoryDecision
  storage: StorageTrigger[]
  warnings: Warning[]
  assumptions: Assumption[]
}

const SEED = 'seed 004, Vertical Scaling Procedures'

/** seed 004, CPU Scaling Decision Matrix, rows 1-5. */
export const CPU_MATRIX = [
  { condition: '<50% and p99 <10ms', action: 'No action', implementation: 'Monitor for trends', urgency: 'none' },
  { condition: '50-70% and p99 <10ms', action: 'Plan scaling', implementation: 'Schedule maintenance window', urgency: 'planned' },
  { condition: '70-85% and p99 10-50ms', action: 'Scale immediately', implementation: 'Add 2x cores (up to 8)', urgency: 'immediate' },
  { condition: '70-85% and p99 >50ms', action: 'Scale urgently', implementation: 'Add 4x cores (up to 16)', urgency: 'urgent' },
  { condition: '>85%, any p99', action: 'Emergency scale', implementation: 'Maximum available cores + investigate bottleneck', urgency: 'emergency' }
] as const

/** seed 004, Memory Scaling Decision Matrix, rows 1-5. */
export const MEMORY_MATRIX = [
  { condition: '<60% and balanced', action: 'No action', implementation: 'Monitor growth rate', urgency: 'none' },
  { condition: '60-75% and hot-heavy (>50%)', action: 'Optimize', implementation: 'Increase eviction rate to warm tier', urgency: 'planned' },
  { condition: '75-85% and balanced', action: 'Scale RAM', implementation: 'Add 50% more RAM', urgency: 'immediate' },
  { condition: '75-85% and cold-heavy', action: 'Migrate', implementation: 'Move cold data to disk, reduce mmap windows', urgency: 'immediate' },
  { condition: '>85%, any distribution', action: 'Emergency', implementation: 'Double RAM + immediate tier rebalancing', urgency: 'emergency' }
] as const

const CPU_CAP_ROW3 = 8
const CPU_CAP_ROW4 = 16
const HOT_HEAVY_PERCENT = 50

const band = (from: number, fromInclusive = true): RangeRow => ({ from, fromInclusive })
/** "<50%", "50-70%", "70-85%", ">85%" */
const CPU_BANDS = [band(0), band(50), band(70), band(85, false)] as const
/** "<10ms", "10-50ms", ">50ms" */
const LATENCY_BANDS = [band(0), band(10), band(50, false)] as const
/** "<60%", "60-75%", "75-85%", ">85%" */
const MEMORY_BANDS = [band(0), band(60), band(75), band(85, false)] as const

/** Bands by the one boundary rule (common.ts rangeRowIndex): [0,50) [50,70) [70,85] (85,100]. */
export function cpuUtilizationBand (percent: number): 'low' | 'moderate' | 'high' | 'saturated' {
  return (['low', 'moderate', 'high', 'saturated'] as const)[rangeRowIndex(percent, CPU_BANDS)]
}

/** Bands: <10 ms, 10-50 ms (both ends included), >50 ms. */
export function latencyBand (p99Ms: number): 'fast' | 'slow' | 'very slow' {
  return (['fast', 'slow', 'very slow'] as const)[rangeRowIndex(p99Ms, LATENCY_BANDS)]
}

function cpuRow (utilization: ReturnType<typeof cpuUtilizationBand>, latency: ReturnType<typeof latencyBand>): { row: number, rule: string } {
  if (utilization === 'saturated') return { row: 5, rule: 'Above 85% the emergency row applies whatever the latency.' }
  if (utilization === 'high') {
    if (latency === 'very slow') return { row: 4, rule: 'Row 4: 70-85% with p99 above 50 ms.' }
    if (latency === 'slow') return { row: 3, rule: 'Row 3: 70-85% with p99 10-50 ms.' }
    return { row: 3, rule: 'Gap: the matrix has no 70-85% row with p99 under 10 ms. Row 3 applies: utilization is the matrix\'s first key, and the seed\'s ScaleUpCPURequired alert fires above 70% whatever the latency.' }
  }
  if (utilization === 'moderate') {
    return latency === 'fast'
      ? { row: 2, rule: 'Row 2: 50-70% with p99 under 10 ms.' }
      : { row: 2, rule: 'Gap: the matrix has no 50-70% row with p99 of 10 ms or more. Row 2 applies: the CPU still has headroom, so more cores would not cure the latency; look for its cause elsewhere (I/O, tier misses, locks).' }
  }
  return latency === 'fast'
    ? { row: 1, rule: 'Row 1: under 50% with p99 under 10 ms.' }
    : { row: 1, rule: 'Gap: the matrix has no under-50% row with p99 of 10 ms or more. Row 1 applies: the CPU is not the bottleneck; investigate the latency.' }
}

/** New core count where the row gives one: "Add 2x cores (up to 8)" doubles, never past 8. */
export function newCoreCount (row: number, currentCores: number): number | undefined {
  if (row === 3) return Math.max(currentCores, Math.min(currentCores * 2, CPU_CAP_ROW3))
  if (row === 4) return Math.max(currentCores, Math.min(currentCores * 4, CPU_CAP_ROW4))
  if (row === 5) return Math.max(currentCores, MAX_USEFUL_CORES.value)
  return undefined
}

export function cpuDecision (input: ScalingInput, warnings: Warning[]): CpuDecision | undefined {
  if (input.cpuUtilizationPercent === undefined) return undefined
  const utilizationBand = cpuUtilizationBand(input.cpuUtilizationPercent)
  const latency = latencyBand(input.p99LatencyMs ?? 0)
  const { row, rule } = cpuRow(utilizationBand, latency)
  const matrixRow = CPU_MATRIX[row - 1]
  const decision: CpuDecision = { row, ...matrixRow, rule: input.p99LatencyMs === undefined ? `${rule} (p99 not given: read as under 10 ms)` : rule, utilizationBand, latencyBand: latency }
  if (row === 1 && latency !== 'fast') {
    warnings.push({ code: 'LATENCY_NOT_CPU_BOUND', severity: 'warning', message: `p99 ${input.p99LatencyMs} ms with CPU at ${input.cpuUtilizationPercent}%: the latency is not CPU-bound.` })
  }
  if (row === 2 && latency !== 'fast') {
    warnings.push({ code: 'LATENCY_NOT_CPU_BOUND', severity: 'warning', message: `p99 ${input.p99LatencyMs} ms with CPU at ${input.cpuUtilizationPercent}%: more cores are unlikely to cure it.` })
  }
  if (input.currentCores !== undefined) {
    const newCores = newCoreCount(row, input.currentCores)
    if (newCores !== undefined) {
      decision.newCores = newCores
      if (newCores === input.currentCores) {
        warnings.push({ code: 'CPU_CAP_REACHED', severity: 'critical', message: `${input.currentCores} cores is already at the row's limit: scale horizontally (seed: beyond ${MAX_USEFUL_CORES.value} cores lock contention dominates).` })
      }
    }
  }
  return decision
}

/** Bands: [0,60) [60,75) [75,85] (85,100]. */
export function memoryPressureBand (percent: number): 'low' | 'elevated' | 'high' | 'critical' {
  return (['low', 'elevated', 'high', 'critical'] as const)[rangeRowIndex(percent, MEMORY_BANDS)]
}

function distributionOf (input: ScalingInput): TierDistribution {
  if (input.tierDistribution !== undefined) return input.tierDistribution
  return (input.hotTierPercent ?? 0) > HOT_HEAVY_PERCENT ? 'hot-heavy' : 'balanced'
}

function memoryRow (band: ReturnType<typeof memoryPressureBand>, distribution: TierDistribution): { row: number, rule: string } {
  if (band === 'critical') return { row: 5, rule: 'Above 85% the emergency row applies whatever the distribution.' }
  if (band === 'high') {
    if (distribution === 'cold-heavy') return { row: 4, rule: 'Row 4: 75-85% and cold-heavy.' }
    if (distribution === 'balanced') return { row: 3, rule: 'Row 3: 75-85% and balanced.' }
    return { row: 3, rule: 'Gap: the matrix has no 75-85% hot-heavy row. Row 3 (add RAM) applies, since optimizing eviction (row 2) is meant for 60-75%; increasing the eviction rate helps too.' }
  }
  if (band === 'elevated') {
    return distribution === 'hot-heavy'
      ? { row: 2, rule: 'Row 2: 60-75% and hot-heavy.' }
      : { row: 1, rule: `Gap: the matrix has no 60-75% ${distribution} row. Row 1 applies: below 75% only a hot-heavy tier needs action.` }
  }
  return distribution === 'balanced'
    ? { row: 1, rule: 'Row 1: under 60% and balanced.' }
    : { row: 1, rule: `Gap: the matrix has no under-60% ${distribution} row. Row 1 applies: the pressure is low.` }
}

export function memoryDecision (input: ScalingInput): MemoryDecision | undefined {
  if (input.memoryPressurePercent === undefined) return undefined
  const pressureBand = memoryPressureBand(input.memoryPressurePercent)
  const tierDistribution = distributionOf(input)
  const { row, rule } = memoryRow(pressureBand, tierDistribution)
  const decision: MemoryDecision = { row, ...MEMORY_MATRIX[row - 1], rule, pressureBand, tierDistribution }
  if (input.currentMemoryGiB !== undefined && (row === 3 || row === 5)) {
    decision.newMemoryGiB = input.currentMemoryGiB * (row === 3 ? 1.5 : 2)
  }
  return decision
}

/** seed 004, Storage Scaling Triggers: each metric on its own. */
export function storageTriggers (input: ScalingInput): StorageTrigger[] {
  const triggers: StorageTrigger[] = []
  if (input.diskUtilizationPercent !== undefined) {
    const triggered = input.diskUtilizationPercent > 70
    triggers.push({
      metric: 'Disk utilization',
      observed: input.diskUtilizationPercent,
      threshold: '>70%',
      triggered,
      action: 'Expand volume',
      procedure: 'Add 2x current size',
      ...(triggered && input.currentStorageGiB !== undefined ? { newSizeGiB: input.currentStorageGiB * 2 } : {})
    })
  }
  const simple = (metric: string, observed: number | undefined, limit: number, threshold: string, action: string, procedure: string): void => {
    if (observed !== undefined) triggers.push({ metric, observed, threshold, triggered: observed > limit, action, procedure })
  }
  simple('WAL size', input.walSizeGiB, 10, '>10GB', 'Increase compaction', 'Reduce WAL retention, increase compaction frequency')
  simple('IOPS utilization', input.iopsUtilizationPercent, 80, '>80%', 'Upgrade disk type', 'Move to NVMe or increase IOPS allocation')
  simple('Snapshot count', input.snapshotCount, 10, '>10', 'Prune snapshots', 'Keep only last 5 + weekly archives')
  return triggers
}

export const SCALING_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'sharedBoundaries', value: 70, unit: '% CPU', source: SEED, note: 'One boundary rule for every table and matrix: ranges share their ends (50-70%, 70-85%) and a value on a shared end takes the higher row; an end only one row holds ("<50%", ">85%", ">50ms") stays in it. So 50% is in 50-70%, 70% and 85% in 70-85%, 10 and 50 ms in 10-50 ms; memory 60% is in 60-75%, 75% and 85% in 75-85%. The RTO table and the supervisor rows follow the same rule.' },
  { name: 'addTwiceCores', value: 2, unit: 'factor', source: `${SEED} (Add 2x cores (up to 8))`, note: '"Add 2x" is read as doubling (the memory matrix says "Double RAM" for the same step); never past the row\'s cap, never below the current count.' },
  { name: 'maximumAvailableCores', value: MAX_USEFUL_CORES.value, unit: 'cores', source: 'seed 004, CPU constraints (maximum useful cores: 32)', note: 'The emergency row\'s "maximum available cores".' },
  { name: 'hotHeavyPercent', value: HOT_HEAVY_PERCENT, unit: '% of nodes hot', source: `${SEED} (Hot-heavy (>50%))`, note: 'Used when tierDistribution is not given: above 50% is hot-heavy, otherwise balanced. Cold-heavy has no number in the seed and must be given.' },
  { name: 'expandVolumeFactor', value: 2, unit: 'factor', source: `${SEED} (Add 2x current size)`, note: 'Read as doubling the volume, like the CPU row; the other reading (adding twice the size, 3x) would be stated as "triple".' },
  { name: 'walSizeUnit', value: 10, unit: 'GiB', source: `${SEED} (WAL size >10GB)`, note: 'GB read as GiB, the unit of the capacity estimate.' }
]

export function decideScaling (input: ScalingInput): ScalingDecision {
  const warnings: Warning[] = []
  const cpu = cpuDecision(input, warnings)
  const memory = memoryDecision(input)
  const storage = storageTriggers(input)
  if (cpu === undefined && memory === undefined && storage.length === 0) {
    warnings.push({ code: 'NO_METRICS', severity: 'info', message: 'No metric was given: pass cpuUtilizationPercent, memoryPressurePercent or a storage metric.' })
  }
  return {
    inputs: input,
    ...(cpu === undefined ? {} : { cpu }),
    ...(memory === undefined ? {} : { memory }),
    storage,
    warnings: sortBySeverity(warnings),
    assumptions: SCALING_ASSUMPTIONS as Assumption[]
  }
}
