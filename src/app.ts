// buildApp assembles the service; it never listens. server.ts, the tests and the OpenAPI generator
// all build the same app through it; the CLI builds its routes alone (BuildOptions.oneShot).
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { type Config, ConfigSchema, loadConfig } from './config.js'
import { EmptyQueryValueError } from './errors.js'
import type { Ajv } from 'ajv'
import fastJson from 'fast-json-stringify'
import { type CompiledSchemas, type Serializer, type Validator, loadCompiledSchemas, serializerKey, validatorKey } from './compiled-schemas.js'
import { deferredChildLoggerFactory } from './plugins/deferred-logger.js'
import { frameworkErrorHandler, registerErrorHandling } from './plugins/errors.js'
import { registerJsonBody } from './plugins/json-body.js'
import { clientErrorHandler, registerBodyEncodingCheck, serverTimeouts } from './plugins/http-edges.js'
import { registerProtection } from './plugins/protection.js'
import { createBodyAjv, createQueryAjv } from './plugins/validation.js'
import type { Metrics } from './plugins/metrics.js'
import type { PressureMonitor } from './plugins/pressure.js'
import type { RequestPool } from './workers/pool.js'
import type { RouteEntry } from './warm-up.js'
import type { ConnectionTracker } from './shutdown.js'
import { aeternaRoutes } from './routes/aeterna.js'
import { analysisRoutes } from './routes/analysis.js'
import { calibrationRoutes } from './routes/calibrate.js'
import { engramRoutes } from './routes/engram.js'
import { engramOperationsRoutes } from './routes/engram-ops.js'
import { misterSmithRoutes } from './routes/mistersmith.js'
import type { ModelCatalogue } from './routes/estimate-routes.js'
import { sharedSchemas } from './schemas/common.js'
import { AeternaEstimateSchema, HaRequirementsSchema, HaValidationSchema, TierListSchema, TierSchema } from './schemas/aeterna.js'
import { EngramEstimateSchema } from './schemas/engram.js'
import { CatalogueSchema, DiffSchema, SensitivitySchema, SweepSchema } from './schemas/analysis.js'
import { AeternaCalibrationSchema, EngramCalibrationSchema } from './schemas/calibrate-output.js'
import { ForecastSchema, GeneratedSchema, PerformanceModelsSchema, PresetListSchema, PresetSchema, ScalingDecisionSchema } from './schemas/engram-ops.js'
import { AuroraEstimateSchema, DeploymentSchema, ServicesEstimateSchema } from './schemas/mistersmith.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** ready: false once shutdown has begun; warm: false while the server warms up after listening (server.ts). */
    readiness: { ready: boolean, warm: boolean }
    /** Not in a one-shot app (BuildOptions.oneShot), nor are `pressure` and `connections`. */
    metrics: Metrics
    estimateModels: ModelCatalogue
    pressure: PressureMonitor
    /** The worker pool heavy requests run in; undefined when everything runs on this thread. */
    workerPool: RequestPool | undefined
    /** Every route as registered, for the warm-up (warm-up.ts). */
    routeEntries: RouteEntry[]
    /** Sent by the warm-up requests (header WARM_UP_HEADER), which the metrics do not count: unguessable. */
    warmUpToken: string
    /** The API listener's connections, idle or busy, for a shutdown that drops nothing (shutdown.ts). */
    connections: ConnectionTracker
    /** The validator of a schema under its key: compiled ahead of time (generated/) or now. */
    validatorFor: (key: string, httpPart: string, schema: object) => Validator
    /** Each model's figure names as GET /estimates lists them, found ahead of time (generated/); a model without is run. */
    catalogueFigures: ReadonlyMap<string, readonly string[]>
    /** The serializer of a schema (with the shared schemas) under its key: compiled ahead of time (generated/) or now. */
    serializerFor: (key: string, schema: object) => Serializer
    /** BuildOptions.benchWithout, read where each piece is registered: empty but in the benchmark. */
    benchWithout: ReadonlySet<StackPiece>
  }
}

