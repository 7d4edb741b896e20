// Response schemas of POST /calibrate/engram and POST /calibrate/aeterna (issue 16): the return values
// of calibrateEngram and calibrateAeterna, each with `source` (what the series came from) first.
// fast-json-stringify writes only what these schemas list, so every property of EngramCalibration
// and AeternaCalibration is here. Parts the estimates already describe are reused; the input
// echoes carry no `default` (the serializer would write a default for a field the request left out).
import { type TNumber, type TOptional, Type, type TProperties, type TSchema, type TUnsafe } from 'typebox'
import type { AeternaMetric } from '../models/aeterna/calibrate.js'
import { TIER_NAMES } from '../models/aeterna/tiers.js'
import { AeternaEstimateSchema, aeternaInputProperties } from './aeterna.js'
import { AssumptionsRef, WarningsRef, outputQuantity } from './common.js'
import { EngramEstimateSchema, engramInputProperties } from './engram.js'

// generic, so Static<> of the answers is typed (the route's reply type; the test checks it against the
// models' types, enum values included: each enum's values are literals, not the model's union)
const obj = <P extends TProperties>(properties: P, description: string, id?: string) =>
  Type.Object(properties, { additionalProperties: false, description, ...(id === undefined ? {} : { $id: id }) })
const text = (description: string) => Type.String({ description })
/** outputQuantity, typed as the number it is. */
const quantity = (unit: string, description: string) => outputQuantity(unit, description) as TNumber
const oneOf = <T extends string>(values: readonly T[], description: string): TUnsafe<T> =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description })
const orNull = <S extends TSchema>(schema: S, description: string) => Type.Union([schema, Type.Null()], { description })
/** A number that may be negative (a trend, an error, a saving). */
const signed = (unit: string, description: string) => Type.Number({ description: `${description} Unit: ${unit}.` })
/** A count of things (series, samples): a whole number. */
const count = (unit: string, description: string, minimum = 0) => Type.Integer({ minimum, description: `${description} Unit: ${unit}.` })
const quantityOrNull = (unit: string, description: string) => orNull(Type.Number({ minimum: 0 }), `${description} Unit: ${unit}.`)
const unixSeconds = (description: string) => orNull(Type.Number(), `${description} Unit: s (unix time).`)
const peakStatistic = (description: string) => orNull(Type.Unsafe<'peak'>({ type: 'string', enum: ['peak'] }), description)
const tierName = (description: string) => oneOf(TIER_NAMES, description)

// ---------------------------------------------------------------------------------------------
// Shared by both answers

export const CalibrationSourceSchema = obj({
  kind: oneOf(['prometheus', 'inline'] as const, 'prometheus: read from the operator\'s Prometheus with query_range; inline: the series came in the request body.'),
  match: orNull(Type.String(), 'The serialised label matchers appended to each metric\'s selector ("" when none); null for inline.'),
  startSeconds: unixSeconds('prometheus: the query\'s start; inline: the first timestamp seen, null when no point at all.'),
  endSeconds: unixSeconds('prometheus: the query\'s end; inline: the last timestamp seen, null when no point at all.'),
  stepSeconds: quantityOrNull('s', 'The query step (prometheus); null for inline.'),
  stepNote: orNull(text('Why and how far the step was coarsened.'), 'prometheus: when the series counted needed a step coarser than the window\'s finest to fit PROMETHEUS_MAX_POINTS, says so (a coarser step samples the series and can miss short peaks); null otherwise, and for inline.'),
  queries: Type.Array(obj({
    metric: text('Metric name.'),
    query: text('The PromQL selector sent.'),
    series: count('series', 'Series Prometheus returned.')
  }, 'One query_range query.'), { description: 'One per metric queried; [] for inline.' }),
  prometheusWarnings: Type.Array(text('"metric: text".'), { description: 'Warnings Prometheus sent with its answers, each as "metric: text"; [] for inline.' })
}, 'What the series came from.')

/** One figure over the window; the unit is the figure's. */
const stat = (unit: string, description: string) => obj({
  peak: quantity(unit, 'Largest value over the window.'),
  average: quantity(unit, 'Mean over the window\'s timestamps.'),
  latest: quantity(unit, 'The last value.'),
  samples: count('timestamps', 'Timestamps the figures come from.', 1)
}, description)
const statOrNull = (unit: string, description: string) => orNull(stat(unit, description), `${description} Unit: ${unit}. null when not measured.`)
const tierStats = (unit: string, description: string) => Type.Array(obj({
  tier: text('The series\' tier label ("" when none).'),
  ...stat(unit, 'One tier.').properties
}, `One tier, summed over its series. Unit: ${unit}.`), { description })

