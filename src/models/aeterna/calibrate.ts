// Calibration of the Aeterna tiers against measured series (issue 16): the observed figures of seed
// 000's Key Metrics to Watch, the current tier's alert thresholds they breach, and the tier
// recommendation the measured load gives through the same code as /estimate/aeterna. Pure: the series
// arrive already read (src/prometheus does the I/O).
import type { SeriesByMetric } from '../../prometheus/series.js'
import { type Assumption, type Warning, sortBySeverity } from '../common.js'
import {
  type MissingMetric, type ObservationWindow, type Stat, combineSeries, fmt, instancesOf, observationWindow, reportQuality, seriesOf, statOf
} from '../engram/calibrate.js'
import { type AeternaEstimate, type AeternaInput, type Reason, estimateAeterna } from './recommend.js'
import { TIERS, TIER_NAMES, type Tier, type TierName } from './tiers.js'

/**
 * The series read, one per seed 000 Key Metric. The seed's own queries cannot be used as written
 * (research point 8: metrics that do not exist, fractions vs percentages, seconds vs ms, bytes for a
 * lag in ms, no storage query): the service fixes these names and units, and an operator records
 * them (e.g. with recording rules) from whatever their cluster exports.
 */
export const AETERNA_METRICS = {
  /** % of the CPU limit (0-100) */
  cpuUtilizationPercent: 'aeterna_cpu_utilization_percent',
  /** % of the memory limit (0-100) */
  memoryUtilizationPercent: 'aeterna_memory_utilization_percent',
  /** % of the volume used (0-100) */
  storageUsedPercent: 'aeterna_storage_used_percent',
  /** query latency p99, ms */
  p99LatencyMs: 'aeterna_query_latency_p99_ms',
  /** disk I/O operations per second */
  diskIops: 'aeterna_disk_iops',
  /** replication lag, ms */
  replicationLagMs: 'aeterna_replication_lag_ms'
} as const

export type AeternaMetric = keyof typeof AETERNA_METRICS

const METRIC_KEYS = Object.keys(AETERNA_METRICS) as AeternaMetric[]
const PERCENT_METRICS = new Set<AeternaMetric>(['cpuUtilizationPercent', 'memoryUtilizationPercent', 'storageUsedPercent'])

/** Each metric's column in seed 000's Key Metrics to Watch (TIERS[t].alerts). */
export const ALERT_FIELDS: Readonly<Record<AeternaMetric, keyof Tier['alerts']>> = {
  cpuUtilizationPercent: 'cpuPercent',
  memoryUtilizationPercent: 'memoryPercent',
  storageUsedPercent: 'storageUsedPercent',
  p99LatencyMs: 'p99LatencyMs',
  diskIops: 'diskIops',
  replicationLagMs: 'replicationLagMs'
}

const UNITS: Readonly<Record<AeternaMetric, string>> = {
  cpuUtilizationPercent: '%',
  memoryUtilizationPercent: '%',
  storageUsedPercent: '%',
  p99LatencyMs: 'ms',
  diskIops: 'IOPS',
  replicationLagMs: 'ms'
}

/** The load inputs of estimateAeterna: seed 000's scale-up triggers read them. */
const LOAD_SIGNALS = ['cpuUtilizationPercent', 'memoryUtilizationPercent', 'p99LatencyMs', 'storageUsedPercent'] as const

export interface AeternaCalibrationInput {
  series: SeriesByMetric
  /** the tier deployed now, whose alert thresholds apply; default: the tier the workload gives without load signals */
  tier?: TierName
  /** memory objects stored (no metric shows it); default: the current tier's lowest count, else 0 */
  memoryCount?: number
  concurrentUsers?: number
  multiTenant?: boolean
  requireHA?: boolean
}

export interface AlertCheck {
  metric: string
  alert: keyof Tier['alerts']
  unit: string
  /** the current tier's threshold (seed 000, Key Metrics to Watch): an alert fires above it */
  threshold: number
  statistic: 'peak'
  observed: number | null
  /** peak > threshold; null when not measured */
  breached: boolean | null
}

