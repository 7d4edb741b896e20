// The CLI's in-process app (BuildOptions.oneShot): the service's routes alone, whose every answer is
// the service's, byte for byte, with the defaults of the configuration whatever the environment says.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { ConfigSchema, loadConfig } from '../../src/config.js'
import { routeRequests } from '../helpers.js'

type App = Awaited<ReturnType<typeof buildApp>>

/** Every route's warm-up request in JSON, YAML and text, and requests the routes refuse. */
function requestsOf (app: App): Array<{ method: 'GET' | 'POST', url: string, payload?: object | string, headers?: Record<string, string> }> {
  const warmUps = routeRequests(app, [undefined, 'application/yaml', 'text/plain'])
  return [
    ...warmUps,
    { method: 'POST', url: '/estimate/engram', payload: { expectedNodez: 1 } },
    { method: 'GET', url: '/estimate/aurora?agents=-1' },
    { method: 'GET', url: '/estimate/engram?expectedNodes=' },
    { method: 'GET', url: '/tiers/huge' },
    { method: 'POST', url: '/sweep?format=csv', payload: { model: 'engram', vary: [{ input: 'expectedNodes', from: 1e6, to: 3e6, points: 3 }] } },
    { method: 'POST', url: '/estimate/aurora', payload: 'x'.repeat(1_048_577), headers: { 'content-type': 'application/json' } }
  ]
}

const answer = async (app: App, request: ReturnType<typeof requestsOf>[number]): Promise<string> => {
  const response = await app.inject(request)
  return `${request.method} ${request.url} ${JSON.stringify(request.headers ?? {})} ${response.statusCode}\n${response.body}`
}

t.test('every route answers as in the service, byte for byte', async (t) => {
  const service = await buildApp()
  const oneShot = await buildApp({ oneShot: true, lazyCompilation: true })
  t.teardown(async () => { await Promise.all([service.close(), oneShot.close()]) })
  const requests = requestsOf(oneShot)
  t.ok(requests.length > 70, `${requests.length} requests`)
  const expected = []
  const actual = []
  for (const request of requests) {
    expected.push(await answer(service, request))
    actual.push(await answer(oneShot, request))
  }
  t.same(actual, expected)
  t.match(actual.at(-1), / 413\n/, 'the default body limit')
})

t.test('only the routes: no documentation, probes, metrics, protection or worker pool', async (t) => {
  const service = await buildApp({ offload: true })
  const oneShot = await buildApp({ oneShot: true, offload: true })
  t.teardown(async () => { await Promise.all([service.close(), oneShot.close()]) })
  const urls = (app: App): string[] => [...new Set(app.routeEntries.map((route) => route.url))]
  const serviceOnly = urls(service).filter((url) => !urls(oneShot).includes(url))
  // the capacity-review page's routes are there once npm run build has written dist/web/ (plugins/page.ts)
  t.same(serviceOnly.filter((url) => !url.startsWith('/docs') && url !== '/' && !url.startsWith('/page/')), ['/openapi.json', '/healthz', '/readyz'])
  t.ok(serviceOnly.some((url) => url.startsWith('/docs')), 'Swagger UI')
  t.equal(oneShot.workerPool, undefined, 'offload is a service\'s')
  t.not(service.workerPool, undefined)
  t.same([oneShot.hasDecorator('metrics'), oneShot.hasDecorator('pressure'), oneShot.hasDecorator('connections')], [false, false, false])
  const response = await oneShot.inject({ method: 'GET', url: '/tiers' })
  t.equal(response.headers['content-security-policy'], undefined, 'no security headers: the CLI reads status and body')
  t.equal(response.statusCode, 200)
})

t.test('the configuration\'s defaults, whatever the environment sets for a service', async (t) => {
  const names = Object.keys(ConfigSchema.properties)
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]))
  t.teardown(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
  for (const name of names) delete process.env[name]
  const defaults = loadConfig({})
  Object.assign(process.env, { API_TOKEN: 'a-token-of-the-service-1234', BODY_LIMIT_BYTES: '2048', RATE_LIMIT_MAX: '1', PORT: 'not a port' })
  const app = await buildApp({ oneShot: true })
  t.teardown(() => app.close())
  t.same(app.config, defaults)
  const answers = await Promise.all([1, 2].map(async () => await app.inject({ method: 'POST', url: '/estimate/engram', payload: { opsPerSec: 6000, note: 'x'.repeat(3000) } })))
  t.same(answers.map((response) => response.statusCode), [400, 400], 'no token asked, no rate limit, the default body limit: the body is read and refused for its unknown field')
})
