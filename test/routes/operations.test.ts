import { readFileSync } from 'node:fs'
import t from 'tap'
import { TOOL_PATHS, missingTools } from '../tools.js'
import { buildApp } from '../../src/app.js'
import { spawnSync } from 'node:child_process'
import { MISNAMED_DEFAULT_GAUGES, buildMetricsServer } from '../../src/plugins/metrics.js'
import { loadConfig } from '../../src/config.js'

t.test('health, readiness, docs and the OpenAPI document', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ok' })
  // a share refused for waiting time keeps the pod routed; only refusing everything unroutes it
  app.pressure.reason = 'eventLoopDelay'
  app.pressure.probability = 0.4
  t.equal((await app.inject('/readyz')).statusCode, 200, 'shedding part of the requests: still ready')
  app.pressure.probability = 1
  t.equal((await app.inject('/readyz')).statusCode, 503, 'refusing every request: not ready')
  app.pressure.reason = undefined
  app.pressure.probability = 0
  app.readiness.warm = false
  const warming = await app.inject('/readyz')
  t.equal(warming.statusCode, 503)
  t.equal(warming.headers['retry-after'], '1')
  t.match(warming.json(), { statusCode: 503, code: 'WARMING_UP' })
  t.equal((await app.inject('/estimate/engram')).statusCode, 200, 'answering while it warms up')
  app.readiness.warm = true
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
  t.match(docs.headers, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': /script-src 'self'/, 'x-content-type-options': 'nosniff' }, 'Swagger UI\'s page with the service\'s headers')
  const script = await app.inject('/docs/static/swagger-ui-bundle.js')
  t.equal(script.statusCode, 200)
  t.equal(script.rawPayload.length, readFileSync(new URL('../../node_modules/@fastify/swagger-ui/static/swagger-ui-bundle.js', import.meta.url)).length, 'a static asset, byte for byte')
  t.match(script.headers, { 'content-type': 'application/javascript; charset=utf-8', etag: /./, 'content-length': String(script.rawPayload.length) })
  t.equal((await app.inject({ url: '/docs/static/swagger-ui-bundle.js', headers: { 'if-none-match': script.headers.etag as string } })).statusCode, 304, 'conditional requests reach Swagger UI')
  t.equal((await app.inject('/docs/static/index.html')).headers.location, '/docs/', 'its redirects too')
  t.same((await app.inject('/docs/json')).json(), (await app.inject('/openapi.json')).json(), 'Swagger UI shows the service\'s document')
  const unknown = await app.inject('/docs/nothing-here')
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'Route GET /docs/nothing-here not found' }, 'a path Swagger UI does not know: the service\'s own 404')
  const spec = await app.inject('/openapi.json')
  t.equal(spec.statusCode, 200)
  t.equal(spec.json().openapi, '3.1.0')
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
  for (const name of MISNAMED_DEFAULT_GAUGES) t.notMatch(response.body, `${name} `, `${name}: a gauge with a counter's suffix, left out`)
  t.match(response.body, 'nodejs_active_handles{type=', 'the by-type gauge it summed stays')
})

const promtoolMissing = missingTools('promtool')

t.test('promtool check metrics accepts the metrics endpoint', { skip: promtoolMissing }, async (t) => {
  const app = await buildApp({ config: loadConfig({ WORKER_THREADS: '1' }), offload: true })
  t.teardown(() => app.close())
  await app.inject('/estimate/engram')
  await app.inject({ method: 'POST', url: '/sweep', payload: { model: 'engram', vary: [{ input: 'expectedNodes', from: 1, to: 2, points: 2 }] } })
  const metricsServer = buildMetricsServer(app.metrics.registry)
  t.teardown(() => metricsServer.close())
  const exposition = (await metricsServer.inject('/metrics')).body
  t.match(exposition, 'sizing_worker_threads 1', 'the pool\'s gauges are in it')
  const result = spawnSync(TOOL_PATHS.promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8' })
  t.equal(result.status, 0, `promtool: ${result.stdout}${result.stderr}`)
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
