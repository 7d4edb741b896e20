import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../src/app.js'
import { PressureMonitor, SATURATED_TURN_MS, pressureReason } from '../../src/plugins/pressure.js'
import { loadConfig } from '../../src/config.js'
import { SECURITY_HEADERS, tokenMatches } from '../../src/plugins/protection.js'

const TOKEN = 'a-very-secret-token-of-32-chars!'
const configWith = (env: Record<string, string>) => loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0', ...env })

t.test('bearer token authentication', async (t) => {
  const app = await buildApp({ config: configWith({ API_TOKEN: TOKEN }) })
  t.teardown(() => app.close())
  const missing = await app.inject('/estimate/engram')
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="sizing-service"')
  t.same(missing.json(), { statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message: 'Authorization: Bearer <token> is required' })
  const wrong = await app.inject({ url: '/estimate/engram', headers: { authorization: `Bearer ${TOKEN}x` } })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().message, 'the bearer token is not valid')
  t.equal((await app.inject({ url: '/estimate/engram', headers: { authorization: `Basic ${TOKEN}` } })).statusCode, 401)
  t.equal((await app.inject({ url: '/estimate/engram', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/validate/aeterna', payload: {}, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    t.equal((await app.inject({ url: '/estimate/engram', headers: { authorization: `${scheme} ${TOKEN}` } })).statusCode, 200, `the scheme is case-insensitive: ${scheme}`)
  }
  t.equal((await app.inject({ url: '/estimate/engram', headers: { authorization: `Bearer${TOKEN}` } })).statusCode, 401, 'a scheme needs its space')
  t.equal((await app.inject({ url: '/estimate/engram', headers: { authorization: `Bearer ${TOKEN} extra` } })).statusCode, 401, 'one credential')
  t.equal((await app.inject('/openapi.json')).statusCode, 200, 'the OpenAPI document stays readable (DOCS_PUBLIC)')
  t.equal((await app.inject('/docs/json')).statusCode, 200)
  t.equal((await app.inject('/docs/static/swagger-initializer.js')).statusCode, 200, 'Swagger UI, whose Authorize button takes the token')
  t.equal((await app.inject('/docsx')).statusCode, 401, 'only the documentation paths')
  t.equal((await app.inject('/healthz')).statusCode, 200, 'health stays open')
  t.equal((await app.inject('/readyz?probe=1')).statusCode, 200, 'readiness stays open')
  t.ok(tokenMatches(TOKEN, TOKEN))
  t.notOk(tokenMatches('short', TOKEN))
  t.notOk(tokenMatches('', TOKEN))
})

t.test('DOCS_PUBLIC=false keeps the documentation behind the token too', async (t) => {
  const app = await buildApp({ config: configWith({ API_TOKEN: TOKEN, DOCS_PUBLIC: 'false' }) })
  t.teardown(() => app.close())
  t.equal((await app.inject('/docs')).statusCode, 401)
  t.equal((await app.inject('/openapi.json')).statusCode, 401)
  t.equal((await app.inject({ url: '/openapi.json', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
})

t.test('the token can come from a file, and must be long enough', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'token-'))
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`)
  t.equal(loadConfig({ API_TOKEN_FILE: join(dir, 'token') }).API_TOKEN, TOKEN)
  t.equal(loadConfig({ API_TOKEN: TOKEN, API_TOKEN_FILE: join(dir, 'missing') }).API_TOKEN, TOKEN, 'API_TOKEN wins')
  t.throws(() => loadConfig({ API_TOKEN_FILE: join(dir, 'missing') }), /env\/API_TOKEN_FILE cannot be read/)
  t.throws(() => loadConfig({ API_TOKEN: 'short' }), /env\/API_TOKEN must be at least 16 characters/)
  t.throws(() => loadConfig({ CORS_ORIGINS: 'https://ok.example.com, not an origin' }), /env\/CORS_ORIGINS must list origins/)
})

t.test('security headers, and Swagger UI under the content security policy', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const response = await app.inject('/estimate/engram')
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(response.headers['content-security-policy'], "default-src 'self'")
  // helmet's headers, computed once at start, are on the answer as helmet would set them
  t.ok(Object.keys(SECURITY_HEADERS).length >= 10, Object.keys(SECURITY_HEADERS).join(', '))
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) t.equal(response.headers[name], value, name)
  t.equal(response.headers['access-control-allow-origin'], undefined, 'CORS is off by default')
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  const scripts = docs.body.match(/<script[^>]*>/g) ?? []
  t.ok(scripts.length > 0)
  t.ok(scripts.every((tag) => /src="/.test(tag)), 'no inline script: script-src \'self\' allows them all')
  t.equal((await app.inject('/docs/static/swagger-initializer.js')).statusCode, 200)
})

t.test('CORS by origin list', async (t) => {
  const app = await buildApp({ config: configWith({ CORS_ORIGINS: 'https://portal.example.com' }) })
  t.teardown(() => app.close())
  const allowed = await app.inject({ url: '/tiers', headers: { origin: 'https://portal.example.com' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://portal.example.com')
  const other = await app.inject({ url: '/tiers', headers: { origin: 'https://evil.example.com' } })
  t.equal(other.headers['access-control-allow-origin'], undefined)
  const preflight = await app.inject({ method: 'OPTIONS', url: '/estimate/engram', headers: { origin: 'https://portal.example.com', 'access-control-request-method': 'POST' } })
  t.equal(preflight.statusCode, 204)
})

t.test('optional rate limiting', async (t) => {
  const app = await buildApp({ config: configWith({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' }) })
  t.teardown(() => app.close())
  t.equal((await app.inject('/tiers')).statusCode, 200)
  t.equal((await app.inject('/tiers')).statusCode, 200)
  const limited = await app.inject('/tiers')
  t.equal(limited.statusCode, 429)
  t.match(limited.json(), { statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED' })
  t.ok(limited.headers['retry-after'])
  for (let i = 0; i < 4; i++) t.equal((await app.inject('/healthz')).statusCode, 200, 'health is not limited')
})

t.test('load shedding: 503 with Retry-After, liveness unaffected', async (t) => {
  const app = await buildApp({ config: configWith({ MAX_HEAP_USED_BYTES: '1', PRESSURE_RETRY_AFTER_S: '7' }) })
  t.teardown(() => app.close())
  await app.ready()
  t.equal((await app.inject('/estimate/engram')).statusCode, 200, 'nothing is shed before sampling starts (start-up work never counts)')
  app.pressure.start(60_000)
  t.teardown(() => { app.pressure.stop() })
  t.match(app.pressure.sample(), { heapUsedBytes: Number })
  const shed = await app.inject('/estimate/engram')
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '7')
  t.match(shed.json(), { statusCode: 503, error: 'Service Unavailable', code: 'OVERLOADED', message: /overloaded \(heapUsedBytes\); retry after 7 s/ })
  t.equal((await app.inject('/healthz')).statusCode, 200)
  const readiness = await app.inject('/readyz')
  t.equal(readiness.statusCode, 503, 'readiness takes the pod out of the load balancer')
  t.match(readiness.json(), { code: 'OVERLOADED' })
})

t.test('load shedding on event-loop utilisation and delay, from the moment sampling starts', async (t) => {
  const app = await buildApp({ config: loadConfig({ MAX_EVENT_LOOP_UTILIZATION: '0.5', MAX_EVENT_LOOP_DELAY_MS: '0' }) })
  t.teardown(() => app.close())
  await app.ready()
  app.pressure.start(60_000)
  app.pressure.start(60_000) // a second start keeps the first sampler
  await new Promise((resolve) => setTimeout(resolve, 30)) // the delay monitor's first turn
  const busyUntil = Date.now() + 200
  while (Date.now() < busyUntil); // the main thread busy for the whole interval
  await new Promise((resolve) => setTimeout(resolve, 30)) // the delay monitor's overdue timer records the 200 ms turn
  const sample = app.pressure.sample()
  t.ok(sample.eventLoopUtilization > 0.5)
  t.ok(sample.eventLoopDelayMs > SATURATED_TURN_MS, `the 200 ms turn was measured (${sample.eventLoopDelayMs} ms)`)
  const shed = await app.inject('/estimate/engram')
  t.equal(shed.statusCode, 503)
  t.match(shed.json(), { code: 'OVERLOADED', message: /overloaded \(eventLoopUtilization\)/ })
  t.equal((await app.inject('/healthz')).statusCode, 200, 'liveness never fails for load')
  t.match((await app.inject('/readyz')).json(), { code: 'OVERLOADED', message: 'overloaded (eventLoopUtilization): shedding load' })
  t.match(await app.metrics.registry.getSingleMetricAsString('sizing_load_shedding'), 'sizing_load_shedding 1')
  app.pressure.stop()
  t.equal(app.pressure.reason, undefined, 'stopping clears the verdict')
  t.equal((await app.inject('/estimate/engram')).statusCode, 200)
  t.match(await app.metrics.registry.getSingleMetricAsString('sizing_load_shedding'), 'sizing_load_shedding 0')
})

t.test('a monitor sampled before it starts reads no event-loop figures, only memory', async (t) => {
  const sample = new PressureMonitor({ maxEventLoopUtilization: 0.5, maxEventLoopDelayMs: 1, maxHeapUsedBytes: 0, maxRssBytes: 0 }).sample()
  t.equal(sample.eventLoopUtilization, 0)
  t.equal(sample.eventLoopDelayMs, 0)
  t.ok(sample.rssBytes > 0)
})

t.test('pressureReason: the first limit exceeded, each switchable off with 0', async (t) => {
  const calm = { eventLoopUtilization: 0.2, eventLoopDelayMs: 5, heapUsedBytes: 1e6, rssBytes: 5e7 }
  const limits = { maxEventLoopUtilization: 0.9, maxEventLoopDelayMs: 100, maxHeapUsedBytes: 1e8, maxRssBytes: 1e9 }
  t.equal(pressureReason(calm, limits), undefined)
  t.equal(pressureReason({ ...calm, eventLoopUtilization: 0.95, eventLoopDelayMs: 60 }, limits), 'eventLoopUtilization', 'busy, and its turns stretch past SATURATED_TURN_MS: work is queuing')
  t.equal(pressureReason({ ...calm, eventLoopUtilization: 0.95, eventLoopDelayMs: SATURATED_TURN_MS }, limits), undefined, 'busy with short turns: a saturating client answered fast is not overload')
  t.equal(pressureReason({ ...calm, eventLoopUtilization: 0.9, eventLoopDelayMs: 60 }, limits), undefined, 'long turns, but not busier than the limit')
  t.equal(pressureReason({ ...calm, eventLoopDelayMs: 150 }, limits), 'eventLoopDelay')
  t.equal(pressureReason({ ...calm, heapUsedBytes: 2e8 }, limits), 'heapUsedBytes')
  t.equal(pressureReason({ ...calm, rssBytes: 2e9 }, limits), 'rssBytes')
  const off = { maxEventLoopUtilization: 0, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 }
  t.equal(pressureReason({ eventLoopUtilization: 1, eventLoopDelayMs: 1e6, heapUsedBytes: 1e12, rssBytes: 1e12 }, off), undefined)
})
