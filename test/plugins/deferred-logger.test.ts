import t from 'tap'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { buildApp } from '../../src/app.js'
import { DeferredChildLogger, deferredChildLoggerFactory } from '../../src/plugins/deferred-logger.js'
import { loadConfig } from '../../src/config.js'

/** A pino logger writing its lines into an array, at trace so every method prints. */
function capturingLogger (level = 'trace'): { logger: ReturnType<typeof pino>, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, callback) { lines.push(JSON.parse(chunk.toString())); callback() } })
  return { logger: pino({ level }, stream), lines }
}

t.test('the child is made on the first log line, once, with the bindings and options given', async (t) => {
  const { logger, lines } = capturingLogger()
  let made = 0
  const parent = Object.assign(Object.create(logger), { child: (...args: Parameters<typeof logger.child>) => { made++; return logger.child(...args) } })
  const deferred = new DeferredChildLogger(parent, { reqId: 'req-1' }, { level: 'debug' })
  t.equal(deferred.level, 'debug', 'the level the options give, before any child exists')
  t.notOk(deferred.isMade)
  t.equal(made, 0)
  deferred.trace('below debug: not printed')
  t.equal(made, 1, 'made on first use, even for a line its level drops')
  deferred.debug('d')
  deferred.info({ n: 1 }, 'i %s', 'x')
  deferred.warn('w')
  deferred.error('e')
  deferred.fatal('f')
  deferred.silent()
  t.equal(made, 1, 'made once')
  t.same(lines.map((line) => [line.level, line.msg, line.reqId]), [[20, 'd', 'req-1'], [30, 'i x', 'req-1'], [40, 'w', 'req-1'], [50, 'e', 'req-1'], [60, 'f', 'req-1']])
  t.equal(lines[1].n, 1)
  deferred.level = 'error'
  t.equal(deferred.level, 'error')
  deferred.warn('dropped now')
  t.equal(lines.length, 5)
  const grandchild = deferred.child({ part: 'x' })
  grandchild.error('g')
  t.same([lines[5].reqId, lines[5].part, lines[5].msg], ['req-1', 'x', 'g'])
  t.equal(new DeferredChildLogger(logger, {}, {}).level, 'trace', 'without a level of its own: the parent\'s')
})

t.test('in the app: a request that does not log makes no child; a failing one logs with its reqId', async (t) => {
  const { logger, lines } = capturingLogger('info')
  const children: DeferredChildLogger[] = []
  const app = await buildApp({ config: loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0' }), logger })
  t.teardown(() => app.close())
  app.addHook('onRequest', (request, _reply, done) => { children.push(request.log as DeferredChildLogger); done() })
  app.get('/boom', async () => { throw new Error('boom') })
  t.equal((await app.inject({ method: 'POST', url: '/estimate/engram', payload: {} })).statusCode, 200)
  t.ok(children[0] instanceof DeferredChildLogger)
  t.notOk(children[0].isMade, 'a 200 logs nothing and makes no child')
  const failed = await app.inject('/boom')
  t.equal(failed.statusCode, 500)
  const line = lines.find((entry) => entry.msg === 'request failed')
  t.ok(line, 'the 500 is logged')
  t.match(String(line?.reqId), /^req-/)
  t.equal(deferredChildLoggerFactory(logger, { reqId: 'r' }, {}).constructor, DeferredChildLogger)
})
