// The calibration answers against their response schemas: every answer of calibrateEngram and
// calibrateAeterna (with a `source` first) validates, and fast-json-stringify compiled from the
// schema writes all of it (a property the schema lacks would be dropped, a `default` added, a
// non-integer under an integer truncated). Also a compile-time check that the schemas' static types
// and the models' types have the same properties, types and optionality.
import { deepStrictEqual } from 'node:assert/strict'
import t from 'tap'
import fc from 'fast-check'
import fastJson from 'fast-json-stringify'
import type { Static } from 'typebox'
import { AETERNA_METRICS, type AeternaCalibration, type AeternaCalibrationInput, calibrateAeterna } from '../../src/models/aeterna/calibrate.js'
import { TIER_NAMES } from '../../src/models/aeterna/tiers.js'
import { ENGRAM_DEFAULTS } from '../../src/models/engram/constants.js'
import { ENGRAM_METRICS, type EngramCalibration, type EngramCalibrationInput, calibrateEngram } from '../../src/models/engram/calibrate.js'
import type { Series, SeriesByMetric } from '../../src/prometheus/series.js'
import { createBodyAjv } from '../../src/plugins/validation.js'
import { AeternaCalibrationSchema, CalibrationSourceSchema, EngramCalibrationSchema } from '../../src/schemas/calibrate-output.js'
import { AssumptionSchema, ErrorResponseSchema, WarningSchema, sharedSchemas } from '../../src/schemas/common.js'
import { ScalingDecisionSchema } from '../../src/schemas/engram-ops.js'
import { engramInputArbitrary } from '../arbitraries.js'

// ---------------------------------------------------------------------------------------------
// Compile time: the schemas' static types against the models' types, both ways. A part typed only as
// TSchema (outputQuantity in the reused estimate sections) or a $ref is unknown, read as any here.

type Known<T> = unknown extends T ? any : T extends Array<infer U> ? Array<Known<U>> : T extends object ? { [K in keyof T]: Known<T[K]> } : T
type Source = Static<typeof CalibrationSourceSchema>
type EngramAnswer = Known<Static<typeof EngramCalibrationSchema>>
type AeternaAnswer = Known<Static<typeof AeternaCalibrationSchema>>
// and the same property paths (an optional property the schema lacks passes the check above); the
// reused estimate parts, $refs and arrays of them are the estimates' own schemas' concern
type Paths<T, P extends string = ''> = unknown extends T
  ? never
  : T extends ReadonlyArray<infer U> ? Paths<U, `${P}/*`> : T extends object ? { [K in keyof T & string]-?: `${P}/${K}` | Paths<T[K], `${P}/${K}`> }[keyof T & string] : never
type Reused = `/model/${string}` | `/scaling/${string}` | `/warnings/${string}` | `/assumptions/${string}` | `/recommendation/reasons/${string}` | `/recommendation/tierSummary/${string}`
type None<T extends never> = T
type SchemaPaths<S> = Exclude<Paths<S>, Reused>
type ModelPaths<M> = Exclude<Paths<M & { source: Source }>, Reused>
export type EngramPathsMissingFromSchema = None<Exclude<ModelPaths<EngramCalibration>, SchemaPaths<Static<typeof EngramCalibrationSchema>>>>
export type EngramPathsMissingFromModel = None<Exclude<SchemaPaths<Static<typeof EngramCalibrationSchema>>, ModelPaths<EngramCalibration>>>
export type AeternaPathsMissingFromSchema = None<Exclude<ModelPaths<AeternaCalibration>, SchemaPaths<Static<typeof AeternaCalibrationSchema>>>>
export type AeternaPathsMissingFromModel = None<Exclude<SchemaPaths<Static<typeof AeternaCalibrationSchema>>, ModelPaths<AeternaCalibration>>>
export const engramTypesMatch = (answer: EngramAnswer, model: Known<EngramCalibration> & { source: Source }): [Known<EngramCalibration>, EngramAnswer] => [answer, model]
export const aeternaTypesMatch = (answer: AeternaAnswer, model: Known<AeternaCalibration> & { source: Source }): [Known<AeternaCalibration>, AeternaAnswer] => [answer, model]

// ---------------------------------------------------------------------------------------------
// Validators and serializers, as the service builds them

