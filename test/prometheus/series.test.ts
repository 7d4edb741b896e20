import t from 'tap'
import { PrometheusInputError, PrometheusQueryError, foreignText, MAX_FOREIGN_MESSAGE_CHARS } from '../../src/prometheus/errors.js'
import { MAX_INLINE_POINTS, MAX_INLINE_SERIES, MAX_TIMESTAMP_SECONDS, parseInlineSeries, parseMatrix, parseSampleValue } from '../../src/prometheus/series.js'

/** The error fn throws, checked to be of this class. */
function thrown<E extends Error> (fn: () => unknown, kind: new (...args: never[]) => E): E {
  try {
    fn()
  } catch (error) {
    if (error instanceof kind) return error
    throw error
  }
  throw new Error('no error')
}

const matrix = (result: unknown, extra: Record<string, unknown> = {}): unknown => ({ status: 'success', data: { resultType: 'matrix', result }, ...extra })

t.test('parseSampleValue: Prometheus\'s value strings, the three special ones mapped explicitly', async (t) => {
  t.ok(Number.isNaN(parseSampleValue('NaN')))
  t.equal(parseSampleValue('+Inf'), Infinity, 'Number("+Inf") would be NaN')
  t.equal(parseSampleValue('-Inf'), -Infinity)
  t.equal(parseSampleValue('12.5'), 12.5)
  t.equal(parseSampleValue('-0.25'), -0.25)
  t.equal(parseSampleValue('1e+21'), 1e21, 'Go writes large values with an exponent')
  t.equal(parseSampleValue('6.02E-3'), 0.00602)
  t.equal(parseSampleValue('.5'), 0.5)
  t.equal(parseSampleValue('7.'), 7)
  t.equal(parseSampleValue('702545920'), 702545920)
  for (const bad of ['', ' 1', '1 ', '0x10', 'Infinity', 'inf', 'nan', '1e999', '1,5', 'abc', '.', '+', '1e']) t.equal(parseSampleValue(bad), undefined, JSON.stringify(bad))
})

t.test('parseMatrix: series with labels (no __name__), values as numbers, Prometheus\'s warnings', async (t) => {
  const answer = matrix([
    { metric: { __name__: 'engram_wal_size_bytes', job: 'engram', instance: 'engram-0' }, values: [[1735689600, '4294967296'], [1735689660, 'NaN'], [1735689720.5, '+Inf'], [1735689780, '-Inf']] },
    { metric: {}, values: [] }
  ], { warnings: ['a warning', 7, 'line\nbreak'] })
  const { series, warnings } = parseMatrix(answer, 'engram_wal_size_bytes')
  t.same(series[0].labels, { job: 'engram', instance: 'engram-0' })
  t.same(series[0].points.map(([ts]) => ts), [1735689600, 1735689660, 1735689720.5, 1735689780])
  t.same(series[0].points.map(([, v]) => v), [4294967296, NaN, Infinity, -Infinity])
  t.ok(Number.isNaN(series[0].points[1][1]))
  t.same(series[1], { labels: {}, points: [] })
  t.same(warnings, ['a warning', 'line break'], 'strings only, on one line')
  t.same(parseMatrix(matrix([]), 'm'), { series: [], warnings: [] }, 'no match: no series (a missing metric looks the same)')
  t.same(parseMatrix(matrix([], { warnings: 'not an array' }), 'm').warnings, [])
})