/**
 * A piece of the service's request path that the benchmark can leave out (BuildOptions.benchWithout)
 * to measure what it costs. Each is left out where it is registered, so the service, which leaves
 * none out, runs no check for them per request.
 * - `headers`: helmet's security headers (plugins/protection.ts);
 * - `metrics`: the request-duration observation, plugins/metrics.ts's onResponse hook (the registry,
 *   its default process metrics and the load gauges stay);
 * - `negotiation`: the estimate routes (routes/estimate-routes.ts) answer the JSON a client with no
 *   preference gets, without reading Accept or ?format (no `Vary: Accept`); other routes negotiate;
 * - `shedding`: the 503 hook of load shedding (plugins/protection.ts); `pressure` stays, for /readyz
 *   and the gauges, and its sampling is whoever calls `pressure.start()`'s choice (the bench's piece
 *   server does not start it without shedding);
 * - `hooks`: this file's rejectEmptyQueryValues, defaultEmptyBody and closeConnectionsWhileDraining;
 * - `connections`: the connection tracking the drain relies on (shutdown.ts): `connections` stays,
 *   empty.
 */
export type StackPiece = 'headers' | 'metrics' | 'negotiation' | 'shedding' | 'hooks' | 'connections'

export const STACK_PIECES: readonly StackPiece[] = ['headers', 'metrics', 'negotiation', 'shedding', 'hooks', 'connections']

/** Sees every schema the app compiles, under its key: the ahead-of-time compiler (scripts/compile-schemas.ts). */
export interface SchemaRecorder {
  validator: (key: string, httpPart: string, schema: object) => void
  serializer: (key: string, schema: object) => void
}

/** generated/, read once per process (the CLI, the service and each worker read it once). */
let generatedSchemas: CompiledSchemas | undefined
const compiledAheadOfTime = (): CompiledSchemas => (generatedSchemas ??= loadCompiledSchemas())

/**
 * The calibration routes' body limit in a one-shot app (the CLI's own process): their bodies are the
 * series `sizing calibrate --prometheus` read (a week of one-minute samples of every Engram metric is
 * about 5 MiB), with no client to guard against. Every other route keeps BODY_LIMIT_BYTES, so the
 * CLI's answers stay the service's, byte for byte.
 */
export const ONE_SHOT_BODY_LIMIT_BYTES = 512 * 1_048_576

export interface BuildOptions {
  /**
   * Validated configuration. Without one: every default, but load shedding off, because tests and
   * the OpenAPI generator run heavy synchronous loops that would read as event-loop pressure.
   */
  config?: Config
  /** A pino logger; without one the app logs nothing (tests, OpenAPI generation). */
  logger?: FastifyBaseLogger
  /**
   * Compile each route's validator and serializer on its first use instead of at start: the same
   * functions, so the same answers, for one-shot callers (the CLI) that would otherwise spend a
   * second compiling routes they never call.
   */
  lazyCompilation?: boolean
  /**
   * Run heavy requests in a worker-thread pool (the service: server.ts). Off by default: the tests,
   * the CLI, the OpenAPI generator and the workers themselves answer everything on their own thread.
   */
  offload?: boolean
  /** The functions compiled ahead of time; generated/ unless given (none: compile every schema). */
  compiled?: CompiledSchemas
  /** Called with every schema compiled, before the ahead-of-time lookup. */
  recorder?: SchemaRecorder
  /**
   * For a caller in this process that sends a request or a few and closes (the CLI): the routes and
   * none of what surrounds them in a service, whose modules are not even loaded: no OpenAPI document
   * or Swagger UI, probes, metrics, security headers, CORS, authentication, rate limit, load
   * shedding, connection tracking or worker pool (`offload` is ignored). Without `config`, the
   * configuration's defaults: the environment's variables (API_TOKEN, BODY_LIMIT_BYTES, ...) configure
   * a service, not this. Each route answers as it does in a service with that configuration, byte for
   * byte (test/cli/one-shot.test.ts). The app has no `metrics`, `pressure` or `connections`.
   */
  oneShot?: boolean
  /**
   * For the benchmark only (scripts/piece-server.mjs, `npm run bench`'s (a')): build the service
   * without these pieces of its request path, to measure what each costs (StackPiece says what each
   * leaves out). Never in the service, the CLI or the workers: without a piece the service is not
   * what it promises (no security headers, no shedding, no drain without dropped requests...).
   * In a one-shot app, only `negotiation` and `hooks` mean anything (it has none of the others).
   */
  benchWithout?: readonly StackPiece[]
  /**
   * Where the capacity-review page's built files are (plugins/page.ts): dist/web/, which npm run build
   * writes, unless given (the tests build the page into a directory of their own). Not in a one-shot app.
   */
  pageDirectory?: string
}

