// A deterministic 7-day history for the calibration tests, and a real Prometheus serving it.
//
// History: 2025-01-01T00:00:00Z (FIXTURE_START_SECONDS) to 2025-01-08T00:00:00Z (FIXTURE_END_SECONDS),
// one sample a minute, both ends included: 10,081 samples per series. Every value is a pure function of
// time t (unix seconds), with d = (t - FIXTURE_START_SECONDS) / 86400 the days since the start:
//
//   daily(mean, amplitude)  = mean + amplitude * sin(2 * pi * phase), phase = ((t - start) mod 86400) / 86400
//                             peak mean + amplitude at 06:00 UTC each day (phase 0.25: sin is exactly 1),
//                             trough mean - amplitude at 18:00, mean at 00:00 and 12:00; over the week
//                             the average is the mean (the sine sums to 0 over whole days; the last
//                             sample, at 00:00, is the mean itself)
//   linear(start, perDay)   = start + perDay * d: first sample `start`, last `start + 7 * perDay`,
//                             average `start + 3.5 * perDay` (samples evenly spaced, both ends in)
//   constant(value)
//
// Byte metrics are written in MiB or GiB times 2^20 or 2^30 (the `scale` below).
//
// Engram (seed 004, "Key Metrics to Track" l.446-467, and the alert rules' limit metrics), labels
// job="engram" and instance="engram-0" | "engram-1" (two instances, for "several instances"):
//
//   metric                          labels          engram-0                engram-1
//   engram_cpu_utilization_percent  core="0"        daily(52, 30) %         daily(40, 20) %
//                                   core="1"        daily(44, 30) %         daily(32, 20) %   (GAP below)
//   engram_memory_usage_bytes       tier="hot"      linear(600, 10) MiB     linear(300, 5) MiB
//                                   tier="warm"     linear(300, 5) MiB      linear(150, 2.5) MiB
//                                   tier="cold"     linear(100, 2) MiB      linear(50, 1) MiB
//   engram_memory_limit_bytes                       constant(2048) MiB      constant(1024) MiB
//   engram_storage_usage_bytes      tier="warm"     linear(20, 1) GiB       linear(10, 0.5) GiB
//                                   tier="cold"     linear(50, 2) GiB       linear(25, 1) GiB
//   engram_storage_limit_bytes                      constant(200) GiB       constant(100) GiB
//   engram_wal_size_bytes                           linear(4, 1) GiB        linear(2, 0.5) GiB
//   engram_operations_per_second    operation="store"   daily(200, 100)     daily(100, 50)
//                                   operation="recall"  daily(800, 400)     daily(400, 200)
//   engram_p99_latency_ms           operation="store"   daily(5, 2)         daily(4, 1)
//                                   operation="recall"  daily(8, 4)         daily(6, 2)   (NaN below)
//
//   so engram-0's CPU averaged over its cores is daily(48, 30): peak 78 %, average 48 %; its total
//   ops daily(1000, 500): peak 1500/s; memory on 2025-01-08 hot 670 + warm 335 + cold 114 = 1119 MiB.
//
// Anomalies (FIXTURE_GAP, FIXTURE_NAN):
//   GAP: engram_cpu_utilization_percent{instance="engram-1",core="1"} has no samples for 30 minutes
//        from 2025-01-03T00:00:00Z (day 2): longer than Prometheus's 5-minute lookback, so a range
//        query repeats the last sample for 5 minutes and then returns no points until samples resume.
//   NaN: engram_p99_latency_ms{instance="engram-1",operation="recall"} is NaN for 10 samples from
//        2025-01-04T12:00:00Z (day 3.5).
//
// Aeterna (seed 000, "Key Metrics to Watch" l.354-363): the seed's Prometheus queries (l.365-382) use
// metrics that do not exist or have other units (research file, contradiction 8), so the service
// reads figures already in the seed's units under names it fixes; labels job="aeterna", instance="aeterna-0":
//
//   aeterna_cpu_utilization_percent     daily(52, 20) %      peak 72
//   aeterna_memory_utilization_percent  daily(62, 12) %      peak 74
//   aeterna_storage_used_percent        linear(50, 2) %      64 at the end
//   aeterna_query_latency_p99_ms        daily(120, 60) ms    peak 180
//   aeterna_disk_iops                   daily(800, 400)      peak 1200
//   aeterna_replication_lag_ms          daily(5, 3) ms       peak 8
import type tap from 'tap'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { TOOL_PATHS, missingTools } from '../tools.js'
import { freePort } from '../free-port.js'
export { freePort }

