// Calibration of the Engram model against measured series (issue 16): what the metrics show, the
// workload they imply, the model's estimate for that workload and its error per resource (seed 004's
// 15% criterion), the seed's decision matrices on the measured figures, right-sized resources (seed
// 004's Right-Sizing Strategy) beside the model's plan, and the days until each resource reaches its
// threshold. Pure: the series arrive already read (src/prometheus does the I/O).
import type { Series, SeriesByMetric } from '../../prometheus/series.js'
import { type Assumption, type Warning, ceilClean, decimalClean, formatNumber, nextEven, sortBySeverity } from '../common.js'
import { type EngramEstimate, type EngramInput, estimateEngram, memoryMiB, quietMemoryGiB, resolveEngramInput, storageGiB, tierDistribution } from './capacity.js'
import * as C from './constants.js'
import { MAX_PROJECTED_NODES, THRESHOLDS, crossingDay, linearFit } from './forecast.js'
import { type ScalingDecision, type ScalingInput, decideScaling } from './scaling.js'

/** The series read, by seed 004's names (Key Metrics to Track and the limits its alert rules divide by). */
export const ENGRAM_METRICS = {
  /** {core}: per-core utilisation, 0-100 */
  cpuUtilization: 'engram_cpu_utilization_percent',
  /** {tier}: bytes held by each memory tier */
  memoryUsage: 'engram_memory_usage_bytes',
  /** bytes: the memory limit (alert ScaleUpMemoryRequired) */
  memoryLimit: 'engram_memory_limit_bytes',
  /** {tier}: bytes each tier holds on disk */
  storageUsage: 'engram_storage_usage_bytes',
  /** bytes: the volume size (alert ScaleUpStorageRequired) */
  storageLimit: 'engram_storage_limit_bytes',
  /** bytes of write-ahead log */
  walSize: 'engram_wal_size_bytes',
  /** {operation}: a gauge of operations per second */
  operations: 'engram_operations_per_second',
  /** {operation}: p99 latency */
  p99Latency: 'engram_p99_latency_ms'
} as const

const SEED = 'seed 004'
const RIGHT_SIZING_SOURCE = `${SEED}, Cost Optimization Strategies, Right-Sizing Strategy (l.345-363)`

/** seed 004, Acceptance Criteria (l.876): "accurately predicts resource needs within 15%". */
export const CRITERION_PERCENT = 15
/** seed 004, Right-Sizing Strategy, Phase 1: "Monitor actual utilization for 7 days". */
export const OBSERVATION_DAYS = 7
/** seed 004, Right-Sizing Strategy: Phase 1 2x baseline, Phase 2 1.3x peak, Phase 3 70% average and 85% peak. */
export const RIGHT_SIZING = { phase1Factor: 2, peakFactor: 1.3, averageTarget: 0.7, peakTarget: 0.85 } as const
/** Days the crossings look ahead unless told: /forecast/engram's default. */
export const DEFAULT_HORIZON_DAYS = 90
/** The opsPerSec and expectedNodes the capacity model accepts (its request schema's maxima). */
export const MAX_OPS_PER_SEC = 1e9
export const MAX_NODES = MAX_PROJECTED_NODES
/**
 * The largest sample taken as a measurement: 1e18 (an exabyte, a billion billion operations a
 * second). No gauge read here comes near it; a larger one is a broken exporter, and sums of such
 * values would overflow to Infinity.
 */
export const MAX_SAMPLE_VALUE = 1e18
/** Node counts for inverting the model's per-node bytes: large, so the tiers' floors add no visible error. */
const REFERENCE_NODES = 1e9

// ---------------------------------------------------------------------------------------------
// Series arithmetic (exported: the Aeterna calibration applies the same rules)

/** How a metric's series become one value per timestamp. */
export type Combine = 'sum' | 'mean' | 'max'

/** A metric's series combined into one value per timestamp, with what was left out and why. */
export interface CombinedSeries {
  metric: string
  /** [unix seconds, value] at every timestamp where each kept series has a valid sample, in time order */
  points: Array<[number, number]>
  /** series given */
  givenSeries: number
  /** series with at least one valid sample: the ones combined */
  keptSeries: number
  /** samples left out: NaN, +Inf, -Inf or negative (no gauge read here can be negative) */
  invalidSamples: number
  /** samples above the metric's ceiling (a utilisation over 100%), counted at the ceiling */
  clampedSamples: number
  /** timestamps left out because some kept series had no valid sample there */
  incompleteTimestamps: number
}

export interface Stat {
  /** largest value over the window */
  peak: number
  /** mean over the window's timestamps */
  average: number
  /** the last value */
  latest: number
  /** timestamps the figures come from */
  samples: number
}

export type MissingReason = 'absent' | 'no-valid-samples' | 'no-common-timestamps' | 'no-capacity'

/** A figure the calibration could not read, and why: reported, never thrown. */
export interface MissingMetric { metric: string, reason: MissingReason, message: string }

const REDUCERS: Record<Combine, (values: number[]) => number> = {
  sum: (values) => values.reduce((total, value) => total + value, 0),
  mean: (values) => values.reduce((total, value) => total + value, 0) / values.length,
  max: (values) => values.reduce((largest, value) => Math.max(largest, value), -Infinity)
}

/**
 * One value per timestamp from a metric's series. Samples that are not finite, negative or above
 * MAX_SAMPLE_VALUE are left out (a stale or NaN sample is no measurement); values above `ceiling` count as the ceiling. A
 * series with no valid sample is dropped. A timestamp counts only when every kept series has a valid
 * sample there: a sum with a series missing would understate the total, so such timestamps are left
 * out and counted instead. Several instances are simply more series: capacity sums across them,
 * utilisation averages over all their cores.
 */
export function combineSeries (metric: string, series: readonly Series[], combine: Combine, ceiling = Infinity): CombinedSeries {
  let invalidSamples = 0
  let clampedSamples = 0
  const kept: Array<Map<number, number>> = []
  for (const { points } of series) {
    const valid = new Map<number, number>()
    for (const [timestamp, value] of points) {
      if (!Number.isFinite(value) || value < 0 || value > MAX_SAMPLE_VALUE) invalidSamples++
      else if (value > ceiling) {
        clampedSamples++
        valid.set(timestamp, ceiling)
      } else valid.set(timestamp, value)
    }
    if (valid.size > 0) kept.push(valid)
  }
  const all = new Set(kept.flatMap((values) => [...values.keys()]))
  const complete = [...all].filter((timestamp) => kept.every((values) => values.has(timestamp))).sort((a, b) => a - b)
  const reduce = REDUCERS[combine]
  return {
    metric,
    points: complete.map((timestamp) => [timestamp, reduce(kept.map((values) => values.get(timestamp) as number))]),
    givenSeries: series.length,
    keptSeries: kept.length,
    invalidSamples,
    clampedSamples,
    incompleteTimestamps: all.size - complete.length
  }
}

