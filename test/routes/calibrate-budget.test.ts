// Calibration within one budget (issue 29, point 1), against a stand-in Prometheus that generates
// its points at the step asked (fake-prometheus.ts): a 90-day window over 100 series for each Engram
// metric answers correctly at a coarsened step; a Prometheus that ignores the step, or answers more
// bytes than the budget, is cut off with the right error and every other query stopped; a selection
// no useful step fits is refused before any range query; and the answers from the worker pool are
// the main thread's, byte for byte.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { runCli } from '../../src/cli/cli.js'
import { loadConfig } from '../../src/config.js'
import { ENGRAM_METRICS } from '../../src/models/engram/calibrate.js'
import { MAX_WINDOW_SECONDS } from '../../src/prometheus/client.js'
import { type FakeSeries, fakePrometheus, settled } from '../prometheus/fake-prometheus.js'

const DAY = 86_400
const END = Date.UTC(2025, 3, 1) / 1000 // 2025-04-01T00:00:00Z
const START = END - MAX_WINDOW_SECONDS
/** The peak: one whole day, the 45th of the window; every series doubles (CPU goes from 30 % to 70 %). */
const PEAK_FROM = START + 45 * DAY
const PEAK_TO = PEAK_FROM + DAY
const inPeak = (t: number): boolean => t >= PEAK_FROM && t < PEAK_TO
const MIB = 2 ** 20

/** `count` series of a metric, one label telling them apart, each `base` outside the peak and `peak` in it. */
function family (count: number, label: string, extra: Record<string, string>, base: number, peak: number): FakeSeries[] {
  return Array.from({ length: count }, (_, i) => ({
    labels: { job: 'engram', instance: 'engram-0', ...extra, [label]: String(i) },
    valueAt: (t: number) => inPeak(t) ? peak : base
  }))
}

/** Every Engram metric with `count` series. */
function engramSeries (count: number): Record<string, FakeSeries[]> {
  const M = ENGRAM_METRICS
  return {
    [M.cpuUtilization]: family(count, 'core', {}, 30, 70),
    [M.memoryUsage]: family(count, 'shard', { tier: 'hot' }, MIB, 2 * MIB),
    [M.memoryLimit]: family(count, 'shard', {}, 10 * MIB, 10 * MIB),
    [M.storageUsage]: family(count, 'shard', { tier: 'warm' }, 100 * MIB, 100 * MIB),
    [M.storageLimit]: family(count, 'shard', {}, 2 ** 30, 2 ** 30),
    [M.walSize]: family(count, 'shard', {}, 10 * MIB, 10 * MIB),
    [M.operations]: family(count, 'shard', { operation: 'store' }, 10, 20),
    [M.p99Latency]: family(count, 'shard', { operation: 'store' }, 5, 9)
  }
}

