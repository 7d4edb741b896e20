// Calibration against measurements (issue 16): POST /calibrate/engram and /calibrate/aeterna read
// the systems' series from the operator's Prometheus (PROMETHEUS_URL; the request gives only label
// matchers, a window and an end) or take them inline, and answer what the measurements say beside
// what the models say (models/engram/calibrate.ts, models/aeterna/calibrate.ts).
import type { FastifyInstance, RouteShorthandOptions } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { Config } from '../config.js'
import { NoSeriesError, PrometheusNotConfiguredError } from '../errors.js'
import { calibrateAeterna, AETERNA_METRICS, type AeternaCalibrationInput } from '../models/aeterna/calibrate.js'
import { calibrateEngram, ENGRAM_METRICS, type EngramCalibrationInput } from '../models/engram/calibrate.js'
import { renderReport } from '../models/report.js'
import { ESTIMATE_FORMATS, sendFormatted } from '../plugins/formats.js'
import type { ReadLimits } from '../prometheus/budget.js'
import { DEFAULT_WINDOW_SECONDS, parseWindow } from '../prometheus/client.js'
import { PrometheusInputError } from '../prometheus/errors.js'
import { fetchSeries, parseEnd } from '../prometheus/fetch-series.js'
import { parseMatchers, serialiseMatchers } from '../prometheus/matchers.js'
import { type SeriesByMetric, parseInlineSeries } from '../prometheus/series.js'
import { CalibrateAeternaRequestSchema, CalibrateEngramRequestSchema } from '../schemas/calibrate.js'
import { errorResponses, formatOnlyQuery } from '../schemas/common.js'

/** What the series came from: the answer's `source`. */
export interface CalibrationSource {
  kind: 'prometheus' | 'inline'
  match: string | null
  startSeconds: number | null
  endSeconds: number | null
  stepSeconds: number | null
  stepNote: string | null
  queries: Array<{ metric: string, query: string, series: number }>
  prometheusWarnings: string[]
}

/** The Prometheus half of a request body (schemas/calibrate.ts). */
export interface SeriesRequest {
  window?: string | number
  end?: string | number
  match?: string | unknown[]
  series?: Record<string, unknown>
}

const PROMETHEUS_ONLY = ['window', 'end', 'match'] as const

/** One calibration's Prometheus budget from the configuration, the settings named in its errors. */
export function serviceLimits (config: Pick<Config, 'PROMETHEUS_TIMEOUT_MS' | 'PROMETHEUS_MAX_BYTES' | 'PROMETHEUS_MAX_POINTS'>): ReadLimits {
  return {
    timeoutMs: config.PROMETHEUS_TIMEOUT_MS,
    maxBytes: config.PROMETHEUS_MAX_BYTES,
    maxPoints: config.PROMETHEUS_MAX_POINTS,
    settings: { timeoutMs: 'PROMETHEUS_TIMEOUT_MS', maxBytes: 'PROMETHEUS_MAX_BYTES', maxPoints: 'PROMETHEUS_MAX_POINTS' }
  }
}

/** The inline series, each metric parsed and checked (parseInlineSeries); a metric not given is an empty list. */
function inlineSeries (given: Record<string, unknown>, metrics: readonly string[]): { series: SeriesByMetric, source: CalibrationSource } {
  const series = Object.fromEntries(metrics.map((metric) => [metric, given[metric] === undefined ? [] : parseInlineSeries(given[metric], metric, `body/series/${metric}`)]))
  const times = Object.values(series).flatMap((list) => list.flatMap(({ points }) => points.length === 0 ? [] : [points[0][0], points[points.length - 1][0]]))
  return {
    series,
    source: { kind: 'inline', match: null, startSeconds: times.length === 0 ? null : Math.min(...times), endSeconds: times.length === 0 ? null : Math.max(...times), stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] }
  }
}

/**
 * The series of a calibration request: inline when the body has them (then window, end and match,
 * which only select what Prometheus returns, are refused rather than ignored), else from the
 * operator's Prometheus. Nothing at all found is a 422 naming the selection; some metrics missing
 * is a partial answer whose `missing` says which.
 */
