import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { tokenMatches } from '../../src/plugins/protection.js'

const TOKEN = 'a-very-secret-token-of-32-chars!'
const configWith = (env: Record<string, string>) => loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', ...env })

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
  t.equal((await app.inject('/docs')).statusCode, 401, 'the docs too')
  t.equal((await app.inject('/openapi.json')).statusCode, 401)
  t.equal((await app.inject('/healthz')).statusCode, 200, 'health stays open')
  t.equal((await app.inject('/readyz?probe=1')).statusCode, 200, 'readiness stays open')
  t.ok(tokenMatches(TOKEN, TOKEN))
  t.notOk(tokenMatches('short', TOKEN))
  t.notOk(tokenMatches('', TOKEN))
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
  await sleep(1200) // under-pressure samples once a second
  const shed = await app.inject('/estimate/engram')
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '7')
  t.match(shed.json(), { statusCode: 503, error: 'Service Unavailable', code: 'OVERLOADED', message: /overloaded \(heapUsedBytes\); retry after 7 s/ })
  t.equal((await app.inject('/healthz')).statusCode, 200)
  const readiness = await app.inject('/readyz')
  t.equal(readiness.statusCode, 503, 'readiness takes the pod out of the load balancer')
  t.match(readiness.json(), { code: 'OVERLOADED' })
})