const quiet = { MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0' }
// generous for two busy shared cores: these tests are about what is answered, not how fast
const slowMachine = { PROMETHEUS_TIMEOUT_MS: '60000', WORKER_TASK_TIMEOUT_MS: '120000' }
async function appWith (env: Record<string, string>, offload = false): Promise<Awaited<ReturnType<typeof buildApp>>> {
  const app = await buildApp({ config: loadConfig({ ...quiet, ...slowMachine, WORKER_THREADS: '1', ...env }), offload })
  if (offload) {
    await app.ready()
    await app.workerPool?.warmUp()
  }
  return app
}

const NINETY_DAYS = { window: '90d', end: END }

t.test('90 days over 100 series for each metric: the step coarsened to fit the point budget, the peaks and averages right', async (t) => {
  const fake = await fakePrometheus(t, { series: engramSeries(100) })
  const app = await appWith({ PROMETHEUS_URL: fake.url })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: NINETY_DAYS })
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  const answer = response.json()
  // 800 series within 500,000 points: at most 625 points each; the smallest whole minute with
  // floor(90 d / step) + 1 <= 625 is 208 min
  const step = 12_480
  t.equal(answer.source.stepSeconds, step)
  t.match(answer.source.stepNote, /^step coarsened from 720 s to 12480 s so that 800 series fit the 500000-point budget: each point samples the series every 208m, so a peak shorter than that may be missed/)
  t.same(answer.source.queries.map((query: { series: number }) => query.series), Array(8).fill(100))
  const asked = fake.calls.filter((call) => call.path === '/api/v1/query_range')
  t.same(asked.map((call) => call.form.step), Array(8).fill(String(step)), 'every range query at that step')
  t.equal(fake.calls.filter((call) => call.path === '/api/v1/series').length, 8, 'one series count per metric, first')

  // the grid Prometheus evaluates: start + k * step up to the end
  const grid = Array.from({ length: Math.floor(MAX_WINDOW_SECONDS / step) + 1 }, (_, k) => START + k * step)
  const share = grid.filter(inPeak).length / grid.length
  t.ok(grid.filter(inPeak).length >= 6, 'the peak day is sampled')
  const { observed } = answer
  t.equal(observed.cpu.cores, 100)
  t.equal(observed.cpu.utilizationPercent.peak, 70)
  t.equal(observed.cpu.utilizationPercent.samples, grid.length)
  t.ok(Math.abs(observed.cpu.utilizationPercent.average - (30 + 40 * share)) < 1e-9, `CPU average ${observed.cpu.utilizationPercent.average}`)
  t.equal(observed.memory.totalMiB.peak, 200, '100 series of 2 MiB at the peak')
  t.ok(Math.abs(observed.memory.totalMiB.average - (100 + 100 * share)) < 1e-9)
  t.equal(observed.opsPerSec.peak, 2000)
  t.ok(Math.abs(observed.opsPerSec.average - (1000 + 1000 * share)) < 1e-9)
  t.equal(observed.p99LatencyMs.peak, 9, 'the worst operation')
  t.equal(observed.storage.walGiB.peak, 1000 / 1024, '100 x 10 MiB')
  t.same(observed.limits, { memoryGiB: 1000 / 1024, storageGiB: 100 })
})

t.test('a Prometheus that ignores the step (ten million points a query): cut by the point budget, every query stopped', async (t) => {
  const fake = await fakePrometheus(t, { series: engramSeries(100), ignoreStep: true })
  const app = await appWith({ PROMETHEUS_URL: fake.url })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: NINETY_DAYS })
  t.equal(response.statusCode, 422)
  const error = response.json()
  t.equal(error.code, 'PROMETHEUS_TOO_MANY_POINTS')
  t.match(error.message, /^Prometheus's answers hold more than 500000 points in all \(PROMETHEUS_MAX_POINTS\), the most one calibration reads \(reading engram_[a-z0-9_]+\): Prometheus answered more series or points than it counted/)
  await settled(fake)
  const ranges = fake.calls.filter((call) => call.path === '/api/v1/query_range')
  t.equal(ranges.length, 8)
  t.same(ranges.map((call) => call.finished), Array(8).fill(false), 'no answer was read to its end: the first over the budget stopped them all')
})

t.test('answers longer than PROMETHEUS_MAX_BYTES in all: 502 at the limit, every query stopped', async (t) => {
  // each answer alone would be 300 MB or so
  const fake = await fakePrometheus(t, { series: engramSeries(100), ignoreStep: true })
  const app = await appWith({ PROMETHEUS_URL: fake.url, PROMETHEUS_MAX_BYTES: String(4 * MIB) })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: NINETY_DAYS })
  t.equal(response.statusCode, 502)
  t.equal(response.json().code, 'PROMETHEUS_ANSWER_TOO_LARGE')
  t.match(response.json().message, /^Prometheus's answers are longer than 4194304 bytes in all \(PROMETHEUS_MAX_BYTES\) \(reading engram_/)
  await settled(fake)
  t.same(fake.calls.filter((call) => call.path === '/api/v1/query_range').map((call) => call.finished), Array(8).fill(false))
})

