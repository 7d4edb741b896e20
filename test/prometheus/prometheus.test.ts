// queryRange and the selectors against a real Prometheus 2.42 serving the fixture history
// (fixture.ts: formulas, gap and NaN window). Started once for the file. Without the binaries the
// tests skip with the reason (`npm test` installs them where it can).
import t from 'tap'
import { ReadBudget } from '../../src/prometheus/budget.js'
import { PrometheusQueryError } from '../../src/prometheus/errors.js'
import { countSeries, queryRange, stepFor, MAX_RANGE_INTERVALS, MAX_WINDOW_SECONDS } from '../../src/prometheus/client.js'
import { parseMatchers, selector } from '../../src/prometheus/matchers.js'
import type { Series } from '../../src/prometheus/series.js'
import {
  FIXTURE_END_SECONDS, FIXTURE_GAP, FIXTURE_NAN, FIXTURE_SAMPLE_COUNT, FIXTURE_START_SECONDS, GIB, MIB,
  fixtureSeries, prometheusForFile, prometheusMissing, sampleAt, sampleTimes
} from './fixture.js'

const prometheusUrl = prometheusForFile(t)

/** A range query over the fixture's week at 60 s through the service's own selector building. */
async function week (metric: string, match: string, extra: { startSeconds?: number, endSeconds?: number, stepSeconds?: number, maxBytes?: number } = {}): Promise<Series[]> {
  const { maxBytes = 16 * MIB, ...range } = extra
  const { series } = await queryRange({
    baseUrl: prometheusUrl(),
    query: selector(metric, parseMatchers(match, 'body/match')),
    metric,
    startSeconds: FIXTURE_START_SECONDS,
    endSeconds: FIXTURE_END_SECONDS,
    stepSeconds: stepFor(FIXTURE_END_SECONDS - FIXTURE_START_SECONDS),
    budget: new ReadBudget({ timeoutMs: 30_000, maxBytes, maxPoints: 1_000_000 }),
    ...range
  })
  return series
}

const values = (series: Series): number[] => series.points.map(([, value]) => value)
const mean = (numbers: number[]): number => numbers.reduce((sum, n) => sum + n, 0) / numbers.length

t.test('a linear series comes back as the formula gives it, point for point', { skip: prometheusMissing }, async (t) => {
  const [hot, ...rest] = await week('engram_memory_usage_bytes', '{instance="engram-0",tier="hot"}')
  t.equal(rest.length, 0, 'one series')
  t.same(hot.labels, { job: 'engram', instance: 'engram-0', tier: 'hot' }, 'labels without __name__')
  t.equal(hot.points.length, FIXTURE_SAMPLE_COUNT, '7 days at 60 s, both ends: 10,081 points')
  t.same(hot.points.map(([ts]) => ts), sampleTimes(), 'timestamps start + k * step')
  const expected = fixtureSeries('engram_memory_usage_bytes', { instance: 'engram-0', tier: 'hot' })
  t.ok(hot.points.every(([ts, value]) => value === sampleAt(expected, ts)), 'every value exactly the formula\'s')
  // by hand: linear(600, 10) MiB
  t.equal(hot.points[0][1], 600 * MIB, 'first: 600 MiB = 629,145,600 bytes')
  t.equal(hot.points.at(-1)?.[1], 670 * MIB, 'last: 600 + 7 x 10 = 670 MiB = 702,545,920 bytes')
  t.equal(Math.max(...values(hot)), 702_545_920, 'the peak is the last')
  t.ok(Math.abs(mean(values(hot)) - 635 * MIB) < 1e-3, 'the average is the midpoint, 635 MiB')
})

