// The errors of the Prometheus access layer: what the request got wrong (matchers, window, inline
// series: 400), what went wrong reading Prometheus (502/504, or 400 when Prometheus refused the
// user's regex) and a selection larger than one calibration reads (422). Each carries the `statusCode` and `code` the service's error handler reads
// (src/plugins/errors.ts passes 4xx through as they are; the caller decides how 5xx are shown).

/** Longest message kept from another system (Prometheus's own error text), as frameworkErrorHandler cuts its messages. */
export const MAX_FOREIGN_MESSAGE_CHARS = 300

/**
 * A request field that breaks a rule: `field` is its path (`body/match/1/value`), `rule` what it must
 * be, and the message is the two together ("body/match/1/value must not contain control characters").
 */
export class PrometheusInputError extends Error {
  readonly statusCode = 400
  // the code every other request validation error has (schema errors, AnalysisInputError)
  readonly code = 'FST_ERR_VALIDATION'
  readonly field: string
  readonly rule: string

  constructor (field: string, rule: string) {
    super(`${field} ${rule}`)
    this.name = 'PrometheusInputError'
    this.field = field
    this.rule = rule
  }
}

/**
 * How reading Prometheus failed:
 * - `unreachable`: no HTTP answer (connection refused or reset, DNS failure);
 * - `timeout`: no complete answer within the time allowed;
 * - `too_large`: the answer is longer than the byte limit;
 * - `api_error`: Prometheus answered its error envelope (`errorType`, `error`);
 * - `not_json`: a 2xx answer that is not JSON;
 * - `http_status`: a non-2xx answer without Prometheus's envelope (a proxy, a wrong URL);
 * - `bad_response`: JSON, but not the shape query_range answers (or a value that is not a number);
 * - `too_many_series`: the selection has more series than one calibration can read at any useful step (422);
 * - `too_many_points`: the answers hold more points than one calibration reads (422).
 */
export type PrometheusFailure = 'unreachable' | 'timeout' | 'too_large' | 'api_error' | 'not_json' | 'http_status' | 'bad_response' | 'too_many_series' | 'too_many_points'

const CODES: Record<PrometheusFailure, string> = {
  unreachable: 'PROMETHEUS_UNREACHABLE',
  timeout: 'PROMETHEUS_TIMEOUT',
  too_large: 'PROMETHEUS_ANSWER_TOO_LARGE',
  api_error: 'PROMETHEUS_QUERY_FAILED',
  not_json: 'PROMETHEUS_NOT_JSON',
  http_status: 'PROMETHEUS_HTTP_STATUS',
  bad_response: 'PROMETHEUS_BAD_RESPONSE',
  too_many_series: 'PROMETHEUS_TOO_MANY_SERIES',
  too_many_points: 'PROMETHEUS_TOO_MANY_POINTS'
}

/**
 * The status the service should answer: 504 when time ran out (ours or Prometheus's own query
 * timeout), 400 when Prometheus called the query bad_data (the selector is built by the service from
 * validated matchers, so what is left is a regex RE2 refuses, which only the user can fix), 422 when
 * the selection is more than the request's point budget (narrower matchers or a shorter window fit),
 * 502 for everything else (Prometheus or the way to it is at fault, not the request).
 */
function statusFor (failure: PrometheusFailure, errorType: string | undefined): number {
  if (failure === 'timeout' || errorType === 'timeout') return 504
  if (failure === 'too_many_series' || failure === 'too_many_points') return 422
  if (errorType === 'bad_data') return 400
  return 502
}

/** Prometheus's own text, on one line and cut to MAX_FOREIGN_MESSAGE_CHARS. */
export function foreignText (text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > MAX_FOREIGN_MESSAGE_CHARS ? `${line.slice(0, MAX_FOREIGN_MESSAGE_CHARS)}...` : line
}

export class PrometheusQueryError extends Error {
  readonly failure: PrometheusFailure
  readonly statusCode: number
  readonly code: string
  /** Prometheus's errorType (bad_data, execution, timeout, canceled, internal, unavailable, not_found) for `api_error`. */
  readonly errorType?: string
  /** The HTTP status Prometheus (or what answered for it) gave, when there was an answer. */
  readonly httpStatus?: number

  constructor (failure: PrometheusFailure, message: string, details: { errorType?: string, httpStatus?: number, cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'PrometheusQueryError'
    this.failure = failure
    this.code = CODES[failure]
    this.statusCode = statusFor(failure, details.errorType)
    if (details.errorType !== undefined) this.errorType = details.errorType
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus
  }
}
