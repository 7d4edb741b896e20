// A stand-in Prometheus for the calibration budget's tests (issue 29, point 1): /api/v1/series and
// /api/v1/query_range over series whose values are functions of time, generated at the step asked
// (or, to play a Prometheus that ignores it, every minute), written as a stream with backpressure so
// an answer of millions of points never sits in the test's memory. It records what it was asked and
// whether each answer was finished or cut off by the client.
import type { Test } from 'tap'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'

export interface FakeSeries {
  labels: Record<string, string>
  /** The value at t (unix seconds). */
  valueAt: (t: number) => number
}

export interface FakePrometheusOptions {
  /** The series of each metric, by metric name. */
  series: Record<string, FakeSeries[]>
  /** Answer every minute whatever step is asked (a Prometheus ignoring the step, or a much larger one). */
  ignoreStep?: boolean
}

export interface FakeCall {
  path: string
  form: Record<string, string>
  /** true when the whole answer was written; false when the client went away first; undefined while writing. */
  finished?: boolean
}

export interface FakePrometheus {
  url: string
  calls: FakeCall[]
}

/** The metric a selector the service builds names: `metric{...}` or the bare name. */
const metricOf = (selector: string): string => selector.split('{')[0]

/** Writes `parts` one after the other, waiting for drain; resolves false when the client went away. */
async function stream (response: ServerResponse, parts: Iterable<string>): Promise<boolean> {
  for (const part of parts) {
    if (response.destroyed) return false
    if (!response.write(part)) {
      const drained = await new Promise<boolean>((resolve) => {
        const done = (drainedNow: boolean) => (): void => {
          response.off('drain', onDrain)
          response.off('close', onClose)
          resolve(drainedNow)
        }
        const onDrain = done(true)
        const onClose = done(false)
        response.once('drain', onDrain)
        response.once('close', onClose)
      })
      if (!drained) return false
    }
  }
  response.end()
  return !response.destroyed
}

/** A query_range answer, a series at a time: the values at start + k * step up to end. */
function * matrixParts (metric: string, series: FakeSeries[], start: number, end: number, step: number): Generator<string> {
  yield '{"status":"success","data":{"resultType":"matrix","result":['
  for (const [index, { labels, valueAt }] of series.entries()) {
    const values: string[] = []
    for (let t = start; t <= end; t += step) values.push(`[${t},"${String(valueAt(t))}"]`)
    yield `${index === 0 ? '' : ','}{"metric":${JSON.stringify({ __name__: metric, ...labels })},"values":[${values.join(',')}]}`
  }
  yield ']}}'
}

async function answer (options: FakePrometheusOptions, request: IncomingMessage, response: ServerResponse, body: string): Promise<boolean> {
  const form = Object.fromEntries(new URLSearchParams(body))
  response.setHeader('content-type', 'application/json')
  if (request.url === '/api/v1/series') {
    const metric = metricOf(form['match[]'])
    const data = (options.series[metric] ?? []).map(({ labels }) => ({ __name__: metric, ...labels }))
    return await stream(response, [JSON.stringify({ status: 'success', data })])
  }
  const metric = metricOf(form.query)
  const step = options.ignoreStep === true ? 60 : Number(form.step)
  return await stream(response, matrixParts(metric, options.series[metric] ?? [], Number(form.start), Number(form.end), step))
}

/** The stand-in on a free loopback port, closed (connections too) at the end of the test. */
export async function fakePrometheus (t: Test, options: FakePrometheusOptions): Promise<FakePrometheus> {
  const calls: FakeCall[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { body += chunk })
    request.on('end', () => {
      const call: FakeCall = { path: request.url ?? '', form: Object.fromEntries(new URLSearchParams(body)) }
      calls.push(call)
      answer(options, request, response, body).then((finished) => { call.finished = finished }, () => {})
    })
  })
  // idle connections kept as Prometheus keeps them (Go's server: --web.read-timeout, 5 minutes), not
  // Node's 5 s: a client whose event loop was busy longer could reuse a connection closed meanwhile
  server.keepAliveTimeout = 300_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, calls }
}

/** Waits (30 s at most) until every call has ended, finished or cut off: the server learns of a client gone a moment after it went. */
export async function settled (fake: FakePrometheus): Promise<void> {
  for (let i = 0; i < 1200 && fake.calls.some((call) => call.finished === undefined); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
