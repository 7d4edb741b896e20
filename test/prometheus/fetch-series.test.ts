// fetchSeries (the routes' and the CLI's one way to read Prometheus), parseEnd and the inline form,
// against a stand-in fetch; the real server is in prometheus.test.ts and test/routes/calibrate.test.ts.
import t from 'tap'
import { fetchSeries, inlineFormOf, parseEnd, windowStart } from '../../src/prometheus/fetch-series.js'
import { parseInlineSeries } from '../../src/prometheus/series.js'

t.test('one query per metric, the step from the window, the answers by metric, Prometheus\'s warnings kept', async (t) => {
  const asked: Array<{ url: string, body: string }> = []
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    asked.push({ url: String(url), body: String(init?.body) })
    const query = new URLSearchParams(String(init?.body)).get('query') ?? ''
    const result = query.startsWith('a_metric') ? [{ metric: { __name__: 'a_metric', core: '0' }, values: [[100, '1'], [160, 'NaN']] }] : []
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result }, ...(result.length === 0 ? { warnings: ['no data here'] } : {}) }), { headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  const window = { endSeconds: 1_000_000, windowSeconds: 7 * 86_400 }
  const fetched = await fetchSeries('http://prometheus.example:9090', ['a_metric', 'b_metric'], [{ name: 'job', op: '=', value: 'x' }], window, { timeoutMs: 1000, maxBytes: 1 << 20, fetchImpl })
  t.equal(asked.length, 2)
  t.same(asked.map(({ body }) => Object.fromEntries(new URLSearchParams(body))).map(({ query, start, end, step }) => [query, start, end, step]), [
    ['a_metric{job="x"}', String(1_000_000 - 604_800), '1000000', '60'],
    ['b_metric{job="x"}', String(1_000_000 - 604_800), '1000000', '60']
  ])
  t.equal(windowStart(window), 395_200)
  t.same(fetched.series.a_metric, [{ labels: { core: '0' }, points: [[100, 1], [160, NaN]] }])
  t.same(fetched.series.b_metric, [])
  t.same(fetched.queries, [{ metric: 'a_metric', query: 'a_metric{job="x"}', series: 1 }, { metric: 'b_metric', query: 'b_metric{job="x"}', series: 0 }])
  t.same(fetched.warnings, ['b_metric: no data here'])
  t.same([fetched.startSeconds, fetched.endSeconds, fetched.stepSeconds], [395_200, 1_000_000, 60])
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