t.test('parseMatrix: the error envelope', async (t) => {
  const error = thrown(() => parseMatrix({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:20: parse error', warnings: [] }, 'engram_cpu_utilization_percent'), PrometheusQueryError)
  t.equal(error.failure, 'api_error')
  t.equal(error.errorType, 'bad_data')
  t.equal(error.statusCode, 400, 'bad_data: the request (its regex) is at fault')
  t.equal(error.code, 'PROMETHEUS_QUERY_FAILED')
  t.equal(error.message, 'Prometheus refused the query for engram_cpu_utilization_percent: bad_data: invalid parameter "query": 1:20: parse error')
  t.equal(error.httpStatus, undefined)
  const other = thrown(() => parseMatrix({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' }, 'm'), PrometheusQueryError)
  t.equal(other.statusCode, 502)
  const timeout = thrown(() => parseMatrix({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }, 'm'), PrometheusQueryError)
  t.equal(timeout.statusCode, 504, 'Prometheus\'s own timeout is a timeout')
  const bare = thrown(() => parseMatrix({ status: 'error' }, 'm'), PrometheusQueryError)
  t.equal(bare.message, 'Prometheus refused the query for m: unknown: (no message)')
  t.equal(bare.errorType, 'unknown')
  const long = thrown(() => parseMatrix({ status: 'error', errorType: 'internal', error: 'x'.repeat(1000) }, 'm'), PrometheusQueryError)
  t.ok(long.message.endsWith(`${'x'.repeat(MAX_FOREIGN_MESSAGE_CHARS)}...`), 'a long message is cut')
  t.equal(foreignText(' a\n\tb  '), 'a b')
})

t.test('parseMatrix: anything else is a bad response naming the metric', async (t) => {
  const cases: Array<[unknown, string]> = [
    [null, 'not a JSON object'],
    [[1], 'not a JSON object'],
    ['ok', 'not a JSON object'],
    [{ status: 'ok' }, 'status is neither "success" nor "error"'],
    [{ status: 'success' }, 'no data object'],
    [{ status: 'success', data: { resultType: 'vector', result: [] } }, 'resultType is "vector", not "matrix"'],
    [{ status: 'success', data: { result: [] } }, 'resultType is undefined, not "matrix"'],
    [{ status: 'success', data: { resultType: 'matrix', result: {} } }, 'data.result is not an array'],
    [matrix([7]), 'series 0 is not an object'],
    [matrix([{ values: [] }]), 'series 0: metric is not an object of strings'],
    [matrix([{ metric: { a: 1 }, values: [] }]), 'series 0: metric is not an object of strings'],
    [matrix([{ metric: {} }]), 'series 0: values is not an array'],
    [matrix([{ metric: {}, values: [[1, '1'], [2]] }]), 'series 0, point 1 is not a [timestamp, value] pair'],
    [matrix([{ metric: {}, values: ['1'] }]), 'series 0, point 0 is not a [timestamp, value] pair'],
    [matrix([{ metric: {}, values: [['1', '1']] }]), 'series 0, point 0: timestamp "1" is not a number'],
    [matrix([{ metric: {}, values: [[Infinity, '1']] }]), 'series 0, point 0: timestamp null is not a number'],
    [matrix([{ metric: {}, values: [[1, 'twelve']] }]), 'series 0, point 0: value "twelve" is not a number'],
    [matrix([{ metric: {}, values: [[1, 12]] }]), 'series 0, point 0: value 12 is not a number']
  ]
  for (const [json, what] of cases) {
    const error = thrown(() => parseMatrix(json, 'engram_wal_size_bytes'), PrometheusQueryError)
    t.equal(error.message, `Prometheus's answer for engram_wal_size_bytes is not a query_range matrix: ${what}`, what)
    t.equal(error.failure, 'bad_response')
    t.equal(error.statusCode, 502)
    t.equal(error.code, 'PROMETHEUS_BAD_RESPONSE')
  }
})

t.test('parseInlineSeries: the query_range result pasted in a body', async (t) => {
  const series = parseInlineSeries([
    { metric: { __name__: 'engram_wal_size_bytes', instance: 'engram-0' }, values: [[1735689600, '4294967296'], [1735689660, 4.5], [1735689720, 'NaN'], [1735689780, '+Inf']] },
    { values: [[0, -1]] },
    { metric: { instance: 'engram-1' }, values: [] }
  ], 'engram_wal_size_bytes', 'body/series/engram_wal_size_bytes')
  t.same(series[0].labels, { instance: 'engram-0' }, '__name__ dropped')
  t.same(series[0].points, [[1735689600, 4294967296], [1735689660, 4.5], [1735689720, NaN], [1735689780, Infinity]])
  t.same(series[1], { labels: {}, points: [[0, -1]] }, 'metric may be left out')
  t.same(series[2], { labels: { instance: 'engram-1' }, points: [] })
  t.same(parseInlineSeries([], 'm', 'f'), [])
  const longest = Array.from({ length: MAX_INLINE_POINTS }, (_, k) => [1735689600 + 60 * k, '1'])
  t.equal(parseInlineSeries([{ values: longest }], 'm', 'f')[0].points.length, MAX_INLINE_POINTS, 'the point limit itself is accepted')
  t.equal(parseInlineSeries(Array.from({ length: MAX_INLINE_SERIES }, (_, i) => ({ metric: { core: String(i) }, values: [] })), 'm', 'f').length, MAX_INLINE_SERIES, 'the series limit itself is accepted')
})

t.test('parseInlineSeries: every error names its field and rule', async (t) => {
  const f = 'body/series/m'
  const s = (values: unknown, metric: unknown = {}): unknown => [{ metric, values }]
  const cases: Array<[unknown, string]> = [
    [{}, `${f} must be an array of series ({metric, values}) as query_range answers them`],
    [Array.from({ length: MAX_INLINE_SERIES + 1 }, () => ({ values: [] })), `${f} must have at most ${MAX_INLINE_SERIES} series (it has ${MAX_INLINE_SERIES + 1})`],
    [[null], `${f}/0 must be an object {metric, values}`],
    [[[]], `${f}/0 must be an object {metric, values}`],
    [[{ values: [], value: [1, '1'] }], `${f}/0/value is not a known field (a series has metric and values)`],
    [s([], 'm'), `${f}/0/metric must be an object of label names to string values`],
    [s([], { instance: 1 }), `${f}/0/metric must be an object of label names to string values`],
    [s([], { __name__: 'other' }), `${f}/0/metric/__name__ must be m (this series is "other")`],
    [s([], { 'bad-label': 'x' }), `${f}/0/metric label "bad-label" must match ^[a-zA-Z_][a-zA-Z0-9_]*$`],
    [[{ metric: { a: '1', b: '2' }, values: [] }, { metric: { b: '2', a: '1', __name__: 'm' }, values: [] }], `${f}/1/metric must differ from series 0's labels (each series once)`],
    [[{ values: [] }, { metric: { a: '1' }, values: [] }, { metric: {}, values: [] }], `${f}/2/metric must differ from series 0's labels (each series once)`],
    [s(undefined), `${f}/0/values must be an array of [unix seconds, value] pairs`],
    [s(Array.from({ length: MAX_INLINE_POINTS + 1 }, (_, k) => [k, '1'])), `${f}/0/values must have at most ${MAX_INLINE_POINTS} points (it has ${MAX_INLINE_POINTS + 1}; 7 days at a 60 s step is 10081)`],
    [s([[1, '1'], 2]), `${f}/0/values/1 must be a [unix seconds, value] pair`],
    [s([[1, '1', 2]]), `${f}/0/values/0 must be a [unix seconds, value] pair`],
    [s([['1', '1']]), `${f}/0/values/0/0 must be a timestamp in unix seconds (a number >= 0)`],
    [s([[-1, '1']]), `${f}/0/values/0/0 must be a timestamp in unix seconds (a number >= 0)`],
    [s([[1735689600000, '1']]), `${f}/0/values/0/0 must be in seconds, not milliseconds (<= ${MAX_TIMESTAMP_SECONDS})`],
    [s([[2, '1'], [1, '1']]), `${f}/0/values/1/0 must be after the previous point's timestamp 2 (points in time order, no repeats)`],
    [s([[2, '1'], [2, '1']]), `${f}/0/values/1/0 must be after the previous point's timestamp 2 (points in time order, no repeats)`],
    [s([[1, 'x']]), `${f}/0/values/0/1 must be a number or a string holding one ("12.5", "NaN", "+Inf", "-Inf")`],
    [s([[1, null]]), `${f}/0/values/0/1 must be a number or a string holding one ("12.5", "NaN", "+Inf", "-Inf")`],
    [s([[1, '0x10']]), `${f}/0/values/0/1 must be a number or a string holding one ("12.5", "NaN", "+Inf", "-Inf")`]
  ]
  for (const [input, message] of cases) {
    const error = thrown(() => parseInlineSeries(input, 'm', f), PrometheusInputError)
    t.equal(error.message, message)
    t.equal(error.statusCode, 400)
  }
  t.equal(thrown(() => parseInlineSeries([{ metric: { instance: 'x' }, values: [[1, '1']] }, { values: [[1, 'y']] }], 'm', f), PrometheusInputError).field, `${f}/1/values/0/1`, 'the index of the series')
})
