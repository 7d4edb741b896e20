// The series the calibration works on, from two sources with one shape: Prometheus's query_range
// answer (parseMatrix) and the same `result` array pasted into a request body (parseInlineSeries).
// Pure: no I/O.
import { PrometheusInputError, PrometheusQueryError, foreignText } from './errors.js'

/** One series as Prometheus's query_range gives it (resultType matrix), values parsed to numbers. */
export interface Series {
  /** The series' labels, __name__ excluded. */
  labels: Record<string, string>
  /** [unix seconds, value] in time order; value may be NaN, Infinity or -Infinity (Prometheus "NaN", "+Inf", "-Inf"). */
  points: Array<[number, number]>
}
/** The series of each metric, by metric name (e.g. engram_cpu_utilization_percent). */
export type SeriesByMetric = Record<string, Series[]>

/** What parseMatrix reads from one query_range answer. */
export interface Matrix {
  series: Series[]
  /** Warnings Prometheus sent with a successful answer (the data is still valid); empty when none. */
  warnings: string[]
}

/**
 * Most series an inline metric may carry. A calibration reads a few per instance (cores, tiers,
 * operations); 64 covers, e.g., 8 instances of 8 cores each, and keeps a body's work bounded.
 */
export const MAX_INLINE_SERIES = 64
/**
 * Most points an inline series may carry: Prometheus's own limit per series in a range query
 * (web/api/v1/api.go, "exceeded maximum resolution of 11,000 points per timeseries"), so anything
 * query_range can answer can be pasted; 7 days at 60 s is 10,081 points.
 */
export const MAX_INLINE_POINTS = 11_000
/**
 * Latest timestamp accepted inline (unix seconds; 5138-11-16): Prometheus gives seconds, and a
 * timestamp above this is almost surely milliseconds pasted by mistake (1.7e12 for 2025).
 */
export const MAX_TIMESTAMP_SECONDS = 1e11

/** The label-name grammar of Prometheus's data model. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

/** A decimal number as Prometheus writes one (Go's strconv 'f' or 'e' forms); nothing JS's Number() adds (hex, blanks, ""). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * A sample value from its JSON string. JSON has no NaN or infinities, so Prometheus sends every value
 * as a string and these three as "NaN", "+Inf", "-Inf" (Go's formatting), which JS's Number() does
 * not all read ("+Inf" is NaN to it): mapped explicitly. undefined when the text is not a number.
 */
export function parseSampleValue (text: string): number | undefined {
  if (text === 'NaN') return NaN
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (!DECIMAL.test(text)) return undefined
  const value = Number(text)
  // "1e999" passes the grammar and overflows: a value Prometheus never writes that way
  return Number.isFinite(value) ? value : undefined
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Why an answer is not the shape Prometheus documents (a query_range matrix unless told). */
function badResponse (metric: string, what: string, shape = 'query_range matrix'): PrometheusQueryError {
  return new PrometheusQueryError('bad_response', `Prometheus's answer for ${metric} is not a ${shape}: ${what}`)
}

/** The strings of `warnings` (Prometheus's field is an array of strings; anything else is ignored). */
function warningsOf (envelope: Record<string, unknown>): string[] {
  const warnings = envelope.warnings
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string').map(foreignText) : []
}

/**
 * The `data` of Prometheus's success envelope `{status: "success", data}`. Its error envelope
 * `{status: "error", errorType, error}` throws a PrometheusQueryError `api_error` carrying both
 * (`refused`: what Prometheus refused); anything else throws `bad_response` naming the `shape` expected.
 */
function successData (json: unknown, metric: string, shape: string, refused: string): unknown {
  if (!isRecord(json)) throw badResponse(metric, 'not a JSON object', shape)
  if (json.status === 'error') {
    const errorType = typeof json.errorType === 'string' ? json.errorType : 'unknown'
    const error = typeof json.error === 'string' ? foreignText(json.error) : '(no message)'
    throw new PrometheusQueryError('api_error', `Prometheus refused ${refused}: ${errorType}: ${error}`, { errorType })
  }
  if (json.status !== 'success') throw badResponse(metric, 'status is neither "success" nor "error"', shape)
  return json.data
}

/**
 * The labels of one series, __name__ dropped (the caller knows the metric). undefined when they are
 * not an object of strings.
 */
function labelsOf (metric: unknown): Record<string, string> | undefined {
  if (!isRecord(metric)) return undefined
  const labels: Record<string, string> = {}
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') return undefined
    if (name !== '__name__') labels[name] = value
  }
  return labels
}