export async function requestSeries (app: FastifyInstance, body: SeriesRequest, metrics: readonly string[], nowSeconds = Date.now() / 1000): Promise<{ series: SeriesByMetric, source: CalibrationSource }> {
  if (body.series !== undefined) {
    const selecting = PROMETHEUS_ONLY.find((field) => body[field] !== undefined)
    if (selecting !== undefined) throw new PrometheusInputError(`body/${selecting}`, 'selects what Prometheus returns: with inline series (body/series) it must be left out')
    return inlineSeries(body.series, metrics)
  }
  const config = app.config
  if (config.PROMETHEUS_URL === '') throw new PrometheusNotConfiguredError()
  const matchers = body.match === undefined ? [] : parseMatchers(body.match, 'body/match')
  const windowSeconds = body.window === undefined ? DEFAULT_WINDOW_SECONDS : parseWindow(body.window, 'body/window')
  const endSeconds = parseEnd(body.end, 'body/end', nowSeconds)
  const fetched = await fetchSeries(config.PROMETHEUS_URL, metrics, matchers, { endSeconds, windowSeconds }, serviceLimits(config))
  // '' when the request gave none (every series of each metric), as the answer's source says
  const match = matchers.length === 0 ? '' : serialiseMatchers(matchers)
  if (fetched.queries.every((query) => query.series === 0)) {
    throw new NoSeriesError(`no series in Prometheus for ${metrics.join(', ')}${match === '' ? '' : ` with ${match}`} between ${new Date(fetched.startSeconds * 1000).toISOString()} and ${new Date(fetched.endSeconds * 1000).toISOString()}: check body/match, body/window and body/end`)
  }
  return {
    series: fetched.series,
    source: { kind: 'prometheus', match, startSeconds: fetched.startSeconds, endSeconds: fetched.endSeconds, stepSeconds: fetched.stepSeconds, stepNote: fetched.stepNote, queries: fetched.queries, prometheusWarnings: fetched.warnings }
  }
}

const SOURCE_DESCRIPTION = 'Series: from the Prometheus server the operator configured (PROMETHEUS_URL; a request gives only label matchers in `match`, a `window` (default 7d) and an `end` (default now), never a server or a query), or inline in `series` (the query_range `result` of each metric, pasted). A request\'s Prometheus reads share one budget (PROMETHEUS_TIMEOUT_MS for all of them, PROMETHEUS_MAX_BYTES and PROMETHEUS_MAX_POINTS in all): the series are counted first (/api/v1/series) and the step is coarsened when they need it to fit (`source.stepNote` says so). Unreachable, too slow, too large or refused answers are 502/504 naming the problem (400 when Prometheus refuses a regular expression). More series than any useful step fits (PROMETHEUS_TOO_MANY_SERIES), or answers holding more points than the budget (PROMETHEUS_TOO_MANY_POINTS), are 422; so is no series at all; some metrics missing is a partial answer whose `missing` says which. The request runs in a worker thread.'

interface CalibrationOperation {
  tag: string
  operationId: string
  summary: string
  description: string
  body: TSchema
  /** The answer's schema $id (schemas/calibrate-output.ts). */
  answer: string
}

/**
 * The options both calibration routes share: formats, body limit, the 422/502/504 Prometheus can
 * cause, and offloading: reading, parsing and calibrating a million points take seconds of CPU
 * and hundreds of MiB, which never run on the main thread (issue 29, point 1).
 */
