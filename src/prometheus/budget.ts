// One budget for everything a calibration reads from Prometheus (issue 29, point 1): a deadline, a
// byte count and a point count shared by all its queries, checked while each answer streams in.
// The first query to fail (a limit reached, Prometheus refusing, the network) aborts the others at
// once, so a request never waits for answers it will not use.
import { PrometheusQueryError } from './errors.js'

export interface ReadLimits {
  /** The whole request's time: every query, from the first connection to the last byte. */
  timeoutMs: number
  /** Bytes read in all, every answer's decoded body counted. */
  maxBytes: number
  /** Points (samples of range queries) read in all, counted as they stream in, before any is parsed. */
  maxPoints: number
  /** The settings the limits come from (PROMETHEUS_TIMEOUT_MS, ...), named in the errors; none for the CLI. */
  settings?: { timeoutMs?: string, maxBytes?: string, maxPoints?: string }
}

/** " (NAME)" when the limit comes from a setting the reader can change. */
function named (setting: string | undefined): string {
  return setting === undefined ? '' : ` (${setting})`
}

export class ReadBudget {
  readonly limits: ReadLimits
  /** Aborts every query of the request: at the deadline, or at the first failure. */
  readonly signal: AbortSignal
  bytesRead = 0
  pointsRead = 0
  /** The first failure: what the request answers, whatever the other queries then report. */
  failure: PrometheusQueryError | undefined
  private readonly controller = new AbortController()
  private readonly deadlineMs: number
  private readonly timer: ReturnType<typeof setTimeout>

  constructor (limits: ReadLimits, nowMs = Date.now()) {
    this.limits = limits
    this.signal = this.controller.signal
    this.deadlineMs = nowMs + limits.timeoutMs
    const timeout = new PrometheusQueryError('timeout', `Prometheus did not answer within ${limits.timeoutMs} ms${named(limits.settings?.timeoutMs)}, the time allowed for all of a calibration's queries`)
    this.timer = setTimeout(() => { this.fail(timeout) }, limits.timeoutMs)
    // a CLI that has its answer does not wait for the timer
    this.timer.unref()
  }

  /** Milliseconds left before the deadline (0 when past it). */
  remainingMs (nowMs = Date.now()): number {
    return Math.max(0, this.deadlineMs - nowMs)
  }

  /** Records the first failure and aborts every other query; returns what the request fails with. */
  fail (error: PrometheusQueryError): PrometheusQueryError {
    if (this.failure === undefined) {
      this.failure = error
      this.controller.abort(error)
    }
    return this.failure
  }

  /** Counts bytes read for `what`; past the limit the request fails with `too_large`. */
  chargeBytes (bytes: number, what: string): void {
    this.bytesRead += bytes
    if (this.bytesRead > this.limits.maxBytes) {
      throw this.fail(new PrometheusQueryError('too_large', `Prometheus's answers are longer than ${this.limits.maxBytes} bytes in all${named(this.limits.settings?.maxBytes)} (reading ${what}): narrow the matchers (fewer series) or shorten the window`))
    }
  }

  /** Counts points read for `what`; past the limit the request fails with `too_many_points` (422). */
  chargePoints (points: number, what: string): void {
    this.pointsRead += points
    if (this.pointsRead > this.limits.maxPoints) {
      throw this.fail(new PrometheusQueryError('too_many_points', `Prometheus's answers hold more than ${this.limits.maxPoints} points in all${named(this.limits.settings?.maxPoints)}, the most one calibration reads (reading ${what}): Prometheus answered more series or points than it counted for the step chosen; narrow the matchers (fewer series) or shorten the window`))
    }
  }

  /** Stops the deadline's timer (the request is over). */
  end (): void {
    clearTimeout(this.timer)
  }
}

const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const QUOTE = 0x22
const BACKSLASH = 0x5c
/**
 * The nesting depth of a point in a query_range answer: the envelope {1, data {2, result [3, a
 * series {4, values [5, a point [6.
 */
const POINT_DEPTH = 6

/**
 * Counts the points of a query_range answer as its bytes arrive, before anything is parsed: the
 * arrays and objects opened at a point's depth or deeper, outside strings (a label value may hold
 * brackets). In Prometheus's answer these are exactly its points; an answer of another shape is
 * never under-counted (whatever it nests that deep, parsing would build). A chunk may end anywhere,
 * inside a string or after a backslash: the state carries over.
 */
export class PointCounter {
  private depth = 0
  private inString = false
  private escaped = false

  /** The points that begin in this chunk. */
  count (chunk: Uint8Array): number {
    let points = 0
    let { depth, inString, escaped } = this
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]
      if (inString) {
        if (escaped) escaped = false
        else if (byte === BACKSLASH) escaped = true
        else if (byte === QUOTE) inString = false
      } else if (byte === QUOTE) {
        inString = true
      } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        depth++
        if (depth >= POINT_DEPTH) points++
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
        depth--
      }
    }
    this.depth = depth
    this.inString = inString
    this.escaped = escaped
    return points
  }
}
