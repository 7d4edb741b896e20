// POST /calibrate/engram and /calibrate/aeterna, through a real Prometheus 2.42 serving the fixture's
// week (test/prometheus/fixture.ts: formulas written out there) and with the same series inline; the
// CLI's --prometheus against the same server. Without the binaries the Prometheus cases skip with the
// reason (`npm test` installs them where it can).
import t from 'tap'
import { createServer, type Server } from 'node:net'
import { buildApp } from '../../src/app.js'
import { runCli } from '../../src/cli/cli.js'
import { loadConfig } from '../../src/config.js'
import { AETERNA_METRICS, calibrateAeterna } from '../../src/models/aeterna/calibrate.js'
import { ENGRAM_METRICS, calibrateEngram } from '../../src/models/engram/calibrate.js'
import { fetchSeries, inlineFormOf, parseEnd } from '../../src/prometheus/fetch-series.js'
import { parseMatchers } from '../../src/prometheus/matchers.js'
import { FIXTURE_END_SECONDS, freePort, prometheusForFile, prometheusMissing } from '../prometheus/fixture.js'

const prometheusUrl = prometheusForFile(t)

const quiet = { MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0' }
async function appWith (env: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof buildApp>>> {
  return await buildApp({ config: loadConfig({ ...quiet, ...env }) })
}
const END = new Date(FIXTURE_END_SECONDS * 1000).toISOString() // 2025-01-08T00:00:00.000Z
const ENGRAM_0 = '{job="engram",instance="engram-0"}'
const withoutSource = (answer: Record<string, unknown>): Record<string, unknown> => { const { source: _source, ...rest } = answer; return rest }

t.test('engram from Prometheus: the fixture\'s figures, by hand, for one instance', { skip: prometheusMissing }, async (t) => {
  const app = await appWith({ PROMETHEUS_URL: prometheusUrl() })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { match: ENGRAM_0, window: '7d', end: END } })
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  const answer = response.json()
  t.same(answer.source, {
    kind: 'prometheus',
    match: '{job="engram",instance="engram-0"}',
    startSeconds: FIXTURE_END_SECONDS - 7 * 86_400,
    endSeconds: FIXTURE_END_SECONDS,
    stepSeconds: 60,
    stepNote: null,
    queries: Object.values(ENGRAM_METRICS).map((metric) => ({
      metric,
      query: `${metric}{job="engram",instance="engram-0"}`,
      // cores 2, memory tiers 3, storage tiers 2, operations 2, p99 2, limits and WAL 1 each
      series: ({ engram_cpu_utilization_percent: 2, engram_memory_usage_bytes: 3, engram_storage_usage_bytes: 2, engram_operations_per_second: 2, engram_p99_latency_ms: 2 } as Record<string, number>)[metric] ?? 1
    })),
    prometheusWarnings: []
  })
  const { observed } = answer
  // CPU: the mean of daily(52, 30) and daily(44, 30) is daily(48, 30): peak 78 % at 06:00, average 48 %
  t.equal(observed.cpu.cores, 2)
  t.equal(observed.cpu.utilizationPercent.peak, 78)
  t.ok(Math.abs(observed.cpu.utilizationPercent.average - 48) < 1e-6, `average 48 % (${observed.cpu.utilizationPercent.average})`)
  t.equal(observed.cpu.utilizationPercent.samples, 10_081, '7 days at 60 s, both ends')
  t.equal(observed.cpu.usedCores.peak, 1.56, '78 % of 2 cores')
  // memory: hot 600 + 10 d, warm 300 + 5 d, cold 100 + 2 d MiB: 1,000 at the start, 1,119 at the end, 1,059.5 on average
  t.equal(observed.memory.totalMiB.peak, 1119)
  t.ok(Math.abs(observed.memory.totalMiB.average - 1059.5) < 1e-6)
  // storage: warm 20 + d, cold 50 + 2 d GiB: 91 at the end; WAL 4 + d: 11; together 102
  t.equal(observed.storage.dataGiB.peak, 91)
  t.equal(observed.storage.walGiB.peak, 11)
  t.equal(observed.storage.totalGiB.peak, 102)
  // ops: daily(200, 100) + daily(800, 400) = daily(1000, 500): peak 1,500; p99 the worst operation: daily(8, 4) peaks at 12
  t.equal(observed.opsPerSec.peak, 1500)
  t.equal(observed.p99LatencyMs.peak, 12)
  t.same(observed.limits, { memoryGiB: 2, storageGiB: 200 }, '2,048 MiB and 200 GiB')
  t.same(answer.instances, ['engram-0'])
  t.same(answer.missing, [])
  t.equal(answer.workload.opsPerSec.value, 1500, 'the workload\'s ops/s: the observed peak')
  // the verdicts are /scaling/engram's on the same figures
  const scaling = await app.inject({ method: 'POST', url: '/scaling/engram', payload: answer.scaling.inputs })
  t.same(scaling.json(), answer.scaling, 'the same decision as /scaling/engram gives for the observed figures')
})

