import t from 'tap'
import Fastify from 'fastify'
import { registerErrorHandling } from '../../src/plugins/errors.js'

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