/** Peak, average and latest of combined points; null when there are none. */
/**
 * A sum with Neumaier's compensation: a week of one-minute samples is 10,081 terms, whose plain sum
 * drifts in the last digits (an average of exactly 52 came out 52.0000000000001).
 */
export function compensatedSum (values: readonly number[]): number {
  let sum = 0
  let compensation = 0
  for (const value of values) {
    const next = sum + value
    compensation += Math.abs(sum) >= Math.abs(value) ? (sum - next) + value : (value - next) + sum
    sum = next
  }
  return sum + compensation
}

export function statOf (points: ReadonlyArray<[number, number]>): Stat | null {
  if (points.length === 0) return null
  const values = points.map(([, value]) => value)
  return {
    peak: decimalClean(REDUCERS.max(values)),
    average: decimalClean(compensatedSum(values) / values.length),
    latest: decimalClean(values[values.length - 1]),
    samples: values.length
  }
}

/** Points with every value scaled (bytes to MiB or GiB, percent to cores). */
export function scalePoints (points: ReadonlyArray<[number, number]>, factor: number): Array<[number, number]> {
  return points.map(([timestamp, value]) => [timestamp, value * factor])
}

/**
 * What a combined metric lost, as warnings and (when nothing is left) a missing entry. `purpose`
 * says what the figure was for, so the reader knows what the gap costs.
 */
export function reportQuality (combined: CombinedSeries, purpose: string, warnings: Warning[], missing: MissingMetric[]): void {
  const { metric } = combined
  if (combined.invalidSamples > 0) {
    warnings.push({ code: 'INVALID_SAMPLES', severity: 'info', message: `${metric}: ${combined.invalidSamples} NaN, infinite, negative or implausibly large (over 1e18) samples left out.` })
  }
  if (combined.clampedSamples > 0) {
    warnings.push({ code: 'OBSERVED_VALUE_CLAMPED', severity: 'warning', message: `${metric}: ${combined.clampedSamples} samples above 100% read as 100%.` })
  }
  if (combined.incompleteTimestamps > 0 && combined.points.length > 0) {
    warnings.push({ code: 'INCOMPLETE_TIMESTAMPS', severity: 'info', message: `${metric}: ${combined.incompleteTimestamps} timestamps left out where not all ${combined.keptSeries} series had a valid sample (gaps, stale series or NaN).` })
  }
  if (combined.points.length > 0) return
  const entry: MissingMetric = combined.givenSeries === 0
    ? { metric, reason: 'absent', message: `${metric}: no series in the selection; ${purpose} not computed.` }
    : combined.keptSeries === 0
      ? { metric, reason: 'no-valid-samples', message: `${metric}: ${combined.givenSeries} series, none with a finite sample; ${purpose} not computed.` }
      : { metric, reason: 'no-common-timestamps', message: `${metric}: ${combined.keptSeries} series with no timestamp in common; ${purpose} not computed.` }
  missing.push(entry)
  warnings.push({ code: 'METRIC_MISSING', severity: 'warning', message: entry.message })
}

/** The series of a metric, or none. */
export function seriesOf (series: SeriesByMetric, metric: string): Series[] {
  return series[metric] ?? []
}

/** The distinct `instance` labels across the given metrics' series ("" for series without one). */
export function instancesOf (series: SeriesByMetric, metrics: readonly string[]): string[] {
  return [...new Set(metrics.flatMap((metric) => seriesOf(series, metric).map((s) => s.labels.instance ?? '')))].sort()
}

/** The time the series span: first and last valid timestamp, the usual step and the days covered. */
export interface ObservationWindow {
  start: number | null
  end: number | null
  /** the median gap between consecutive timestamps: the query step */
  stepSeconds: number | null
  /** (end - start + step) / 1 day: n samples at step s cover n x s */
  coverageDays: number
  /** covers seed 004's 7 days of monitoring (Phase 1) */
  coversObservationDays: boolean
}

export function observationWindow (combined: readonly CombinedSeries[]): ObservationWindow {
  const timestamps = [...new Set(combined.flatMap((c) => c.points.map(([timestamp]) => timestamp)))].sort((a, b) => a - b)
  if (timestamps.length === 0) return { start: null, end: null, stepSeconds: null, coverageDays: 0, coversObservationDays: false }
  const gaps = timestamps.slice(1).map((timestamp, index) => timestamp - timestamps[index]).sort((a, b) => a - b)
  const stepSeconds = gaps.length === 0 ? 0 : gaps[Math.floor(gaps.length / 2)]
  const start = timestamps[0]
  const end = timestamps[timestamps.length - 1]
  const coverageDays = decimalClean((end - start + stepSeconds) / C.SECONDS_PER_DAY)
  return { start, end, stepSeconds, coverageDays, coversObservationDays: coverageDays >= OBSERVATION_DAYS }
}

/**
 * The largest value of each day, days counted back from the window's end: day 0 is the last 24 hours
 * (end - 1 day, end], day -1 the 24 hours before, and so on.
 */
export function dailyPeaks (points: ReadonlyArray<[number, number]>, end: number): Array<{ day: number, peak: number }> {
  const peaks = new Map<number, number>()
  for (const [timestamp, value] of points) {
    const day = -Math.floor((end - timestamp) / C.SECONDS_PER_DAY)
    peaks.set(day, Math.max(peaks.get(day) ?? -Infinity, value))
  }
  return [...peaks].sort(([a], [b]) => a - b).map(([day, peak]) => ({ day, peak: decimalClean(peak) }))
}

// ---------------------------------------------------------------------------------------------
// The report

export interface EngramCalibrationInput {
  /** the series by metric name, as src/prometheus reads them or the request carries them inline */
  series: SeriesByMetric
  /** the workload where it is known (expectedNodes, opsPerSec, activeRatio, edgesPerNode, retentionDays ...) */
  workload?: Partial<EngramInput>
  /** what is provisioned now; else the limit metrics (memory, storage) and the number of core series (cores) */
  provisioned?: { cores?: number, memoryGiB?: number, storageGiB?: number }
  /** days the crossings look ahead (default 90, as /forecast/engram) */
  horizonDays?: number
}

export type ResourceName = 'cpu' | 'memory' | 'storage'

export interface EngramObserved {
  cpu: {
    /** mean over every core series (all instances) at each timestamp */
    utilizationPercent: Stat | null
    /** core series with a valid sample: the cores the instances have */
    cores: number | null
    /** utilisation x cores: cores busy */
    usedCores: Stat | null
  }
  memory: {
    /** sum over tiers (and instances) */
    totalMiB: Stat | null
    tiers: Array<{ tier: string } & Stat>
  }
  storage: {
    tiers: Array<{ tier: string } & Stat>
    /** sum over the data tiers */
    dataGiB: Stat | null
    walGiB: Stat | null
    /** data tiers + WAL: the volume's contents */
    totalGiB: Stat | null
  }
  /** sum over operations */
  opsPerSec: Stat | null
  /** worst operation */
  p99LatencyMs: Stat | null
  /** the limit metrics' latest values (summed over instances) */
  limits: { memoryGiB: number | null, storageGiB: number | null }
}

