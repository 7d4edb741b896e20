// fetchSeries (the routes' and the CLI's one way to read Prometheus), parseEnd and the inline form,
// against a stand-in fetch; the real server is in prometheus.test.ts and test/routes/calibrate.test.ts.
import t from 'tap'
import { MAX_WINDOW_SECONDS } from '../../src/prometheus/client.js'
import { PrometheusQueryError } from '../../src/prometheus/errors.js'
import { LOOKBACK_SECONDS, durationText, fetchSeries, inlineFormOf, parseEnd, planStep, pointsPerSeries, windowStart } from '../../src/prometheus/fetch-series.js'
import { parseInlineSeries } from '../../src/prometheus/series.js'

/** A stand-in fetch: /api/v1/series lists `counts[metric]` series; query_range answers `result(metric)`. */
function standIn (asked: Array<{ url: string, body: string }>, counts: Record<string, number>, result: (metric: string) => unknown[]): typeof fetch {
  return (async (url: string | URL, init?: RequestInit) => {
    asked.push({ url: String(url), body: String(init?.body) })
    const form = new URLSearchParams(String(init?.body))
    if (String(url).endsWith('/api/v1/series')) {
      const metric = (form.get('match[]') ?? '').split('{')[0]
      return new Response(JSON.stringify({ status: 'success', data: Array.from({ length: counts[metric] ?? 0 }, (_, i) => ({ __name__: metric, i: String(i) })) }))
    }
    const metric = (form.get('query') ?? '').split('{')[0]
    const found = result(metric)
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: found }, ...(found.length === 0 ? { warnings: ['no data here'] } : {}) }), { headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}

const LIMITS = { timeoutMs: 1000, maxBytes: 1 << 20, maxPoints: 1_000_000 }

t.test('the series counted first, then one query per metric, the step from the window, the answers by metric, Prometheus\'s warnings kept', async (t) => {
  const asked: Array<{ url: string, body: string }> = []
  const fetchImpl = standIn(asked, { a_metric: 1 }, (metric) => metric === 'a_metric' ? [{ metric: { __name__: 'a_metric', core: '0' }, values: [[100, '1'], [160, 'NaN']] }] : [])
  const window = { endSeconds: 1_000_000, windowSeconds: 7 * 86_400 }
  const fetched = await fetchSeries('http://prometheus.example:9090', ['a_metric', 'b_metric'], [{ name: 'job', op: '=', value: 'x' }], window, { ...LIMITS, fetchImpl })
  t.equal(asked.length, 4)
  t.same(asked.slice(0, 2).map(({ url, body }) => [url, Object.fromEntries(new URLSearchParams(body))]), [
    ['http://prometheus.example:9090/api/v1/series', { 'match[]': 'a_metric{job="x"}', start: String(1_000_000 - 604_800 - LOOKBACK_SECONDS), end: '1000000', timeout: '1s' }],
    ['http://prometheus.example:9090/api/v1/series', { 'match[]': 'b_metric{job="x"}', start: String(1_000_000 - 604_800 - LOOKBACK_SECONDS), end: '1000000', timeout: '1s' }]
  ], 'counted from the lookback before the start: a range query\'s first step sees that far')
  t.same(asked.slice(2).map(({ body }) => Object.fromEntries(new URLSearchParams(body))).map(({ query, start, end, step }) => [query, start, end, step]), [
    ['a_metric{job="x"}', String(1_000_000 - 604_800), '1000000', '60'],
    ['b_metric{job="x"}', String(1_000_000 - 604_800), '1000000', '60']
  ])
  t.equal(windowStart(window), 395_200)
  t.same(fetched.series.a_metric, [{ labels: { core: '0' }, points: [[100, 1], [160, NaN]] }])
  t.same(fetched.series.b_metric, [])
  t.same(fetched.queries, [{ metric: 'a_metric', query: 'a_metric{job="x"}', series: 1 }, { metric: 'b_metric', query: 'b_metric{job="x"}', series: 0 }])
  t.same(fetched.warnings, ['b_metric: no data here'])
  t.same([fetched.startSeconds, fetched.endSeconds, fetched.stepSeconds, fetched.stepNote], [395_200, 1_000_000, 60, null])
})