type FastJsonSchema = Parameters<typeof fastJson>[0]
const ajv = createBodyAjv()
for (const schema of [...sharedSchemas, ScalingDecisionSchema, EngramCalibrationSchema, AeternaCalibrationSchema]) ajv.addSchema(schema)
const referenced = { Warning: WarningSchema, Assumption: AssumptionSchema, ErrorResponse: ErrorResponseSchema, ScalingDecision: ScalingDecisionSchema } as unknown as Record<string, FastJsonSchema>
const serializers = {
  engram: fastJson(EngramCalibrationSchema as unknown as FastJsonSchema, { schema: referenced }),
  aeterna: fastJson(AeternaCalibrationSchema as unknown as FastJsonSchema, { schema: referenced })
}
const validators = {
  engram: ajv.getSchema('EngramCalibration'),
  aeterna: ajv.getSchema('AeternaCalibration')
}

/** Throws (for fast-check) unless the answer validates and its serialization parses back to JSON.stringify's. */
function check (kind: 'engram' | 'aeterna', answer: object): void {
  const validate = validators[kind]
  if (validate === undefined) throw new Error(`no ${kind} validator`)
  // the body validator applies defaults: validate a copy, and see that it added nothing
  const copy = structuredClone(answer)
  if (validate(copy) !== true) throw new Error(`${kind}: ${ajv.errorsText(validate.errors)}`)
  deepStrictEqual(copy, structuredClone(answer), 'validation added nothing')
  deepStrictEqual(JSON.parse(serializers[kind](answer)), JSON.parse(JSON.stringify(answer)), 'fast-json-stringify kept every property')
}

// ---------------------------------------------------------------------------------------------
// Generated inputs

/** 2025-01-01T00:00:00Z */
const T0 = 1_735_689_600
const GiB = 2 ** 30

/**
 * A sample: mostly finite, sometimes NaN, infinite or negative (the models leave those out). Finite
 * values stay within [1e-3, max] or 0: values near the edges of the double range overflow the
 * models' sums and ratios (see the report on issue 16), which is the models' concern, not the schemas'.
 */
const sample = (max: number): fc.Arbitrary<number> => fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 1e-3, max, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: Math.min(max, 1000) }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -1, 0) }
)

/** Label sets of one metric's series on one instance. */
type LabelSets = Array<Record<string, string>>

interface MetricShape { metric: string, labels: LabelSets, max: number }

/** A few points per series, at one step, some missing (gaps), on one or two instances. */
function seriesArbitrary (shapes: MetricShape[]): fc.Arbitrary<SeriesByMetric> {
  const instanceName = fc.oneof(fc.constantFrom('engram-0:9100', 'aeterna-1'), fc.string({ unit: 'binary', maxLength: 12 }))
  return fc.record({
    instances: fc.uniqueArray(instanceName, { minLength: 1, maxLength: 2 }),
    step: fc.constantFrom(60, 3600, 6 * 3600, 86_400),
    points: fc.integer({ min: 1, max: 6 }),
    present: fc.array(fc.boolean(), { minLength: shapes.length, maxLength: shapes.length })
  }).chain(({ instances, step, points, present }) => {
    const wanted = shapes.filter((_, index) => present[index])
    const perMetric = wanted.map(({ metric, labels, max }) => {
      const labelled = instances.flatMap((instance) => labels.map((set) => ({ instance, ...set })))
      return fc.subarray(labelled, { minLength: 1 }).chain((sets) => fc.tuple(...sets.map((set) =>
        fc.array(fc.option(sample(max), { freq: 6 }), { minLength: points, maxLength: points }).map((values): Series => ({
          labels: set,
          points: values.flatMap((value, index): Array<[number, number]> => value === null ? [] : [[T0 + index * step, value]])
        }))
      ))).map((list): [string, Series[]] => [metric, list])
    })
    return (perMetric.length === 0 ? fc.constant([]) : fc.tuple(...perMetric)).map((entries) => Object.fromEntries(entries))
  })
}

