// The calibration's read budget (issue 29, point 1): the point counter that reads answers as they
// stream in, and the budget's shared counts, first failure and deadline.
import t from 'tap'
import { PointCounter, ReadBudget } from '../../src/prometheus/budget.js'
import { countSeries } from '../../src/prometheus/client.js'
import { PrometheusQueryError } from '../../src/prometheus/errors.js'

const MATRIX = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      // brackets, braces, quotes and backslashes inside label values are not structure
      { metric: { __name__: 'm', odd: '[{"x"}]\\', other: 'a\\"[b' }, values: [[1, '1'], [2, 'NaN'], [3, '+Inf']] },
      { metric: {}, values: [[1, '2']] },
      { metric: { empty: '' }, values: [] }
    ]
  },
  warnings: ['[a] {warning}', 'another']
})

t.test('PointCounter: the points of a query_range answer, however its bytes are cut', async (t) => {
  const bytes = Buffer.from(MATRIX)
  t.equal(new PointCounter().count(bytes), 4, 'in one chunk')
  for (const size of [1, 2, 3, 7, 64]) {
    const counter = new PointCounter()
    let points = 0
    for (let i = 0; i < bytes.length; i += size) points += counter.count(bytes.subarray(i, i + size))
    t.equal(points, 4, `in chunks of ${size} bytes (a string or an escape cut in two)`)
  }
  const deeper = Buffer.from('{"data":{"result":[{"values":[[[1,"1"]],{"a":{}}]}]}}')
  t.equal(new PointCounter().count(deeper), 4, 'whatever is nested at a point\'s depth or deeper counts: an answer of another shape is never under-counted')
  t.equal(new PointCounter().count(Buffer.from('{"status":"success","data":[{"a":"b"},{"c":"d"}]}')), 0, 'a series list holds no points')
})

t.test('ReadBudget: counts shared by every call, the first failure kept, the deadline', async (t) => {
  const budget = new ReadBudget({ timeoutMs: 60_000, maxBytes: 100, maxPoints: 10, settings: { maxBytes: 'MAX_B', maxPoints: 'MAX_P' } }, 1_000)
  t.equal(budget.remainingMs(31_000), 30_000)
  t.equal(budget.remainingMs(100_000), 0, 'never negative')
  budget.chargeBytes(60, 'a')
  budget.chargePoints(6, 'a')
  t.notOk(budget.signal.aborted)
  t.throws(() => { budget.chargeBytes(41, 'b') }, { code: 'PROMETHEUS_ANSWER_TOO_LARGE', message: 'Prometheus\'s answers are longer than 100 bytes in all (MAX_B) (reading b): narrow the matchers (fewer series) or shorten the window' })
  t.ok(budget.signal.aborted, 'every other call is aborted')
  t.throws(() => { budget.chargePoints(5, 'c') }, { code: 'PROMETHEUS_ANSWER_TOO_LARGE' }, 'a later failure: the request still fails with the first')
  t.equal(budget.failure?.code, 'PROMETHEUS_ANSWER_TOO_LARGE')
  budget.end()

  const points = new ReadBudget({ timeoutMs: 60_000, maxBytes: 100, maxPoints: 10 })
  t.throws(() => { points.chargePoints(11, 'm') }, { code: 'PROMETHEUS_TOO_MANY_POINTS', statusCode: 422, message: /^Prometheus's answers hold more than 10 points in all, the most one calibration reads \(reading m\)/ })
  points.end()

  const alive = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(alive) })
  const late = new ReadBudget({ timeoutMs: 50, maxBytes: 100, maxPoints: 10 })
  await new Promise((resolve) => late.signal.addEventListener('abort', resolve))
  t.equal(late.failure?.code, 'PROMETHEUS_TIMEOUT')
  t.equal(late.failure?.statusCode, 504)
  t.equal(late.failure?.message, 'Prometheus did not answer within 50 ms, the time allowed for all of a calibration\'s queries')
})

t.test('countSeries: the length of /api/v1/series\'s list; the envelope checked as query_range\'s', async (t) => {
  const budget = (): ReadBudget => new ReadBudget({ timeoutMs: 5_000, maxBytes: 1_000, maxPoints: 1 })
  const answering = (status: number, body: unknown): typeof fetch => (async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })) as typeof fetch
  const count = async (fetchImpl: typeof fetch, maxBytes = 1_000): Promise<number | PrometheusQueryError> => await countSeries({ baseUrl: 'http://p', selector: 'm{a="b"}', metric: 'm', startSeconds: 0, endSeconds: 600, budget: maxBytes === 1_000 ? budget() : new ReadBudget({ timeoutMs: 5_000, maxBytes, maxPoints: 1 }), fetchImpl })
    .catch((error: PrometheusQueryError) => error)
  t.equal(await count(answering(200, { status: 'success', data: [{ a: 'b' }, { a: 'b', c: 'd' }] })), 2, 'points are not counted in a series list (the budget allows 1)')
  t.equal(await count(answering(200, { status: 'success', data: [] })), 0)
  const refused = await count(answering(400, { status: 'error', errorType: 'bad_data', error: 'invalid regex' })) as PrometheusQueryError
  t.equal(refused.statusCode, 400)
  t.equal(refused.httpStatus, 400)
  t.equal(refused.message, 'Prometheus refused to list the series of m: bad_data: invalid regex')
  const noMessage = await count(answering(500, { status: 'error' })) as PrometheusQueryError
  t.equal(noMessage.message, 'Prometheus refused to list the series of m: unknown: (no message)')
  for (const [body, reason] of [['[]', 'not a JSON object'], [{ status: 'odd' }, 'status is neither "success" nor "error"'], [{ status: 'success', data: {} }, 'data is not an array']] as const) {
    const bad = await count(answering(200, body)) as PrometheusQueryError
    t.equal(bad.code, 'PROMETHEUS_BAD_RESPONSE')
    t.equal(bad.message, `Prometheus's answer for m is not a series list: ${reason}`)
  }
  const long = await count(answering(200, { status: 'success', data: Array(100).fill({ instance: 'engram-0' }) }), 500) as PrometheusQueryError
  t.equal(long.code, 'PROMETHEUS_ANSWER_TOO_LARGE', 'a series list is charged to the byte budget too')
  t.match(long.message, '(reading the series of m)')
  let form: URLSearchParams | undefined
  let where = ''
  await countSeries({ baseUrl: 'http://p/prom/', selector: 'm{a="b"}', metric: 'm', startSeconds: 10, endSeconds: 600, budget: budget(), fetchImpl: (async (url: string | URL, init?: RequestInit) => { where = String(url); form = init?.body as URLSearchParams; return new Response('{"status":"success","data":[]}') }) as typeof fetch })
  t.equal(where, 'http://p/prom/api/v1/series')
  t.same(Object.fromEntries(form ?? []), { 'match[]': 'm{a="b"}', start: '10', end: '600', timeout: '5s' }, 'POSTed as a form, Prometheus\'s own timeout the time left')
})