t.test('more series than the finest step fits: the step is coarsened, and the answer says so', async (t) => {
  const asked: Array<{ url: string, body: string }> = []
  const fetched = await fetchSeries('http://p', ['a', 'b'], [], { endSeconds: 10_000_000, windowSeconds: 7 * 86_400 }, { ...LIMITS, maxPoints: 100_000, fetchImpl: standIn(asked, { a: 30, b: 20 }, () => []) })
  // 50 series x 10,081 points is over 100,000: 2,000 points a series at most, a step over 302.4 s
  t.equal(fetched.stepSeconds, 360)
  t.equal(new URLSearchParams(asked[3].body).get('step'), '360')
  t.equal(fetched.stepNote, 'step coarsened from 60 s to 360 s so that 50 series fit the 100000-point budget: each point samples the series every 6m, so a peak shorter than that may be missed; narrow the matchers or shorten the window for a finer step')
})

t.test('planStep: the finest step when it fits, else the smallest whole minute that fits, else a 422 naming the limit and what fits', async (t) => {
  t.same(planStep(7 * 86_400, 8, 1_000_000), { stepSeconds: 60, finestStepSeconds: 60 })
  t.same(planStep(MAX_WINDOW_SECONDS, 92, 1_000_000), { stepSeconds: 720, finestStepSeconds: 720 }, '92 x 10,801 = 993,692: the finest fits')
  // the case: 90 days, 100 series for each of Engram's 8 metrics: 1,250 points a series at most
  const plan = planStep(MAX_WINDOW_SECONDS, 800, 1_000_000)
  t.same(plan, { stepSeconds: 6_240, finestStepSeconds: 720 })
  t.ok(800 * pointsPerSeries(MAX_WINDOW_SECONDS, 6_240) <= 1_000_000, `fits: ${800 * pointsPerSeries(MAX_WINDOW_SECONDS, 6_240)} points`)
  t.ok(800 * pointsPerSeries(MAX_WINDOW_SECONDS, 6_180) > 1_000_000, 'a minute less does not')
  t.same(planStep(MAX_WINDOW_SECONDS, 10_000, 1_000_000).stepSeconds, 77_820, 'exactly 100 points a series: the coarsest accepted')
  const refused = t.throws(() => planStep(MAX_WINDOW_SECONDS, 16_000, 1_000_000, { maxPoints: 'PROMETHEUS_MAX_POINTS' })) as unknown as PrometheusQueryError
  t.equal(refused.statusCode, 422)
  t.equal(refused.code, 'PROMETHEUS_TOO_MANY_SERIES')
  t.equal(refused.message, 'the selection has 16000 series over 90d: a calibration reads at most 1000000 points (PROMETHEUS_MAX_POINTS) and at least 100 points a series, so at most 10000 series; a step of 125460 s would fit them but leaves 62 points a series, fewer than 100: narrow the matchers to at most 10000 series')
  const none = t.throws(() => planStep(300, 2_000_000, 1_000_000)) as unknown as PrometheusQueryError
  t.match(none.message, /^the selection has 2000000 series over 5m: a calibration reads at most 1000000 points and at least 100 points a series, so at most 10000 series; no step fits them, fewer than 100/)
  t.equal(durationText(86_400 * 3), '3d')
  t.equal(durationText(7_200), '2h')
  t.equal(durationText(61), '61s')
})