export interface AeternaCalibration {
  inputs: Omit<AeternaCalibrationInput, 'series'> & { seriesCounts: Record<string, number> }
  window: ObservationWindow
  instances: string[]
  /** per metric, the worst series at each timestamp */
  observed: Record<AeternaMetric, Stat | null>
  missing: MissingMetric[]
  currentTier: { tier: TierName, source: 'request' | 'workload' }
  /** the current tier's alert thresholds against the peaks */
  alerts: AlertCheck[]
  /** the averages given to the scale-up triggers ("CPU consistently > 75%") */
  loadSignals: Partial<Pick<AeternaInput, typeof LOAD_SIGNALS[number]>>
  recommendation: {
    tier: TierName
    direction: 'up' | 'same' | 'down'
    reasons: Reason[]
    tierSummary: AeternaEstimate['tierSummary']
    /** the estimate's inputs: the request's workload with the load signals */
    inputs: AeternaInput
    note: string
  }
  warnings: Warning[]
  assumptions: Assumption[]
}

const SEED = 'seed 000'

export const AETERNA_CALIBRATION_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'seriesNames', value: METRIC_KEYS.length, unit: 'series', source: `${SEED}, Metrics Queries (Prometheus)`, note: `SEED_INCONSISTENCY: the seed's queries cannot be used as written (kube_pod_container_memory_usage_bytes does not exist, the CPU query divides by the whole cluster's limit and gives a fraction while memory gives a percent, rate(container_fs_io_time_seconds_total) is seconds of I/O per second, not IOPS, the lag query is in bytes and the thresholds in ms, qdrant_query_duration_seconds_bucket is not a Qdrant metric and gives seconds, and there is no storage query). The service reads ${Object.values(AETERNA_METRICS).join(', ')} in the units their names say.` },
  { name: 'worstSeries', value: 1, unit: '', source: 'SERVICE (not in the seed): several series in the selection', note: 'Several pods, volumes or instances: the worst series at each timestamp (an alert fires on any one series); a timestamp counts only where every series has a valid sample. Percentages above 100 are read as 100; NaN, infinite and negative samples are left out.' },
  { name: 'alertStatistic', value: 1, unit: 'peak', source: `${SEED}, Key Metrics to Watch`, note: 'An alert threshold is breached when the window\'s peak is above it (the seed writes "> 80%").' },
  { name: 'triggerStatistic', value: 1, unit: 'average', source: `${SEED}, When to Scale Up (CPU consistently > 75%)`, note: 'The scale-up triggers get the window\'s averages: "consistently" is a sustained level, not a peak; memory, latency and storage are read the same way (storage grows, so its average understates the latest fill, reported beside it).' },
  { name: 'alertVsTrigger', value: 75, unit: '% CPU (small -> medium trigger; small alert 80)', source: `${SEED}, Key Metrics to Watch vs When to Scale Up`, note: 'SEED_INCONSISTENCY: the thresholds disagree: the small tier alerts at CPU > 80% and memory > 85% but moves to medium at CPU > 75% and memory > 80%; medium alerts at storage > 75% but moves to large at > 70%. Both are reported: alerts on peaks, triggers on averages.' },
  { name: 'capacityExhausted', value: 0, unit: '', source: `${SEED}, When to Scale Up (Node CPU/memory capacity exhausted)`, note: 'No series shows node capacity: this trigger is not evaluated. Memory count and concurrent users are not observable either and come from the request.' }
]

const TIER_RANK = (tier: TierName): number => TIER_NAMES.indexOf(tier)

