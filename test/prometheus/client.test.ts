// queryRange against local stand-ins (no Prometheus needed): what it sends, and each way an answer
// can fail. The real server is in prometheus.test.ts.
import t, { type Test } from 'tap'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import { type Socket, createServer as createNetServer } from 'node:net'
import { ReadBudget, type ReadLimits } from '../../src/prometheus/budget.js'
import { PrometheusInputError, PrometheusQueryError } from '../../src/prometheus/errors.js'
import {
  DEFAULT_WINDOW_SECONDS, MAX_RANGE_INTERVALS, MAX_WINDOW_SECONDS, MIN_WINDOW_SECONDS, type QueryRangeOptions,
  countSeries, parseWindow, queryRange, stepFor
} from '../../src/prometheus/client.js'
import { freePort } from './fixture.js'

const SUCCESS = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up', job: 'engram' }, values: [[1735689600, '1']] }] } })

/** An HTTP server on a free loopback port answering with `handler`, closed (connections too) at the end of the test. */
async function serve (t: Test, handler: (request: IncomingMessage, response: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { body += chunk })
    request.on('end', () => handler(request, response, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`
}

/** A query's options, with a budget of its own made from the limits given (a 5 s deadline, 1 MB, 1 million points unless told). */
const options = (baseUrl: string, extra: Partial<QueryRangeOptions> & Partial<ReadLimits> = {}): QueryRangeOptions => {
  const { timeoutMs = 5_000, maxBytes = 1_000_000, maxPoints = 1_000_000, ...rest } = extra
  return { baseUrl, query: 'up{job="engram"}', startSeconds: 1735689600, endSeconds: 1736294400, stepSeconds: 60, budget: new ReadBudget({ timeoutMs, maxBytes, maxPoints }), ...rest }
}

/** The PrometheusQueryError queryRange rejects with (fails the test on anything else). */
async function failure (promise: Promise<unknown>): Promise<PrometheusQueryError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PrometheusQueryError) return error
    throw error
  }
  throw new Error('no error')
}

t.test('stepFor: whole minutes, at least 60 s, at most 11,000 intervals', async (t) => {
  t.equal(stepFor(DEFAULT_WINDOW_SECONDS), 60, '7 d: 604,800 / 11,000 = 55 s, up to a minute: 10,080 intervals')
  t.equal(stepFor(3_600), 60, 'short windows keep a minute')
  t.equal(stepFor(MAX_RANGE_INTERVALS * 60), 60, '11,000 minutes: exactly 11,000 intervals of 60 s')
  t.equal(stepFor(MAX_RANGE_INTERVALS * 60 + 1), 120, 'one second more: 2 minutes')
  t.equal(stepFor(MAX_WINDOW_SECONDS), 720, '90 d: 7,776,000 / 11,000 = 706.9 s, up to 12 minutes: 10,800 intervals')
  for (const window of [300, 86_400, 604_800, 2_000_000, 7_776_000]) {
    const step = stepFor(window)
    t.ok(step % 60 === 0 && window / step <= MAX_RANGE_INTERVALS && (step === 60 || window / (step - 60) > MAX_RANGE_INTERVALS), `${window} s: step ${step} s is the smallest whole minute that fits`)
  }
})

t.test('parseWindow: durations and seconds, within 5 minutes and 90 days', async (t) => {
  t.equal(parseWindow('7d', 'body/window'), 604_800)
  t.equal(parseWindow('36h', 'body/window'), 129_600)
  t.equal(parseWindow('90m', 'body/window'), 5_400)
  t.equal(parseWindow('2w', 'body/window'), 1_209_600)
  t.equal(parseWindow('600s', 'body/window'), 600)
  t.equal(parseWindow('600', 'body/window'), 600)
  t.equal(parseWindow(' 7d ', 'body/window'), 604_800, 'blanks around are ignored')
  t.equal(parseWindow(600, 'body/window'), 600)
  t.equal(parseWindow(MIN_WINDOW_SECONDS, 'w'), 300, 'the limits themselves are accepted')
  t.equal(parseWindow('90d', 'w'), MAX_WINDOW_SECONDS)
  for (const bad of ['7x', '1.5d', '7 d', '-5', 'd', '', '1d12h', 600.5, null, {}, '9999999999']) {
    const error = t.throws(() => parseWindow(bad, 'body/window')) as unknown as PrometheusInputError
    t.equal(error.message, 'body/window must be a duration such as 7d, 36h, 90m, 2w, 600s, or a whole number of seconds', JSON.stringify(bad))
  }
  t.throws(() => parseWindow('299', 'body/window'), { message: 'body/window must be between 300 s (5m) and 7776000 s (90d) (it is 299 s)', statusCode: 400 })
  t.throws(() => parseWindow(-600, 'body/window'), { message: 'body/window must be between 300 s (5m) and 7776000 s (90d) (it is -600 s)' })
  t.throws(() => parseWindow('91d', 'body/window'), { message: 'body/window must be between 300 s (5m) and 7776000 s (90d) (it is 7862400 s)' })
})

t.test('queryRange POSTs a form to <base>/api/v1/query_range and parses the matrix', async (t) => {
  let seen: { method?: string, url?: string, type?: string, accept?: string, body: string } = { body: '' }
  const url = await serve(t, (request, response, body) => {
    seen = { method: request.method, url: request.url, type: request.headers['content-type'], accept: request.headers.accept, body }
    response.setHeader('content-type', 'application/json')
    response.end(SUCCESS)
  })
  const matrix = await queryRange(options(url, { timeoutMs: 12_500 }))
  t.same(matrix, { series: [{ labels: { job: 'engram' }, points: [[1735689600, 1]] }], warnings: [] })
  t.equal(seen.method, 'POST')
  t.equal(seen.url, '/api/v1/query_range')
  t.match(seen.type, /^application\/x-www-form-urlencoded/)
  t.equal(seen.accept, 'application/json')
  t.same(Object.fromEntries(new URLSearchParams(seen.body)), { query: 'up{job="engram"}', start: '1735689600', end: '1736294400', step: '60', timeout: '12s' })
  await queryRange(options(`${url}/prometheus`, { timeoutMs: 300 }))
  t.equal(seen.url, '/prometheus/api/v1/query_range', 'a base URL with a path prefix, no trailing slash')
  t.equal(new URLSearchParams(seen.body).get('timeout'), '1s', 'Prometheus\'s timeout is at least a second')
  await queryRange(options(`${url}/prometheus/`))
  t.equal(seen.url, '/prometheus/api/v1/query_range', 'with a trailing slash')
})

t.test('unreachable: a closed port', async (t) => {
  const port = await freePort()
  const error = await failure(queryRange(options(`http://127.0.0.1:${port}`, { metric: 'engram_wal_size_bytes' })))
  t.equal(error.failure, 'unreachable')
  t.equal(error.statusCode, 502)
  t.equal(error.code, 'PROMETHEUS_UNREACHABLE')
  t.equal(error.message, 'Prometheus could not be reached for engram_wal_size_bytes (ECONNREFUSED)')
  t.equal(error.httpStatus, undefined)
})

t.test('unreachable: what fetch reports is kept (DNS, other failures)', async (t) => {
  const dns = await failure(queryRange(options('http://prometheus.invalid', { fetchImpl: async () => { throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND prometheus.invalid'), { code: 'ENOTFOUND' }) }) } })))
  t.equal(dns.message, 'Prometheus could not be reached for up{job="engram"} (ENOTFOUND)', 'the query names the call when no metric is given')
  t.ok(dns.cause instanceof TypeError, 'the original error is the cause (for the log)')
  const plain = await failure(queryRange(options('http://x', { fetchImpl: async () => { throw new Error('socket hang up') } })))
  t.equal(plain.message, 'Prometheus could not be reached for up{job="engram"} (socket hang up)')
  // eslint-disable-next-line no-throw-literal
  const odd = await failure(queryRange(options('http://x', { fetchImpl: async () => { throw 'odd' } })))
  t.equal(odd.message, 'Prometheus could not be reached for up{job="engram"} (odd)')
})

t.test('timeout: a server that accepts and never answers', async (t) => {
  const sockets: Socket[] = []
  const server = createNetServer((socket) => { sockets.push(socket) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  const started = Date.now()
  const error = await failure(queryRange(options(`http://127.0.0.1:${(server.address() as { port: number }).port}`, { timeoutMs: 400, metric: 'm' })))
  t.equal(error.failure, 'timeout')
  t.equal(error.statusCode, 504)
  t.equal(error.code, 'PROMETHEUS_TIMEOUT')
  t.equal(error.message, 'Prometheus did not answer within 400 ms, the time allowed for all of a calibration\'s queries')
  t.ok(Date.now() - started < 20_000, 'the call ends with its time limit')
  t.equal(sockets.length, 1, 'the connection was made')
})

t.test('timeout: headers sent, then the body stalls', async (t) => {
  const url = await serve(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.write('{"status":"success","data":{"resultType":"matrix","result":[')
  })
  const error = await failure(queryRange(options(url, { timeoutMs: 400, metric: 'm' })))
  t.equal(error.failure, 'timeout', 'the time limit covers the body')
})

t.test('unreachable: the connection drops in the middle of the body', async (t) => {
  const url = await serve(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.write('{"status":"success"', () => response.socket?.destroy())
  })
  const error = await failure(queryRange(options(url)))
  t.equal(error.failure, 'unreachable')
  t.match(error.message, /^Prometheus could not be reached for up\{job="engram"\} \(/)
})

t.test('too large: announced by Content-Length, or counted while streaming', async (t) => {
  let written = 0
  const big = 'x'.repeat(64 * 1024)
  const url = await serve(t, (request, response) => {
    if (request.url === '/chunked/api/v1/query_range') {
      // no Content-Length: the body is counted as it comes, and the reader stops early
      response.writeHead(200, { 'content-type': 'application/json' })
      const more = (): void => {
        while (written < 10_000_000) {
          written += big.length
          if (!response.write(big)) {
            response.once('drain', more)
            return
          }
        }
        response.end()
      }
      response.on('close', () => { written = Math.min(written, 10_000_000) })
      more()
      return
    }
    response.end(`{"status":"success","data":{"resultType":"matrix","result":[]},"pad":"${'x'.repeat(2_000)}"}`)
  })
  const announced = await failure(queryRange(options(url, { maxBytes: 1_000, metric: 'engram_cpu_utilization_percent' })))
  t.equal(announced.failure, 'too_large')
  t.equal(announced.statusCode, 502)
  t.equal(announced.code, 'PROMETHEUS_ANSWER_TOO_LARGE')
  t.equal(announced.message, 'Prometheus\'s answers are longer than 1000 bytes in all (reading engram_cpu_utilization_percent): narrow the matchers (fewer series) or shorten the window')
  t.same((await queryRange(options(url, { maxBytes: 1_000_000 }))).series, [], 'the same answer within the limit')
  const streamed = await failure(queryRange(options(`${url}/chunked`, { maxBytes: 200_000 })))
  t.equal(streamed.failure, 'too_large')
  t.ok(written < 10_000_000, `the server was stopped early (${written} bytes written)`)
})

t.test('Prometheus\'s error envelope, whatever the HTTP status', async (t) => {
  const answers: Record<string, [number, unknown]> = {
    '/400': [400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:6: parse error: unexpected character' }],
    '/422': [422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' }],
    '/503': [503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }],
    '/200': [200, { status: 'error', errorType: 'internal', error: 'odd but possible' }]
  }
  const url = await serve(t, (request, response) => {
    const [status, body] = answers[(request.url ?? '').replace('/api/v1/query_range', '')]
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  })
  const expected: Record<string, [number, string]> = { '/400': [400, 'bad_data'], '/422': [502, 'execution'], '/503': [504, 'timeout'], '/200': [502, 'internal'] }
  for (const [path, [statusCode, errorType]] of Object.entries(expected)) {
    const error = await failure(queryRange(options(`${url}${path}`, { metric: 'm' })))
    t.equal(error.failure, 'api_error', path)
    t.equal(error.errorType, errorType, path)
    t.equal(error.statusCode, statusCode, path)
    t.equal(error.httpStatus, Number(path.slice(1)), `${path}: the HTTP status is kept`)
    t.match(error.message, new RegExp(`^Prometheus refused the query for m: ${errorType}: `), path)
  }
})

t.test('answers that are not Prometheus\'s: not JSON, a bare HTTP status, the wrong shape', async (t) => {
  const url = await serve(t, (request, response) => {
    const path = (request.url ?? '').replace('/api/v1/query_range', '')
    if (path === '/html') {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<html>login</html>')
    } else if (path === '/untyped') {
      response.end('not json')
    } else if (path === '/502') {
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end('<html>Bad Gateway from 10.0.0.7</html>')
    } else if (path === '/404') {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end('{"message":"no route"}')
    } else {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"status":"success","data":{"resultType":"vector","result":[]}}')
    }
  })
  const html = await failure(queryRange(options(`${url}/html`, { metric: 'm' })))
  t.equal(html.failure, 'not_json')
  t.equal(html.statusCode, 502)
  t.equal(html.code, 'PROMETHEUS_NOT_JSON')
  t.equal(html.message, 'Prometheus\'s answer for m (HTTP 200, text/html) is not JSON')
  t.equal(html.httpStatus, 200)
  t.equal((await failure(queryRange(options(`${url}/untyped`, { metric: 'm' })))).message, 'Prometheus\'s answer for m (HTTP 200, no content type) is not JSON')
  const gateway = await failure(queryRange(options(`${url}/502`, { metric: 'm' })))
  t.equal(gateway.failure, 'http_status')
  t.equal(gateway.code, 'PROMETHEUS_HTTP_STATUS')
  t.equal(gateway.statusCode, 502)
  t.equal(gateway.httpStatus, 502)
  t.equal(gateway.message, 'Prometheus answered HTTP 502 for m, without its error envelope', 'the body is not repeated')
  const notFound = await failure(queryRange(options(`${url}/404`, { metric: 'm' })))
  t.equal(notFound.failure, 'http_status', 'JSON, but not the envelope')
  t.equal(notFound.httpStatus, 404)
  const vector = await failure(queryRange(options(`${url}/vector`, { metric: 'm' })))
  t.equal(vector.failure, 'bad_response')
  t.equal(vector.message, 'Prometheus\'s answer for m is not a query_range matrix: resultType is "vector", not "matrix"')
})

t.test('answers without a body', async (t) => {
  const empty = await failure(queryRange(options('http://x', { fetchImpl: async () => new Response(null, { status: 204 }) })))
  t.equal(empty.failure, 'not_json')
  const announced = await failure(queryRange(options('http://x', { maxBytes: 10, fetchImpl: async () => new Response(null, { status: 200, headers: { 'content-length': '11' } }) })))
  t.equal(announced.failure, 'too_large')
  const compressed = await queryRange(options('http://x', { maxBytes: 500, fetchImpl: async () => new Response(SUCCESS, { status: 200, headers: { 'content-length': '1000', 'content-encoding': 'gzip' } }) }))
  t.equal(compressed.series.length, 1, 'a compressed answer\'s length is not the decoded length: the decoded bytes are counted instead')
})

t.test('a redirect is not followed: the query never reaches the other host, nor its answer the client', async (t) => {
  let reached = 0
  const other = await serve(t, (_request, response) => { reached++; response.end('secret page of another host') })
  for (const status of [301, 302, 307, 308]) {
    const base = await serve(t, (_request, response) => { response.writeHead(status, { location: `${other}/api/v1/query_range` }); response.end('moved') })
    const error = await failure(queryRange(options(base)))
    t.equal(error.failure, 'http_status')
    t.equal(error.httpStatus, status)
    t.match(error.message, `Prometheus answered a redirect (HTTP ${status})`)
    t.notMatch(error.message, 'secret')
    const counting = await failure(countSeries({ baseUrl: base, selector: 'up', metric: 'up', startSeconds: 0, endSeconds: 600, budget: options(base).budget }))
    t.match(counting.message, `Prometheus answered a redirect (HTTP ${status}) for the series of up`, 'the series count neither')
  }
  t.equal(reached, 0, 'the other host was never asked')
})