export const FIXTURE_START_SECONDS = Date.UTC(2025, 0, 1) / 1000
export const FIXTURE_END_SECONDS = Date.UTC(2025, 0, 8) / 1000
export const FIXTURE_SAMPLE_SECONDS = 60
/** 7 days of minutes, both ends included. */
export const FIXTURE_SAMPLE_COUNT = 7 * 1440 + 1
export const DAY_SECONDS = 86_400
export const MIB = 2 ** 20
export const GIB = 2 ** 30

export type Shape =
  | { kind: 'daily', mean: number, amplitude: number }
  | { kind: 'linear', start: number, perDay: number }
  | { kind: 'constant', value: number }

export interface FixtureSeries {
  metric: string
  labels: Record<string, string>
  shape: Shape
  /** Multiplies the shape: MIB or GIB for byte metrics. */
  scale: number
}

const daily = (mean: number, amplitude: number): Shape => ({ kind: 'daily', mean, amplitude })
const linear = (start: number, perDay: number): Shape => ({ kind: 'linear', start, perDay })
const constant = (value: number): Shape => ({ kind: 'constant', value })

/** The shape's value at t (unix seconds), before scaling. */
export function shapeAt (shape: Shape, t: number): number {
  const offset = t - FIXTURE_START_SECONDS
  switch (shape.kind) {
    case 'daily': return shape.mean + shape.amplitude * Math.sin(2 * Math.PI * ((offset % DAY_SECONDS) / DAY_SECONDS))
    case 'linear': return shape.start + shape.perDay * offset / DAY_SECONDS
    case 'constant': return shape.value
  }
}

/** Where the history departs from its formulas: one series, [from, to) in unix seconds. */
export interface SampleWindow {
  metric: string
  labels: Record<string, string>
  fromSeconds: number
  toSeconds: number
}

/** Samples missing. */
export const FIXTURE_GAP: SampleWindow = {
  metric: 'engram_cpu_utilization_percent',
  labels: { instance: 'engram-1', core: '1' },
  fromSeconds: FIXTURE_START_SECONDS + 2 * DAY_SECONDS,
  toSeconds: FIXTURE_START_SECONDS + 2 * DAY_SECONDS + 30 * 60
}
/** Samples NaN. */
export const FIXTURE_NAN: SampleWindow = {
  metric: 'engram_p99_latency_ms',
  labels: { instance: 'engram-1', operation: 'recall' },
  fromSeconds: FIXTURE_START_SECONDS + 3.5 * DAY_SECONDS,
  toSeconds: FIXTURE_START_SECONDS + 3.5 * DAY_SECONDS + 10 * 60
}

function perInstance (metric: string, extra: Record<string, string>, scale: number, shapes: [Shape, Shape]): FixtureSeries[] {
  return shapes.map((shape, i) => ({ metric, labels: { job: 'engram', instance: `engram-${i}`, ...extra }, shape, scale }))
}

function aeterna (metric: string, shape: Shape): FixtureSeries {
  return { metric, labels: { job: 'aeterna', instance: 'aeterna-0' }, shape, scale: 1 }
}