const cores = (n: number): LabelSets => Array.from({ length: n }, (_, core) => ({ core: String(core) }))
const M = ENGRAM_METRICS
// maxima: the /scaling bounds ScalingDecision's inputs repeat (p99 3,600,000 ms, WAL 1e9 GiB, memory 1,048,576 GiB, storage 1e9 GiB)
const engramShapes: MetricShape[] = [
  { metric: M.cpuUtilization, labels: cores(3), max: 150 },
  { metric: M.memoryUsage, labels: [{ tier: 'hot' }, { tier: 'warm' }, { tier: 'cold' }], max: 1e13 },
  { metric: M.memoryLimit, labels: [{}], max: 1e14 },
  { metric: M.storageUsage, labels: [{ tier: 'warm' }, { tier: 'cold' }], max: 1e14 },
  { metric: M.storageLimit, labels: [{}], max: 1e15 },
  { metric: M.walSize, labels: [{}], max: 1e13 },
  { metric: M.operations, labels: [{ operation: 'recall' }, { operation: 'store' }], max: 1e7 },
  { metric: M.p99Latency, labels: [{ operation: 'recall' }, { operation: 'store' }], max: 1e6 }
]
const aeternaShapes: MetricShape[] = Object.values(AETERNA_METRICS).map((metric) => ({
  metric,
  labels: [{ pod: 'a' }, { pod: 'b' }],
  max: metric.endsWith('_percent') ? 150 : 1e9
}))

/**
 * The request's workload, with no figure below 1e-9 but 0: a subnormal opsPerSec (1e-323 passes the
 * request schema) makes the storage need subnormal and savingsVsPhase1Percent -Infinity, on which
 * fast-json-stringify throws (reported on issue 16).
 */
const workloadArbitrary = engramInputArbitrary.map((workload) => Object.fromEntries(Object.entries(workload).map(([name, value]) => [name, typeof value === 'number' && value > 0 && value < 1e-9 ? 1e-9 : value])))

const engramInput: fc.Arbitrary<EngramCalibrationInput> = fc.record({
  series: seriesArbitrary(engramShapes),
  workload: workloadArbitrary,
  // /scaling's bounds again: currentCores a whole 1-1024 (ScalingDecision's inputs say integer)
  provisioned: fc.record({
    cores: fc.integer({ min: 1, max: 1024 }),
    memoryGiB: fc.double({ min: 0.5, max: 1_048_576, noNaN: true }),
    storageGiB: fc.double({ min: 1, max: 1e9, noNaN: true })
  }, { requiredKeys: [] }),
  horizonDays: fc.integer({ min: 1, max: 3650 })
}, { requiredKeys: ['series'] })

const aeternaInput: fc.Arbitrary<AeternaCalibrationInput> = fc.record({
  series: seriesArbitrary(aeternaShapes),
  tier: fc.constantFrom(...TIER_NAMES),
  memoryCount: fc.integer({ min: 0, max: 1e12 }),
  concurrentUsers: fc.integer({ min: 0, max: 10_000_000 }),
  multiTenant: fc.boolean(),
  requireHA: fc.boolean()
}, { requiredKeys: ['series'] })

/** What the series came from, consistent with them: Prometheus (with a match and its warnings) or inline. */
function sourceArbitrary (series: SeriesByMetric): fc.Arbitrary<Source> {
  const timestamps = Object.values(series).flatMap((list) => list.flatMap((s) => s.points.map(([timestamp]) => timestamp)))
  const inline: Source = {
    kind: 'inline',
    match: null,
    startSeconds: timestamps.length === 0 ? null : Math.min(...timestamps),
    endSeconds: timestamps.length === 0 ? null : Math.max(...timestamps),
    stepSeconds: null,
    stepNote: null,
    queries: [],
    prometheusWarnings: []
  }
  const prometheus = fc.record({
    match: fc.constantFrom('', '{instance="engram-0:9100"}', '{job=~"engram|aeterna",namespace!="dev"}'),
    text: fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 2 }),
    stepNote: fc.option(fc.string({ unit: 'binary', maxLength: 60 }))
  }).map(({ match, text, stepNote }): Source => ({
    kind: 'prometheus',
    match,
    startSeconds: T0,
    endSeconds: T0 + 7 * 86_400,
    stepSeconds: 60,
    stepNote,
    queries: Object.entries(series).map(([metric, list]) => ({ metric, query: `${metric}${match}`, series: list.length })),
    prometheusWarnings: text.map((warning) => `${Object.keys(series)[0] ?? 'engram_wal_size_bytes'}: ${warning}`)
  }))
  return fc.oneof(fc.constant(inline), prometheus)
}