t.test('more series than any useful step fits: 422 naming the limit, the series and what fits, before any range query', async (t) => {
  const fake = await fakePrometheus(t, { series: engramSeries(3_000) })
  const app = await appWith({ PROMETHEUS_URL: fake.url })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { ...NINETY_DAYS, match: '{job="engram"}' } })
  t.equal(response.statusCode, 422)
  t.same(response.json(), {
    statusCode: 422,
    error: 'Unprocessable Entity',
    code: 'PROMETHEUS_TOO_MANY_SERIES',
    message: 'the selection has 24000 series over 90d: a calibration reads at most 500000 points (PROMETHEUS_MAX_POINTS) and at least 100 points a series, so at most 5000 series; a step of 388860 s would fit them but leaves 20 points a series, fewer than 100: narrow the matchers to at most 5000 series'
  })
  t.same(fake.calls.map((call) => call.path), Array(8).fill('/api/v1/series'), 'only the series were counted')

  let stderr = ''
  const io = { stdout: () => {}, stderr: (text: string) => { stderr += text }, readStdin: async () => '', env: {} }
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', fake.url, '--window', '90d', '--end', String(END)], io, 'test'), 2, 'the CLI: a usage error (narrow --match)')
  t.match(stderr, 'the selection has 24000 series over 90d: a calibration reads at most 2000000 points and at least 100 points a series, so at most 20000 series')
})

t.test('calibrations run in a worker, answering byte for byte what the main thread answers', async (t) => {
  const fake = await fakePrometheus(t, { series: engramSeries(100) })
  const env = { PROMETHEUS_URL: fake.url }
  const inline = await appWith(env)
  const pooled = await appWith(env, true)
  t.teardown(async () => { await inline.close(); await pooled.close() })
  const cases = [
    { method: 'POST' as const, url: '/calibrate/engram', payload: NINETY_DAYS },
    { method: 'POST' as const, url: '/calibrate/engram?format=text', payload: { window: '7d', end: END, match: '{core=~"[0-4]"}' } },
    { method: 'POST' as const, url: '/calibrate/aeterna', payload: { window: '7d', end: END, tier: 'small' } },
    { method: 'POST' as const, url: '/calibrate/engram', payload: { series: { engram_cpu_utilization_percent: [{ metric: { core: '0' }, values: [[END, '40']] }] } } },
    { method: 'POST' as const, url: '/calibrate/engram', payload: { window: '1y' } }
  ]
  // the main thread's fetch, counted while the pooled app answers: the worker reads Prometheus
  const mainThreadFetch = globalThis.fetch
  let mainThreadCalls = 0
  let pooledCalls = 0
  const pooledInject = async (request: typeof cases[number]): Promise<Awaited<ReturnType<typeof inline.inject>>> => {
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => { mainThreadCalls++; return await mainThreadFetch(...args) }) as typeof fetch
    const before = fake.calls.length
    try {
      return await pooled.inject(request)
    } finally {
      globalThis.fetch = mainThreadFetch
      pooledCalls += fake.calls.length - before
    }
  }
  for (const request of cases) {
    const [expected, actual] = [await inline.inject(request), await pooledInject(request)]
    t.equal(actual.statusCode, expected.statusCode, `${request.url} ${JSON.stringify(request.payload).slice(0, 60)}: status ${expected.statusCode}`)
    t.equal(actual.headers['content-type'], expected.headers['content-type'])
    t.equal(actual.body, expected.body, `the same bytes (${actual.body.slice(0, 300)})`)
  }
  t.equal(pooled.workerPool?.settings.threads, 1)
  t.ok(pooledCalls >= 16, `Prometheus was read for the pooled app (${pooledCalls} calls)`)
  t.equal(mainThreadCalls, 0, 'never from the main thread: reading, parsing and the model ran in the worker')
})
