// Load shedding on the signals that mean the main thread cannot keep up: the share of time it was
// busy (event-loop utilisation), the longest stall, and memory. Sampling starts only when the
// service is ready (server.ts), so compiling routes at start never reads as overload; heavy requests
// are shed by the worker pool's bounded queue instead (workers/pool.ts).
import { type EventLoopUtilization, type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks'

export interface PressureLimits {
  /** 0..1; 0: off. */
  maxEventLoopUtilization: number
  /** 0: off. */
  maxEventLoopDelayMs: number
  /** 0: off. */
  maxHeapUsedBytes: number
  /** 0: off. */
  maxRssBytes: number
}

export interface PressureSample {
  eventLoopUtilization: number
  eventLoopDelayMs: number
  heapUsedBytes: number
  rssBytes: number
}

/**
 * Utilisation alone does not mean overload: a main thread kept busy by a closed-loop client answers
 * every request in milliseconds at 100% (measured: shedding on utilisation alone turned 90% of a
 * benchmark's answers into 503s at a 5 ms p99). Work is queuing in the loop when, besides, its turns
 * stretch past this: then the next request would wait behind them, and shedding is right.
 */
export const SATURATED_TURN_MS = 50

/** The first limit a sample exceeds, named as the 503 names it; undefined when none is. */
export function pressureReason (sample: PressureSample, limits: PressureLimits): string | undefined {
  const saturated = sample.eventLoopUtilization > limits.maxEventLoopUtilization && sample.eventLoopDelayMs > SATURATED_TURN_MS
  if (limits.maxEventLoopUtilization > 0 && saturated) return 'eventLoopUtilization'
  if (limits.maxEventLoopDelayMs > 0 && sample.eventLoopDelayMs > limits.maxEventLoopDelayMs) return 'eventLoopDelay'
  if (limits.maxHeapUsedBytes > 0 && sample.heapUsedBytes > limits.maxHeapUsedBytes) return 'heapUsedBytes'
  if (limits.maxRssBytes > 0 && sample.rssBytes > limits.maxRssBytes) return 'rssBytes'
  return undefined
}

export class PressureMonitor {
  /** Why requests are being shed, or undefined while they are not. */
  reason: string | undefined
  private timer: NodeJS.Timeout | undefined
  private delays: IntervalHistogram | undefined
  private lastUtilization: EventLoopUtilization | undefined

  constructor (private readonly limits: PressureLimits) {}

  /** Starts sampling: the first sample covers only what happens from now on. */
  start (intervalMs: number): void {
    if (this.timer !== undefined) return
    this.delays = monitorEventLoopDelay({ resolution: 10 })
    this.delays.enable()
    this.lastUtilization = performance.eventLoopUtilization()
    this.timer = setInterval(() => { this.sample() }, intervalMs).unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.delays?.disable()
    this.timer = undefined
    this.reason = undefined
  }

  /** Reads the interval since the last sample and decides whether to shed. */
  sample (): PressureSample {
    const utilization = performance.eventLoopUtilization(this.lastUtilization)
    this.lastUtilization = performance.eventLoopUtilization()
    const memory = process.memoryUsage()
    const sample = {
      eventLoopUtilization: this.delays === undefined ? 0 : utilization.utilization,
      eventLoopDelayMs: this.delays === undefined ? 0 : this.delays.max / 1e6,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss
    }
    this.delays?.reset()
    this.reason = pressureReason(sample, this.limits)
    return sample
  }
}
