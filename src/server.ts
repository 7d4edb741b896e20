// The only entry point: read the configuration, listen on the API and metrics ports, and shut
// down gracefully on SIGTERM/SIGINT (readiness 503, drain, finish in-flight requests, exit 0).
import closeWithGrace from 'close-with-grace'
import { pino } from 'pino'
import { buildApp } from './app.js'
import { type Config, loadConfig } from './config.js'
import { buildMetricsServer } from './plugins/metrics.js'
import { shutdownHandler } from './shutdown.js'

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
  const app = await buildApp({ config, logger })
  const metricsServer = buildMetricsServer(app.metrics.registry)

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger },
    shutdownHandler({ app, metricsServer, logger, delayMs: config.SHUTDOWN_DELAY_MS }))

  await app.listen({ host: config.HOST, port: config.PORT })
  await metricsServer.listen({ host: config.HOST, port: config.METRICS_PORT })
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'sizing-service ready')
}

await main()
