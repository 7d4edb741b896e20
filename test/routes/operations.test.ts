import t from 'tap'
import { buildApp } from '../../src/app.js'
import { buildMetricsServer } from '../../src/plugins/metrics.js'
import { loadConfig } from '../../src/config.js'

t.test('health, readiness, docs and the OpenAPI document', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ok' })
  app.readiness.ready = false
  const draining = await app.inject('/readyz')
  t.equal(draining.statusCode, 503)
  t.equal(draining.headers['retry-after'], '5')
  t.same(draining.json(), { statusCode: 503, error: 'Service Unavailable', code: 'SHUTTING_DOWN', message: 'shutting down' })
  t.equal((await app.inject('/healthz')).statusCode, 200, 'still alive while draining')
  t.equal((await app.inject('/estimate/engram')).statusCode, 200, 'still serving while draining')

  const docs = await app.inject('/docs')
  t.equal(docs.statusCode, 200)
  t.match(docs.body, 'Swagger UI')
  const spec = await app.inject('/openapi.json')
  t.equal(spec.statusCode, 200)
  t.equal(spec.json().openapi, '3.0.3')
  t.ok(spec.json().paths['/estimate/engram'])
})

t.test('metrics: one histogram by route template, default process metrics, own listener', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  await app.inject('/estimate/engram?expectedNodes=5')
  await app.inject({ method: 'POST', url: '/estimate/engram', payload: { activeRatio: 2 } })
  await app.inject('/no/such/route')
  const metricsServer = buildMetricsServer(app.metrics.registry)
  t.teardown(() => metricsServer.close())
  const response = await metricsServer.inject('/metrics')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain/)
  t.match(response.body, 'http_request_duration_seconds_count{method="GET",route="/estimate/engram",status_code="200"} 1')
  t.match(response.body, 'http_request_duration_seconds_count{method="POST",route="/estimate/engram",status_code="400"} 1')
  t.match(response.body, 'http_request_duration_seconds_count{method="GET",route="__unmatched__",status_code="404"} 1')
  t.notMatch(response.body, 'expectedNodes=5', 'the query string is not a label')
  t.match(response.body, 'process_cpu_user_seconds_total')
  t.match(response.body, 'nodejs_eventloop_lag_seconds')
  t.equal((await app.inject('/metrics')).statusCode, 404, 'metrics are not on the API port')
})

t.test('the configuration is applied and exposed as app.config', async (t) => {
  const app = await buildApp({ config: { ...loadConfig({}), BODY_LIMIT_BYTES: 2048 } })
  t.teardown(() => app.close())
  t.equal(app.config.BODY_LIMIT_BYTES, 2048)
  const big = await app.inject({ method: 'POST', url: '/estimate/engram', payload: { expectedNodes: 1, pad: 'x'.repeat(3000) } })
  t.equal(big.statusCode, 413)
  const small = await app.inject({ method: 'POST', url: '/estimate/engram', payload: { expectedNodes: 1 } })
  t.equal(small.statusCode, 200)
})
