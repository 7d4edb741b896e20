// The series a calibration reads, from Prometheus: one bounded query_range per metric, the metric
// names fixed by the service and the request's label matchers appended (selector()), over one window
// and step. The /calibrate routes (with the operator's PROMETHEUS_URL) and the CLI's --prometheus
// call this same function, so both read the same points.
import { queryRange, stepFor } from './client.js'
import { PrometheusInputError } from './errors.js'
import { type LabelMatcher, selector } from './matchers.js'
import type { Series, SeriesByMetric } from './series.js'

/** The earliest window end accepted: 2000-01-01 (Prometheus's own data starts far later in any real system). */
export const MIN_END_SECONDS = Date.UTC(2000, 0, 1) / 1000
/** How far past the clock an end may lie: a day (clock skew, time zones); later would read nothing. */
export const MAX_END_AHEAD_SECONDS = 86_400

/**
 * The window's end from a request or a flag: unix seconds, or an RFC 3339 time
 * (2025-01-08T00:00:00Z); `now` when absent. Whole seconds (a fraction is dropped). PrometheusInputError
 * naming `field` for anything else, before 2000 or more than a day ahead of `nowSeconds`.
 */
export function parseEnd (input: unknown, field: string, nowSeconds: number): number {
  if (input === undefined) return Math.floor(nowSeconds)
  let seconds = Number.NaN
  if (typeof input === 'number') seconds = input
  else if (typeof input === 'string' && /^\d+(\.\d+)?$/.test(input.trim())) seconds = Number(input)
  else if (typeof input === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(input.trim())) seconds = Date.parse(input.trim()) / 1000
  if (!Number.isFinite(seconds)) throw new PrometheusInputError(field, 'must be unix seconds or an RFC 3339 time such as 2025-01-08T00:00:00Z')
  if (seconds < MIN_END_SECONDS || seconds > nowSeconds + MAX_END_AHEAD_SECONDS) {
    throw new PrometheusInputError(field, `must lie between 2000-01-01 and a day from now (it is ${new Date(seconds * 1000).toISOString()})`)
  }
  return Math.floor(seconds)
}

/** Prometheus's text for a sample value JSON cannot carry as a number. */
function sampleText (value: number): number | string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return value
}

/** A metric's series in the inline form a request body takes (query_range's `result`), NaN and infinities as Prometheus writes them. */
export function inlineFormOf (series: readonly Series[]): Array<{ metric: Record<string, string>, values: Array<[number, number | string]> }> {
  return series.map(({ labels, points }) => ({ metric: labels, values: points.map(([time, value]): [number, number | string] => [time, sampleText(value)]) }))
}

export interface SeriesWindow {
  /** Unix seconds of the window's end (its last point). */
  endSeconds: number
  windowSeconds: number
}

export interface FetchLimits {
  timeoutMs: number
  maxBytes: number
  fetchImpl?: typeof fetch
}

/** What was asked of Prometheus, for the answer to show (`source`). */
export interface FetchedQuery {
  metric: string
  query: string
  series: number
}

export interface FetchedSeries {
  series: SeriesByMetric
  startSeconds: number
  endSeconds: number
  stepSeconds: number
  queries: FetchedQuery[]
  /** Prometheus's own warnings, each with its metric. */
  warnings: string[]
}

/** The window's first point: the end less the window, on the step's grid from the end. */
export function windowStart ({ endSeconds, windowSeconds }: SeriesWindow): number {
  return endSeconds - windowSeconds
}

/**
 * Every metric's series over the window, the queries run at once (each bounded in time and bytes by
 * `limits`); the first failure is thrown (PrometheusQueryError: 502, 504, or 400 for a regex
 * Prometheus refuses). A metric with no series is an empty list, for the model to report missing.
 */
export async function fetchSeries (baseUrl: string, metrics: readonly string[], matchers: LabelMatcher[], window: SeriesWindow, limits: FetchLimits): Promise<FetchedSeries> {
  const stepSeconds = stepFor(window.windowSeconds)
  const startSeconds = windowStart(window)
  const answers = await Promise.all(metrics.map(async (metric) => {
    const query = selector(metric, matchers)
    const matrix = await queryRange({ baseUrl, query, startSeconds, endSeconds: window.endSeconds, stepSeconds, timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes, metric, ...(limits.fetchImpl === undefined ? {} : { fetchImpl: limits.fetchImpl }) })
    return { metric, query, matrix }
  }))
  return {
    series: Object.fromEntries(answers.map(({ metric, matrix }) => [metric, matrix.series])),
    startSeconds,
    endSeconds: window.endSeconds,
    stepSeconds,
    queries: answers.map(({ metric, query, matrix }) => ({ metric, query, series: matrix.series.length })),
    warnings: answers.flatMap(({ metric, matrix }) => matrix.warnings.map((warning) => `${metric}: ${warning}`))
  }
}