t.test('Engram: generated answers validate and serialize whole', async (t) => {
  const arbitrary = engramInput.chain((input) => sourceArbitrary(input.series).map((source) => ({ input, source })))
  fc.assert(fc.property(arbitrary, ({ input, source }) => {
    check('engram', { source, ...calibrateEngram(input) })
  }), { numRuns: 300 })
  t.pass('300 generated series')
})

t.test('Aeterna: generated answers validate and serialize whole', async (t) => {
  const arbitrary = aeternaInput.chain((input) => sourceArbitrary(input.series).map((source) => ({ input, source })))
  fc.assert(fc.property(arbitrary, ({ input, source }) => {
    check('aeterna', { source, ...calibrateAeterna(input) })
  }), { numRuns: 300 })
  t.pass('300 generated series')
})

t.test('no series at all: both kinds of source', async (t) => {
  const sources: Source[] = [
    { kind: 'inline', match: null, startSeconds: null, endSeconds: null, stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] },
    { kind: 'prometheus', match: '', startSeconds: T0, endSeconds: T0 + 3600, stepSeconds: 60, stepNote: null, queries: [{ metric: M.walSize, query: M.walSize, series: 0 }], prometheusWarnings: [] }
  ]
  for (const source of sources) {
    t.doesNotThrow(() => check('engram', { source, ...calibrateEngram({ series: {} }) }), `engram, ${source.kind}`)
    t.doesNotThrow(() => check('aeterna', { source, ...calibrateAeterna({ series: {} }) }), `aeterna, ${source.kind}`)
  }
})

// ---------------------------------------------------------------------------------------------
// By hand: every optional field present

/** `count` points `step` seconds apart from T0, value(i). */
function ramp (labels: Record<string, string>, count: number, step: number, value: (index: number) => number): Series {
  return { labels, points: Array.from({ length: count }, (_, index): [number, number] => [T0 + index * step, value(index)]) }
}
const SIX_HOURS = 6 * 3600
const POINTS = 33 // 8 days at 6 h: the window covers Phase 1's 7 days

/** Paths of the answer's properties, to show which optional ones are present. */
function paths (value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return []
  const items = Array.isArray(value) ? value.map((child) => ['*', child] as const) : Object.entries(value)
  return items.flatMap(([key, child]) => [`${path}/${key}`, ...paths(child, `${path}/${key}`)])
}

t.test('Engram by hand: every optional field present', async (t) => {
  const instance = { instance: 'engram-0:9100' }
  // 4 cores near 90% (CPU matrix: new cores), memory ~90% of 8 GiB (memory matrix: new size), disk ~90% of 100 GiB
  const series: SeriesByMetric = {
    [M.cpuUtilization]: [0, 1, 2, 3].map((core) => ramp({ ...instance, core: String(core) }, POINTS, SIX_HOURS, (i) => 80 + (i % 10))),
    [M.memoryUsage]: [
      ramp({ ...instance, tier: 'hot' }, POINTS, SIX_HOURS, (i) => (6 + i / 32) * GiB),
      ramp({ ...instance, tier: 'warm' }, POINTS, SIX_HOURS, () => 0.5 * GiB),
      ramp({ ...instance, tier: 'cold' }, POINTS, SIX_HOURS, () => 0.2 * GiB)
    ],
    [M.storageUsage]: [
      ramp({ ...instance, tier: 'warm' }, POINTS, SIX_HOURS, (i) => (40 + i) * GiB),
      ramp({ ...instance, tier: 'cold' }, POINTS, SIX_HOURS, () => 10 * GiB)
    ],
    [M.walSize]: [ramp(instance, POINTS, SIX_HOURS, (i) => (5 + i / 4) * GiB)],
    [M.operations]: [ramp({ ...instance, operation: 'recall' }, POINTS, SIX_HOURS, (i) => 2000 + 10 * i), ramp({ ...instance, operation: 'store' }, POINTS, SIX_HOURS, () => 500)],
    [M.p99Latency]: [ramp({ ...instance, operation: 'recall' }, POINTS, SIX_HOURS, (i) => 12 + (i % 5))],
    [M.memoryLimit]: [ramp(instance, POINTS, SIX_HOURS, () => 8 * GiB)],
    [M.storageLimit]: [ramp(instance, POINTS, SIX_HOURS, () => 100 * GiB)]
  }
  // the nodes come from the data tiers (a comparison with a note), so the request's workload leaves expectedNodes out
  const { expectedNodes, ...workload } = ENGRAM_DEFAULTS
  const report = calibrateEngram({ series, workload, provisioned: { cores: 4, memoryGiB: 8, storageGiB: 100 }, horizonDays: 90 })
  // inputs.workload only echoes the request: every field of it, as a request giving them all would
  const answer = { source: { kind: 'prometheus' as const, match: '{instance="engram-0:9100"}', startSeconds: T0, endSeconds: T0 + 8 * 86_400, stepSeconds: SIX_HOURS, stepNote: 'step coarsened from 60 s to 21600 s so that 1 series fit the 1000000-point budget', queries: [{ metric: M.walSize, query: `${M.walSize}{instance="engram-0:9100"}`, series: 1 }], prometheusWarnings: [`${M.walSize}: a warning`] }, ...report, inputs: { ...report.inputs, workload: { expectedNodes, ...workload } } }
  const present = new Set(paths(answer))
  for (const optional of [
    '/inputs/workload/expectedNodes', '/inputs/workload/backupWindowHours', '/inputs/provisioned/cores', '/inputs/provisioned/memoryGiB', '/inputs/provisioned/storageGiB',
    '/comparisons/*/note', '/scaling/cpu/newCores', '/scaling/memory/newMemoryGiB', '/scaling/storage/*/newSizeGiB', '/assumptions/*/note',
    '/rightSizing/*/measured/candidates', '/crossings/*/fit/slopePerDay', '/source/queries/*/series', '/source/prometheusWarnings/*'
  ]) t.ok(present.has(optional), `${optional} present`)
  t.ok(answer.crossings.some((crossing) => crossing.day !== null), 'a crossing within the horizon')
  t.doesNotThrow(() => check('engram', answer))
})