export type NodeSource = 'request' | 'storage-data-tiers' | 'memory-hot-tier' | 'default'

export interface ImpliedWorkload {
  /** the estimate's inputs, defaults resolved */
  inputs: EngramInput
  nodes: { value: number, source: NodeSource, statistic: 'peak' | null, note: string }
  opsPerSec: { value: number, source: 'request' | 'operations-metric' | 'default', statistic: 'peak' | null }
  /** hot nodes / all nodes from the bytes of each tier (memory hot; storage warm, cold), when all three are labelled */
  hotNodePercent: number | null
  /** the WAL retention the observed WAL peak stands for at the observed ops/s, by the model's WAL formula */
  walRetentionDays: number | null
}

export type ComparedResource = 'cpu' | 'memory' | 'memory-hot' | 'memory-warm' | 'memory-cold' | 'storage' | 'storage-data' | 'wal'

export interface Comparison {
  resource: ComparedResource
  unit: 'cores' | 'MiB' | 'GiB'
  /** always the peak: the estimate is for the window's peak workload */
  statistic: 'peak'
  observed: number
  /** the model's raw need (no headroom) */
  model: number
  /** which terms of the estimate make up `model` */
  modelTerms: string
  /** (model - observed) / observed x 100; null when nothing was observed */
  relativeErrorPercent: number | null
  /** pass: |error| <= 15%; by-construction: the workload was inferred from this figure */
  criterion: 'pass' | 'fail' | 'by-construction' | 'no-observed-load'
  note?: string
}

/** A size from measured figures by seed 004's Right-Sizing Strategy, in the resource's unit. */
export interface MeasuredSize {
  /** peak and average of the need, unobserved part included */
  peak: number
  average: number
  /** part of the need no metric shows (memory: the model's runtime and activation pool), included in peak and average */
  unobserved: number
  candidates: { peakTimesFactor: number, peakOverPeakTarget: number, averageOverAverageTarget: number, peakOverQuietPressure?: number }
  /** the candidate that sets the size (peak / 0.85 never does: 1.3 x peak is always larger) */
  binding: 'peakTimesFactor' | 'averageOverAverageTarget' | 'peakOverQuietPressure'
  /** the largest candidate, rounded up (cores to an even count, GiB to a whole GiB) */
  size: number
  achieved: { peakUtilizationPercent: number, averageUtilizationPercent: number }
}

export interface RightSizedResource {
  resource: ResourceName
  unit: 'cores' | 'GiB'
  /** null when the resource was not measured */
  measured: MeasuredSize | null
  model: { rawNeed: number, plan: number, planTerm: string }
  /** Phase 1's "2x calculated baseline", the baseline read as the raw need */
  phase1Baseline: number
  /** 1 - size / phase1Baseline (seed 004 l.900 asks for > 30%); null when not measured */
  savingsVsPhase1Percent: number | null
  trust: { use: 'measured' | 'model', value: number, reason: string }
}

export interface ObservedCrossing {
  resource: ResourceName
  unit: 'cores' | 'GiB'
  thresholdPercent: number
  capacity: number | null
  capacitySource: 'request' | 'limit-metric' | 'core-series' | null
  /** capacity x threshold */
  limit: number | null
  dailyPeaks: Array<{ day: number, peak: number }>
  /** least squares through the daily peaks; day 0 is the window's last day */
  fit: { slopePerDay: number, intercept: number } | null
  /** the first whole day from the window's end on which the fitted peak passes the limit; null when not within the horizon */
  day: number | null
  withinHorizon: boolean
}

export interface EngramCalibration {
  inputs: { workload: Partial<EngramInput>, provisioned: { cores?: number, memoryGiB?: number, storageGiB?: number }, horizonDays: number, seriesCounts: Record<string, number> }
  window: ObservationWindow
  instances: string[]
  observed: EngramObserved
  missing: MissingMetric[]
  workload: ImpliedWorkload
  model: { cpu: EngramEstimate['cpu'], memory: EngramEstimate['memory'], storage: EngramEstimate['storage'], recommendations: EngramEstimate['recommendations'] }
  comparisons: Comparison[]
  /** decideScaling on the observed peaks: the verdicts /scaling/engram returns */
  scaling: ScalingDecision
  rightSizing: RightSizedResource[]
  crossings: ObservedCrossing[]
  warnings: Warning[]
  assumptions: Assumption[]
}

/** A ratio whose divisor can be vanishingly small (a workload of 1e-300 ops/s): null rather than Infinity, which JSON cannot carry. */
export const finiteOrNull = (value: number): number | null => Number.isFinite(value) ? decimalClean(value) : null

/** A figure in a message: grouped, at most two decimals (the fields carry the full value). */
export const fmt = (value: number): string => formatNumber(value, 2)

const toMiB = 1 / C.BYTES_PER_MIB
const toGiB = 1 / C.BYTES_PER_GIB

/** Series grouped by a label's value, in label order. */
function byLabel (series: readonly Series[], label: string): Array<[string, Series[]]> {
  const groups = new Map<string, Series[]>()
  for (const s of series) {
    const value = s.labels[label] ?? ''
    groups.set(value, [...(groups.get(value) ?? []), s])
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b))
}

function tierStats (series: readonly Series[], factor: number): Array<{ tier: string } & Stat> {
  return byLabel(series, 'tier').flatMap(([tier, group]) => {
    const stat = statOf(scalePoints(combineSeries('', group, 'sum').points, factor))
    return stat === null ? [] : [{ tier, ...stat }]
  })
}

interface Readings {
  observed: EngramObserved
  /** per-timestamp figures for the crossings and right-sizing, in the report's units */
  usedCores: Array<[number, number]>
  memoryGiB: Array<[number, number]>
  storageGiB: Array<[number, number]>
  window: ObservationWindow
}