/** The configuration loadConfig gives when the environment sets nothing, without loading its validator: a CLI call never reads the service's environment. */
function defaultConfig (): Config {
  return Object.fromEntries(Object.entries(ConfigSchema.properties).map(([name, schema]) => [name, (schema as { default?: unknown }).default])) as Config
}

/**
 * Before validation, in one callback hook (an async hook costs a promise and a microtask on every
 * request): an empty query value would be coerced to 0 by ajv, so `?expectedNodes=` is an error, not
 * 0 nodes; and a POST with no body at all means "all defaults", as the seed script run without
 * arguments.
 */
function requestDefaults (app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const query = request.query as Record<string, unknown>
    for (const field in query) {
      if (query[field] === '') return done(new EmptyQueryValueError(field))
    }
    if (request.method === 'POST' && request.body === undefined) request.body = {}
    done()
  })
}

/**
 * Once shutdown has begun every answer says Connection: close, so a client never sends another
 * request on a connection that is about to close (fastify closes idle ones when it stops listening).
 */
function closeConnectionsWhileDraining (app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!app.readiness.ready) reply.header('connection', 'close')
    done(null, payload)
  })
}

function lazyValidator (compile: () => ReturnType<Ajv['compile']>): (data: unknown) => boolean {
  let validate: ReturnType<Ajv['compile']> | undefined
  const validator = (data: unknown): boolean => {
    validate ??= compile()
    const valid = validate(data) as boolean
    validator.errors = validate.errors
    return valid
  }
  validator.errors = undefined as unknown
  return validator
}

type FastJsonSchema = Parameters<typeof fastJson>[0]

/** fastify's own serializer: fast-json-stringify with the shared schemas. */
function eagerSerializerCompiler (app: FastifyInstance) {
  return ({ schema }: { schema: object }): Serializer => fastJson(schema as FastJsonSchema, { schema: app.getSchemas() as Record<string, FastJsonSchema> })
}

/** The same serializer, compiled on first use. */
function lazySerializerCompiler (app: FastifyInstance) {
  const compile = eagerSerializerCompiler(app)
  return ({ schema }: { schema: object }): Serializer => {
    let serialize: Serializer | undefined
    return (data: unknown): string => {
      serialize ??= compile({ schema })
      return serialize(data)
    }
  }
}

/** The service's metrics, connection tracking and, when it offloads, its worker pool (closed with the app). */
async function serviceDecorations (app: FastifyInstance, config: Config, offload: boolean): Promise<RequestPool | undefined> {
  const [{ createMetrics }, { trackConnections }] = await Promise.all([import('./plugins/metrics.js'), import('./shutdown.js')])
  app.decorate('metrics', createMetrics())
  const untracked: ConnectionTracker = { sockets: new Set(), busy: new Map() }
  app.decorate('connections', app.benchWithout.has('connections') ? untracked : trackConnections(app.server))
  if (!offload) return undefined
  const { RequestPool, poolSettings } = await import('./workers/pool.js')
  const workerPool = new RequestPool(poolSettings(config), config)
  app.addHook('onClose', async () => { await workerPool.destroy() })
  return workerPool
}

/** What stands between clients and the routes in the service, in this order: metrics, protection, bodies it cannot read (415), Connection: close while draining, offloading. */
async function registerEdge (app: FastifyInstance, config: Config, workerPool: RequestPool | undefined): Promise<void> {
  const { registerLoadGauges, registerMetrics } = await import('./plugins/metrics.js')
  if (!app.benchWithout.has('metrics')) registerMetrics(app, app.metrics)
  await registerProtection(app, config, app.benchWithout)
  registerBodyEncodingCheck(app)
  registerLoadGauges(app.metrics, app.pressure, workerPool)
  if (!app.benchWithout.has('hooks')) closeConnectionsWhileDraining(app)
  if (workerPool !== undefined) {
    const { registerOffload } = await import('./plugins/offload.js')
    registerOffload(app, workerPool, config.OFFLOAD_BODY_BYTES)
  }
}

/** The service's own routes: the OpenAPI document and Swagger UI, the capacity-review page, and the probes. */
async function registerServiceRoutes (app: FastifyInstance, pageDirectory: string | undefined): Promise<void> {
  const [{ registerDocs }, { registerPage }, { healthRoutes }] = await Promise.all([import('./plugins/docs.js'), import('./plugins/page.js'), import('./routes/health.js')])
  await registerDocs(app)
  registerPage(app, pageDirectory)
  await app.register(healthRoutes)
}