t.test('a daily series: peaks at 06:00 UTC, average the mean', { skip: prometheusMissing }, async (t) => {
  const cores = await week('engram_cpu_utilization_percent', '{instance="engram-0"}')
  t.same(cores.map((s) => s.labels.core).sort(), ['0', '1'], 'one series per core')
  const core0 = cores.find((s) => s.labels.core === '0') as Series
  t.equal(Math.max(...values(core0)), 82, 'daily(52, 30): peak 82 %')
  t.equal(core0.points.find(([, value]) => value === 82)?.[0], FIXTURE_START_SECONDS + 6 * 3_600, 'first reached 2025-01-01T06:00:00Z')
  t.ok(Math.abs(Math.min(...values(core0)) - 22) < 1e-9, 'trough 22 % at 18:00')
  t.ok(Math.abs(mean(values(core0)) - 52) < 1e-9, 'average 52 %')
  // the average over cores at each step: daily(48, 30)
  const core1 = cores.find((s) => s.labels.core === '1') as Series
  const overCores = core0.points.map(([, value], k) => (value + core1.points[k][1]) / 2)
  t.ok(Math.abs(Math.max(...overCores) - 78) < 1e-9, 'CPU over both cores peaks at 78 %')
})

t.test('matchers selecting several instances', { skip: prometheusMissing }, async (t) => {
  const wal = await week('engram_wal_size_bytes', '{job="engram"}')
  t.same(wal.map((s) => s.labels).sort((a, b) => a.instance.localeCompare(b.instance)), [{ job: 'engram', instance: 'engram-0' }, { job: 'engram', instance: 'engram-1' }])
  const last = Object.fromEntries(wal.map((s) => [s.labels.instance, s.points.at(-1)?.[1]]))
  t.same(last, { 'engram-0': 11 * GIB, 'engram-1': 5.5 * GIB }, 'linear(4, 1) and linear(2, 0.5) GiB after 7 days')
  t.equal((await week('engram_wal_size_bytes', '{instance=~"engram-.*",instance!="engram-1"}')).length, 1, 'regex and negative matchers together')
  t.equal((await week('engram_wal_size_bytes', '{instance!~"engram-[01]"}')).length, 0)
  t.equal((await week('engram_storage_usage_bytes', '{}')).length, 4, 'no matchers: every series of the metric (2 instances x 2 tiers)')
})

t.test('NaN samples come back as NaN', { skip: prometheusMissing }, async (t) => {
  const [recall] = await week('engram_p99_latency_ms', '{instance="engram-1",operation="recall"}')
  const nan = recall.points.filter(([, value]) => Number.isNaN(value)).map(([ts]) => ts)
  t.same(nan, Array.from({ length: 10 }, (_, k) => FIXTURE_NAN.fromSeconds + 60 * k), 'exactly the 10 NaN samples, 2025-01-04T12:00 to 12:09')
  t.equal(recall.points.length, FIXTURE_SAMPLE_COUNT, 'no point missing')
})

t.test('a stale gap: the last sample for 5 minutes (the lookback), then missing timestamps', { skip: prometheusMissing }, async (t) => {
  const [core1] = await week('engram_cpu_utilization_percent', '{instance="engram-1",core="1"}')
  const times = new Set(core1.points.map(([ts]) => ts))
  const missing = sampleTimes().filter((ts) => !times.has(ts))
  const lastBefore = FIXTURE_GAP.fromSeconds - 60
  // the lookback window [t - 5m, t] holds the sample at the gap's start - 60 s up to t = that + 300 s
  t.same(missing, Array.from({ length: 25 }, (_, k) => lastBefore + 360 + 60 * k), '30 minutes without samples: 25 timestamps missing (the first 5 filled by the lookback)')
  const held = core1.points.filter(([ts]) => ts > lastBefore && ts < FIXTURE_GAP.toSeconds).map(([, value]) => value)
  const before = core1.points.find(([ts]) => ts === lastBefore)?.[1]
  t.same(held, [before, before, before, before, before], 'within the lookback, Prometheus repeats the last sample')
  t.equal(core1.points.length, FIXTURE_SAMPLE_COUNT - 25)
})

t.test('an unknown metric and a selection matching nothing: an empty result, no error', { skip: prometheusMissing }, async (t) => {
  t.same(await week('engram_spreading_queue_depth', '{}'), [], 'a seed metric the fixture does not have')
  t.same(await week('engram_wal_size_bytes', '{instance="engram-9"}'), [], 'an instance that does not exist')
})