function read (series: SeriesByMetric, warnings: Warning[], missing: MissingMetric[]): Readings {
  const M = ENGRAM_METRICS
  const cpu = combineSeries(M.cpuUtilization, seriesOf(series, M.cpuUtilization), 'mean', 100)
  const memory = combineSeries(M.memoryUsage, seriesOf(series, M.memoryUsage), 'sum')
  const data = combineSeries(M.storageUsage, seriesOf(series, M.storageUsage), 'sum')
  const wal = combineSeries(M.walSize, seriesOf(series, M.walSize), 'sum')
  const ops = combineSeries(M.operations, seriesOf(series, M.operations), 'sum')
  const p99 = combineSeries(M.p99Latency, seriesOf(series, M.p99Latency), 'max')
  const storage = combineSeries(`${M.storageUsage} + ${M.walSize}`, [...seriesOf(series, M.storageUsage), ...seriesOf(series, M.walSize)], 'sum')
  const memoryLimit = combineSeries(M.memoryLimit, seriesOf(series, M.memoryLimit), 'sum')
  const storageLimit = combineSeries(M.storageLimit, seriesOf(series, M.storageLimit), 'sum')
  reportQuality(cpu, 'CPU utilisation and cores', warnings, missing)
  reportQuality(memory, 'memory use', warnings, missing)
  reportQuality(data, 'the data tiers\' storage', warnings, missing)
  reportQuality(wal, 'the WAL size', warnings, missing)
  reportQuality(ops, 'the observed ops/s', warnings, missing)
  reportQuality(p99, 'the p99 latency', warnings, missing)
  // limits are optional (the request's provisioned figures replace them): reported only when some series came
  for (const limit of [memoryLimit, storageLimit].filter((l) => l.givenSeries > 0)) reportQuality(limit, 'the capacity from it', warnings, missing)
  const usedCores = cpu.points.map(([timestamp, percent]): [number, number] => [timestamp, percent * cpu.keptSeries / 100])
  const memoryTotalGiB = scalePoints(memory.points, toGiB)
  const storageTotalGiB = scalePoints(storage.points, toGiB)
  const latest = (combined: CombinedSeries): number | null => statOf(scalePoints(combined.points, toGiB))?.latest ?? null
  return {
    observed: {
      cpu: { utilizationPercent: statOf(cpu.points), cores: cpu.points.length === 0 ? null : cpu.keptSeries, usedCores: statOf(usedCores) },
      memory: { totalMiB: statOf(scalePoints(memory.points, toMiB)), tiers: tierStats(seriesOf(series, M.memoryUsage), toMiB) },
      storage: { tiers: tierStats(seriesOf(series, M.storageUsage), toGiB), dataGiB: statOf(scalePoints(data.points, toGiB)), walGiB: statOf(scalePoints(wal.points, toGiB)), totalGiB: statOf(storageTotalGiB) },
      opsPerSec: statOf(ops.points),
      p99LatencyMs: statOf(p99.points),
      limits: { memoryGiB: latest(memoryLimit), storageGiB: latest(storageLimit) }
    },
    usedCores,
    memoryGiB: memoryTotalGiB,
    storageGiB: storageTotalGiB,
    window: observationWindow([cpu, memory, data, wal, ops, p99])
  }
}

const tierPeak = (tiers: Array<{ tier: string } & Stat>, tier: string): number | undefined => tiers.find((t) => t.tier === tier)?.peak

/** Bytes per node of what a source measures, by the model's own formulas (capacity.ts) at the workload's ratios. */
function bytesPerNode (source: 'storage-data-tiers' | 'memory-hot-tier', inputs: EngramInput): number {
  const tiers = tierDistribution({ ...inputs, expectedNodes: REFERENCE_NODES })
  if (source === 'storage-data-tiers') {
    const storage = storageGiB(inputs, tiers)
    return (storage.warmTierGiB + storage.coldTierGiB) * C.BYTES_PER_GIB / REFERENCE_NODES
  }
  return memoryMiB(inputs, tiers).hotTierMiB * C.BYTES_PER_MIB / REFERENCE_NODES
}

const NODE_SOURCE_NOTES: Record<NodeSource, string> = {
  request: 'expectedNodes from the request.',
  'storage-data-tiers': 'Inferred from the data tiers on disk (engram_storage_usage_bytes summed over tiers, at its peak) by the model\'s bytes per node at the activeRatio used: every warm and cold node has a fixed size on disk, with no edge count or hash-table factor in it. So the storage-data comparison is true by construction; CPU and memory are the independent tests.',
  'memory-hot-tier': 'No data-tier storage to infer from: inferred from the hot tier in memory (engram_memory_usage_bytes{tier="hot"}, at its peak) by the model\'s bytes per hot node (edgesPerNode as used). The memory-hot comparison is true by construction.',
  default: 'Neither expectedNodes nor a storage or hot-tier memory series: the seed script\'s default (1,000,000) is used, and the memory and storage comparisons say nothing about the model.'
}

/** expectedNodes: the request's, else ONE measured source (the data tiers on disk, else the hot tier in memory), else the default. */
function impliedNodes (workload: Partial<EngramInput>, observed: EngramObserved, inputs: EngramInput): ImpliedWorkload['nodes'] {
  if (workload.expectedNodes !== undefined) return { value: workload.expectedNodes, source: 'request', statistic: null, note: NODE_SOURCE_NOTES.request }
  const sources: Array<['storage-data-tiers' | 'memory-hot-tier', number | undefined]> = [
    ['storage-data-tiers', observed.storage.dataGiB === null ? undefined : observed.storage.dataGiB.peak * C.BYTES_PER_GIB],
    ['memory-hot-tier', tierPeak(observed.memory.tiers, 'hot') === undefined ? undefined : (tierPeak(observed.memory.tiers, 'hot') as number) * C.BYTES_PER_MIB]
  ]
  for (const [source, bytes] of sources) {
    const perNode = bytesPerNode(source, inputs)
    if (bytes !== undefined && perNode > 0) {
      return { value: Math.min(MAX_NODES, Math.round(bytes / perNode)), source, statistic: 'peak', note: NODE_SOURCE_NOTES[source] }
    }
  }
  return { value: C.ENGRAM_DEFAULTS.expectedNodes, source: 'default', statistic: null, note: NODE_SOURCE_NOTES.default }
}

/**
 * Hot nodes as a share of all nodes, each tier's node count from its bytes by the model's per-node
 * sizes: the memory matrix's "Hot-heavy (>50%)" read as a share of nodes, as /scaling/engram reads it.
 */
function hotNodePercent (observed: EngramObserved, inputs: EngramInput): number | null {
  const hotMiB = tierPeak(observed.memory.tiers, 'hot')
  const warmGiB = tierPeak(observed.storage.tiers, 'warm')
  const coldGiB = tierPeak(observed.storage.tiers, 'cold')
  if (hotMiB === undefined || warmGiB === undefined || coldGiB === undefined) return null
  const one = { hotNodes: 1, warmNodes: 1, coldNodes: 1, hotEdges: inputs.edgesPerNode, totalEdges: 0 }
  const storage = storageGiB(inputs, one)
  const hotNodes = hotMiB / memoryMiB(inputs, one).hotTierMiB
  const nodes = hotNodes + warmGiB / storage.warmTierGiB + coldGiB / storage.coldTierGiB
  return nodes === 0 ? null : decimalClean(100 * hotNodes / nodes)
}

