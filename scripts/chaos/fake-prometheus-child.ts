// A hostile (and one honest) Prometheus for the "prometheus" part, in a process of its own so that
// building 20 MB answers never reads as the service's latency. One server, a behaviour per path
// prefix (PROMETHEUS_URL=http://127.0.0.1:<port>/<mode>/):
//   honest/    query_range honoured (start, end, step), SERIES series a metric; /api/v1/series lists
//              them (the service counts them to choose its step; /api/v1/query count(...) answered too)
//   million/   10^6 points a query: 100 series of 10,000 points, whatever the step (about 20 MB)
//   series/    20,000 series of 10 points
//   trickle/   a 200 whose JSON comes a byte every 100 ms, never ending
//   redirect/  a 307 to another host (127.0.0.2), whose answer carries a text a client must never see
//   nonjson/   a 200 of HTML
// GET /hits says how often the other host was asked. Prints "port <n>" once listening.
// Run: node --import tsx scripts/chaos/fake-prometheus-child.ts <seriesPerMetric>
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

const SERIES = Number(process.argv[2] ?? 100)
const MILLION_SERIES = 100
const MILLION_POINTS = 10_000
const MANY_SERIES = 20_000
const MANY_SERIES_POINTS = 10
const OTHER_HOST_TEXT = 'OTHER-HOST-SECRET-TEXT'

const cache = new Map<string, Buffer>()

/** A query_range matrix: `series` series of `points` points from `start` by `step`, values 40-70 (percent-like). */
function matrix (series: number, points: number, start: number, step: number): Buffer {
  const key = `${series}/${points}/${start}/${step}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const parts: string[] = []
  for (let s = 0; s < series; s++) {
    const values: string[] = []
    for (let i = 0; i < points; i++) values.push(`[${start + i * step},"${(40 + ((s * 7 + i) % 300) / 10).toFixed(1)}"]`)
    parts.push(`{"metric":{"job":"aeterna","instance":"aeterna-${s}"},"values":[${values.join(',')}]}`)
  }
  const body = Buffer.from(`{"status":"success","data":{"resultType":"matrix","result":[${parts.join(',')}]}}`)
  cache.clear() // one answer kept: a run asks the same window for every metric
  cache.set(key, body)
  return body
}

async function form (request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const url = new URL(request.url ?? '/', 'http://fake')
  const params = new URLSearchParams(Buffer.concat(chunks).toString())
  for (const [name, value] of url.searchParams) params.append(name, value)
  return params
}

let otherHostHits = 0

const json = (response: ServerResponse, status: number, body: Buffer | string): void => {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

const server = createServer((request, response) => {
  answer(request, response).catch((error: Error) => response.destroy(error))
})

async function answer (request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake')
  const [, mode, ...rest] = url.pathname.split('/')
  const api = rest.join('/')
  const params = await form(request)
  const start = Number(params.get('start') ?? 0)
  const end = Number(params.get('end') ?? 0)
  const step = Number(params.get('step') ?? 60)
  if (mode === 'hits') return json(response, 200, String(otherHostHits))
  if (mode === 'other') {
    otherHostHits++
    return json(response, 400, JSON.stringify({ status: 'error', errorType: 'bad_data', error: OTHER_HOST_TEXT }))
  }
  if (api === 'api/v1/query') {
    // count(...) of a metric: the series there are (honest), as Prometheus answers an instant vector
    const howMany = mode === 'million' ? MILLION_SERIES : mode === 'series' ? MANY_SERIES : SERIES
    return json(response, 200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [end || Date.now() / 1000, String(howMany)] }] } }))
  }
  // /api/v1/series: the labels of each series there is (the service counts them to choose its step,
  // src/prometheus/client.ts countSeries); the hostile modes answer it as they answer query_range
  const listed = mode === 'million' ? MILLION_SERIES : mode === 'series' ? MANY_SERIES : mode === 'honest' ? SERIES : undefined
  if (api === 'api/v1/series' && listed !== undefined) {
    const name = params.get('match[]')?.split('{')[0] ?? 'metric'
    return json(response, 200, JSON.stringify({ status: 'success', data: Array.from({ length: listed }, (_, s) => ({ __name__: name, job: 'aeterna', instance: `aeterna-${s}` })) }))
  }
  if (api !== 'api/v1/query_range' && api !== 'api/v1/series') return json(response, 404, JSON.stringify({ status: 'error', errorType: 'not_found', error: `no ${api}` }))
  switch (mode) {
    case 'honest': return json(response, 200, matrix(SERIES, Math.floor((end - start) / step) + 1, start, step))
    case 'million': return json(response, 200, matrix(MILLION_SERIES, MILLION_POINTS, start, step))
    case 'series': return json(response, 200, matrix(MANY_SERIES, MANY_SERIES_POINTS, start, step))
    case 'redirect': {
      const port = (server.address() as { port: number }).port
      response.writeHead(307, { location: `http://127.0.0.2:${port}/other/api/v1/query_range` })
      response.end(`see the other host ${OTHER_HOST_TEXT}`)
      return
    }
    case 'nonjson':
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(`<html><body>${'not prometheus '.repeat(100)}</body></html>`)
      return
    case 'trickle': {
      response.writeHead(200, { 'content-type': 'application/json' })
      const text = matrix(1, 1000, start, step).toString()
      let at = 0
      const timer = setInterval(() => { response.write(text[at++ % text.length]) }, 100)
      response.on('close', () => clearInterval(timer))
      return
    }
    default: return json(response, 404, JSON.stringify({ status: 'error', errorType: 'not_found', error: `no mode ${mode}` }))
  }
}

// 0.0.0.0: the "other host" of the redirect is 127.0.0.2, the same process
server.listen(0, '0.0.0.0')
await once(server, 'listening')
process.stdout.write(`port ${(server.address() as { port: number }).port}\n`)
// the suite gone (its end of stdin closed): stop
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