t.test('Aeterna by hand: every optional field present', async (t) => {
  const pod = (name: string) => ({ instance: name, pod: name })
  const series: SeriesByMetric = Object.fromEntries(Object.values(AETERNA_METRICS).map((metric, k) => [
    metric,
    [ramp(pod('aeterna-0'), 5, 60, (i) => 10 * k + i), ramp(pod('aeterna-1'), 5, 60, (i) => 10 * k + 2 * i)]
  ]))
  const input = { series, tier: 'small' as const, memoryCount: 500, concurrentUsers: 5, multiTenant: false, requireHA: true }
  const answer = { source: { kind: 'inline' as const, match: null, startSeconds: T0, endSeconds: T0 + 240, stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] }, ...calibrateAeterna(input) }
  const present = new Set(paths(answer))
  for (const optional of [
    '/inputs/tier', '/inputs/memoryCount', '/inputs/concurrentUsers', '/inputs/multiTenant', '/inputs/requireHA',
    '/loadSignals/cpuUtilizationPercent', '/loadSignals/memoryUtilizationPercent', '/loadSignals/p99LatencyMs', '/loadSignals/storageUsedPercent',
    '/recommendation/inputs/cpuUtilizationPercent', '/recommendation/inputs/memoryUtilizationPercent', '/recommendation/inputs/p99LatencyMs', '/recommendation/inputs/storageUsedPercent',
    '/recommendation/tierSummary/memoryCount/max', '/recommendation/tierSummary/nodes/max', '/assumptions/*/note'
  ]) t.ok(present.has(optional), `${optional} present`)
  t.ok(answer.recommendation.reasons.some((reason) => typeof reason.observed === 'boolean'), 'a reason observed as a boolean (requireHA)')
  t.doesNotThrow(() => check('aeterna', answer))
})

t.test('the schemas refuse what the types refuse', async (t) => {
  const source: Source = { kind: 'inline', match: null, startSeconds: null, endSeconds: null, stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] }
  const answer = { source, ...calibrateAeterna({ series: {} }) }
  const validate = validators.aeterna
  t.notOk(validate?.({ ...answer, extra: 1 }), 'an unknown top-level property')
  t.notOk(validate?.({ ...answer, source: { ...answer.source, kind: 'file' } }), 'an unknown source kind')
  t.notOk(validate?.({ ...answer, window: { ...answer.window, start: undefined } }), 'window.start missing (null is required)')
  const { source: _source, ...withoutSource } = answer
  t.notOk(validate?.(withoutSource), 'no source')
})