/** Every series of the history, grouped by metric (OpenMetrics wants a family's samples together). */
export const FIXTURE_SERIES: FixtureSeries[] = [
  ...perInstance('engram_cpu_utilization_percent', { core: '0' }, 1, [daily(52, 30), daily(40, 20)]),
  ...perInstance('engram_cpu_utilization_percent', { core: '1' }, 1, [daily(44, 30), daily(32, 20)]),
  ...perInstance('engram_memory_usage_bytes', { tier: 'hot' }, MIB, [linear(600, 10), linear(300, 5)]),
  ...perInstance('engram_memory_usage_bytes', { tier: 'warm' }, MIB, [linear(300, 5), linear(150, 2.5)]),
  ...perInstance('engram_memory_usage_bytes', { tier: 'cold' }, MIB, [linear(100, 2), linear(50, 1)]),
  ...perInstance('engram_memory_limit_bytes', {}, MIB, [constant(2048), constant(1024)]),
  ...perInstance('engram_storage_usage_bytes', { tier: 'warm' }, GIB, [linear(20, 1), linear(10, 0.5)]),
  ...perInstance('engram_storage_usage_bytes', { tier: 'cold' }, GIB, [linear(50, 2), linear(25, 1)]),
  ...perInstance('engram_storage_limit_bytes', {}, GIB, [constant(200), constant(100)]),
  ...perInstance('engram_wal_size_bytes', {}, GIB, [linear(4, 1), linear(2, 0.5)]),
  ...perInstance('engram_operations_per_second', { operation: 'store' }, 1, [daily(200, 100), daily(100, 50)]),
  ...perInstance('engram_operations_per_second', { operation: 'recall' }, 1, [daily(800, 400), daily(400, 200)]),
  ...perInstance('engram_p99_latency_ms', { operation: 'store' }, 1, [daily(5, 2), daily(4, 1)]),
  ...perInstance('engram_p99_latency_ms', { operation: 'recall' }, 1, [daily(8, 4), daily(6, 2)]),
  aeterna('aeterna_cpu_utilization_percent', daily(52, 20)),
  aeterna('aeterna_memory_utilization_percent', daily(62, 12)),
  aeterna('aeterna_storage_used_percent', linear(50, 2)),
  aeterna('aeterna_query_latency_p99_ms', daily(120, 60)),
  aeterna('aeterna_disk_iops', daily(800, 400)),
  aeterna('aeterna_replication_lag_ms', daily(5, 3))
]

const sameLabels = (series: FixtureSeries, labels: Record<string, string>): boolean =>
  Object.entries(labels).every(([name, value]) => series.labels[name] === value)

/** The one fixture series with this metric and these labels (a subset of its labels). */
export function fixtureSeries (metric: string, labels: Record<string, string>): FixtureSeries {
  const found = FIXTURE_SERIES.filter((series) => series.metric === metric && sameLabels(series, labels))
  if (found.length !== 1) throw new Error(`${found.length} fixture series for ${metric} ${JSON.stringify(labels)}`)
  return found[0]
}

/** The sample of a series at t: undefined in the gap, NaN in the NaN window, the formula otherwise. */
export function sampleAt (series: FixtureSeries, t: number): number | undefined {
  const within = (window: SampleWindow): boolean =>
    series.metric === window.metric && sameLabels(series, window.labels) && t >= window.fromSeconds && t < window.toSeconds
  if (within(FIXTURE_GAP)) return undefined
  if (within(FIXTURE_NAN)) return NaN
  return shapeAt(series.shape, t) * series.scale
}

/** Every sample time of the history. */
export function sampleTimes (): number[] {
  return Array.from({ length: FIXTURE_SAMPLE_COUNT }, (_, k) => FIXTURE_START_SECONDS + k * FIXTURE_SAMPLE_SECONDS)
}

/** `name{a="x",b="y"}` for an exposition line (fixture label values need no escaping). */
function seriesName (series: FixtureSeries): string {
  return `${series.metric}{${Object.entries(series.labels).map(([name, value]) => `${name}="${value}"`).join(',')}}`
}