t.test('the same series inline give the same calibration; the CLI\'s --prometheus too', { skip: prometheusMissing }, async (t) => {
  const url = prometheusUrl()
  // a week of one-minute samples of every metric inline is about 5 MiB: over the 1 MiB default
  const app = await appWith({ PROMETHEUS_URL: url, BODY_LIMIT_BYTES: String(64 * 2 ** 20) })
  t.teardown(() => app.close())
  const metrics = Object.values(ENGRAM_METRICS)
  const fetched = await fetchSeries(url, metrics, parseMatchers(ENGRAM_0, 'match'), { endSeconds: FIXTURE_END_SECONDS, windowSeconds: 7 * 86_400 }, { timeoutMs: 30_000, maxBytes: 64 * 2 ** 20, maxPoints: 1_000_000 })
  const body = { workload: { expectedNodes: 2_000_000 }, provisioned: { cores: 4 }, horizonDays: 60 }
  const fromPrometheus = (await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { ...body, match: ENGRAM_0, end: FIXTURE_END_SECONDS } })).json()
  const series = Object.fromEntries(metrics.map((metric) => [metric, inlineFormOf(fetched.series[metric])]))
  const inline = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { ...body, series } })
  t.equal(inline.statusCode, 200)
  t.same(withoutSource(inline.json()), withoutSource(fromPrometheus), 'one calibration, whichever way the series came')
  t.same(inline.json().source, { kind: 'inline', match: null, startSeconds: FIXTURE_END_SECONDS - 7 * 86_400, endSeconds: FIXTURE_END_SECONDS, stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] })
  t.same(withoutSource(fromPrometheus), JSON.parse(JSON.stringify(calibrateEngram({ series: fetched.series, ...body }))), 'the route is calibrateEngram, nothing added but the source')
  t.equal(fromPrometheus.workload.nodes.value, 2_000_000)
  t.equal(fromPrometheus.workload.nodes.source, 'request')

  let stdout = ''
  let stderr = ''
  const io = { stdout: (text: string) => { stdout += text }, stderr: (text: string) => { stderr += text }, readStdin: async () => JSON.stringify(body), env: {} }
  const code = await runCli(['calibrate', 'engram', '--prometheus', url, '--window', '7d', '--end', END, '--match', ENGRAM_0, '-f', '-'], io, 'test')
  t.equal(code, 0, stderr)
  t.same(withoutSource(JSON.parse(stdout)), withoutSource(fromPrometheus), 'the CLI reads Prometheus with the same code and gets the same answer')
  t.equal(JSON.parse(stdout).source.kind, 'inline', 'the CLI sends what it read inline')

  stdout = ''
  stderr = ''
  const gated = await runCli(['calibrate', 'engram', '--prometheus', url, '--end', String(FIXTURE_END_SECONDS), '--match', '{job="engram"}', '--fail-on', 'warning:SEVERAL_INSTANCES', '--format', 'text'], io, 'test')
  t.equal(gated, 1, 'both instances selected: the gate on SEVERAL_INSTANCES trips')
  t.match(stderr, 'SEVERAL_INSTANCES')
  t.match(stdout, 'Engram calibration against measured series')

  stderr = ''
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', url, '--end', END, '--match', '{instance="nowhere"}'], io, 'test'), 2, 'nothing selected: a usage error')
  t.match(stderr, 'no series in')
  stderr = ''
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', url, '--end', '2024-01-01T00:00:00Z'], io, 'test'), 2, 'a window before the history')
  t.match(stderr, /no series in http:\/\/127\.0\.0\.1:\d+ for engram_cpu_utilization_percent, .*: check --match/)
  stderr = ''
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', url, '--match', '{job="x"}) or vector(1'], io, 'test'), 2, 'not a matcher: refused before any query')
  t.match(stderr, '--match')
  stderr = ''
  const withSeries = { ...io, readStdin: async () => JSON.stringify({ series: {} }) }
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', url, '-f', '-'], withSeries, 'test'), 2)
  t.match(stderr, 'the body file must not carry series too')
})

