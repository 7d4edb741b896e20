import t from 'tap'
import Fastify, { type FastifyError } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { allowedMethods, frameworkErrorHandler, registerErrorHandling } from '../../src/plugins/errors.js'
import { varyOn } from '../../src/plugins/formats.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'

t.test('an unexpected error is a 500 that leaks nothing', async (t) => {
  const app = Fastify({ logger: false })
  registerErrorHandling(app)
  app.get('/boom', async () => { throw new Error('secret database password in a stack trace') })
  app.get('/teapot', async () => { throw Object.assign(new Error('short and stout'), { statusCode: 418 }) })
  const boom = await app.inject('/boom')
  t.equal(boom.statusCode, 500)
  t.same(boom.json(), { statusCode: 500, error: 'Internal Server Error', code: 'INTERNAL_ERROR', message: 'The server could not compute this answer; the error is logged.' })
  const teapot = await app.inject('/teapot')
  t.same(teapot.json(), { statusCode: 418, error: 'I\'m a Teapot', code: 'INTERNAL_ERROR', message: 'short and stout' })
  await app.close()
})

t.test('HTTP conventions: 405 with Allow on known paths, every error in one format with the security headers', async (t) => {
  const app = await buildApp({ config: loadConfig({ CORS_ORIGINS: 'https://portal.example.com', BODY_LIMIT_BYTES: '2048' }) })
  t.teardown(() => app.close())
  const cases: Array<[string, string, number, string, string | undefined]> = [
    ['DELETE', '/tiers', 405, 'METHOD_NOT_ALLOWED', 'GET, HEAD'],
    ['PUT', '/estimate/engram', 405, 'METHOD_NOT_ALLOWED', 'GET, HEAD, POST'],
    ['TRACE', '/healthz', 405, 'METHOD_NOT_ALLOWED', 'GET, HEAD'],
    ['POST', '/tiers/medium', 405, 'METHOD_NOT_ALLOWED', 'GET, HEAD'],
    ['GET', '/sweep', 405, 'METHOD_NOT_ALLOWED', 'POST'],
    ['GET', '/no/such/path', 404, 'NOT_FOUND', undefined],
    ['GET', `/tiers/${'x'.repeat(200)}`, 414, 'FST_ERR_MAX_PARAM_LENGTH', undefined],
    ['GET', '/tiers/%zz', 400, 'FST_ERR_BAD_URL', undefined]
  ]
  for (const [method, url, statusCode, code, allow] of cases) {
    const response = await app.inject({ method: method as 'GET', url })
    t.equal(response.statusCode, statusCode, `${method} ${url.slice(0, 20)}: ${statusCode}`)
    t.match(response.json(), { statusCode, error: STATUS_CODES[statusCode], code, message: String })
    t.ok(response.json().message.length <= 300, 'a long URL is not echoed whole')
    t.equal(response.headers.allow, allow)
    t.equal(response.headers['x-content-type-options'], 'nosniff', 'security headers')
    t.match(response.headers['content-security-policy'], "default-src 'self'")
  }
  const tooLarge = await app.inject({ method: 'POST', url: '/estimate/engram', payload: { expectedNodes: 1, pad: 'x'.repeat(3000) } })
  t.equal(tooLarge.statusCode, 413)
  t.equal(tooLarge.headers['x-content-type-options'], 'nosniff')
  const wrongType = await app.inject({ method: 'POST', url: '/estimate/engram', payload: '<x/>', headers: { 'content-type': 'application/xml' } })
  t.equal(wrongType.statusCode, 415)
  t.match(wrongType.json(), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' })
  t.equal(wrongType.headers['x-content-type-options'], 'nosniff')
  // Vary is merged, never overwritten: CORS's Origin stays beside the negotiation's Accept
  for (const url of ['/tiers/medium', '/tiers/medium?format=yaml', '/estimate/engram', '/estimate/engram?format=text']) {
    const response = await app.inject({ url, headers: { origin: 'https://portal.example.com' } })
    t.equal(response.headers.vary, 'Origin, Accept', `${url}: Vary: Origin, Accept`)
  }
  const plain = await buildApp()
  t.teardown(() => plain.close())
  t.equal((await plain.inject('/tiers/medium?format=yaml')).headers.vary, 'Accept', 'the values file varies on Accept too')
})

t.test('allowedMethods and varyOn', async (t) => {
  const routes = [{ method: 'GET', url: '/tiers/:name' }, { method: 'HEAD', url: '/tiers/:name' }, { method: 'OPTIONS', url: '*' }, { method: 'GET', url: '/docs/*' }, { method: 'POST', url: '/a.b' }]
  t.same(allowedMethods('/tiers/medium', routes), ['GET', 'HEAD'])
  t.same(allowedMethods('/tiers/medium/extra', routes), [], 'a parameter is one segment')
  t.same(allowedMethods('/docs/static/a/b.js', routes), ['GET'])
  t.same(allowedMethods('/a.b', routes), ['POST'])
  t.same(allowedMethods('/axb', routes), [], 'a dot is a dot')
  t.same(allowedMethods('/anything', routes), [], 'a catch-all does not make every path known')
  const app = Fastify()
  app.get('/', async (_request, reply) => {
    varyOn(reply, 'Accept')
    varyOn(reply, 'accept')
    reply.header('vary', `${String(reply.getHeader('vary'))}, Origin`)
    varyOn(reply, 'Accept-Language')
    return 'ok'
  })
  app.get('/star', async (_request, reply) => {
    reply.header('vary', '*')
    varyOn(reply, 'Accept')
    return 'ok'
  })
  t.equal((await app.inject('/')).headers.vary, 'Accept, Origin, Accept-Language', 'each field once, in order')
  t.equal((await app.inject('/star')).headers.vary, '*', '* already covers everything')
})

t.test('a framework error without a status is a 400 in the one format', async (t) => {
  const app = Fastify({ frameworkErrors: (error, request, reply) => { frameworkErrorHandler(Object.assign(new Error(error.message), { code: error.code }) as FastifyError, request, reply) } })
  app.get('/tiers/:name', async () => 'never')
  const response = await app.inject('/tiers/%zz')
  t.equal(response.statusCode, 400)
  t.same(response.json(), { statusCode: 400, error: 'Bad Request', code: 'FST_ERR_BAD_URL', message: "'/tiers/%zz' is not a valid url component" })
})
