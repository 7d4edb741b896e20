// BuildOptions.benchWithout, the benchmark's service without one piece of its request path: each
// piece left out is gone, and only that piece; without the option every piece is at work.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { STACK_PIECES, type StackPiece, buildApp } from '../src/app.js'

type App = Awaited<ReturnType<typeof buildApp>>

const estimate = async (app: App, headers: Record<string, string> = {}, url = '/estimate/engram') =>
  await app.inject({ method: 'POST', url, payload: {}, headers })

async function requestCount (app: App): Promise<number> {
  const { values } = await app.metrics.httpRequestDuration.get()
  return values.filter((value) => value.metricName === 'http_request_duration_seconds_count').reduce((sum, value) => sum + value.value, 0)
}

/** What a client (or the metrics registry) sees of each piece: each check is true while the piece is at work. */
const CHECKS: Record<StackPiece, (app: App) => Promise<boolean[]>> = {
  headers: async (app) => [(await estimate(app)).headers['content-security-policy'] !== undefined],
  metrics: async (app) => {
    const before = await requestCount(app)
    await estimate(app)
    return [await requestCount(app) > before]
  },
  negotiation: async (app) => {
    const text = await estimate(app, { accept: 'text/plain' })
    const yaml = await app.inject('/estimate/aurora?format=yaml')
    return [text.headers['content-type'] !== 'application/json; charset=utf-8', text.headers.vary === 'Accept', yaml.headers['content-type'] !== 'application/json; charset=utf-8']
  },
  shedding: async (app) => {
    // refused before fastify's handler, on the listener (app.inject goes straight to fastify)
    app.pressure.reason = 'heapUsedBytes'
    app.pressure.probability = 1
    try {
      const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/estimate/engram`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
      await response.text()
      return [response.status === 503]
    } finally {
      app.pressure.reason = undefined
      app.pressure.probability = 0
    }
  },
  hooks: async (app) => {
    const emptyQuery = await app.inject('/estimate/engram?expectedNodes=')
    const noBody = await app.inject({ method: 'POST', url: '/estimate/engram' })
    app.readiness.ready = false
    try {
      const draining = await estimate(app)
      return [emptyQuery.json().message === 'querystring/expectedNodes must not be empty', noBody.statusCode === 200, draining.headers.connection === 'close']
    } finally {
      app.readiness.ready = true
    }
  },
  connections: async (app) => {
    // the tracker follows the listener's connections, which app.inject does not open
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/healthz`)
    await response.text()
    return [app.connections.sockets.size > 0]
  }
}

const builds: Array<{ name: string, without: readonly StackPiece[] | undefined }> = [
  { name: 'no benchWithout (the service)', without: undefined },
  { name: 'benchWithout: []', without: [] },
  ...STACK_PIECES.map((piece) => ({ name: `without ${piece}`, without: [piece] })),
  { name: 'without every piece', without: STACK_PIECES }
]

for (const { name, without } of builds) {
  t.test(name, async (t) => {
    const app = await buildApp(without === undefined ? {} : { benchWithout: without })
    t.teardown(() => app.close())
    await app.listen({ host: '127.0.0.1', port: 0 })
    for (const piece of STACK_PIECES) {
      const present = !(without ?? []).includes(piece)
      const checks = await CHECKS[piece](app)
      t.same(checks, checks.map(() => present), `${piece} ${present ? 'at work' : 'left out'}`)
    }
  })
}

t.test('without negotiation, every format the route has answers the JSON a client with no preference gets', async (t) => {
  const [full, plain] = await Promise.all([buildApp(), buildApp({ benchWithout: ['negotiation'] })])
  t.teardown(async () => { await Promise.all([full.close(), plain.close()]) })
  for (const url of ['/estimate/engram', '/estimate/aurora']) {
    const expected = await estimate(full, {}, url)
    for (const accept of ['text/plain', 'application/yaml', 'image/png']) {
      const answer = await estimate(plain, { accept }, url)
      t.equal(answer.statusCode, 200, `${url}, Accept: ${accept}`)
      t.equal(answer.headers['content-type'], expected.headers['content-type'])
      t.equal(answer.body, expected.body)
    }
  }
  t.equal((await plain.inject('/tiers?format=yaml')).headers['content-type'], 'application/yaml; charset=utf-8', 'routes other than the estimates still negotiate')
})

t.test('without shedding, the pressure monitor is still there for /readyz', async (t) => {
  const app = await buildApp({ benchWithout: ['shedding'] })
  t.teardown(() => app.close())
  app.pressure.reason = 'eventLoopDelay'
  app.pressure.probability = 1
  t.equal((await app.inject('/readyz')).statusCode, 503)
  t.equal((await estimate(app)).statusCode, 200)
})