/**
 * The series of one query_range answer. Checks Prometheus's envelope: `{status: "success", data:
 * {resultType: "matrix", result}}` gives the series (an empty result is no series: a metric that does
 * not exist and a selection that matches nothing look the same); `{status: "error", errorType, error}`
 * throws a PrometheusQueryError `api_error` carrying both; anything else, or a timestamp or value
 * that is not a number, throws `bad_response` naming `metric`. Values: "NaN", "+Inf", "-Inf" as
 * NaN, Infinity, -Infinity. __name__ is dropped from the labels.
 */
export function parseMatrix (json: unknown, metric: string): Matrix {
  const data = successData(json, metric, 'query_range matrix', `the query for ${metric}`)
  if (!isRecord(data)) throw badResponse(metric, 'no data object')
  if (data.resultType !== 'matrix') throw badResponse(metric, `resultType is ${JSON.stringify(data.resultType)}, not "matrix"`)
  if (!Array.isArray(data.result)) throw badResponse(metric, 'data.result is not an array')
  const series = data.result.map((item: unknown, index): Series => {
    const where = `series ${index}`
    if (!isRecord(item)) throw badResponse(metric, `${where} is not an object`)
    const labels = labelsOf(item.metric)
    if (labels === undefined) throw badResponse(metric, `${where}: metric is not an object of strings`)
    if (!Array.isArray(item.values)) throw badResponse(metric, `${where}: values is not an array`)
    const points = item.values.map((pair: unknown, k): [number, number] => {
      if (!Array.isArray(pair) || pair.length !== 2) throw badResponse(metric, `${where}, point ${k} is not a [timestamp, value] pair`)
      const [timestamp, text] = pair as [unknown, unknown]
      if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw badResponse(metric, `${where}, point ${k}: timestamp ${JSON.stringify(timestamp)} is not a number`)
      const value = typeof text === 'string' ? parseSampleValue(text) : undefined
      if (value === undefined) throw badResponse(metric, `${where}, point ${k}: value ${JSON.stringify(text)} is not a number`)
      return [timestamp, value]
    })
    return { labels, points }
  })
  return { series, warnings: warningsOf(json as Record<string, unknown>) }
}

/**
 * How many series a /api/v1/series answer lists (`{status: "success", data: [{label: value, ...}, ...]}`):
 * the labels themselves are not needed. The envelope is checked as parseMatrix checks it.
 */
export function parseSeriesCount (json: unknown, metric: string): number {
  const data = successData(json, metric, 'series list', `to list the series of ${metric}`)
  if (!Array.isArray(data)) throw badResponse(metric, 'data is not an array', 'series list')
  return data.length
}

/**
 * One inline point: `[unix seconds, value]`, the value a string as Prometheus writes it or a JSON
 * number; timestamps must be seconds, after the previous one.
 */