t.test('both instances: summed capacity, a warning; NaN samples and a stale gap are counted, not used', { skip: prometheusMissing }, async (t) => {
  const app = await appWith({ PROMETHEUS_URL: prometheusUrl() })
  t.teardown(() => app.close())
  const answer = (await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { match: [{ name: 'job', op: '=', value: 'engram' }], end: END } })).json()
  t.same(answer.instances, ['engram-0', 'engram-1'])
  const codes = answer.warnings.map((warning: { code: string }) => warning.code)
  t.ok(codes.includes('SEVERAL_INSTANCES'), codes.join(', '))
  t.ok(codes.includes('INVALID_SAMPLES'), 'the 10 NaN p99 samples')
  t.ok(codes.includes('INCOMPLETE_TIMESTAMPS'), 'the CPU gap: timestamps where a core has no sample')
  t.equal(answer.observed.cpu.cores, 4)
  // storage at the end: engram-0 91 + 11, engram-1 (10 + 3.5) + (25 + 7) + (2 + 3.5) = 51: 153 GiB
  t.equal(answer.observed.storage.totalGiB.peak, 153)
  t.same(answer.observed.limits, { memoryGiB: 3, storageGiB: 300 })
})

t.test('aeterna from Prometheus: the medium tier\'s alert thresholds against the fixture\'s peaks', { skip: prometheusMissing }, async (t) => {
  const app = await appWith({ PROMETHEUS_URL: prometheusUrl() })
  t.teardown(() => app.close())
  const response = await app.inject({ method: 'POST', url: '/calibrate/aeterna', payload: { match: '{job="aeterna"}', end: END, tier: 'medium', memoryCount: 50_000 } })
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  const answer = response.json()
  // seed 000, Key Metrics to Watch, medium: CPU > 70 %, memory > 80 %, storage > 75 %, p99 > 200 ms, IOPS > 2000, lag > 50 ms
  const breached = Object.fromEntries(answer.alerts.map((alert: { alert: string, observed: number, breached: boolean }) => [alert.alert, [alert.observed, alert.breached]]))
  t.same(breached, { cpuPercent: [72, true], memoryPercent: [74, false], storageUsedPercent: [64, false], p99LatencyMs: [180, false], diskIops: [1200, false], replicationLagMs: [8, false] })
  t.equal(answer.recommendation.tier, 'medium', 'averages (CPU 52 %, memory 62 %, p99 120 ms, storage 57 %) trip no trigger')
  const unmatched = (await app.inject({ method: 'POST', url: '/calibrate/aeterna', payload: { end: END, tier: 'medium', memoryCount: 50_000 } })).json()
  t.equal(unmatched.source.match, '', 'no matchers: every series of each metric (only aeterna-0 has them)')
  t.equal(unmatched.source.queries[0].query, 'aeterna_cpu_utilization_percent', 'the bare metric name')
  t.same(unmatched.alerts, answer.alerts)
  const fetched = await fetchSeries(prometheusUrl(), Object.values(AETERNA_METRICS), parseMatchers('{job="aeterna"}', 'match'), { endSeconds: FIXTURE_END_SECONDS, windowSeconds: 7 * 86_400 }, { timeoutMs: 30_000, maxBytes: 64 * 2 ** 20, maxPoints: 1_000_000 })
  t.same(withoutSource(answer), JSON.parse(JSON.stringify(calibrateAeterna({ series: fetched.series, tier: 'medium', memoryCount: 50_000 }))))
})

