import t from 'tap'
import { EventEmitter, once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { Admission, MIN_RESERVED_BYTES, SECURITY_HEADERS, isProbe, tokenMatches } from '../../src/plugins/protection.js'
import { BODY_MEMORY_FACTOR } from '../../src/plugins/memory.js'
import type { PressureMonitor } from '../../src/plugins/pressure.js'

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

/** The app listening on a free port, for what is decided before fastify's handler (inject goes straight to fastify). */
async function listening (env: Record<string, string>) {
  const app = await buildApp({ config: configWith(env) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address() as AddressInfo
  return { app, url: `http://127.0.0.1:${address.port}` }
}

t.test('load shedding: a prebuilt 503 before routing, with Retry-After and the security headers; the probes are never shed', async (t) => {
  const { app, url } = await listening({ MAX_HEAP_USED_BYTES: '1', PRESSURE_RETRY_AFTER_S: '7' })
  t.teardown(() => app.close())
  t.equal((await fetch(`${url}/estimate/engram`)).status, 200, 'nothing is shed before sampling starts (start-up work never counts)')
  app.pressure.start(60_000)
  t.teardown(() => { app.pressure.stop() })
  t.match(app.pressure.sample(), { heapUsedBytes: Number })
  t.equal(app.pressure.probability, 1, 'a hard limit refuses every request')
  for (const [method, path] of [['GET', '/estimate/engram'], ['POST', '/estimate/engram'], ['GET', '/no/such/route'], ['DELETE', '/tiers']]) {
    const shed = await fetch(`${url}${path}`, { method, ...(method === 'POST' ? { body: '{"expectedNodes": 5}', headers: { 'content-type': 'application/json' } } : {}) })
    t.equal(shed.status, 503, `${method} ${path}: refused before routing`)
    t.equal(shed.headers.get('retry-after'), '7')
    t.equal(shed.headers.get('content-type'), 'application/json; charset=utf-8')
    t.equal(shed.headers.get('connection'), 'keep-alive', 'the connection stays: a retry reuses it')
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) t.equal(shed.headers.get(name), value, name)
    t.same(await shed.json(), { statusCode: 503, error: 'Service Unavailable', code: 'OVERLOADED', message: 'the service is overloaded (heapUsedBytes); retry after 7 s' })
  }
  t.equal((await fetch(`${url}/healthz`)).status, 200, 'liveness never fails for load')
  const readiness = await fetch(`${url}/readyz?probe=1`)
  t.equal(readiness.status, 503, 'readiness takes the pod out of the load balancer')
  t.match(await readiness.json(), { code: 'OVERLOADED', message: 'overloaded (heapUsedBytes): shedding load' })
  t.match(await app.metrics.registry.getSingleMetricAsString('sizing_load_shedding'), 'sizing_load_shedding 1')
  t.match(await app.metrics.registry.getSingleMetricAsString('sizing_requests_refused_total'), 'sizing_requests_refused_total{code="OVERLOADED"} 4')
  app.readiness.ready = false
  const draining = await fetch(`${url}/estimate/engram`)
  t.equal(draining.status, 503)
  t.equal(draining.headers.get('connection'), 'close', 'once shutdown has begun, refusals close their connection too')
  app.readiness.ready = true
  app.pressure.stop()
  t.equal(app.pressure.reason, undefined, 'stopping clears the verdict')
  t.equal((await fetch(`${url}/estimate/engram`)).status, 200)
  t.match(await app.metrics.registry.getSingleMetricAsString('sizing_load_shedding'), 'sizing_load_shedding 0')
})

t.test('the benchmark\'s build without shedding refuses nothing before routing', async (t) => {
  const app = await buildApp({ config: configWith({ MAX_HEAP_USED_BYTES: '1' }), benchWithout: ['shedding'] })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  app.pressure.start(60_000)
  app.pressure.sample()
  t.equal(app.pressure.reason, 'heapUsedBytes', 'the monitor still samples, for /readyz and the gauges')
  t.equal((await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/estimate/engram`)).status, 200)
})

t.test('memory admission: 413 MEMORY_LIMIT for a body no idle service could hold, 503 MEMORY_BUSY while others hold the room', async (t) => {
  const yamlBody = 'a: ' + 'x'.repeat(400_000) // 400 KB of YAML: estimated at 48.8 MiB
  // a budget of 40 MiB: never fits
  const small = await listening({ MAX_RSS_BYTES: String(40 * 2 ** 20), PRESSURE_RETRY_AFTER_S: '4' })
  t.teardown(() => small.app.close())
  const tooLarge = await fetch(`${small.url}/validate/aeterna`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yamlBody })
  t.equal(tooLarge.status, 413)
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) t.equal(tooLarge.headers.get(name), value, name)
  t.same(await tooLarge.json(), { statusCode: 413, error: 'Payload Too Large', code: 'MEMORY_LIMIT', message: 'a body of 400003 bytes of application/yaml is estimated to take 48.8 MiB, more than the 40.0 MiB the service has for requests (MAX_RSS_BYTES less its memory at rest): send a smaller body' })
  t.equal((await fetch(`${small.url}/validate/aeterna`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 200, 'a small body is never held back')

  // a budget of 80 MiB: one such body at a time
  const budget = await listening({ MAX_RSS_BYTES: String(80 * 2 ** 20), PRESSURE_RETRY_AFTER_S: '4' })
  t.teardown(() => budget.app.close())
  const port = (budget.app.server.address() as AddressInfo).port
  // a client that declares 400 KB and sends only part: its reservation holds while it is read
  const slow = connect(port, '127.0.0.1')
  t.teardown(() => slow.destroy())
  await once(slow, 'connect')
  slow.write(`POST /validate/aeterna HTTP/1.1\r\nhost: x\r\ncontent-type: application/yaml\r\ncontent-length: ${yamlBody.length}\r\n\r\na: xxx`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const busy = await fetch(`${budget.url}/validate/aeterna`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yamlBody })
  t.equal(busy.status, 503)
  t.equal(busy.headers.get('retry-after'), '4')
  t.same(await busy.json(), { statusCode: 503, error: 'Service Unavailable', code: 'MEMORY_BUSY', message: 'a body of 400003 bytes of application/yaml is estimated to take 48.8 MiB, more than is free now (31.2 MiB under MAX_RSS_BYTES); retry after 4 s' })
  t.match(await budget.app.metrics.registry.getSingleMetricAsString('sizing_requests_refused_total'), 'sizing_requests_refused_total{code="MEMORY_BUSY"} 1')
  slow.destroy()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const admitted = await fetch(`${budget.url}/validate/aeterna`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yamlBody })
  t.equal(admitted.status, 200, 'the reservation ends with its connection')
})

/** A monitor as Admission reads it. */
const monitor = (fields: Partial<PressureMonitor>): PressureMonitor => ({ shed: () => undefined, rssBytes: 0, idleRssBytes: 0, ...fields }) as unknown as PressureMonitor
const raw = (url: string, headers: Record<string, string>) => ({ url, headers }) as unknown as IncomingMessage

t.test('Admission: which requests it looks at, and what a reservation holds', async (t) => {
  const settings = { maxRssBytes: 200 * 2 ** 20, bodyLimitBytes: 2 ** 20, retryAfterS: 5, ready: () => true }
  const admission = new Admission({ ...settings, pressure: monitor({}) })
  const response = new EventEmitter() as unknown as ServerResponse
  t.equal(admission.refusalFor(raw('/estimate/engram', {}), response), undefined, 'no body')
  t.equal(admission.refusalFor(raw('/estimate/engram', { 'content-length': '200', 'content-type': 'application/json' }), response), undefined)
  t.equal(admission.refusalFor(raw('/estimate/engram', { 'content-length': '10000', 'content-type': 'application/json' }), response), undefined)
  t.equal(admission.reservedBytes, 0, 'a small body reserves nothing (10 kB of JSON: under 1 MiB estimated; of YAML it would be over)')
  t.equal(admission.refusalFor(raw('/validate/aeterna', { 'transfer-encoding': 'chunked', 'content-type': 'application/yaml' }), response), undefined)
  t.equal(admission.reservedBytes, 2 ** 20 * BODY_MEMORY_FACTOR.yaml, 'a body of unknown length reserves the largest body allowed')
  t.equal(admission.refusalFor(raw('/validate/aeterna', { 'content-length': String(2 ** 30), 'content-type': 'application/yaml' }), response)?.code, 'MEMORY_BUSY', 'a declared length past the body limit is estimated at the limit (fastify answers its 413)')
  response.emit('close')
  t.equal(admission.reservedBytes, 0)
  const untyped = new Admission({ ...settings, maxRssBytes: 50 * 2 ** 20, pressure: monitor({}) }).refusalFor(raw('/estimate/engram', { 'content-length': String(2 ** 20) }), response)
  t.match(JSON.parse(String(untyped?.body)), { code: 'MEMORY_LIMIT', message: /^a body of 1048576 bytes of application\/json is estimated to take 96\.0 MiB/ }, 'a body without a type is read as JSON')
  t.ok(MIN_RESERVED_BYTES >= 8192 * BODY_MEMORY_FACTOR.yaml, 'bodies of a few kilobytes pass without bookkeeping')
  const shedding = new Admission({ ...settings, pressure: monitor({ shed: () => 'eventLoopQueue' }) })
  t.equal(shedding.refusalFor(raw('/healthz', {}), response), undefined, 'probes are never shed')
  t.equal(shedding.refusalFor(raw('/readyz?x=1', {}), response), undefined)
  const first = shedding.refusalFor(raw('/tiers', {}), response)
  t.equal(first?.statusCode, 503)
  t.equal(shedding.refusalFor(raw('/tiers', {}), response), first, 'built once')
  t.ok(isProbe('/healthz?verbose'))
  t.notOk(isProbe(undefined))
})

t.test('the refusal before routing replaces fastify\'s handler only: the drain\'s connection tracking still sees every request', async (t) => {
  const { app, url } = await listening({})
  t.teardown(() => app.close())
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  t.teardown(() => socket.destroy())
  await once(socket, 'connect')
  // the head of a request whose body never comes: in flight, its connection busy
  socket.write('POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n')
  for (let tries = 0; tries < 200 && app.connections.busy.size === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal(app.connections.busy.size, 1, 'the request in flight marks its connection busy (a drain must not close it)')
})
