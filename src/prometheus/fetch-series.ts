// The series a calibration reads, from Prometheus: one query_range per metric, the metric names
// fixed by the service and the request's label matchers appended (selector()), over one window and
// step, all within one ReadBudget (time, bytes, points). The series are counted first, so the step
// keeps the points within the budget. The /calibrate routes (with the operator's PROMETHEUS_URL)
// and the CLI's --prometheus call this same function, so both read the same points.
import { ReadBudget, type ReadLimits } from './budget.js'
import { countSeries, queryRange, stepFor } from './client.js'
import { PrometheusInputError, PrometheusQueryError } from './errors.js'
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

export interface FetchLimits extends ReadLimits {
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
  /** Why the step is coarser than the window's finest (stepFor), or null when it is not. */
  stepNote: string | null
  queries: FetchedQuery[]
  /** Prometheus's own warnings, each with its metric. */
  warnings: string[]
}

/** The window's first point: the end less the window, on the step's grid from the end. */
export function windowStart ({ endSeconds, windowSeconds }: SeriesWindow): number {
  return endSeconds - windowSeconds
}

/**
 * Fewest points a series may keep when the step is coarsened to fit the budget: below 100, the
 * step (over a 90-day window, a point every 21.6 h) no longer shows daily peaks, and the peaks and
 * averages a calibration reports would be the sampling's more than the system's.
 */
export const MIN_POINTS_PER_SERIES = 100
/**
 * Prometheus's default lookback (query.lookback-delta, 5 minutes): a range query's first step sees
 * samples this far before the window's start, so the series are counted from there.
 */
export const LOOKBACK_SECONDS = 300

/** Points a range query gives each series: one per step from the window's start to its end, both in. */
export function pointsPerSeries (windowSeconds: number, stepSeconds: number): number {
  return Math.floor(windowSeconds / stepSeconds) + 1
}

/** "90d", "36h", "104m", "45s": a duration as the request writes one, in its largest whole unit. */
export function durationText (seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}

export interface StepPlan {
  stepSeconds: number
  /** The window's finest step (stepFor), which the plan coarsened when the series needed it. */
  finestStepSeconds: number
}

/**
 * The step for `totalSeries` series over the window within `maxPoints`: stepFor(window) when it
 * fits, else the smallest whole minute with totalSeries x pointsPerSeries <= maxPoints. When that
 * leaves fewer than MIN_POINTS_PER_SERIES points a series, a `too_many_series` error (422) naming
 * the limit, the series counted, the step that would fit and how many series do.
 */
export function planStep (windowSeconds: number, totalSeries: number, maxPoints: number, settings: ReadLimits['settings'] = {}): StepPlan {
  const finestStepSeconds = stepFor(windowSeconds)
  if (totalSeries * pointsPerSeries(windowSeconds, finestStepSeconds) <= maxPoints) return { stepSeconds: finestStepSeconds, finestStepSeconds }
  // floor(window / step) + 1 <= perSeries  <=>  step > window / perSeries
  const perSeries = Math.floor(maxPoints / totalSeries)
  const stepSeconds = perSeries < 1 ? Infinity : (Math.floor(windowSeconds / (60 * perSeries)) + 1) * 60
  if (perSeries < MIN_POINTS_PER_SERIES) {
    const fitting = Math.floor(maxPoints / MIN_POINTS_PER_SERIES)
    const wouldFit = Number.isFinite(stepSeconds) ? `a step of ${stepSeconds} s would fit them but leaves ${pointsPerSeries(windowSeconds, stepSeconds)} points a series` : 'no step fits them'
    throw new PrometheusQueryError('too_many_series', `the selection has ${totalSeries} series over ${durationText(windowSeconds)}: a calibration reads at most ${maxPoints} points${settings.maxPoints === undefined ? '' : ` (${settings.maxPoints})`} and at least ${MIN_POINTS_PER_SERIES} points a series, so at most ${fitting} series; ${wouldFit}, fewer than ${MIN_POINTS_PER_SERIES}: narrow the matchers to at most ${fitting} series`)
  }
  return { stepSeconds, finestStepSeconds }
}

/** Why the step was coarsened, for the answer's source; null when it was not. */
function stepNoteOf (plan: StepPlan, totalSeries: number, maxPoints: number): string | null {
  if (plan.stepSeconds === plan.finestStepSeconds) return null
  return `step coarsened from ${plan.finestStepSeconds} s to ${plan.stepSeconds} s so that ${totalSeries} series fit the ${maxPoints}-point budget: each point samples the series every ${durationText(plan.stepSeconds)}, so a peak shorter than that may be missed; narrow the matchers or shorten the window for a finer step`
}

/**
 * Every metric's series over the window, within one budget (`limits`): first the series each
 * selector has (countSeries, all at once), which set the step (planStep: coarser than stepFor when
 * the series need it, or a 422 when no useful step fits), then one range query per metric, all at
 * once, their bytes and points counted as they stream in. The first failure aborts every other call
 * and is thrown (PrometheusQueryError: 502, 504, 422, or 400 for a regex Prometheus refuses). A
 * metric with no series is an empty list, for the model to report missing.
 */
export async function fetchSeries (baseUrl: string, metrics: readonly string[], matchers: LabelMatcher[], window: SeriesWindow, limits: FetchLimits): Promise<FetchedSeries> {
  const budget = new ReadBudget(limits)
  const target = { baseUrl, budget, ...(limits.fetchImpl === undefined ? {} : { fetchImpl: limits.fetchImpl }) }
  // every call's failure is the request's: the others are aborted at once
  const failFast = async <T>(call: Promise<T>): Promise<T> => await call.catch((error: unknown) => {
    throw error instanceof PrometheusQueryError ? budget.fail(error) : error
  })
  const startSeconds = windowStart(window)
  const queries = metrics.map((metric) => ({ metric, query: selector(metric, matchers) }))
  try {
    const counts = await Promise.all(queries.map(async ({ metric, query }) => await failFast(countSeries({ ...target, selector: query, metric, startSeconds: startSeconds - LOOKBACK_SECONDS, endSeconds: window.endSeconds }))))
    const totalSeries = counts.reduce((sum, count) => sum + count, 0)
    const plan = planStep(window.windowSeconds, totalSeries, limits.maxPoints, limits.settings)
    const answers = await Promise.all(queries.map(async ({ metric, query }) => {
      const matrix = await failFast(queryRange({ ...target, query, startSeconds, endSeconds: window.endSeconds, stepSeconds: plan.stepSeconds, metric }))
      return { metric, query, matrix }
    }))
    return {
      series: Object.fromEntries(answers.map(({ metric, matrix }) => [metric, matrix.series])),
      startSeconds,
      endSeconds: window.endSeconds,
      stepSeconds: plan.stepSeconds,
      stepNote: stepNoteOf(plan, totalSeries, limits.maxPoints),
      queries: answers.map(({ metric, query, matrix }) => ({ metric, query, series: matrix.series.length })),
      warnings: answers.flatMap(({ metric, matrix }) => matrix.warnings.map((warning) => `${metric}: ${warning}`))
    }
  } finally {
    budget.end()
  }
}
