// The only entry point: read the configuration, build and warm the app and its worker pool, then
// listen on the API and metrics ports and start load shedding; shut down gracefully on SIGTERM/SIGINT
// (readiness 503 and Connection: close for the drain period, then finish in-flight requests, exit 0).
import closeWithGrace from 'close-with-grace'
import { pino } from 'pino'
import { buildApp } from './app.js'
import { type Config, loadConfig } from './config.js'
import { buildMetricsServer } from './plugins/metrics.js'
import { shutdownHandler } from './shutdown.js'
import { warmUp } from './warm-up.js'

function readConfig (): Config {
  try {
    return loadConfig()
  } catch (error) {
    process.stderr.write(`sizing-service: invalid configuration: ${(error as Error).message}\n`)
    process.exit(1)
  }
}

async function main (): Promise<void> {
  const config = readConfig()
  const logger = pino({ level: config.LOG_LEVEL })
  const startedAt = performance.now()
  const app = await buildApp({ config, logger, offload: true })
  const metricsServer = buildMetricsServer(app.metrics.registry)

  closeWithGrace({ delay: config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_TIMEOUT_MS, logger },
    shutdownHandler({ app, metricsServer, logger, delayMs: config.SHUTDOWN_DELAY_MS }))

  // every validator and serializer compiled, every route run once, every worker warm: only then listen
  await app.ready()
  await Promise.all([warmUp(app), app.workerPool?.warmUp()])
  await app.listen({ host: config.HOST, port: config.PORT })
  await metricsServer.listen({ host: config.HOST, port: config.METRICS_PORT })
  app.pressure.start(config.PRESSURE_SAMPLE_INTERVAL_MS)
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT, workerThreads: app.workerPool?.settings.threads, startMs: Math.round(performance.now() - startedAt) }, 'sizing-service ready')
}

await main()