function impliedWorkload (input: EngramCalibrationInput, observed: EngramObserved, warnings: Warning[]): ImpliedWorkload {
  const workload = input.workload ?? {}
  const observedOps = observed.opsPerSec?.peak
  const opsPerSec: ImpliedWorkload['opsPerSec'] = workload.opsPerSec !== undefined
    ? { value: workload.opsPerSec, source: 'request', statistic: null }
    : observedOps !== undefined
      ? { value: Math.min(MAX_OPS_PER_SEC, observedOps), source: 'operations-metric', statistic: 'peak' }
      : { value: C.ENGRAM_DEFAULTS.opsPerSec, source: 'default', statistic: null }
  if (observedOps !== undefined && observedOps > MAX_OPS_PER_SEC && workload.opsPerSec === undefined) {
    warnings.push({ code: 'OBSERVED_VALUE_CLAMPED', severity: 'warning', message: `${ENGRAM_METRICS.operations}: a peak of ${fmt(observedOps)} ops/s is above the model's ${fmt(MAX_OPS_PER_SEC)}; the estimate uses ${fmt(MAX_OPS_PER_SEC)}.` })
  }
  const partial = resolveEngramInput({ ...workload, opsPerSec: opsPerSec.value })
  const nodes = impliedNodes(workload, observed, partial)
  if (nodes.source === 'default' || opsPerSec.source === 'default') {
    const what = [nodes.source === 'default' ? `expectedNodes (${fmt(nodes.value)})` : '', opsPerSec.source === 'default' ? `opsPerSec (${fmt(opsPerSec.value)})` : ''].filter((text) => text !== '').join(' and ')
    warnings.push({ code: 'WORKLOAD_DEFAULTED', severity: 'warning', message: `Neither the request nor the series give ${what}: the seed script's default is used, so the comparisons that depend on it test the default, not this deployment.` })
  }
  const inputs = { ...partial, expectedNodes: nodes.value }
  const walPerRetentionDay = storageGiB({ ...inputs, retentionDays: 1 }, tierDistribution(inputs)).walGiB
  const walGiB = observed.storage.walGiB?.peak
  return {
    inputs,
    nodes,
    opsPerSec,
    hotNodePercent: hotNodePercent(observed, inputs),
    walRetentionDays: walGiB === undefined || walPerRetentionDay === 0 ? null : finiteOrNull(walGiB / walPerRetentionDay)
  }
}

function compare (resource: ComparedResource, unit: Comparison['unit'], observed: number, model: number, modelTerms: string, byConstruction: boolean, note?: string): Comparison {
  const relativeErrorPercent = observed === 0 ? null : decimalClean(100 * (model - observed) / observed)
  const criterion = byConstruction
    ? 'by-construction'
    : relativeErrorPercent === null ? 'no-observed-load' : Math.abs(relativeErrorPercent) <= CRITERION_PERCENT ? 'pass' : 'fail'
  return { resource, unit, statistic: 'peak', observed, model: decimalClean(model), modelTerms, relativeErrorPercent, criterion, ...(note === undefined ? {} : { note }) }
}

const MEMORY_TIER_TERMS = { hot: 'hotTierMiB', warm: 'warmTierMiB', cold: 'coldTierMiB' } as const

/** Each measured resource against the model's raw need for the implied workload, at the peak. */
function comparisons (observed: EngramObserved, estimate: EngramEstimate, source: NodeSource): Comparison[] {
  const rows: Comparison[] = []
  const { cpu, memory, storage } = estimate
  if (observed.cpu.usedCores !== null) rows.push(compare('cpu', 'cores', observed.cpu.usedCores.peak, cpu.totalCores, 'cpu.totalCores', false))
  if (observed.memory.totalMiB !== null) {
    const note = source === 'memory-hot-tier' ? 'The hot tier inside it is fitted (the nodes come from it); the error is the warm and cold tiers\'.' : undefined
    rows.push(compare('memory', 'MiB', observed.memory.totalMiB.peak, memory.hotTierMiB + memory.warmTierMiB + memory.coldTierMiB, 'memory.hotTierMiB + warmTierMiB + coldTierMiB (the tiers the metric shows; runtime and activation pool are not in it)', false, note))
  }
  for (const tier of ['hot', 'warm', 'cold'] as const) {
    const peak = tierPeak(observed.memory.tiers, tier)
    if (peak !== undefined) rows.push(compare(`memory-${tier}`, 'MiB', peak, memory[MEMORY_TIER_TERMS[tier]], `memory.${MEMORY_TIER_TERMS[tier]}`, tier === 'hot' && source === 'memory-hot-tier'))
  }
  const data = observed.storage.dataGiB
  const wal = observed.storage.walGiB
  if (data !== null) rows.push(compare('storage-data', 'GiB', data.peak, storage.warmTierGiB + storage.coldTierGiB, 'storage.warmTierGiB + coldTierGiB', source === 'storage-data-tiers'))
  if (wal !== null) rows.push(compare('wal', 'GiB', wal.peak, storage.walGiB, 'storage.walGiB (every write kept for retentionDays)', false))
  if (observed.storage.totalGiB !== null) {
    const terms = [data === null ? '' : 'storage.warmTierGiB + coldTierGiB', wal === null ? '' : 'walGiB'].filter((t) => t !== '').join(' + ')
    const model = (data === null ? 0 : storage.warmTierGiB + storage.coldTierGiB) + (wal === null ? 0 : storage.walGiB)
    const fitted = source === 'storage-data-tiers'
    rows.push(compare('storage', 'GiB', observed.storage.totalGiB.peak, model, `${terms} (snapshots have no metric)`, fitted && wal === null,
      fitted && wal !== null ? 'The data tiers inside it are fitted (the nodes come from them); the error is the WAL\'s.' : undefined))
  }
  return rows
}

/** The resource row each right-sized resource is judged by. */
const JUDGED_BY: Record<ResourceName, ComparedResource> = { cpu: 'cpu', memory: 'memory', storage: 'storage' }

/**
 * Seed 004's two sizing rules at once: Phase 2's 1.3x the observed peak and Phase 3's targets (70%
 * average, 85% peak). A size meets a target when utilisation stays at or under it, so the size is the
 * largest of 1.3 x peak, peak / 0.85 and average / 0.70. 1.3 x peak always exceeds peak / 0.85 (peak at
 * 76.9% of the size); average / 0.70 binds only when the average is over 91% of the peak.
 */
export function rightSize (peak: number, average: number, round: (value: number) => number, unobserved = 0, quietPressure?: number): MeasuredSize {
  const candidates = {
    peakTimesFactor: decimalClean(peak * RIGHT_SIZING.peakFactor),
    peakOverPeakTarget: decimalClean(peak / RIGHT_SIZING.peakTarget),
    averageOverAverageTarget: decimalClean(average / RIGHT_SIZING.averageTarget),
    ...(quietPressure === undefined ? {} : { peakOverQuietPressure: decimalClean(peak / quietPressure) })
  }
  const ranked = [['peakTimesFactor', candidates.peakTimesFactor], ['averageOverAverageTarget', candidates.averageOverAverageTarget], ['peakOverQuietPressure', candidates.peakOverQuietPressure ?? 0]] as const
  const [binding, largest] = ranked.reduce((best, entry) => entry[1] > best[1] ? entry : best)
  const size = round(largest)
  const percentOf = (value: number): number => size === 0 ? 0 : decimalClean(100 * value / size)
  return { peak, average, unobserved, candidates, binding, size, achieved: { peakUtilizationPercent: percentOf(peak), averageUtilizationPercent: percentOf(average) } }
}

