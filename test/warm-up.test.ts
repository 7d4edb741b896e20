// The warm-up that runs before the service listens: one valid request per route, not counted in the
// metrics, every route reached.
import t from 'tap'
import { buildApp } from '../src/app.js'
import { warmUp, warmUpRequest } from '../src/warm-up.js'

t.test('warmUpRequest: GET as is, path parameters filled, POST with a valid body', async (t) => {
  t.same(warmUpRequest({ method: 'GET', url: '/tiers/:name' }), { method: 'GET', url: '/tiers/medium' })
  t.same(warmUpRequest({ method: 'GET', url: '/presets/engram/:name' }), { method: 'GET', url: '/presets/engram/write-heavy' })
  t.same(warmUpRequest({ method: 'GET', url: '/things/:id' }), { method: 'GET', url: '/things/id' }, 'an unknown parameter gets its own name')
  t.same(warmUpRequest({ method: 'POST', url: '/estimate/engram' }), { method: 'POST', url: '/estimate/engram', payload: {} })
  t.match(warmUpRequest({ method: 'POST', url: '/sweep' }), { payload: { model: 'engram', vary: [{ points: 3 }] } })
  const examples = new Map([['/estimate/aeterna', { memories: 5000, tenants: 2 }]])
  t.same(warmUpRequest({ method: 'GET', url: '/estimate/aeterna' }, examples), { method: 'GET', url: '/estimate/aeterna?memories=5000&tenants=2' }, 'an estimate\'s example as the query')
  t.same(warmUpRequest({ method: 'POST', url: '/estimate/aeterna' }, examples), { method: 'POST', url: '/estimate/aeterna', payload: { memories: 5000, tenants: 2 } })
  t.equal(warmUpRequest({ method: 'HEAD', url: '/tiers' }), undefined)
  t.equal(warmUpRequest({ method: 'GET', url: '/docs/*' }), undefined, 'wildcards are static files')
})

t.test('warmUp: every GET and POST route answers without a 5xx, and none of it is counted', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const statuses = new Map<string, number>()
  app.addHook('onResponse', async (request, reply) => { statuses.set(`${request.method} ${request.routeOptions.url ?? ''}`, reply.statusCode) })
  await app.ready()
  // a client request while the warm-up runs is counted; the warm-up's own are not
  const [, client] = await Promise.all([warmUp(app), app.inject('/tiers')])
  t.equal(client.statusCode, 200)
  const routes = app.routeEntries.filter((route) => warmUpRequest(route) !== undefined)
  t.ok(routes.length > 25)
  for (const route of routes) {
    t.equal(statuses.get(`${route.method} ${route.url}`), 200, `${route.method} ${route.url} answered 200`)
  }
  const metrics = await app.metrics.registry.getSingleMetricAsString('http_request_duration_seconds')
  t.same(metrics.match(/_count\{[^}]*\} \d+/g), ['_count{method="GET",route="/tiers",status_code="200"} 1'], 'no observation from the warm-up, the client\'s counted')
  const forged = await app.inject({ url: '/tiers', headers: { 'x-sizing-warm-up': 'guess' } })
  t.equal(forged.statusCode, 200)
  t.match(await app.metrics.registry.getSingleMetricAsString('http_request_duration_seconds'), 'route="/tiers",status_code="200"} 2', 'a client cannot leave itself out without the token')
  t.equal((await app.inject('/healthz')).statusCode, 200)
  t.match(await app.metrics.registry.getSingleMetricAsString('http_request_duration_seconds'), 'route="/healthz",status_code="200"} 1')
})