export function calibrateAeterna (input: AeternaCalibrationInput): AeternaCalibration {
  const warnings: Warning[] = []
  const missing: MissingMetric[] = []
  const combined = METRIC_KEYS.map((key) => {
    const metric = AETERNA_METRICS[key]
    const result = combineSeries(metric, seriesOf(input.series, metric), 'max', PERCENT_METRICS.has(key) ? 100 : Infinity)
    reportQuality(result, `its ${UNITS[key]} figures`, warnings, missing)
    return result
  })
  const observed = Object.fromEntries(METRIC_KEYS.map((key, index) => [key, statOf(combined[index].points)])) as Record<AeternaMetric, Stat | null>
  const instances = instancesOf(input.series, Object.values(AETERNA_METRICS))
  if (instances.length > 1) {
    warnings.push({ code: 'SEVERAL_INSTANCES', severity: 'info', message: `The selection holds ${instances.length} instances (${instances.map((i) => JSON.stringify(i)).join(', ')}): each figure is the worst of them at each timestamp.` })
  }
  const workload = { concurrentUsers: input.concurrentUsers ?? 0, multiTenant: input.multiTenant ?? false, requireHA: input.requireHA ?? false }
  if (input.memoryCount === undefined) {
    warnings.push({ code: 'WORKLOAD_DEFAULTED', severity: 'warning', message: `No memoryCount (no metric shows it): ${input.tier === undefined ? '0 is used' : `the ${input.tier} tier's lowest count (${fmt(TIERS[input.tier].memoryCount.min)}) is used`}, so the recommendation rests on the load signals, users, HA and tenancy.` })
  }
  const memoryCount = input.memoryCount ?? (input.tier === undefined ? 0 : TIERS[input.tier].memoryCount.min)
  const currentTier: AeternaCalibration['currentTier'] = input.tier === undefined
    ? { tier: estimateAeterna({ ...workload, memoryCount }).tier, source: 'workload' }
    : { tier: input.tier, source: 'request' }
  const thresholds = TIERS[currentTier.tier].alerts
  const alerts = METRIC_KEYS.map((key): AlertCheck => {
    const stat = observed[key]
    const threshold = thresholds[ALERT_FIELDS[key]]
    return { metric: AETERNA_METRICS[key], alert: ALERT_FIELDS[key], unit: UNITS[key], threshold, statistic: 'peak', observed: stat?.peak ?? null, breached: stat === null ? null : stat.peak > threshold }
  })
  for (const alert of alerts.filter((a) => a.breached === true)) {
    warnings.push({ code: 'ALERT_THRESHOLD_BREACHED', severity: 'warning', message: `${alert.metric}: the peak ${fmt(alert.observed as number)} ${alert.unit} is above the ${currentTier.tier} tier's alert threshold (> ${fmt(alert.threshold)} ${alert.unit}, seed 000 Key Metrics to Watch).` })
  }
  const loadSignals: AeternaCalibration['loadSignals'] = {}
  for (const key of LOAD_SIGNALS) {
    const stat = observed[key]
    if (stat !== null) loadSignals[key] = stat.average
  }
  const estimate = estimateAeterna({ ...workload, memoryCount, ...loadSignals })
  const rank = TIER_RANK(estimate.tier) - TIER_RANK(currentTier.tier)
  const direction = rank > 0 ? 'up' : rank < 0 ? 'down' : 'same'
  const note = direction === 'up'
    ? `Scale up from ${currentTier.tier} to ${estimate.tier}: see the reasons.`
    : direction === 'same'
      ? `Stay at ${currentTier.tier}.`
      : `The workload and load fit ${estimate.tier}, below the ${currentTier.tier} tier deployed; seed 000 gives scale-up triggers only, so moving down is the operator's call.`
  return {
    inputs: { ...(({ series, ...rest }) => rest)(input), seriesCounts: Object.fromEntries(Object.entries(input.series).map(([metric, list]) => [metric, list.length])) },
    window: observationWindow(combined),
    instances,
    observed,
    missing,
    currentTier,
    alerts,
    loadSignals,
    recommendation: { tier: estimate.tier, direction, reasons: estimate.reasons, tierSummary: estimate.tierSummary, inputs: estimate.inputs, note },
    warnings: sortBySeverity(warnings),
    assumptions: [...AETERNA_CALIBRATION_ASSUMPTIONS]
  }
}