const windowSchema = obj({
  start: unixSeconds('First timestamp with a value in any metric read; null when none.'),
  end: unixSeconds('Last timestamp with a value in any metric read; null when none.'),
  stepSeconds: quantityOrNull('s', 'Median gap between consecutive timestamps (the query step); 0 with one timestamp; null when none.'),
  coverageDays: quantity('days', '(end - start + step) / 86,400: n samples at step s cover n x s; 0 when no sample.'),
  coversObservationDays: Type.Boolean({ description: 'coverageDays is at least the 7 days of seed 004\'s Right-Sizing Phase 1.' })
}, 'The time the series span.')

const MISSING_REASONS = ['absent', 'no-valid-samples', 'no-common-timestamps', 'no-capacity'] as const
const missingSchema = Type.Array(obj({
  metric: text('Metric name.'),
  reason: oneOf(MISSING_REASONS, 'absent: no series; no-valid-samples: no finite, non-negative sample; no-common-timestamps: the series share no timestamp; no-capacity: no provisioned figure and no limit series.'),
  message: text('What is missing and what it costs, for a person.')
}, 'A figure that could not be read.'), { description: 'Figures the calibration could not read: reported, never thrown; what depends on them is null or left out.' })

const seriesCounts = Type.Record(Type.String(), count('series', 'Series given for the metric.'), { description: 'Series given, by metric name.' })
const instances = Type.Array(text('An instance label ("" for series without one).'), { description: 'Distinct instance labels across the metrics read, sorted.' })

// ---------------------------------------------------------------------------------------------
// Engram

const estimate = EngramEstimateSchema.properties
/** The request's fields echoed as given: optional, no defaults. */
const echoedWorkload = Object.fromEntries(Object.entries(engramInputProperties).map(([name, schema]) => {
  const { default: _default, ...given } = schema as TSchema & { default?: unknown }
  return [name, Type.Optional(given as TSchema)]
})) as { [Name in keyof typeof engramInputProperties]: TOptional<TSchema> }

const provisionedEcho = obj({
  cores: Type.Optional(quantity('cores', 'Cores provisioned.')),
  memoryGiB: Type.Optional(quantity('GiB', 'Memory provisioned.')),
  storageGiB: Type.Optional(quantity('GiB', 'Storage provisioned.'))
}, 'What the request says is provisioned ({} when nothing).')

const engramObserved = obj({
  cpu: obj({
    utilizationPercent: statOrNull('%', 'engram_cpu_utilization_percent: the mean over every core series (all instances) at each timestamp, samples above 100 read as 100.'),
    cores: orNull(Type.Integer({ minimum: 0 }), 'Core series with a valid sample: the cores the instances have. Unit: cores. null when not measured.'),
    usedCores: statOrNull('cores', 'Cores busy: utilisation x cores / 100.')
  }, 'CPU.'),
  memory: obj({
    totalMiB: statOrNull('MiB', 'engram_memory_usage_bytes summed over tiers and instances.'),
    tiers: tierStats('MiB', 'engram_memory_usage_bytes per tier label, in label order.')
  }, 'Memory. MiB = 2^20 bytes.'),
  storage: obj({
    tiers: tierStats('GiB', 'engram_storage_usage_bytes per tier label, in label order.'),
    dataGiB: statOrNull('GiB', 'engram_storage_usage_bytes summed over the data tiers and instances.'),
    walGiB: statOrNull('GiB', 'engram_wal_size_bytes summed over instances.'),
    totalGiB: statOrNull('GiB', 'Data tiers + WAL: the volume\'s contents.')
  }, 'Storage. GiB = 2^30 bytes.'),
  opsPerSec: statOrNull('ops/s', 'engram_operations_per_second summed over operations and instances.'),
  p99LatencyMs: statOrNull('ms', 'engram_p99_latency_ms: the worst series at each timestamp.'),
  limits: obj({
    memoryGiB: quantityOrNull('GiB', 'engram_memory_limit_bytes\' latest value, summed over instances; null without the metric.'),
    storageGiB: quantityOrNull('GiB', 'engram_storage_limit_bytes\' latest value, summed over instances; null without the metric.')
  }, 'The limit metrics.')
}, 'What the metrics show (seed 004, Key Metrics to Track).')

