// buildApp assembles the service; it never listens. server.ts, the tests and the OpenAPI generator
// all build the same app through it.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { Ajv, type Options as AjvOptions } from 'ajv'
import { type Config, loadConfig } from './config.js'
import { EmptyQueryValueError } from './errors.js'
import { registerDocs } from './plugins/docs.js'
import { registerErrorHandling } from './plugins/errors.js'
import { registerProtection } from './plugins/protection.js'
import { type Metrics, createMetrics, registerMetrics } from './plugins/metrics.js'
import { aeternaRoutes } from './routes/aeterna.js'
import { engramRoutes } from './routes/engram.js'
import { engramOperationsRoutes } from './routes/engram-ops.js'
import { misterSmithRoutes } from './routes/mistersmith.js'
import { healthRoutes } from './routes/health.js'
import { sharedSchemas } from './schemas/common.js'
import { AeternaEstimateSchema, HaRequirementsSchema, HaValidationSchema, TierListSchema, TierSchema } from './schemas/aeterna.js'
import { EngramEstimateSchema } from './schemas/engram.js'
import { ForecastSchema, GeneratedSchema, PerformanceModelsSchema, PresetListSchema, PresetSchema, ScalingDecisionSchema } from './schemas/engram-ops.js'
import { AuroraEstimateSchema, ServicesEstimateSchema } from './schemas/mistersmith.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    readiness: { ready: boolean }
    metrics: Metrics
  }
}

export interface BuildOptions {
  /**
   * Validated configuration. Without one: every default, but load shedding off, because tests and
   * the OpenAPI generator run heavy synchronous loops that would read as event-loop pressure.
   */
  config?: Config
  /** A pino logger; without one the app logs nothing (tests, OpenAPI generation). */
  logger?: FastifyBaseLogger
}

const AJV_COMMON: AjvOptions = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false }

/**
 * Bodies are not coerced ("12" stays a string and is rejected) and unknown fields are rejected;
 * query strings are all text, so they are coerced to the declared types.
 */
function validatorCompilers (): { body: Ajv, querystring: Ajv } {
  return {
    body: new Ajv({ ...AJV_COMMON, coerceTypes: false }),
    querystring: new Ajv({ ...AJV_COMMON, coerceTypes: true })
  }
}

/** An empty query value would be coerced to 0 by ajv: `?expectedNodes=` is an error, not 0 nodes. */
function rejectEmptyQueryValues (app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const query = request.query
    for (const [field, value] of Object.entries(query as object)) {
      if (value === '') throw new EmptyQueryValueError(field)
    }
  })
}

/** A POST with no body at all means "all defaults", as the seed script run without arguments. */
function defaultEmptyBody (app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {}
  })
}

export async function buildApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0' })
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // per-request info logs cost about a third of throughput (DESIGN.md)
    logController: new LogController({ disableRequestLogging: true }),
    // a request that reaches a kept-alive connection while draining is served, not refused: every
    // request the server accepts completes; new connections are refused once the listener closes
    return503OnClosing: false,
    forceCloseConnections: 'idle'
  })

  const compilers = validatorCompilers()
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'querystring' ? compilers.querystring : compilers.body).compile(schema))

  app.decorate('config', config)
  app.decorate('readiness', { ready: true })
  app.decorate('metrics', createMetrics())
  const estimateSchemas = [
    EngramEstimateSchema, ScalingDecisionSchema, PerformanceModelsSchema, ForecastSchema, PresetListSchema, PresetSchema, GeneratedSchema,
    AuroraEstimateSchema, ServicesEstimateSchema, TierListSchema, TierSchema, AeternaEstimateSchema, HaValidationSchema, HaRequirementsSchema
  ]
  for (const schema of [...sharedSchemas, ...estimateSchemas]) app.addSchema(schema)

  registerErrorHandling(app)
  registerMetrics(app, app.metrics)
  await registerProtection(app, config)
  rejectEmptyQueryValues(app)
  defaultEmptyBody(app)
  await registerDocs(app)
  await app.register(healthRoutes)
  await app.register(engramRoutes)
  await app.register(engramOperationsRoutes)
  await app.register(misterSmithRoutes)
  await app.register(aeternaRoutes)
  return app
}