function trustOf (measured: RightSizedResource['measured'], plan: number, row: Comparison | undefined, window: ObservationWindow): RightSizedResource['trust'] {
  if (measured === null) return { use: 'model', value: plan, reason: 'Nothing measured for this resource: only the model\'s plan is available.' }
  const error = row === undefined || row.relativeErrorPercent === null ? '' : ` (model ${row.relativeErrorPercent > 0 ? '+' : ''}${fmt(row.relativeErrorPercent)}% vs the measured peak)`
  if (window.coversObservationDays) {
    const why = row?.criterion === 'fail'
      ? `the model misses by more than ${CRITERION_PERCENT}%${error}, and`
      : row?.criterion === 'pass' ? `the model agrees within ${CRITERION_PERCENT}%${error}; either will do, and` : 'the model cannot be judged on this resource, and'
    return { use: 'measured', value: measured.size, reason: `${why} the window covers ${fmt(window.coverageDays)} days, at least the ${OBSERVATION_DAYS} days of measurement Phase 1 asks for: seed 004 sizes from the observed peak (Phase 2).` }
  }
  if (row?.criterion === 'pass') {
    return { use: 'model', value: plan, reason: `The window covers ${fmt(window.coverageDays)} days, under the ${OBSERVATION_DAYS} Phase 1 asks for, so its peak may miss a weekly one; the model agrees within ${CRITERION_PERCENT}%${error}, so its plan stands.` }
  }
  const larger = measured.size > plan ? 'measured' : 'model'
  return { use: larger, value: Math.max(measured.size, plan), reason: `The window covers ${fmt(window.coverageDays)} days, under the ${OBSERVATION_DAYS} Phase 1 asks for, and the model ${row?.criterion === 'fail' ? `misses by more than ${CRITERION_PERCENT}%${error}` : 'cannot be judged on this resource'}: neither is established, so the larger is used.` }
}

function rightSizing (readings: Readings, estimate: EngramEstimate, rows: Comparison[], instanceCount: number): RightSizedResource[] {
  const { observed, window } = readings
  const { cpu, memory, storage, recommendations } = estimate
  // every instance has its runtime; memory is sized per instance as /estimate/engram sizes it (quietMemoryGiB)
  const instances = Math.max(1, instanceCount)
  const unobservedGiB = (instances * memory.runtimeMiB + memory.activationPoolMiB) / C.MIB_PER_GIB
  const memoryStat = observed.memory.totalMiB
  const memoryRound = (gib: number): number => instances * quietMemoryGiB(gib * C.MEMORY_QUIET_PRESSURE.value * C.MIB_PER_GIB / instances)
  const resources: Array<{ resource: ResourceName, unit: 'cores' | 'GiB', stat: { peak: number, average: number } | null, unobserved: number, round: (value: number) => number, rawNeed: number, plan: number, planTerm: string, quiet?: number }> = [
    { resource: 'cpu', unit: 'cores', stat: observed.cpu.usedCores, unobserved: 0, round: nextEven, rawNeed: cpu.totalCores, plan: recommendations.totalCores, planTerm: 'recommendations.totalCores' },
    {
      resource: 'memory',
      unit: 'GiB',
      stat: memoryStat === null ? null : { peak: memoryStat.peak / C.MIB_PER_GIB + unobservedGiB, average: memoryStat.average / C.MIB_PER_GIB + unobservedGiB },
      unobserved: unobservedGiB,
      round: memoryRound,
      quiet: C.MEMORY_QUIET_PRESSURE.value,
      rawNeed: memory.totalMiB / C.MIB_PER_GIB,
      plan: recommendations.memoryGiB,
      planTerm: 'recommendations.memoryGiB'
    },
    { resource: 'storage', unit: 'GiB', stat: observed.storage.totalGiB, unobserved: 0, round: ceilClean, rawNeed: storage.totalGiB, plan: recommendations.storageGiB, planTerm: 'recommendations.storageGiB' }
  ]
  return resources.map(({ resource, unit, stat, unobserved, round, rawNeed, plan, planTerm, quiet }) => {
    const measured = stat === null ? null : rightSize(decimalClean(stat.peak), decimalClean(stat.average), round, decimalClean(unobserved), quiet)
    const phase1Baseline = decimalClean(RIGHT_SIZING.phase1Factor * rawNeed)
    return {
      resource,
      unit,
      measured,
      model: { rawNeed: decimalClean(rawNeed), plan, planTerm },
      phase1Baseline,
      savingsVsPhase1Percent: measured === null || phase1Baseline === 0 ? null : finiteOrNull(100 * (1 - measured.size / phase1Baseline)),
      trust: trustOf(measured, plan, rows.find((row) => row.resource === JUDGED_BY[resource]), window)
    }
  })
}

interface Capacities { cpu: Capacity, memory: Capacity, storage: Capacity }
interface Capacity { value: number | null, source: ObservedCrossing['capacitySource'] }

function capacities (input: EngramCalibrationInput, observed: EngramObserved): Capacities {
  const given = input.provisioned ?? {}
  const pick = (request: number | undefined, measured: number | null, source: ObservedCrossing['capacitySource']): Capacity =>
    request !== undefined ? { value: request, source: 'request' } : measured !== null ? { value: measured, source } : { value: null, source: null }
  return {
    cpu: pick(given.cores, observed.cpu.cores, 'core-series'),
    memory: pick(given.memoryGiB, observed.limits.memoryGiB, 'limit-metric'),
    storage: pick(given.storageGiB, observed.limits.storageGiB, 'limit-metric')
  }
}

const CAPACITY_METRICS: Record<ResourceName, string> = { cpu: ENGRAM_METRICS.cpuUtilization, memory: ENGRAM_METRICS.memoryLimit, storage: ENGRAM_METRICS.storageLimit }
const PROVISIONED_FIELDS: Record<ResourceName, string> = { cpu: 'cores', memory: 'memoryGiB', storage: 'storageGiB' }