const NODE_SOURCES = ['request', 'storage-data-tiers', 'memory-hot-tier', 'default'] as const
const impliedWorkload = obj({
  inputs: Type.Object(engramInputProperties, { additionalProperties: false, description: 'The inputs of the model\'s estimate: the request\'s workload, the implied nodes and ops/s, the seed script\'s defaults for the rest.' }),
  nodes: obj({
    value: quantity('nodes', 'expectedNodes used.'),
    source: oneOf(NODE_SOURCES, 'request; storage-data-tiers or memory-hot-tier: inferred from that measurement by the model\'s bytes per node; default: the seed script\'s.'),
    statistic: peakStatistic('peak when inferred from a measurement; else null.'),
    note: text('How the value was found and which comparison it makes true by construction.')
  }, 'expectedNodes and where it comes from.'),
  opsPerSec: obj({
    value: quantity('ops/s', 'opsPerSec used (at most 1,000,000,000, the model\'s maximum).'),
    source: oneOf(['request', 'operations-metric', 'default'] as const, 'request; operations-metric: the observed peak; default: the seed script\'s.'),
    statistic: peakStatistic('peak when read from the operations metric; else null.')
  }, 'opsPerSec and where it comes from.'),
  hotNodePercent: quantityOrNull('% of nodes', 'Hot nodes among all nodes, each tier\'s nodes from its bytes by the model\'s per-node sizes; null unless hot (memory), warm and cold (storage) tiers are all labelled.'),
  walRetentionDays: quantityOrNull('days', 'The WAL retention the observed WAL peak stands for at the ops/s used, by the model\'s WAL formula; null without a WAL series or with 0 ops/s.')
}, 'The workload the measurements imply.')

const COMPARED = ['cpu', 'memory', 'memory-hot', 'memory-warm', 'memory-cold', 'storage', 'storage-data', 'wal'] as const
const comparison = obj({
  resource: oneOf(COMPARED, 'The resource compared.'),
  unit: oneOf(['cores', 'MiB', 'GiB'] as const, 'Unit of observed and model.'),
  statistic: oneOf(['peak'] as const, 'Always the peak: the estimate is for the window\'s peak workload.'),
  observed: quantity('as unit', 'The measured peak.'),
  model: quantity('as unit', 'The model\'s raw need (no headroom) for the implied workload.'),
  modelTerms: text('Which terms of the estimate make up model.'),
  relativeErrorPercent: orNull(Type.Number(), '(model - observed) / observed x 100; may be negative. Unit: %. null when nothing was observed (0).'),
  criterion: oneOf(['pass', 'fail', 'by-construction', 'no-observed-load'] as const, 'pass: |error| <= 15% (seed 004, Acceptance Criteria); fail: above; by-construction: the workload was inferred from this figure; no-observed-load: observed is 0.'),
  note: Type.Optional(text('What part of the figure is fitted, when part is.'))
}, 'The model against one measured resource.')

const measuredSize = obj({
  peak: quantity('as unit', 'Peak of the need, unobserved part included.'),
  average: quantity('as unit', 'Average of the need, unobserved part included.'),
  unobserved: quantity('as unit', 'Part of the need no metric shows (memory: the model\'s runtime and activation pool), included in peak and average.'),
  candidates: obj({
    peakTimesFactor: quantity('as unit', 'peak x 1.3 (Phase 2).'),
    peakOverPeakTarget: quantity('as unit', 'peak / 0.85 (Phase 3 peak target).'),
    averageOverAverageTarget: quantity('as unit', 'average / 0.70 (Phase 3 average target).'),
    peakOverQuietPressure: Type.Optional(quantity('as unit', 'Memory only: peak / 0.60, the seed\'s memory matrix quiet (row 1, under 60%), as /estimate/engram sizes memory.'))
  }, 'The sizes each rule asks for.'),
  binding: oneOf(['peakTimesFactor', 'averageOverAverageTarget', 'peakOverQuietPressure'] as const, 'The candidate that sets the size (peak / 0.85 never does; for memory, peak / 0.60 always does).'),
  size: quantity('as unit', 'The largest candidate, rounded up (cores to an even count, storage to a whole GiB, memory to a whole GiB per instance kept under 60%).'),
  achieved: obj({
    peakUtilizationPercent: quantity('%', 'peak / size.'),
    averageUtilizationPercent: quantity('%', 'average / size.')
  }, 'Utilisations the size gives.')
}, 'A size from the measured figures (seed 004, Right-Sizing Strategy).')

