// Prometheus metrics: one histogram per request (route template as label) and prom-client's
// default process metrics, served by a listener of its own so /metrics never shares the API port.
import Fastify, { type FastifyInstance } from 'fastify'
import { Gauge, type Metric, Registry, collectDefaultMetrics } from 'prom-client'
import { RequestDurationHistogram } from './duration-histogram.js'
import type { RequestPool } from '../workers/pool.js'
import { WARM_UP_HEADER } from '../warm-up.js'
import type { PressureMonitor } from './pressure.js'

export const UNMATCHED_ROUTE = '__unmatched__'

export interface Metrics {
  registry: Registry
  httpRequestDuration: RequestDurationHistogram
}

/** Request duration buckets, in seconds: from a cached answer (under 1 ms) to a 10,000-point sweep. */
export const REQUEST_DURATION_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const

/**
 * prom-client's default gauges that carry a counter's `_total` suffix (`promtool check metrics` exits
 * 3 on them). Each is the sum of the by-type gauge of the same name without the suffix, which stays:
 * `sum(nodejs_active_handles)` gives the same figure.
 */
export const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const

export function createMetrics (): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name)
  const httpRequestDuration = new RequestDurationHistogram('http_request_duration_seconds', 'HTTP request duration in seconds, by method, route template and status code.', REQUEST_DURATION_BUCKETS_SECONDS)
  // the registry needs only name, help, type and get (or getForPromString) from a metric
  registry.registerMetric(httpRequestDuration as unknown as Metric)
  return { registry, httpRequestDuration }
}

/** One observation per request (RequestDurationHistogram: no label work on the request path). */
export function registerMetrics (app: FastifyInstance, metrics: Metrics): void {
  const histogram = metrics.httpRequestDuration
  app.addHook('onResponse', (request, reply, done) => {
    if (request.headers[WARM_UP_HEADER] === app.warmUpToken) return done()
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE
    const statusCode = reply.statusCode
    histogram.observe(`${request.method} ${route} ${statusCode}`, request.method, route, statusCode, reply.elapsedTime / 1000)
    done()
  })
}

/** What overload looks like from outside: the worker queue, the tasks in flight, and whether requests are being shed. */
export function registerLoadGauges (metrics: Metrics, pressure: PressureMonitor, pool: RequestPool | undefined): Array<Gauge<string>> {
  const registers = [metrics.registry]
  const shedding = new Gauge({ name: 'sizing_load_shedding', help: '1 while cheap requests are answered 503 (event-loop utilisation, delay or memory over its limit), else 0.', registers, collect () { this.set(pressure.reason === undefined ? 0 : 1) } })
  if (pool === undefined) return [shedding]
  return [
    shedding,
    new Gauge({ name: 'sizing_worker_queue_length', help: 'Heavy requests waiting for a worker thread.', registers, collect () { this.set(pool.queued) } }),
    new Gauge({ name: 'sizing_worker_tasks_in_flight', help: 'Heavy requests accepted by the worker pool and not yet answered (running and waiting).', registers, collect () { this.set(pool.inFlight) } }),
    new Gauge({ name: 'sizing_worker_threads', help: 'Worker threads in the pool (WORKER_THREADS).', registers, collect () { this.set(pool.settings.threads) } })
  ]
}

export function buildMetricsServer (registry: Registry): FastifyInstance {
  const server = Fastify({ logger: false })
  server.get('/metrics', async (_request, reply) => {
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
  return server
}
