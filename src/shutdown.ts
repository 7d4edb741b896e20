// What happens on SIGTERM/SIGINT (or a fatal error): readiness 503 first, an optional pause so load
// balancers stop routing here, then both listeners close once in-flight requests have finished.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'

export interface ShutdownTargets {
  app: FastifyInstance
  metricsServer: FastifyInstance
  logger: FastifyBaseLogger
  delayMs: number
}

export function shutdownHandler ({ app, metricsServer, logger, delayMs }: ShutdownTargets) {
  return async ({ signal, err }: { signal?: string, err?: Error }): Promise<void> => {
    if (err !== undefined) logger.error({ err }, 'shutting down after an error')
    logger.info({ signal }, 'shutting down: readiness is 503, draining')
    app.readiness.ready = false
    if (delayMs > 0) await sleep(delayMs)
    await app.close()
    await metricsServer.close()
    logger.info('shut down')
  }
}