const RESOURCES = ['cpu', 'memory', 'storage'] as const
const rightSized = obj({
  resource: oneOf(RESOURCES, 'The resource.'),
  unit: oneOf(['cores', 'GiB'] as const, 'Unit of the sizes.'),
  measured: orNull(measuredSize, 'The size from the measured figures; null when the resource was not measured.'),
  model: obj({
    rawNeed: quantity('as unit', 'The model\'s need without headroom.'),
    plan: quantity('as unit', 'The model\'s recommendation (with headroom).'),
    planTerm: text('The estimate field plan comes from.')
  }, 'The model\'s figures for the implied workload.'),
  phase1Baseline: quantity('as unit', 'Phase 1\'s 2x calculated baseline: 2 x rawNeed.'),
  savingsVsPhase1Percent: orNull(Type.Number(), '(1 - measured size / phase1Baseline) x 100 (seed 004 asks for > 30%); negative when the size is above the baseline. Unit: %. null when not measured or the baseline is 0.'),
  trust: obj({
    use: oneOf(['measured', 'model'] as const, 'Which size to provision.'),
    value: quantity('as unit', 'That size.'),
    reason: text('Why.')
  }, 'The size to use and why.')
}, 'Right-sized resource beside the model\'s plan.')

const crossing = obj({
  resource: oneOf(RESOURCES, 'The resource.'),
  unit: oneOf(['cores', 'GiB'] as const, 'Unit of capacity, limit and peaks.'),
  thresholdPercent: quantity('%', 'Threshold of capacity (seed 004, Capacity Planning Worksheet: CPU 70, memory 80, storage 70).'),
  capacity: quantityOrNull('as unit', 'What is provisioned; null when neither the request nor a metric gives it.'),
  capacitySource: orNull(Type.Unsafe<'request' | 'limit-metric' | 'core-series'>({ type: 'string', enum: ['request', 'limit-metric', 'core-series'] }), 'request: provisioned in the request; limit-metric: the limit metric\'s latest value; core-series: the number of core series; null without a capacity.'),
  limit: quantityOrNull('as unit', 'capacity x threshold; null without a capacity.'),
  dailyPeaks: Type.Array(obj({
    day: Type.Integer({ maximum: 0, description: 'Day counted back from the window\'s end: 0 is the last 24 hours, -1 the 24 hours before. Unit: days.' }),
    peak: quantity('as unit', 'Largest value of the day.')
  }, 'One day\'s peak.'), { description: 'Each day\'s peak, in day order.' }),
  fit: orNull(obj({
    slopePerDay: signed('as unit per day', 'Least-squares slope through the daily peaks.'),
    intercept: signed('as unit', 'The fitted peak on day 0.')
  }, 'The trend.'), 'Least squares through the daily peaks; null without a capacity or a peak.'),
  day: quantityOrNull('days', 'The first whole day from the window\'s end on which the fitted peak passes the limit (0: already); null when not within the horizon.'),
  withinHorizon: Type.Boolean({ description: 'day is not null.' })
}, 'When a resource reaches its threshold, from the observed daily peaks (as /forecast/engram crosses).')

