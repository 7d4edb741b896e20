// Load shedding on what predicts a request's latency: the time work waits in the main thread's event
// loop. Every sampling interval the monitor reads the event-loop delay (a timer's lateness, every
// DELAY_RESOLUTION_MS), utilisation and memory, and adjusts the share of requests refused before
// routing (protection.ts's early refusal) as an active queue manager does (PIE, RFC 8033): up while the
// shortest delay of the interval stays above the target (a standing queue, CoDel's signal: a burst
// leaves some short turns, a queue that never drains does not), down when it is below or the loop
// has idle time. Hard limits (a stall past MAX_EVENT_LOOP_DELAY_MS, heap, RSS) refuse everything until
// the next sample. Sampling starts only when the service is ready (server.ts), so compiling routes at
// start never reads as overload; heavy requests are shed by the worker pool's bounded queue instead
// (workers/pool.ts).
import { type EventLoopUtilization, type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks'

export interface PressureLimits {
  /** 0..1: the share of refusals rises only while the loop is busier than this (0: waiting-time shedding off). */
  maxEventLoopUtilization: number
  /** The waiting time aimed at: the shortest delay of an interval above it is a standing queue. */
  targetEventLoopDelayMs: number
  /** A stall longer than this refuses everything until the next sample (0: off). */
  maxEventLoopDelayMs: number
  /** 0: off. */
  maxHeapUsedBytes: number
  /** 0: off. */
  maxRssBytes: number
}

export interface PressureSample {
  eventLoopUtilization: number
  /** The longest event-loop delay of the interval (a stall). */
  eventLoopDelayMs: number
  /** The shortest lateness of the delay monitor's timer in the interval, past its period: a queue that never drained. */
  minEventLoopDelayMs: number
  heapUsedBytes: number
  rssBytes: number
}

/** The delay monitor's timer period: the waiting time is known to within this. */
export const DELAY_RESOLUTION_MS = 5
/**
 * How far one interval's error moves the share of refusals: a shortest delay twice the target adds
 * 0.1, so at 2x capacity (a share of about 0.5) the controller settles in about five intervals (half a
 * second at the default 100 ms), not in one jump that would empty the queue and oscillate.
 */
export const SHED_GAIN = 0.1
/** How much a rising (or falling) delay adds on top, per target of change since the last interval: damps the swing (PIE's beta). */
export const SHED_TREND_GAIN = 0.2
/** The share of refusals falls by this per interval with idle time in the loop: back to 0 within a second of the load passing. */
export const SHED_DECAY = 0.1
/** One interval's error counts at most this many targets: one long stall must not jump the share to 1 (MAX_EVENT_LOOP_DELAY_MS is for that). */
const MAX_ERROR = 4

/** A limit that refuses every request, named as the 503 names it; undefined when none is exceeded. */
export function hardLimitReason (sample: PressureSample, limits: PressureLimits): string | undefined {
  if (limits.maxEventLoopDelayMs > 0 && sample.eventLoopDelayMs > limits.maxEventLoopDelayMs) return 'eventLoopDelay'
  if (limits.maxHeapUsedBytes > 0 && sample.heapUsedBytes > limits.maxHeapUsedBytes) return 'heapUsedBytes'
  if (limits.maxRssBytes > 0 && sample.rssBytes > limits.maxRssBytes) return 'rssBytes'
  return undefined
}

/** The controller's memory between two samples. */
export interface ShedState { probability: number, minEventLoopDelayMs: number }

export const CALM: ShedState = { probability: 0, minEventLoopDelayMs: 0 }

/**
 * The share of requests to refuse over the next interval. Below the utilisation gate the loop had
 * idle time, so nothing waited long whatever the delay read: the share decays. Above it, the share
 * moves with the shortest delay's distance from the target, and, above the target, with its trend.
 */
export function nextShedState (previous: ShedState, sample: PressureSample, limits: PressureLimits): ShedState {
  const delayMs = sample.minEventLoopDelayMs
  const busy = limits.maxEventLoopUtilization > 0 && sample.eventLoopUtilization > limits.maxEventLoopUtilization
  const target = limits.targetEventLoopDelayMs
  const error = Math.min(MAX_ERROR, (delayMs - target) / target)
  const trend = Math.min(MAX_ERROR, Math.max(-MAX_ERROR, (delayMs - previous.minEventLoopDelayMs) / target))
  // below the target only the distance counts: a trend there (noise around a loop at capacity) would
  // ratchet the share up, as its falls are lost at 0 while its rises add
  const step = !busy ? -SHED_DECAY : delayMs > target ? SHED_GAIN * error + SHED_TREND_GAIN * trend : SHED_GAIN * error
  return { probability: Math.min(1, Math.max(0, previous.probability + step)), minEventLoopDelayMs: delayMs }
}

/** The reason a shedding service gives for refusing on waiting time. */
export const QUEUE_REASON = 'eventLoopQueue'

export class PressureMonitor {
  /** Why requests are being shed, or undefined while none is. */
  reason: string | undefined
  /** The share of requests refused now: 1 while a hard limit is exceeded. */
  probability = 0
  /** RSS at the last sample (memory admission reads it instead of asking the kernel per request). */
  rssBytes = 0
  /** RSS when sampling started (the service ready and warm): what the service takes at rest. */
  idleRssBytes = 0
  private state: ShedState = CALM
  /** Refusals owed: each request adds the probability, and one is refused per whole unit (an even spread, no randomness). */
  private owed = 0
  private timer: NodeJS.Timeout | undefined
  private delays: IntervalHistogram | undefined
  private lastUtilization: EventLoopUtilization | undefined

  constructor (readonly limits: PressureLimits) {}

  /** Starts sampling: the first sample covers only what happens from now on. */
  start (intervalMs: number): void {
    if (this.timer !== undefined) return
    this.idleRssBytes = this.rssBytes = process.memoryUsage.rss()
    this.delays = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS })
    this.delays.enable()
    this.lastUtilization = performance.eventLoopUtilization()
    this.timer = setInterval(() => { this.sample() }, intervalMs).unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.delays?.disable()
    this.timer = undefined
    this.delays = undefined
    this.decide(undefined, CALM)
  }

  /** Whether this request is to be refused, and why: counts it towards the share being refused. */
  shed (): string | undefined {
    if (this.probability === 0) return undefined
    this.owed += this.probability
    if (this.owed < 1) return undefined
    this.owed -= 1
    return this.reason
  }

  /** Reads the interval since the last sample and decides what share to shed. */
  sample (): PressureSample {
    const utilization = performance.eventLoopUtilization(this.lastUtilization)
    this.lastUtilization = performance.eventLoopUtilization()
    const memory = process.memoryUsage()
    // a histogram with no sample yet reads its minimum as about 9.2e18 ns
    const measured = this.delays !== undefined && this.delays.count > 0
    const sample = {
      eventLoopUtilization: this.delays === undefined ? 0 : utilization.utilization,
      eventLoopDelayMs: measured ? this.delays!.max / 1e6 : 0,
      // the histogram records the time between two of its timer's turns: its period, plus the lateness
      minEventLoopDelayMs: measured ? Math.max(0, this.delays!.min / 1e6 - DELAY_RESOLUTION_MS) : 0,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss
    }
    this.delays?.reset()
    this.rssBytes = sample.rssBytes
    this.decide(hardLimitReason(sample, this.limits), nextShedState(this.state, sample, this.limits))
    return sample
  }

  private decide (hardReason: string | undefined, state: ShedState): void {
    this.state = state
    this.probability = hardReason === undefined ? state.probability : 1
    this.reason = hardReason ?? (state.probability > 0 ? QUEUE_REASON : undefined)
    if (this.probability === 0) this.owed = 0
  }
}
