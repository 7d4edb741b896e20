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

  // validators and serializers come compiled (generated/): answer at once, and say ready (/readyz
  // 200) once every route has run once and every worker is warm, so routed traffic meets warm code
  await app.ready()
  app.readiness.warm = false
  await app.listen({ host: config.HOST, port: config.PORT })
  await metricsServer.listen({ host: config.HOST, port: config.METRICS_PORT })
  const listeningMs = Math.round(performance.now() - startedAt)
  await Promise.all([warmUp(app), app.workerPool?.warmUp()])
  app.readiness.warm = true
  app.pressure.start(config.PRESSURE_SAMPLE_INTERVAL_MS)
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT, workerThreads: app.workerPool?.settings.threads, listeningMs, startMs: Math.round(performance.now() - startedAt) }, 'sizing-service ready')
}

await main()