function calibrationRoute (operation: CalibrationOperation, bodyLimitBytes: number | undefined): RouteShorthandOptions {
  return {
    ...(bodyLimitBytes === undefined ? {} : { bodyLimit: bodyLimitBytes }),
    config: { formats: ESTIMATE_FORMATS, offload: 'always' },
    schema: {
      tags: [operation.tag],
      operationId: operation.operationId,
      summary: operation.summary,
      description: `${operation.description} ${SOURCE_DESCRIPTION}`,
      querystring: formatOnlyQuery(ESTIMATE_FORMATS),
      body: operation.body,
      response: {
        200: Type.Ref(operation.answer),
        ...errorResponses,
        422: Type.Ref('ErrorResponse', { description: 'No series at all (NO_SERIES), or more than one calibration reads: PROMETHEUS_TOO_MANY_SERIES (no step of at least 100 points a series fits PROMETHEUS_MAX_POINTS) or PROMETHEUS_TOO_MANY_POINTS (the answers hold more); the message names the limit and what would fit.' }),
        502: Type.Ref('ErrorResponse', { description: 'Prometheus unreachable, answering an error, longer than PROMETHEUS_MAX_BYTES in all, or not the shape documented.' }),
        504: Type.Ref('ErrorResponse', { description: 'Prometheus did not answer all of the request\'s queries within PROMETHEUS_TIMEOUT_MS (or its own query timeout).' })
      }
    }
  }
}

/** `bodyLimitBytes`: the routes' own body limit (the CLI's in-process app); BODY_LIMIT_BYTES otherwise. */
export async function calibrationRoutes (app: FastifyInstance, options: { bodyLimitBytes?: number }): Promise<void> {
  app.post('/calibrate/engram', calibrationRoute({
    tag: 'engram',
    operationId: 'calibrateEngram',
    summary: 'Calibrate the Engram model against measured series',
    description: 'Reads seed 004\'s metrics (engram_cpu_utilization_percent{core}, engram_memory_usage_bytes{tier}, engram_storage_usage_bytes{tier}, engram_wal_size_bytes, engram_operations_per_second{operation}, engram_p99_latency_ms{operation}, and the limits engram_memory_limit_bytes, engram_storage_limit_bytes) and answers: observed peaks and averages; the workload they imply; the model\'s estimate for it and the error per resource against the measured peak, with seed 004\'s 15% criterion; the decision matrices\' verdicts on the peaks (the /scaling/engram code); right-sized resources by seed 004\'s Right-Sizing Strategy beside the model\'s plan, saying which to trust; the days until CPU, memory and storage reach their thresholds (the /forecast/engram code).',
    body: CalibrateEngramRequestSchema,
    answer: 'EngramCalibration'
  }, options.bodyLimitBytes), async (request, reply) => {
    const body = request.body as SeriesRequest & Omit<EngramCalibrationInput, 'series'>
    const { series, source } = await requestSeries(app, body, Object.values(ENGRAM_METRICS))
    const calibration = calibrateEngram({ series, ...(body.workload === undefined ? {} : { workload: body.workload }), ...(body.provisioned === undefined ? {} : { provisioned: body.provisioned }), ...(body.horizonDays === undefined ? {} : { horizonDays: body.horizonDays }) })
    return await sendFormatted(request, reply, { source, ...calibration }, (answer) => renderReport('Engram calibration against measured series', answer))
  })

  app.post('/calibrate/aeterna', calibrationRoute({
    tag: 'aeterna',
    operationId: 'calibrateAeterna',
    summary: 'Check an Aeterna deployment\'s measured series against its tier',
    description: 'Reads the service\'s series names for seed 000\'s Key Metrics to Watch (aeterna_cpu_utilization_percent, aeterna_memory_utilization_percent, aeterna_storage_used_percent, aeterna_query_latency_p99_ms, aeterna_disk_iops, aeterna_replication_lag_ms: the seed\'s own PromQL cannot be used as written, see the README) and answers: observed peaks and averages; the current tier\'s alert thresholds breached (peaks); the scale-up triggers on the averages and the tier recommendation (the /estimate/aeterna code).',
    body: CalibrateAeternaRequestSchema,
    answer: 'AeternaCalibration'
  }, options.bodyLimitBytes), async (request, reply) => {
    const { window: _window, end: _end, match: _match, series: _series, ...workload } = request.body as SeriesRequest & Omit<AeternaCalibrationInput, 'series'>
    const { series, source } = await requestSeries(app, request.body as SeriesRequest, Object.values(AETERNA_METRICS))
    return await sendFormatted(request, reply, { source, ...calibrateAeterna({ series, ...workload }) }, (answer) => renderReport('Aeterna calibration against measured series', answer))
  })
}