export async function buildApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  const oneShot = options.oneShot === true
  const config = options.config ?? (oneShot ? defaultConfig() : loadConfig({}))
  const app = Fastify({
    // a request's logger is made when the request first logs (DeferredChildLogger)
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger, childLoggerFactory: deferredChildLoggerFactory }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Node's own request and headers timeouts, checked often enough to hold REQUEST_TIMEOUT_MS
    http: serverTimeouts(config.REQUEST_TIMEOUT_MS),
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // per-request info logs cost about a third of throughput (DESIGN.md)
    logController: new LogController({ disableRequestLogging: true }),
    // a request that reaches a kept-alive connection while draining is served, not refused: every
    // request the server accepts completes; new connections are refused once the listener closes
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: clientErrorHandler(config.REQUEST_TIMEOUT_MS)
  })

  // made on the first schema generated/ lacks: an ajv instance takes 10-20 ms to build
  let bodyAjv: Ajv | undefined
  let queryAjv: Ajv | undefined
  const compilerFor = (httpPart: string): Ajv => httpPart === 'querystring' ? (queryAjv ??= createQueryAjv()) : (bodyAjv ??= createBodyAjv())
  const compiled = options.compiled ?? compiledAheadOfTime()
  const validatorFor = (key: string, httpPart: string, schema: object): Validator => {
    options.recorder?.validator(key, httpPart, schema)
    const ahead = compiled.validators.get(key)
    if (ahead !== undefined) return ahead
    const compile = (): ReturnType<Ajv['compile']> => compilerFor(httpPart).compile(schema)
    return options.lazyCompilation === true ? lazyValidator(compile) : compile()
  }
  app.decorate('validatorFor', validatorFor)
  app.setValidatorCompiler(({ schema, method, url, httpPart }) => validatorFor(validatorKey(method, url, String(httpPart)), String(httpPart), schema))
  const compileSerializer = options.lazyCompilation === true ? lazySerializerCompiler(app) : eagerSerializerCompiler(app)
  const serializerFor = (key: string, schema: object): Serializer => {
    options.recorder?.serializer(key, schema)
    return compiled.serializers.get(key) ?? compileSerializer({ schema })
  }
  app.decorate('serializerFor', serializerFor)
  app.decorate('catalogueFigures', compiled.figures ?? new Map())
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => serializerFor(serializerKey(method, url, String(httpStatus)), schema))

  app.decorate('config', config)
  app.decorate('readiness', { ready: true, warm: true })
  app.decorate('estimateModels', new Map())
  app.decorate('routeEntries', [])
  app.decorate('warmUpToken', randomUUID())
  app.decorate('benchWithout', new Set(options.benchWithout))
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) app.routeEntries.push({ method, url: route.url })
  })
  const workerPool = oneShot ? undefined : await serviceDecorations(app, config, options.offload === true)
  app.decorate('workerPool', workerPool)
  const estimateSchemas = [
    EngramEstimateSchema, ScalingDecisionSchema, PerformanceModelsSchema, ForecastSchema, PresetListSchema, PresetSchema, GeneratedSchema,
    DeploymentSchema, AuroraEstimateSchema, ServicesEstimateSchema, TierListSchema, TierSchema, AeternaEstimateSchema, HaValidationSchema, HaRequirementsSchema,
    CatalogueSchema, DiffSchema, SweepSchema, SensitivitySchema, EngramCalibrationSchema, AeternaCalibrationSchema
  ]
  for (const schema of [...sharedSchemas, ...estimateSchemas]) app.addSchema(schema)

  registerErrorHandling(app)
  registerJsonBody(app)
  if (!oneShot) await registerEdge(app, config, workerPool)
  if (!app.benchWithout.has('hooks')) requestDefaults(app)
  if (!oneShot) await registerServiceRoutes(app, options.pageDirectory)
  await app.register(engramRoutes)
  await app.register(engramOperationsRoutes)
  await app.register(misterSmithRoutes)
  await app.register(aeternaRoutes)
  await app.register(calibrationRoutes, oneShot ? { bodyLimitBytes: ONE_SHOT_BODY_LIMIT_BYTES } : {})
  // last: the analyses run every estimate registered above
  await app.register(analysisRoutes)
  return app
}
