// The benchmark's service without some pieces of its request path (bench (a')): the built app as
// dist/server.js builds and starts it (the environment's configuration, pino at LOG_LEVEL, the worker
// pool, every route warmed, load shedding sampling once warm), with BENCH_WITHOUT's pieces left out,
// a comma-separated list; empty: every piece, the like-for-like baseline. The pieces are the app's
// (StackPiece in src/app.ts: headers, metrics, negotiation, shedding, hooks, connections) and two of
// the server's: `logger` (no logger: fastify's per-request child logger goes too) and `offload` (no
// worker pool, so no preParsing hook). No /metrics listener (an idle port costs no request anything)
// and no graceful shutdown: SIGTERM closes at once.
import { pino } from 'pino'
import { STACK_PIECES, buildApp } from '../dist/app.js'
import { loadConfig } from '../dist/config.js'
import { warmUp } from '../dist/warm-up.js'

const SERVER_PIECES = ['logger', 'offload']
const without = (process.env.BENCH_WITHOUT ?? '').split(',').map((piece) => piece.trim()).filter((piece) => piece !== '')
const unknown = without.filter((piece) => !STACK_PIECES.includes(piece) && !SERVER_PIECES.includes(piece))
if (unknown.length > 0) {
  process.stderr.write(`piece-server: BENCH_WITHOUT names no piece: ${unknown.join(', ')} (pieces: ${[...STACK_PIECES, ...SERVER_PIECES].join(', ')})\n`)
  process.exit(1)
}

const config = loadConfig()
const app = await buildApp({
  config,
  ...(without.includes('logger') ? {} : { logger: pino({ level: config.LOG_LEVEL }) }),
  offload: !without.includes('offload'),
  benchWithout: without.filter((piece) => STACK_PIECES.includes(piece))
})
await app.ready()
app.readiness.warm = false
await app.listen({ host: config.HOST, port: config.PORT })
await Promise.all([warmUp(app), app.workerPool?.warmUp()])
app.readiness.warm = true
if (!without.includes('shedding')) app.pressure.start(config.PRESSURE_SAMPLE_INTERVAL_MS)
process.stdout.write('ready\n')
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