function inlinePoint (pair: unknown, field: string, previous: number): [number, number] {
  if (!Array.isArray(pair) || pair.length !== 2) throw new PrometheusInputError(field, 'must be a [unix seconds, value] pair')
  const [timestamp, raw] = pair as [unknown, unknown]
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) {
    throw new PrometheusInputError(`${field}/0`, 'must be a timestamp in unix seconds (a number >= 0)')
  }
  if (timestamp > MAX_TIMESTAMP_SECONDS) {
    throw new PrometheusInputError(`${field}/0`, `must be in seconds, not milliseconds (<= ${MAX_TIMESTAMP_SECONDS})`)
  }
  if (timestamp <= previous) throw new PrometheusInputError(`${field}/0`, `must be after the previous point's timestamp ${previous} (points in time order, no repeats)`)
  const value = typeof raw === 'string' ? parseSampleValue(raw) : typeof raw === 'number' ? raw : undefined
  if (value === undefined) {
    throw new PrometheusInputError(`${field}/1`, 'must be a number or a string holding one ("12.5", "NaN", "+Inf", "-Inf")')
  }
  return [timestamp, value]
}

/**
 * The series of one metric as a request body gives them: the `result` array of a query_range
 * answer, `[{metric: {label: "value", ...}, values: [[unix seconds, "value"], ...]}]`, so a user can
 * paste Prometheus's output; values may also be JSON numbers. `__name__`, when present, must be
 * `metric` (a series pasted under the wrong metric is refused) and is dropped. At most
 * MAX_INLINE_SERIES series of MAX_INLINE_POINTS points, each in time order, no
 * two with the same labels. Errors are
 * PrometheusInputError naming the field under `field` (e.g. `body/series/engram_wal_size_bytes/0/values/3/1`).
 */
export function parseInlineSeries (input: unknown, metric: string, field: string): Series[] {
  if (!Array.isArray(input)) throw new PrometheusInputError(field, 'must be an array of series ({metric, values}) as query_range answers them')
  if (input.length > MAX_INLINE_SERIES) throw new PrometheusInputError(field, `must have at most ${MAX_INLINE_SERIES} series (it has ${input.length})`)
  // a label set given twice would be counted twice (summed over cores, operations, instances)
  const seen = new Map<string, number>()
  return input.map((item: unknown, index): Series => {
    const at = `${field}/${index}`
    if (!isRecord(item)) throw new PrometheusInputError(at, 'must be an object {metric, values}')
    const unknown = Object.keys(item).find((key) => key !== 'metric' && key !== 'values')
    if (unknown !== undefined) throw new PrometheusInputError(`${at}/${unknown}`, 'is not a known field (a series has metric and values)')
    const labels = item.metric === undefined ? {} : labelsOf(item.metric)
    if (labels === undefined) throw new PrometheusInputError(`${at}/metric`, 'must be an object of label names to string values')
    const name = (item.metric as Record<string, string> | undefined)?.__name__
    if (name !== undefined && name !== metric) throw new PrometheusInputError(`${at}/metric/__name__`, `must be ${metric} (this series is ${JSON.stringify(name)})`)
    const badLabel = Object.keys(labels).find((label) => !LABEL_NAME.test(label))
    if (badLabel !== undefined) throw new PrometheusInputError(`${at}/metric`, `label ${JSON.stringify(badLabel)} must match ${LABEL_NAME.source}`)
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : 1))
    const twin = seen.get(key)
    if (twin !== undefined) throw new PrometheusInputError(`${at}/metric`, `must differ from series ${twin}'s labels (each series once)`)
    seen.set(key, index)
    if (!Array.isArray(item.values)) throw new PrometheusInputError(`${at}/values`, 'must be an array of [unix seconds, value] pairs')
    if (item.values.length > MAX_INLINE_POINTS) {
      throw new PrometheusInputError(`${at}/values`, `must have at most ${MAX_INLINE_POINTS} points (it has ${item.values.length}; 7 days at a 60 s step is 10081)`)
    }
    const points: Array<[number, number]> = []
    for (const [k, pair] of item.values.entries()) {
      points.push(inlinePoint(pair, `${at}/values/${k}`, k === 0 ? -Infinity : points[k - 1][0]))
    }
    return { labels, points }
  })
}
