// Request schemas of the calibration routes (issue 16): where the series come from (the operator's
// Prometheus, filtered by label matchers, or inline), and what is known of the workload. The
// answers' schemas are in calibrate-output.ts.
import { Type, type TSchema } from 'typebox'
import { ENGRAM_METRICS } from '../models/engram/calibrate.js'
import { AETERNA_METRICS } from '../models/aeterna/calibrate.js'
import { MAX_MATCHERS, MAX_MATCHER_VALUE_CHARS, MAX_MATCH_TEXT_CHARS, MATCH_OPS } from '../prometheus/matchers.js'
import { MAX_INLINE_POINTS, MAX_INLINE_SERIES } from '../prometheus/series.js'
import { engramWorkloadProperties } from './engram.js'
import { aeternaInputProperties } from './aeterna.js'

/**
 * A field as the request gives it, without its `default`: ajv fills defaults in (useDefaults), and a
 * calibration must tell what the request said (opsPerSec given) from what it left to the measurements
 * (opsPerSec from the operations metric).
 */
function withoutDefault (schema: TSchema): TSchema {
  const { default: _default, ...given } = schema as TSchema & { default?: unknown }
  return given as TSchema
}
const withoutDefaults = (properties: Record<string, TSchema>): Record<string, TSchema> =>
  Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, Type.Optional(withoutDefault(schema))]))

const InlineSeriesSchema = Type.Array(Type.Object({
  metric: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'The series\' labels (__name__ may be given; it must be the metric).' })),
  // a pair as an array of two, not a tuple: TypeBox writes tuples with draft-07's items/additionalItems, which OpenAPI 3.1 (2020-12) reads otherwise; the order (seconds first) is checked by parseInlineSeries
  values: Type.Array(Type.Array(Type.Union([Type.Number(), Type.String()]), { minItems: 2, maxItems: 2, description: '[unix seconds, value]: the value a number, or Prometheus\'s text for one ("12.5", "NaN", "+Inf", "-Inf").' }), { maxItems: MAX_INLINE_POINTS, description: `[unix seconds, value] pairs in time order; at most ${MAX_INLINE_POINTS} (Prometheus's own limit per series).` })
}, { additionalProperties: false }), { maxItems: MAX_INLINE_SERIES, description: `A metric's series as Prometheus's query_range answers them (data.result): paste its output. At most ${MAX_INLINE_SERIES}.` })

/** The inline series of the given metrics: only those names, each optional (a missing one is reported, not refused). */
const seriesFor = (metrics: readonly string[], description: string): TSchema =>
  Type.Object(Object.fromEntries(metrics.map((metric) => [metric, Type.Optional(InlineSeriesSchema)])), { additionalProperties: false, description })

const MatcherSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128, description: 'Label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __).' }),
  op: Type.Unsafe<typeof MATCH_OPS[number]>({ type: 'string', enum: [...MATCH_OPS], description: 'PromQL matching operator: = != =~ !~ (regular expressions are RE2, fully anchored).' }),
  value: Type.String({ maxLength: MAX_MATCHER_VALUE_CHARS, description: 'Label value or regular expression; quoted by the service.' })
}, { additionalProperties: false })

/** The Prometheus side of a calibration request: window, end and label matchers (never a URL or a query). */
export const prometheusSelectionProperties = {
  window: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Integer()], { description: 'How far back to read, ending at `end`: 7d, 36h, 90m, 2w, 600s or whole seconds; 5 minutes to 90 days. Default: 7d (seed 004, Right-Sizing Strategy: "Monitor actual utilization for 7 days"). Prometheus only.' })),
  end: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'The window\'s end: unix seconds or an RFC 3339 time (2025-01-08T00:00:00Z). Default: now. Prometheus only.' })),
  match: Type.Optional(Type.Union([
    Type.String({ maxLength: MAX_MATCH_TEXT_CHARS, description: 'PromQL label matchers, e.g. {job="engram",instance=~"engram-.*"}.' }),
    Type.Array(MatcherSchema, { maxItems: MAX_MATCHERS, description: 'The same as [{name, op, value}].' })
  ], { description: `Label matchers added to every metric the service reads (at most ${MAX_MATCHERS}); no PromQL beyond them. Default: none (every series of the metric). Prometheus only.` }))
}

const provisionedSchema = Type.Object({
  cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: 'Cores provisioned now (all instances; the /scaling/engram currentCores). Unit: cores. Range: 1 to 1024. Default: the number of core series.' })),
  memoryGiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_048_576, description: 'Memory provisioned now. Unit: GiB. Default: engram_memory_limit_bytes.' })),
  storageGiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'Volume size now. Unit: GiB. Default: engram_storage_limit_bytes.' }))
}, { additionalProperties: false, description: 'What is provisioned now: the capacity the threshold crossings are measured against.' })

export const CalibrateEngramRequestSchema = Type.Object({
  ...prometheusSelectionProperties,
  series: Type.Optional(seriesFor(Object.values(ENGRAM_METRICS), 'The series inline, by metric name (seed 004\'s Key Metrics to Track and the limits its alert rules divide by), instead of reading Prometheus. With it, window, end and match are refused.')),
  workload: Type.Optional(Type.Object(withoutDefaults(engramWorkloadProperties), { additionalProperties: false, description: 'What is known of the workload (the /estimate/engram fields); expectedNodes in particular, which no metric shows (else it is inferred from the storage tiers or the hot memory tier).' })),
  provisioned: Type.Optional(provisionedSchema),
  horizonDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Days the threshold crossings look ahead. Unit: days. Range: 1 to 3650. Default: 90.' }))
}, { additionalProperties: false, description: 'Which series to read, and what is known of the workload.' })

const { memoryCount, concurrentUsers, multiTenant, requireHA } = aeternaInputProperties

export const CalibrateAeternaRequestSchema = Type.Object({
  ...prometheusSelectionProperties,
  series: Type.Optional(seriesFor(Object.values(AETERNA_METRICS), 'The series inline, by metric name (the service\'s names for seed 000\'s Key Metrics to Watch), instead of reading Prometheus. With it, window, end and match are refused.')),
  tier: Type.Optional(Type.Unsafe<'small' | 'medium' | 'large'>({ type: 'string', enum: ['small', 'medium', 'large'], description: 'The tier deployed now, whose alert thresholds apply. Default: the tier the workload gives.' })),
  memoryCount: Type.Optional(withoutDefault(memoryCount)),
  concurrentUsers: Type.Optional(withoutDefault(concurrentUsers)),
  multiTenant: Type.Optional(withoutDefault(multiTenant)),
  requireHA: Type.Optional(withoutDefault(requireHA))
}, { additionalProperties: false, description: 'Which series to read, and what is known of the workload (no metric shows memories stored or users).' })