t.test('what goes wrong with Prometheus gets a status naming it', { skip: prometheusMissing }, async (t) => {
  const url = prometheusUrl()
  const app = await appWith({ PROMETHEUS_URL: url, PROMETHEUS_MAX_BYTES: '1024' })
  t.teardown(() => app.close())
  const tooLarge = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { end: END } })
  t.equal(tooLarge.statusCode, 502)
  t.equal(tooLarge.json().code, 'PROMETHEUS_ANSWER_TOO_LARGE')
  const regular = await appWith({ PROMETHEUS_URL: url })
  t.teardown(() => regular.close())
  const empty = await regular.inject({ method: 'POST', url: '/calibrate/engram', payload: { end: END, match: '{instance="nowhere"}' } })
  t.equal(empty.statusCode, 422)
  t.equal(empty.json().code, 'NO_SERIES')
  t.match(empty.json().message, '{instance="nowhere"} between 2025-01-01T00:00:00.000Z and 2025-01-08T00:00:00.000Z')
  const re2 = await regular.inject({ method: 'POST', url: '/calibrate/engram', payload: { end: END, match: '{instance=~"(?=e)engram-0"}' } })
  t.equal(re2.statusCode, 400, 'a look-ahead: JS compiles it, Prometheus (RE2) refuses it')
  t.equal(re2.json().code, 'PROMETHEUS_QUERY_FAILED')
  const before = await regular.inject({ method: 'POST', url: '/calibrate/engram', payload: { end: '2024-01-01T00:00:00Z' } })
  t.equal(before.statusCode, 422, 'a window before the history')
  t.match(before.json().message, /^no series in Prometheus for engram_cpu_utilization_percent, [a-z0-9_, ]+ between 2023-12-25T00:00:00.000Z and 2024-01-01T00:00:00.000Z/, 'no matchers, none named')
})

t.test('without Prometheus: inline series, refusals, unreachable and silent servers', async (t) => {
  const app = await appWith()
  t.teardown(() => app.close())
  const none = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: {} })
  t.equal(none.statusCode, 400)
  t.equal(none.json().code, 'PROMETHEUS_NOT_CONFIGURED')
  t.match(none.json().message, 'body/series is required')

  // one metric inline: a partial answer that says what is missing
  const cpuOnly = { engram_cpu_utilization_percent: [{ metric: { core: '0' }, values: [[1_735_689_600, '40'], [1_735_689_660, '80'], [1_735_689_720, 'NaN']] }] }
  const partial = await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { series: cpuOnly } })
  t.equal(partial.statusCode, 200)
  const answer = partial.json()
  t.equal(answer.observed.cpu.utilizationPercent.peak, 80)
  t.equal(answer.observed.cpu.utilizationPercent.average, 60, '(40 + 80) / 2: the NaN sample left out')
  t.same(answer.missing.map((entry: { metric: string }) => entry.metric).sort(), ['engram_memory_limit_bytes', 'engram_memory_usage_bytes', 'engram_operations_per_second', 'engram_p99_latency_ms', 'engram_storage_limit_bytes', 'engram_storage_usage_bytes', 'engram_wal_size_bytes'])
  t.same(answer.source, { kind: 'inline', match: null, startSeconds: 1_735_689_600, endSeconds: 1_735_689_720, stepSeconds: null, stepNote: null, queries: [], prometheusWarnings: [] })
  const noPoints = (await app.inject({ method: 'POST', url: '/calibrate/engram', payload: { series: { engram_cpu_utilization_percent: [{ values: [] }] } } })).json()
  t.same([noPoints.source.startSeconds, noPoints.source.endSeconds], [null, null], 'no point at all: no window')
  t.ok(noPoints.missing.some((entry: { metric: string, reason: string }) => entry.metric === 'engram_cpu_utilization_percent' && entry.reason === 'no-valid-samples'))
  const text = await app.inject({ method: 'POST', url: '/calibrate/engram?format=text', payload: { series: cpuOnly } })
  t.match(text.body, 'Engram calibration against measured series')
  t.equal((await app.inject({ method: 'POST', url: '/calibrate/engram?format=yaml', payload: { series: cpuOnly } })).headers['content-type'], 'application/yaml; charset=utf-8')

  const refusals: Array<[object, string]> = [
    [{ series: cpuOnly, match: '{job="engram"}' }, 'body/match selects what Prometheus returns'],
    [{ series: cpuOnly, window: '7d' }, 'body/window selects what Prometheus returns'],
    [{ series: { engram_cpu_utilization_percent: [{ values: [[1_735_689_660, '1'], [1_735_689_600, '2']] }] } }, 'body/series/engram_cpu_utilization_percent/0/values/1'],
    [{ series: { engram_cpu_utilisation: [] } }, 'body/series/engram_cpu_utilisation is not a known field'],
    [{ series: { engram_cpu_utilization_percent: [{ metric: { __name__: 'up' }, values: [] }] } }, 'must be engram_cpu_utilization_percent'],
    [{ match: '{job="x"}) or vector(1' }, 'body/match'],
    [{ match: [{ name: '__name__', op: '=', value: 'up' }] }, 'body/match/0/name'],
    [{ window: '1y' }, 'body/window must be a duration'],
    [{ end: 'yesterday' }, 'body/end must be unix seconds or an RFC 3339 time'],
    [{ end: '1999-12-31T23:59:59Z' }, 'body/end must lie between 2000-01-01 and a day from now (it is 1999-12-31T23:59:59.000Z)'],
    [{ end: 4_102_444_800 }, 'body/end must lie between 2000-01-01 and a day from now (it is 2100-01-01T00:00:00.000Z)']
  ]
  const configured = await appWith({ PROMETHEUS_URL: 'http://127.0.0.1:9' })
  t.teardown(() => configured.close())
  for (const [payload, message] of refusals) {
    const refused = await configured.inject({ method: 'POST', url: '/calibrate/engram', payload })
    t.equal(refused.statusCode, 400, `${JSON.stringify(payload).slice(0, 80)}: 400`)
    t.match(refused.json().message, message)
  }

  const closedPort = await freePort()
  const unreachable = await appWith({ PROMETHEUS_URL: `http://127.0.0.1:${closedPort}` })
  t.teardown(() => unreachable.close())
  const down = await unreachable.inject({ method: 'POST', url: '/calibrate/aeterna', payload: { tier: 'small' } })
  t.equal(down.statusCode, 502)
  t.equal(down.json().code, 'PROMETHEUS_UNREACHABLE')

  // a server that accepts and never answers: the time limit answers 504, nothing hangs
  const sockets = new Set<import('node:net').Socket>()
  const silent: Server = createServer((socket) => { sockets.add(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { for (const socket of sockets) socket.destroy(); await new Promise((resolve) => silent.close(resolve)) })
  const port = (silent.address() as { port: number }).port
  const slow = await appWith({ PROMETHEUS_URL: `http://127.0.0.1:${port}`, PROMETHEUS_TIMEOUT_MS: '300' })
  t.teardown(() => slow.close())
  const startedAt = Date.now()
  const timedOut = await slow.inject({ method: 'POST', url: '/calibrate/engram', payload: {} })
  t.equal(timedOut.statusCode, 504)
  t.equal(timedOut.json().code, 'PROMETHEUS_TIMEOUT')
  t.ok(Date.now() - startedAt < 20_000, 'bounded by PROMETHEUS_TIMEOUT_MS (generous bound for a busy machine)')

  t.throws(() => loadConfig({ PROMETHEUS_URL: 'ftp://prometheus' }), /PROMETHEUS_URL must match pattern/)
  t.equal(parseEnd(undefined, 'end', 1_700_000_000.7), 1_700_000_000, 'no end: now, whole seconds')
})