/**
 * The history as an OpenMetrics text file for `promtool tsdb create-blocks-from openmetrics`: a
 * `# TYPE <metric> gauge` per family, samples `name{labels} value timestamp` with the timestamp in
 * SECONDS (promtool reads milliseconds as seconds, silently) and each series in time order (promtool
 * drops samples out of order, silently), then `# EOF` (required). JS's shortest round-trip number
 * text and Go's are the same value, so the served values equal sampleAt's exactly.
 */
export function openMetricsText (): string {
  const times = sampleTimes()
  const lines: string[] = []
  let family = ''
  for (const series of FIXTURE_SERIES) {
    if (series.metric !== family) {
      family = series.metric
      lines.push(`# TYPE ${family} gauge`)
    }
    const name = seriesName(series)
    for (const t of times) {
      const value = sampleAt(series, t)
      if (value !== undefined) lines.push(`${name} ${String(value)} ${t}`)
    }
  }
  lines.push('# EOF', '')
  return lines.join('\n')
}

export const PROMETHEUS_PATH = TOOL_PATHS.prometheus
export const PROMTOOL_PATH = TOOL_PATHS.promtool
/** Why the real-Prometheus tests cannot run here, or undefined when they can. */
export const prometheusMissing: string | undefined = missingTools('prometheus', 'promtool')

/** Every wait, generous for two shared cores: the start, the stop. */
const WAIT_MS = 90_000
/**
 * The backfill writes 84 two-hour blocks (promtool 2.42 has no --max-block-duration): a few seconds
 * idle, but past 90 s once seen with a CPU hog beside three test files at a time
 */
const BACKFILL_MS = 240_000

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string
  stop: () => Promise<void>
}

/**
 * Prometheus 2.42 serving the fixture history: the text written to a fresh tmp dir, backfilled by
 * promtool into 2-hour blocks, then the server started on a free loopback port with an empty
 * configuration (it scrapes nothing: a head block at "now" could expire the 2025 blocks) and waited
 * for on /-/ready. stop() ends the server (by its pid; SIGKILL if SIGTERM is not enough) and removes the dir.
 */
export async function startPrometheus (text: string = openMetricsText()): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'sizing-prometheus-'))
  const removeDir = async (): Promise<void> => { await rm(dir, { recursive: true, force: true }) }
  try {
    const input = join(dir, 'history.om')
    const data = join(dir, 'data')
    await writeFile(input, text)
    await writeFile(join(dir, 'empty.yml'), '')
    await promisify(execFile)(PROMTOOL_PATH, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data], { timeout: BACKFILL_MS, maxBuffer: 64 * MIB })
    await rm(input)
    const port = await freePort()
    const child = spawn(PROMETHEUS_PATH, [
      `--config.file=${join(dir, 'empty.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y', '--log.level=warn'
    ], { stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000) })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS / 3)
        await exited
        clearTimeout(killer)
      }
      await removeDir()
    }
    const url = `http://127.0.0.1:${port}`
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await removeDir()
        throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready: ${log}`)
      }
      const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).then((answer) => answer.ok, () => false)
      if (ready) return { url, stop }
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`prometheus not ready within ${WAIT_MS} ms: ${log}`)
      }
      await sleep(200)
    }
  } catch (error) {
    await removeDir()
    throw error
  }
}

/**
 * The fixture's Prometheus for a whole test file: started before its first test and stopped after
 * the last; without the binaries the tests skip (`prometheusMissing` as their skip reason; `npm
 * test` installs them where it can). Returns the URL's getter for the tests.
 */
export function prometheusForFile (t: Pick<typeof tap, 'before' | 'teardown'>): () => string {
  let prometheus: RunningPrometheus | undefined
  t.before(async () => {
    if (prometheusMissing === undefined) prometheus = await startPrometheus()
  })
  t.teardown(async () => { await prometheus?.stop() })
  return () => (prometheus as RunningPrometheus).url
}