export const EngramCalibrationSchema = obj({
  source: CalibrationSourceSchema,
  inputs: obj({
    workload: obj(echoedWorkload, 'The workload fields the request gave ({} when none).'),
    provisioned: provisionedEcho,
    horizonDays: quantity('days', 'Days the crossings look ahead.'),
    seriesCounts
  }, 'The request, as given.'),
  window: windowSchema,
  instances,
  observed: engramObserved,
  missing: missingSchema,
  workload: impliedWorkload,
  model: obj({ cpu: estimate.cpu, memory: estimate.memory, storage: estimate.storage, recommendations: estimate.recommendations }, 'The model\'s estimate for the implied workload (as /estimate/engram answers it).'),
  comparisons: Type.Array(comparison, { description: 'Each measured resource against the model\'s raw need, at the peak (seed 004\'s 15% criterion).' }),
  scaling: Type.Ref('ScalingDecision', { description: 'The decision matrices on the observed peaks: what /scaling/engram answers for them.' }),
  rightSizing: Type.Array(rightSized, { description: 'cpu, memory and storage sized from the measurements (seed 004, Right-Sizing Strategy) beside the model\'s plan.' }),
  crossings: Type.Array(crossing, { description: 'cpu, memory and storage: days until each reaches its threshold.' }),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, 'Engram calibration: the measured figures, the workload they imply, the model against them, right-sized resources and threshold crossings.', 'EngramCalibration')

// ---------------------------------------------------------------------------------------------
// Aeterna

const aeternaObserved = obj({
  cpuUtilizationPercent: statOrNull('%', 'aeterna_cpu_utilization_percent: % of the CPU limit, samples above 100 read as 100.'),
  memoryUtilizationPercent: statOrNull('%', 'aeterna_memory_utilization_percent: % of the memory limit, samples above 100 read as 100.'),
  storageUsedPercent: statOrNull('%', 'aeterna_storage_used_percent: % of the volume used, samples above 100 read as 100.'),
  p99LatencyMs: statOrNull('ms', 'aeterna_query_latency_p99_ms.'),
  diskIops: statOrNull('IOPS', 'aeterna_disk_iops.'),
  replicationLagMs: statOrNull('ms', 'aeterna_replication_lag_ms.')
} satisfies Record<AeternaMetric, TSchema>, 'Per metric, the worst series at each timestamp.')

const ALERT_NAMES = ['cpuPercent', 'memoryPercent', 'storageUsedPercent', 'p99LatencyMs', 'diskIops', 'replicationLagMs'] as const
const alertCheck = obj({
  metric: text('Metric name.'),
  alert: oneOf(ALERT_NAMES, 'The column of seed 000\'s Key Metrics to Watch.'),
  unit: text('Unit of threshold and observed: %, ms or IOPS.'),
  threshold: quantity('as unit', 'The current tier\'s threshold: an alert fires above it.'),
  statistic: oneOf(['peak'] as const, 'Always the peak.'),
  observed: quantityOrNull('as unit', 'The window\'s peak; null when not measured.'),
  breached: orNull(Type.Boolean(), 'peak > threshold; null when not measured.')
}, 'One alert threshold against the peak.')

const loadSignal = (unit: string, description: string) => Type.Optional(quantity(unit, `${description} Absent when not measured.`))
const loadSignals = {
  cpuUtilizationPercent: loadSignal('%', 'Average CPU utilisation (> 75% calls for the next tier).'),
  memoryUtilizationPercent: loadSignal('%', 'Average memory utilisation (> 80% calls for the next tier).'),
  p99LatencyMs: loadSignal('ms', 'Average query latency p99 (> 200 ms calls for large).'),
  storageUsedPercent: loadSignal('%', 'Average storage used (> 70% calls for large).')
}

export const AeternaCalibrationSchema = obj({
  source: CalibrationSourceSchema,
  inputs: obj({
    tier: Type.Optional(tierName('The tier deployed now, as given.')),
    memoryCount: Type.Optional(quantity('memories', 'Memory objects stored, as given.')),
    concurrentUsers: Type.Optional(quantity('users', 'Concurrent users, as given.')),
    multiTenant: Type.Optional(Type.Boolean({ description: 'Serves several tenants, as given.' })),
    requireHA: Type.Optional(Type.Boolean({ description: 'HA required, as given.' })),
    seriesCounts
  }, 'The request, as given.'),
  window: windowSchema,
  instances,
  observed: aeternaObserved,
  missing: missingSchema,
  currentTier: obj({
    tier: tierName('The tier whose alert thresholds apply.'),
    source: oneOf(['request', 'workload'] as const, 'request: given; workload: the tier the workload gives without load signals.')
  }, 'The tier deployed now.'),
  alerts: Type.Array(alertCheck, { description: 'The current tier\'s alert thresholds against the peaks, one per metric.' }),
  loadSignals: obj(loadSignals, 'The averages given to the scale-up triggers (seed 000, When to Scale Up: "CPU consistently > 75%").'),
  recommendation: obj({
    tier: tierName('Recommended tier.'),
    direction: oneOf(['up', 'same', 'down'] as const, 'From the current tier.'),
    reasons: AeternaEstimateSchema.properties.reasons,
    tierSummary: AeternaEstimateSchema.properties.tierSummary,
    // the latency load signal is an observed average: no request bound applies to it
    inputs: obj({ ...aeternaInputProperties, ...loadSignals }, 'The estimate\'s inputs: the request\'s workload with the load signals.'),
    note: text('What to do, for a person.')
  }, 'The tier the measured load gives, through the same code as /estimate/aeterna.'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, 'Aeterna calibration: the observed Key Metrics, the current tier\'s alerts they breach, and the tier they call for.', 'AeternaCalibration')