/** Days until each resource's fitted daily peak passes its threshold of capacity: /forecast/engram's linearFit and crossingDay. */
function crossings (readings: Readings, capacity: Capacities, horizonDays: number, warnings: Warning[], missing: MissingMetric[]): ObservedCrossing[] {
  const points: Record<ResourceName, Array<[number, number]>> = { cpu: readings.usedCores, memory: readings.memoryGiB, storage: readings.storageGiB }
  return (['cpu', 'memory', 'storage'] as const).map((resource) => {
    const { value, source } = capacity[resource]
    const thresholdPercent = THRESHOLDS[resource] * 100
    const peaks = readings.window.end === null ? [] : dailyPeaks(points[resource], readings.window.end)
    const base = { resource, unit: resource === 'cpu' ? 'cores' as const : 'GiB' as const, thresholdPercent, capacity: value, capacitySource: source, dailyPeaks: peaks }
    if (value === null) {
      const message = `${resource}: no provisioned ${PROVISIONED_FIELDS[resource]} in the request and no ${CAPACITY_METRICS[resource]} series: the days until ${thresholdPercent}% are not computed (and the matrices get no ${resource === 'cpu' ? 'core count' : 'pressure'}).`
      missing.push({ metric: CAPACITY_METRICS[resource], reason: 'no-capacity', message })
      warnings.push({ code: 'LIMIT_METRICS_REQUIRED', severity: 'warning', message })
      return { ...base, limit: null, fit: null, day: null, withinHorizon: false }
    }
    const limit = decimalClean(value * THRESHOLDS[resource])
    if (peaks.length === 0) return { ...base, limit, fit: null, day: null, withinHorizon: false }
    if (peaks.length < 2) {
      warnings.push({ code: 'TOO_FEW_OBSERVATIONS', severity: 'warning', message: `${resource}: one day of samples gives no trend; the days until ${thresholdPercent}% assume it stays at that day's peak.` })
    }
    const { slope, intercept } = linearFit(peaks.map(({ day, peak }) => ({ day, nodes: peak })))
    const day = crossingDay((d) => intercept + slope * d, limit, horizonDays)
    if (day !== null) {
      warnings.push({ code: day === 0 ? 'THRESHOLD_ALREADY_CROSSED' : 'THRESHOLD_CROSSING', severity: day === 0 ? 'critical' : 'warning', message: `${resource}: the fitted daily peak passes ${thresholdPercent}% of the ${fmt(value)} ${base.unit} provisioned ${day === 0 ? 'already' : `in ${day} days`}.` })
    }
    return { ...base, limit, fit: { slopePerDay: decimalClean(slope), intercept: decimalClean(intercept) }, day, withinHorizon: day !== null }
  })
}

/** The observed peaks as /scaling/engram's input: the matrices read peaks (Phase 3's "85% peak utilization threshold" is their emergency boundary). */
function scalingInput (readings: Readings, workload: ImpliedWorkload, capacity: Capacities, warnings: Warning[]): ScalingInput {
  const { observed } = readings
  const input: ScalingInput = {}
  const percentOf = (name: string, used: number, of: number): number => {
    const percent = decimalClean(100 * used / of)
    if (percent <= 100) return percent
    warnings.push({ code: 'OBSERVED_VALUE_CLAMPED', severity: 'warning', message: `${name}: the peak ${fmt(used)} GiB is ${fmt(percent)}% of the ${fmt(of)} GiB capacity; read as 100% (check the limit series or the provisioned figure).` })
    return 100
  }
  if (observed.cpu.utilizationPercent !== null) input.cpuUtilizationPercent = observed.cpu.utilizationPercent.peak
  if (observed.p99LatencyMs !== null) input.p99LatencyMs = observed.p99LatencyMs.peak
  if (capacity.cpu.value !== null && capacity.cpu.value > 0) input.currentCores = capacity.cpu.value
  // a capacity of 0 (a limit series at 0) gives no utilisation and no size to grow from
  const memoryCapacity = capacity.memory.value !== null && capacity.memory.value > 0 ? capacity.memory.value : null
  const storageCapacity = capacity.storage.value !== null && capacity.storage.value > 0 ? capacity.storage.value : null
  const memory = observed.memory.totalMiB
  if (memory !== null && memoryCapacity !== null) input.memoryPressurePercent = percentOf('memory', decimalClean(memory.peak / C.MIB_PER_GIB), memoryCapacity)
  if (workload.hotNodePercent !== null) input.hotTierPercent = workload.hotNodePercent
  if (memoryCapacity !== null) input.currentMemoryGiB = memoryCapacity
  const storage = observed.storage.totalGiB
  if (storage !== null && storageCapacity !== null) input.diskUtilizationPercent = percentOf('storage', storage.peak, storageCapacity)
  if (storageCapacity !== null) input.currentStorageGiB = storageCapacity
  if (observed.storage.walGiB !== null) input.walSizeGiB = observed.storage.walGiB.peak
  return input
}