t.test('CLI without --prometheus: the window, end and match go to the service; a wrong system is a usage error', async (t) => {
  let stdout = ''
  let stderr = ''
  const io = { stdout: (text: string) => { stdout += text }, stderr: (text: string) => { stderr += text }, readStdin: async () => '', env: {} }
  t.equal(await runCli(['calibrate', 'engram', '--window', '7d'], io, 'test'), 2, 'the in-process service has no PROMETHEUS_URL: 400, a usage error')
  t.match(stderr, 'body/series is required')
  stderr = ''
  t.equal(await runCli(['calibrate', 'mistersmith'], io, 'test'), 2)
  t.match(stderr, 'engram or aeterna: sizing calibrate engram --prometheus <url> (not "mistersmith")')
  stderr = ''
  t.equal(await runCli(['calibrate'], io, 'test'), 2)
  t.match(stderr, /engram or aeterna: sizing calibrate engram --prometheus <url>\n/)
  stderr = ''
  t.equal(await runCli(['calibrate', 'engram', '--prometheus', 'not a url'], io, 'test'), 2)
  t.match(stderr, 'is not a URL')
  stderr = ''
  t.equal(await runCli(['estimate', 'engram', '--window', '7d'], io, 'test'), 2, '--window belongs to calibrate')
  t.equal(await runCli(['help', 'calibrate'], io, 'test'), 0)
  t.match(stdout, 'sizing calibrate <engram|aeterna>')
  stderr = ''
  const closedPort = await freePort()
  t.equal(await runCli(['calibrate', 'aeterna', '--prometheus', `http://127.0.0.1:${closedPort}`], io, 'test'), 3, 'Prometheus unreachable: the service-failure exit code')
  t.match(stderr, 'Prometheus at http://127.0.0.1:')
})
