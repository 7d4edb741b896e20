// Prometheus's HTTP API, the two calls a calibration makes: /api/v1/series (how many series a
// selector has) and /api/v1/query_range (their points). Every call draws on its request's ReadBudget
// (budget.ts): one deadline covering whole answers, not only headers, and bytes and points counted
// as each body streams in and cut at the limit. Every way a call can fail is a PrometheusQueryError
// saying which (the caller answers 502, 504, 422 or 400).
import { PointCounter, type ReadBudget } from './budget.js'
import { PrometheusInputError, PrometheusQueryError } from './errors.js'
import { type Matrix, parseMatrix, parseSeriesCount } from './series.js'

/**
 * Most intervals Prometheus allows in one range query (web/api/v1/api.go: `end.Sub(start)/step >
 * 11000` is refused with bad_data, "exceeded maximum resolution of 11,000 points per timeseries").
 */
export const MAX_RANGE_INTERVALS = 11_000
/** The finest step asked for: one minute, a common scrape interval (7 days at 60 s is 10,080 intervals, under the limit). */
export const MIN_STEP_SECONDS = 60
/** Shortest calibration window: 5 minutes, Prometheus's lookback (query.lookback-delta); less holds too few points to say anything. */
export const MIN_WINDOW_SECONDS = 5 * 60
/** Longest calibration window: 90 days, far beyond seed 004's "Monitor actual utilization for 7 days" (l.347) and common retention. */
export const MAX_WINDOW_SECONDS = 90 * 86_400
/** The window when a request gives none: seed 004, Right-Sizing Strategy, Phase 1 "Monitor actual utilization for 7 days" (l.347). */
export const DEFAULT_WINDOW_SECONDS = 7 * 86_400

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 }

/**
 * The step for a window: the smallest whole number of minutes, at least MIN_STEP_SECONDS, that keeps
 * the query within MAX_RANGE_INTERVALS (7 d: 60 s; 90 d: 720 s).
 */
export function stepFor (windowSeconds: number): number {
  return Math.max(MIN_STEP_SECONDS, Math.ceil(windowSeconds / MAX_RANGE_INTERVALS / 60) * 60)
}

/**
 * A window in seconds from `7d`, `36h`, `90m`, `2w`, `600s`, `600` or the number 600, between
 * MIN_WINDOW_SECONDS and MAX_WINDOW_SECONDS; whole seconds only. PrometheusInputError naming `field` otherwise.
 */
export function parseWindow (input: unknown, field: string): number {
  let seconds: number | undefined
  if (typeof input === 'number') {
    seconds = Number.isInteger(input) ? input : undefined
  } else if (typeof input === 'string') {
    const match = /^(\d{1,9})([smhdw]?)$/.exec(input.trim())
    seconds = match === null ? undefined : Number(match[1]) * (UNIT_SECONDS[match[2]] ?? 1)
  }
  if (seconds === undefined) throw new PrometheusInputError(field, 'must be a duration such as 7d, 36h, 90m, 2w, 600s, or a whole number of seconds')
  if (seconds < MIN_WINDOW_SECONDS || seconds > MAX_WINDOW_SECONDS) {
    throw new PrometheusInputError(field, `must be between ${MIN_WINDOW_SECONDS} s (5m) and ${MAX_WINDOW_SECONDS} s (90d) (it is ${seconds} s)`)
  }
  return seconds
}

/** Where and how a call reaches Prometheus. */
export interface PrometheusTarget {
  /** Prometheus's base URL (operator configuration, e.g. http://prometheus:9090 or https://host/prometheus/); not absolute: a TypeError (the configuration's validation should refuse it first). */
  baseUrl: string
  /** The request's budget: its deadline, bytes and points, shared with its other calls. */
  budget: ReadBudget
  /** For tests; the global fetch otherwise. */
  fetchImpl?: typeof fetch
}

export interface QueryRangeOptions extends PrometheusTarget {
  /** The PromQL expression, built by the service (selector()). */
  query: string
  startSeconds: number
  endSeconds: number
  stepSeconds: number
  /** The name errors give the query (the metric); the query text when absent. */
  metric?: string
}

export interface CountSeriesOptions extends PrometheusTarget {
  /** The series selector, built by the service (selector()). */
  selector: string
  startSeconds: number
  endSeconds: number
  /** The name errors give the call. */
  metric: string
}