export const CALIBRATION_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'criterionPercent', value: CRITERION_PERCENT, unit: '% relative error', source: `${SEED}, Acceptance Criteria (l.876: predicts resource needs within 15%)`, note: 'The criterion does not say against what: here the model\'s raw need (no headroom: the 1.25x-1.5x headroom alone would fail it) for the window\'s peak workload (peak ops/s; nodes at the peak of their source) against each resource\'s observed peak, |model - observed| / observed.' },
  { name: 'observationDays', value: OBSERVATION_DAYS, unit: 'days', source: `${RIGHT_SIZING_SOURCE}, Phase 1 (monitor actual utilization for 7 days)`, note: 'A window of at least 7 days of samples makes the measured size the one to use; a shorter one may miss a weekly peak.' },
  { name: 'peakFactor', value: RIGHT_SIZING.peakFactor, unit: 'x observed peak', source: `${RIGHT_SIZING_SOURCE}, Phase 2 (reduce resources to 1.3x peak observed)` },
  { name: 'averageTargetPercent', value: RIGHT_SIZING.averageTarget * 100, unit: '% average utilization', source: `${RIGHT_SIZING_SOURCE}, Phase 3 (target 70% average utilization)` },
  { name: 'peakTargetPercent', value: RIGHT_SIZING.peakTarget * 100, unit: '% peak utilization', source: `${RIGHT_SIZING_SOURCE}, Phase 3 (85% peak utilization threshold)`, note: 'SEED_INCONSISTENCY: Phase 2 and Phase 3 disagree. 1.3x peak puts the peak at 76.9% of the size, inside the CPU matrix\'s "70-85% Scale immediately" and the memory matrix\'s "75-85% Scale RAM" rows; and 1.3x peak gives 70% average only when the average is 91% of the peak. The size is max(1.3 x peak, peak / 0.85, average / 0.70): no target is exceeded, and the achieved utilisations are reported.' },
  { name: 'phase1Factor', value: RIGHT_SIZING.phase1Factor, unit: 'x raw need', source: `${RIGHT_SIZING_SOURCE}, Phase 1 (start with 2x calculated baseline)`, note: 'The "calculated baseline" is read as the model\'s raw need (the script\'s recommendations already carry 1.25x-1.5x headroom). Savings against it are reported for the >30% criterion (l.900).' },
  { name: 'matrixStatistic', value: 1, unit: 'peak', source: `${SEED}, Vertical Scaling Procedures and Right-Sizing Strategy Phase 3`, note: 'The decision matrices get the window\'s peaks (CPU utilisation, p99, memory pressure, disk utilisation, WAL): Phase 3 calls 85% the peak threshold, the matrices\' emergency boundary. The sampled peak is at the query step (60 s from Prometheus), so sub-step spikes are smoothed.' },
  { name: 'cpuAggregation', value: 1, unit: '', source: `${SEED}, Key Metrics to Track (engram_cpu_utilization_percent{core})`, note: 'Utilisation is the mean over every core series at a timestamp (several instances: over all their cores, so core-weighted); cores are the number of core series; cores busy = utilisation x cores. The model\'s cpu.totalCores is compared with the peak of cores busy.' },
  { name: 'capacityAggregation', value: 1, unit: '', source: 'SERVICE (not in the seed): several instances in the selection', note: 'Bytes and ops/s are summed over tiers, operations and instances at each timestamp, p99 is the worst series; a timestamp counts only where every series has a valid sample (NaN, infinite and negative samples are left out and counted).' },
  { name: 'memoryTiers', value: C.RUNTIME_OVERHEAD_MIB.value, unit: 'MiB runtime not in the tier metrics', source: `${SEED}, Key Metrics to Track (engram_memory_usage_bytes{tier}) and formula 1 (RUNTIME_OVERHEAD)`, note: 'The tier metrics are compared with the model\'s hot + warm + cold tiers only. Memory pressure is the tiers\' peak over the memory limit (the alert divides the hot tier alone; the matrix gives no denominator). Right-sizing adds the model\'s runtime and activation pool, which no metric shows.' },
  { name: 'storageContents', value: 1, unit: '', source: `${SEED}, Key Metrics to Track (engram_storage_usage_bytes{tier}, engram_wal_size_bytes)`, note: 'engram_storage_usage_bytes{tier} is read as the data tiers (warm and cold segments) without the WAL, which has its own metric; the volume holds both; snapshots have no metric and are left out of the comparison. Disk utilisation = (data + WAL) peak / storage capacity.' },
  { name: 'hotHeavyReading', value: 50, unit: '% of nodes hot', source: `${SEED}, Memory Scaling Decision Matrix (Hot-heavy (>50%))`, note: 'SEED_INCONSISTENCY: the matrix does not say of what. Read as a share of nodes, as /scaling/engram does: each tier\'s node count from its bytes (memory hot; storage warm and cold) by the model\'s per-node sizes. By bytes the hot tier is over half of memory at the seed\'s defaults (53%) while 10% of nodes are hot.' },
  { name: 'walModel', value: C.WAL_RECORD_BYTES.value, unit: 'bytes per write kept for retentionDays', source: `${SEED}, estimate_capacity.sh (WAL_STORAGE)`, note: 'The model keeps a WAL record of every write (opsPerSec x writeRatio; the script logs every operation) for all retentionDays; a compacting WAL is far smaller, so the wal comparison is expected to fail. walRetentionDays reports the retention the observed WAL stands for.' },
  { name: 'crossingThresholds', value: THRESHOLDS.cpu * 100, unit: '% (CPU; memory 80, storage 70)', source: `${SEED}, Capacity Planning Worksheet (when will CPU hit 70%? memory 80%? storage 70%?)`, note: 'Least squares through each day\'s peak (days counted back from the window\'s end), crossed as /forecast/engram crosses (crossingDay). Capacity: the request\'s provisioned figures, else the limit metrics\' latest value, else (cores) the number of core series.' }
]

/**
 * The calibration report: never throws on missing or bad data; what could not be read is listed in
 * `missing` and the warnings, and the figures that depend on it are null or left out.
 */
export function calibrateEngram (input: EngramCalibrationInput): EngramCalibration {
  const warnings: Warning[] = []
  const missing: MissingMetric[] = []
  const horizonDays = input.horizonDays ?? DEFAULT_HORIZON_DAYS
  const readings = read(input.series, warnings, missing)
  const { observed, window } = readings
  const instances = instancesOf(input.series, Object.values(ENGRAM_METRICS))
  if (instances.length > 1) {
    warnings.push({ code: 'SEVERAL_INSTANCES', severity: 'info', message: `The selection holds ${instances.length} instances (${instances.map((i) => JSON.stringify(i)).join(', ')}): bytes, ops/s and cores are summed over them, CPU utilisation averaged over all their cores, p99 the worst; the model is compared with the deployment as a whole.` })
  }
  if (window.end !== null && !window.coversObservationDays) {
    warnings.push({ code: 'SHORT_WINDOW', severity: 'warning', message: `The samples cover ${fmt(window.coverageDays)} days, under the ${OBSERVATION_DAYS} days of measurement seed 004's Right-Sizing Phase 1 asks for: a weekly peak may be missing.` })
  }
  const workload = impliedWorkload(input, observed, warnings)
  const estimate = estimateEngram(workload.inputs)
  const rows = comparisons(observed, estimate, workload.nodes.source)
  for (const row of rows.filter((r) => r.criterion === 'fail')) {
    warnings.push({ code: 'MODEL_OUTSIDE_CRITERION', severity: 'warning', message: `${row.resource}: the model's ${fmt(row.model)} ${row.unit} is ${fmt(row.relativeErrorPercent as number)}% off the measured peak ${fmt(row.observed)} ${row.unit}, outside seed 004's ${CRITERION_PERCENT}%.` })
  }
  const capacity = capacities(input, observed)
  const crossed = crossings(readings, capacity, horizonDays, warnings, missing)
  warnings.push({ code: 'SEED_INCONSISTENCY', severity: 'info', message: 'Right-sizing: seed 004\'s Phase 2 (1.3x peak) and Phase 3 (70% average, 85% peak) disagree, and 1.3x peak leaves the peak at 76.9%, inside the matrices\' "Scale immediately" and "Scale RAM" rows; sizes are max(1.3 x peak, peak / 0.85, average / 0.70) with the utilisations they achieve, and memory also peak / 0.60 per instance (the memory matrix\'s "no action" row), the rule /estimate/engram sizes memory by.' })
  return {
    inputs: { workload: input.workload ?? {}, provisioned: input.provisioned ?? {}, horizonDays, seriesCounts: Object.fromEntries(Object.entries(input.series).map(([metric, list]) => [metric, list.length])) },
    window,
    instances,
    observed,
    missing,
    workload,
    model: { cpu: estimate.cpu, memory: estimate.memory, storage: estimate.storage, recommendations: estimate.recommendations },
    comparisons: rows,
    scaling: decideScaling(scalingInput(readings, workload, capacity, warnings)),
    rightSizing: rightSizing(readings, estimate, rows, instances.length),
    crossings: crossed,
    warnings: sortBySeverity(warnings),
    assumptions: [...CALIBRATION_ASSUMPTIONS]
  }
}