t.test('the Aeterna figures', { skip: prometheusMissing }, async (t) => {
  const [cpu] = await week('aeterna_cpu_utilization_percent', '{job="aeterna"}')
  t.equal(Math.max(...values(cpu)), 72, 'daily(52, 20): peak 72 %')
  const [storage] = await week('aeterna_storage_used_percent', '{job="aeterna"}')
  t.equal(storage.points.at(-1)?.[1], 64, 'linear(50, 2): 64 % at the end')
})

t.test('a regex JS accepts and RE2 refuses: Prometheus\'s bad_data, a 400', { skip: prometheusMissing }, async (t) => {
  const error = await week('engram_wal_size_bytes', '{instance=~"(?=engram)"}').then(() => undefined, (error: unknown) => error)
  t.ok(error instanceof PrometheusQueryError)
  const failure = error as PrometheusQueryError
  t.equal(failure.failure, 'api_error')
  t.equal(failure.errorType, 'bad_data')
  t.equal(failure.httpStatus, 400)
  t.equal(failure.statusCode, 400)
  t.match(failure.message, /^Prometheus refused the query for engram_wal_size_bytes: bad_data: .*invalid or unsupported Perl syntax/)
})

t.test('the 11,000-point rule', { skip: prometheusMissing }, async (t) => {
  const window = FIXTURE_END_SECONDS - FIXTURE_START_SECONDS
  // 604,800 / 54 = 11,200 intervals: refused
  const refused = await week('engram_wal_size_bytes', '{}', { stepSeconds: 54 }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(refused?.errorType, 'bad_data')
  t.match(refused?.message, /exceeded maximum resolution of 11,000 points per timeseries/)
  // exactly 11,000 intervals: accepted (11,001 points at most)
  const exact = await week('engram_wal_size_bytes', '{instance="engram-0"}', { stepSeconds: window / MAX_RANGE_INTERVALS })
  t.equal(exact[0].points.length, MAX_RANGE_INTERVALS + 1, '604,800 / 54.98... s: 11,001 points')
  const longest = await week('engram_wal_size_bytes', '{instance="engram-0"}', { startSeconds: FIXTURE_END_SECONDS - MAX_WINDOW_SECONDS, stepSeconds: stepFor(MAX_WINDOW_SECONDS) })
  t.equal(stepFor(MAX_WINDOW_SECONDS), 720)
  t.ok(longest[0].points.length > 0 && longest[0].points.length <= 7 * 120 + 1, '90 days at 720 s: accepted, points only where the week has data')
})

t.test('a real answer over the byte limit', { skip: prometheusMissing }, async (t) => {
  const error = await week('engram_cpu_utilization_percent', '{}', { maxBytes: 100_000 }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(error?.failure, 'too_large')
})

t.test('countSeries: /api/v1/series counts the series a range query over the same window returns', { skip: prometheusMissing }, async (t) => {
  const count = async (metric: string, match: string, startSeconds = FIXTURE_START_SECONDS): Promise<number> => await countSeries({
    baseUrl: prometheusUrl(),
    selector: selector(metric, parseMatchers(match, 'body/match')),
    metric,
    startSeconds,
    endSeconds: FIXTURE_END_SECONDS,
    budget: new ReadBudget({ timeoutMs: 30_000, maxBytes: MIB, maxPoints: 1 })
  })
  t.equal(await count('engram_cpu_utilization_percent', '{}'), 4, '2 instances x 2 cores')
  t.equal(await count('engram_cpu_utilization_percent', '{instance="engram-0"}'), (await week('engram_cpu_utilization_percent', '{instance="engram-0"}')).length)
  t.equal(await count('engram_memory_usage_bytes', '{job="engram"}'), 6)
  t.equal(await count('engram_wal_size_bytes', '{instance="engram-9"}'), 0)
  t.equal(await count('engram_wal_size_bytes', '{}', FIXTURE_END_SECONDS - 60), 2, 'a window at the history\'s end')
})