t.test('one budget for all the queries: bytes and points in all; the first failure stops the others at once', async (t) => {
  // each of three metrics answers 400 points: 1,200 in all, over a budget of 1,000 that each alone is under
  const points = Array.from({ length: 400 }, (_, k) => [k * 60, '1'])
  const result = (metric: string): unknown[] => [{ metric: { __name__: metric }, values: points }]
  const tooMany = await fetchSeries('http://p', ['a', 'b', 'c'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, { ...LIMITS, maxPoints: 1_000, fetchImpl: standIn([], { a: 1, b: 1, c: 1 }, result) }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(tooMany?.code, 'PROMETHEUS_TOO_MANY_POINTS')
  t.equal(tooMany?.statusCode, 422)
  t.match(tooMany?.message, /^Prometheus's answers hold more than 1000 points in all, the most one calibration reads \(reading [abc]\)/)
  const size = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: result('a') } }).length
  const tooLong = await fetchSeries('http://p', ['a', 'b', 'c'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, { ...LIMITS, maxBytes: 2 * size + 500, fetchImpl: standIn([], { a: 1, b: 1, c: 1 }, result) }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(tooLong?.code, 'PROMETHEUS_ANSWER_TOO_LARGE', 'each answer is under the byte limit, all three are not')

  // the first query fails at once; the others wait for an answer that never comes until they are aborted
  const aborted: string[] = []
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    const form = new URLSearchParams(String(init?.body))
    if (String(url).endsWith('/api/v1/series')) return new Response(JSON.stringify({ status: 'success', data: [{}] }))
    if (form.get('query') === 'a') return new Response(JSON.stringify({ status: 'error', errorType: 'execution', error: 'out of memory' }), { status: 422 })
    return await new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => { aborted.push(form.get('query') ?? ''); reject(new DOMException('aborted', 'AbortError')) })
    })
  }) as typeof fetch
  const failed = await fetchSeries('http://p', ['a', 'b', 'c'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, { ...LIMITS, timeoutMs: 60_000, fetchImpl }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(failed?.code, 'PROMETHEUS_QUERY_FAILED', 'the first failure is the answer')
  t.equal(failed?.httpStatus, 422)
  t.same(aborted.sort(), ['b', 'c'], 'the other queries were aborted, not waited for')

  const broken = await fetchSeries('http://p', ['a'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, { ...LIMITS, fetchImpl: (async () => { throw new RangeError('a defect') }) as typeof fetch }).then(() => undefined, (error: unknown) => error)
  t.ok(broken instanceof PrometheusQueryError, 'a fetch that throws is a connection that failed')
  const defect = await fetchSeries('not a url', ['a'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, LIMITS).then(() => undefined, (error: unknown) => error)
  t.ok(defect instanceof TypeError, 'what is not Prometheus\'s failure is thrown as it is')
})

t.test('the deadline covers every call of the request, the series counts included', async (t) => {
  // the deadline's timer does not hold the process open (a CLI with its answer exits): this does, as a socket would
  const alive = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(alive) })
  const fetchImpl = (async (_url: string | URL, init?: RequestInit) => await new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => { reject(new DOMException('aborted', 'AbortError')) })
  })) as typeof fetch
  const error = await fetchSeries('http://p', ['a', 'b'], [], { endSeconds: 100_000, windowSeconds: 3_600 }, { ...LIMITS, timeoutMs: 200, settings: { timeoutMs: 'PROMETHEUS_TIMEOUT_MS' }, fetchImpl }).then(() => undefined, (error: unknown) => error as PrometheusQueryError)
  t.equal(error?.code, 'PROMETHEUS_TIMEOUT')
  t.equal(error?.statusCode, 504)
  t.equal(error?.message, 'Prometheus did not answer within 200 ms (PROMETHEUS_TIMEOUT_MS), the time allowed for all of a calibration\'s queries')
})

t.test('the inline form writes what JSON cannot carry as Prometheus does, and reads back the same', async (t) => {
  const series = [{ labels: { tier: 'hot' }, points: [[1, 2.5], [2, NaN], [3, Infinity], [4, -Infinity]] as Array<[number, number]> }]
  const inline = inlineFormOf(series)
  t.same(inline, [{ metric: { tier: 'hot' }, values: [[1, 2.5], [2, 'NaN'], [3, '+Inf'], [4, '-Inf']] }])
  t.same(parseInlineSeries(JSON.parse(JSON.stringify(inline)), 'm', 'body/series/m'), series, 'a JSON round trip and the inline parser give the series back')
})

t.test('parseEnd: unix seconds (number or text) or RFC 3339, whole seconds, within 2000 .. now + 1 day', async (t) => {
  const now = 1_736_294_400 // 2025-01-08T00:00:00Z
  t.equal(parseEnd(undefined, 'end', now + 0.9), now)
  t.equal(parseEnd(now - 0.5, 'end', now), now - 1)
  t.equal(parseEnd(' 1736294400 ', 'end', now), now)
  t.equal(parseEnd('2025-01-07T23:00:00+01:00', 'end', now), now - 7200)
  t.equal(parseEnd('2025-01-08T00:00Z', 'end', now), now)
  t.throws(() => parseEnd('2025-01-08', 'end', now), /end must be unix seconds or an RFC 3339 time/)
  t.throws(() => parseEnd(true, 'end', now), /end must be unix seconds/)
  t.throws(() => parseEnd(Number.NaN, 'end', now), /end must be unix seconds/)
  t.throws(() => parseEnd(now + 86_401, 'end', now), /end must lie between 2000-01-01 and a day from now/)
  t.equal(parseEnd(now + 86_400, 'end', now), now + 86_400, 'a day ahead is allowed (clock skew)')
})