/** Error codes Node's sockets and DNS give (ECONNREFUSED, ENOTFOUND, ...), from fetch's TypeError or its cause. */
function networkCode (error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

/**
 * A fetch or body-read failure: when the budget aborted the call, what aborted it (the deadline,
 * another call's failure, a limit); otherwise the connection failed.
 */
function transportError (error: unknown, budget: ReadBudget, what: string): PrometheusQueryError {
  if (budget.failure !== undefined) return budget.failure
  const reason = networkCode(error) ?? (error instanceof Error ? error.message : String(error))
  return new PrometheusQueryError('unreachable', `Prometheus could not be reached for ${what} (${reason})`, { cause: error })
}

/** The body as text, read chunk by chunk, its bytes (and with `points`, its points) charged to the budget as they come. */
async function readBounded (response: Response, budget: ReadBudget, what: string, points: PointCounter | undefined): Promise<string> {
  // without compression, the announced length says it at once (with it, the length is of the compressed bytes)
  const announced = Number(response.headers.get('content-length') ?? NaN)
  if (response.headers.get('content-encoding') === null && budget.bytesRead + announced > budget.limits.maxBytes) {
    await response.body?.cancel()
    budget.chargeBytes(announced, what)
  }
  const chunks: Uint8Array[] = []
  if (response.body !== null) {
    for await (const chunk of response.body) {
      // a throw leaves the loop early, which cancels the stream: the rest is never downloaded
      budget.chargeBytes(chunk.byteLength, what)
      if (points !== undefined) budget.chargePoints(points.count(chunk), what)
      chunks.push(chunk)
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * POSTs a form (a long selector fits, unlike in a URL) to `path` under the base URL and returns
 * Prometheus's JSON; `points` counts the answer's points as it streams in. Fails with a
 * PrometheusQueryError: `unreachable`, `timeout`, `too_large` or `too_many_points` (the budget's),
 * `not_json` (a 2xx that is not JSON), `http_status` (a non-2xx without Prometheus's envelope, a redirect).
 */
async function post (target: PrometheusTarget, path: string, form: URLSearchParams, what: string, points?: PointCounter): Promise<{ json: unknown, httpStatus: number }> {
  const { budget } = target
  const base = target.baseUrl.endsWith('/') ? target.baseUrl : `${target.baseUrl}/`
  const url = new URL(path, base)
  // Prometheus stops evaluating when we stop waiting (its own answer then is errorType timeout)
  form.set('timeout', `${Math.max(1, Math.floor(budget.remainingMs() / 1000))}s`)
  const fetchImpl = target.fetchImpl ?? fetch
  let response: Response
  try {
    // redirects are not followed: one would send the query (a 307 re-sends it) to a host nobody named,
    // and show that host's answer to the client (issue 29, point 5)
    response = await fetchImpl(url, { method: 'POST', body: form, headers: { accept: 'application/json' }, signal: budget.signal, redirect: 'manual' })
  } catch (error) {
    throw transportError(error, budget, what)
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel()
    throw new PrometheusQueryError('http_status', `Prometheus answered a redirect (HTTP ${response.status}) for ${what}: redirects are not followed; give the URL Prometheus answers at`, { httpStatus: response.status })
  }
  let text: string
  try {
    text = await readBounded(response, budget, what, points)
  } catch (error) {
    if (error instanceof PrometheusQueryError) throw error
    throw transportError(error, budget, what)
  }
  let json: unknown
  let parsed = true
  try {
    json = JSON.parse(text)
  } catch {
    parsed = false
  }
  // Prometheus answers its envelope with 400, 422 and 503 too: only an answer without one is about HTTP
  const envelope = parsed && typeof json === 'object' && json !== null && 'status' in json
  if (!response.ok && !envelope) {
    // the body (a proxy's page, perhaps) is not repeated: it may say more about the network than a client should learn
    throw new PrometheusQueryError('http_status', `Prometheus answered HTTP ${response.status} for ${what}, without its error envelope`, { httpStatus: response.status })
  }
  if (!parsed) {
    throw new PrometheusQueryError('not_json', `Prometheus's answer for ${what} (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}) is not JSON`, { httpStatus: response.status })
  }
  return { json, httpStatus: response.status }
}

/** `parse(json)`, an `api_error` given the HTTP status it came with (part of what the caller may want to log). */
function withStatus<T> (parse: () => T, httpStatus: number): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof PrometheusQueryError && error.failure === 'api_error') {
      throw new PrometheusQueryError('api_error', error.message, { errorType: error.errorType, httpStatus })
    }
    throw error
  }
}

/**
 * A range query's matrix (parseMatrix: NaN and infinities mapped, __name__ dropped, Prometheus's
 * warnings kept), its points counted against the budget before they are parsed. Fails as post()
 * does, and with `api_error` (Prometheus's envelope, whatever the HTTP status: errorType bad_data
 * becomes a 400) or `bad_response`. The caller keeps the points within MAX_RANGE_INTERVALS
 * (stepFor); Prometheus refuses more (bad_data).
 */
export async function queryRange (options: QueryRangeOptions): Promise<Matrix> {
  const { query, startSeconds, endSeconds, stepSeconds } = options
  const what = options.metric ?? query
  const form = new URLSearchParams({ query, start: String(startSeconds), end: String(endSeconds), step: String(stepSeconds) })
  const { json, httpStatus } = await post(options, 'api/v1/query_range', form, what, new PointCounter())
  return withStatus(() => parseMatrix(json, what), httpStatus)
}

/**
 * How many series `selector` has with samples between start and end: /api/v1/series, which reads
 * Prometheus's index only (no sample is decoded, unlike a range query or count_over_time), and
 * counts a series that stopped before the end (a pod replaced during the window), which an instant
 * `count()` at the end would miss. Its answer lists each series' labels: bytes are charged to the budget.
 */
export async function countSeries (options: CountSeriesOptions): Promise<number> {
  const form = new URLSearchParams({ 'match[]': options.selector, start: String(options.startSeconds), end: String(options.endSeconds) })
  const { json, httpStatus } = await post(options, 'api/v1/series', form, `the series of ${options.metric}`)
  return withStatus(() => parseSeriesCount(json, options.metric), httpStatus)
}
