import t from 'tap'
import { pino } from 'pino'
import { Writable } from 'node:stream'
import { buildApp } from '../src/app.js'
import { buildMetricsServer } from '../src/plugins/metrics.js'
import { shutdownHandler } from '../src/shutdown.js'

t.test('after a fatal error: logs it, turns readiness off and closes both listeners', async (t) => {
  const lines: string[] = []
  const logger = pino(new Writable({ write (chunk, _encoding, done) { lines.push(chunk.toString()); done() } }))
  const app = await buildApp()
  const metricsServer = buildMetricsServer(app.metrics.registry)
  await shutdownHandler({ app, metricsServer, logger, delayMs: 0 })({ err: new Error('uncaught') })
  t.equal(app.readiness.ready, false)
  t.match(lines[0], '"msg":"shutting down after an error"')
  t.match(lines[0], 'uncaught')
  t.match(lines.at(-1), '"msg":"shut down"')
  t.rejects(app.inject('/healthz'), 'the app is closed')
})
