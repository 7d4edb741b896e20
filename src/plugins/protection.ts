// What stands between the internet and the models: optional bearer-token authentication (constant
// time), security headers, CORS by origin list, optional rate limiting, load shedding (pressure.ts)
// and memory admission (memory.ts) decided before fastify routes or parses a request, and
// Connection: close on every response once shutdown has begun.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import helmet from 'helmet'
import { Counter } from 'prom-client'
import type { StackPiece } from '../app.js'
import { type Config, corsOrigins } from '../config.js'
import { BODY_MEMORY_FACTOR, bodyMemoryBytes, maxRssBytes, memoryAdmission, memoryLimit } from './memory.js'
import { PressureMonitor } from './pressure.js'

/** Routes a load balancer or kubelet must reach without a token or a rate limit. */
export const OPEN_ROUTES = new Set(['/healthz', '/readyz'])

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Compares digests so that neither the token's length nor its content leaks through timing. */
export function tokenMatches (presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

function sendError (reply: FastifyReply, statusCode: number, error: string, code: string, message: string): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify).send({ statusCode, error, code, message })
}

/**
 * What a browser reads before it has a token: Swagger UI, its files, the OpenAPI document, and the
 * capacity-review page with its files (plugins/page.ts), whose API calls carry the token the user enters.
 */
export function isDocumentation (path: string): boolean {
  return path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/') || path === '/' || path.startsWith('/page/')
}

/** The credentials of a Bearer Authorization header; the scheme is case-insensitive (RFC 9110, 11.1). */
export function bearerCredentials (header: string | undefined): string {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '')
  return match === null ? '' : match[1]
}

function registerAuthentication (app: FastifyInstance, token: string, publicDocs: boolean): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]
    if (OPEN_ROUTES.has(path) || (publicDocs && isDocumentation(path))) return
    const presented = bearerCredentials(request.headers.authorization)
    if (presented === '' || !tokenMatches(presented, token)) {
      reply.header('www-authenticate', 'Bearer realm="sizing-service"')
      return await sendError(reply, 401, 'Unauthorized', 'UNAUTHORIZED', presented === '' ? 'Authorization: Bearer <token> is required' : 'the bearer token is not valid')
    }
  })
}

/**
 * helmet's middleware, built once. @fastify/helmet builds a new helmet middleware on every request
 * (measured: 18,000 -> 10,300 requests/s on its own), so its headers are computed once instead
 * (securityHeaders); the errors fastify answers before any hook (a bad or too long URL) get them too.
 */
const helmetMiddleware = helmet({
  // Swagger UI loads its scripts and styles from /docs/static and its spec from /docs/json: 'self'
  // covers them; images may be data: URIs.
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"] } },
  strictTransportSecurity: false // TLS ends at the ingress; it sets HSTS
})

/**
 * The headers helmet sets, computed once: they depend on nothing in the request (no nonce), so every
 * answer gets the same object instead of helmet running per request.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {}
  const response = { setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value) }, removeHeader: () => {} }
  helmetMiddleware({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
})()

/** The security headers on a raw response (the errors fastify answers before any hook). */
export function applyHeaders (response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
}

function registerSecurityHeaders (app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS)
    done()
  })
}

/** `without`: pieces the benchmark leaves out (BuildOptions.benchWithout); here `headers` and `shedding`. */
export async function registerProtection (app: FastifyInstance, config: Config, without: ReadonlySet<StackPiece>): Promise<void> {
  if (!without.has('headers')) registerSecurityHeaders(app)
  const origins = corsOrigins(config)
  // CORS and rate limiting are loaded only when configured: the import is a start-up cost otherwise
  if (origins.length > 0) await app.register((await import('@fastify/cors')).default, { origin: origins, methods: ['GET', 'POST'], maxAge: 600 })
  if (config.API_TOKEN !== '') registerAuthentication(app, config.API_TOKEN, config.DOCS_PUBLIC)
  if (config.RATE_LIMIT_MAX > 0) {
    await app.register((await import('@fastify/rate-limit')).default, {
      max: config.RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      allowList: (request) => OPEN_ROUTES.has(request.url.split('?')[0]),
      errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED', message: `rate limit of ${context.max} requests per ${context.after} exceeded` })
    })
  }
  registerLoadShedding(app, config, !without.has('shedding'))
}

/** A refusal's status line, headers and body, built once per kind and reused. */
export interface Refusal { statusCode: number, headers: OutgoingHttpHeaders, body: Buffer, code: string }

/** The service's error shape as bytes, with the security headers: what an answer refused before fastify carries. */
export function refusal (statusCode: number, error: string, code: string, message: string, headers: OutgoingHttpHeaders = {}): Refusal {
  const body = Buffer.from(JSON.stringify({ statusCode, error, code, message }))
  return { statusCode, code, body, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': body.byteLength, ...headers } }
}

/** A probe's path, with or without a query: /healthz and /readyz are never refused. */
export function isProbe (url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]
  return OPEN_ROUTES.has(path)
}

/** Below this estimate a body is admitted without a reservation: its memory is noise next to the budget, and the bookkeeping would cost every small POST. */
export const MIN_RESERVED_BYTES = 1_048_576

const LARGEST_BODY_MEMORY_FACTOR = Math.max(...Object.values(BODY_MEMORY_FACTOR))

const MiB = 1_048_576
const mebibytes = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`

/** What the early refusal needs: the monitor, the memory budget, and how a refusal is worded. */
export interface AdmissionSettings {
  pressure: PressureMonitor
  maxRssBytes: number
  bodyLimitBytes: number
  retryAfterS: number
  /** false once shutdown has begun: every answer then says Connection: close. */
  ready: () => boolean
}

/**
 * Decides, per request and before fastify sees it, whether to refuse it: for load (the share the
 * monitor sheds; never a probe), or for memory (a body whose estimate does not fit: 503 MEMORY_BUSY
 * while requests in flight hold the room, 413 MEMORY_LIMIT if even an idle service could not hold
 * it). An admitted large body reserves its estimate until its answer closes.
 */
export class Admission {
  /** Estimates of the large bodies admitted and not yet answered. */
  reservedBytes = 0
  private readonly overloaded = new Map<string, Refusal>()

  constructor (private readonly settings: AdmissionSettings) {}

  /** The refusal for this request, or undefined to let fastify answer it. */
  refusalFor (request: IncomingMessage, response: ServerResponse): Refusal | undefined {
    const reason = this.settings.pressure.shed()
    if (reason !== undefined) return isProbe(request.url) ? undefined : this.overloadedRefusal(reason)
    const headers = request.headers
    const declared = headers['content-length']
    if (declared === undefined && headers['transfer-encoding'] === undefined) return undefined
    // a body of unknown length may be as large as the limit allows
    const bytes = declared === undefined ? this.settings.bodyLimitBytes : Math.min(Number(declared), this.settings.bodyLimitBytes)
    // the small bodies of nearly every request pass before the media type is even read
    if (!(bytes * LARGEST_BODY_MEMORY_FACTOR >= MIN_RESERVED_BYTES)) return undefined
    const estimate = bodyMemoryBytes(headers['content-type'], bytes)
    if (estimate < MIN_RESERVED_BYTES) return undefined
    return this.admitMemory(estimate, bytes, headers['content-type'], response)
  }

  private admitMemory (estimate: number, bytes: number, contentType: string | undefined, response: ServerResponse): Refusal | undefined {
    const pressure = this.settings.pressure
    const state = { maxRssBytes: this.settings.maxRssBytes, rssBytes: pressure.rssBytes, reservedBytes: this.reservedBytes, idleRssBytes: pressure.idleRssBytes }
    const verdict = memoryAdmission(estimate, state)
    const body = `a body of ${bytes} bytes of ${contentType ?? 'application/json'} is estimated to take ${mebibytes(estimate)}`
    if (verdict === 'never') {
      return refusal(413, 'Payload Too Large', 'MEMORY_LIMIT', `${body}, more than the ${mebibytes(state.maxRssBytes - state.idleRssBytes)} the service has for requests (MAX_RSS_BYTES less its memory at rest): send a smaller body`, this.closing())
    }
    if (verdict === 'busy') {
      const retryAfter = String(this.settings.retryAfterS)
      return refusal(503, 'Service Unavailable', 'MEMORY_BUSY', `${body}, more than is free now (${mebibytes(Math.max(0, state.maxRssBytes - state.rssBytes - state.reservedBytes))} under MAX_RSS_BYTES); retry after ${retryAfter} s`, { 'retry-after': retryAfter, ...this.closing() })
    }
    this.reservedBytes += estimate
    response.once('close', () => { this.reservedBytes -= estimate })
    return undefined
  }

  private closing (): OutgoingHttpHeaders {
    return this.settings.ready() ? {} : { connection: 'close' }
  }

  /** The 503 OVERLOADED for a reason, built once (one per reason, and per draining or not). */
  private overloadedRefusal (reason: string): Refusal {
    const key = this.settings.ready() ? reason : `${reason} closing`
    let built = this.overloaded.get(key)
    if (built === undefined) {
      const retryAfter = String(this.settings.retryAfterS)
      built = refusal(503, 'Service Unavailable', 'OVERLOADED', `the service is overloaded (${reason}); retry after ${retryAfter} s`, { 'retry-after': retryAfter, ...this.closing() })
      this.overloaded.set(key, built)
    }
    return built
  }
}

/**
 * Puts `refuse` in front of fastify's request handler on the server: a refused request costs a
 * lookup and a write of prebuilt bytes, not routing, hooks and serialization (issue 29: a 503 that
 * went through fastify cost half of a served request). Its unread body is discarded by Node, and the
 * connection stays open (a client that retries after Retry-After reuses it).
 */
export function refuseBeforeRouting (server: Server, refuse: (request: IncomingMessage, response: ServerResponse) => Refusal | undefined, counted: (code: string) => void): void {
  const [fastifyHandler] = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>
  // only fastify's handler is replaced: the other listeners (connection tracking for the drain,
  // shutdown.ts) still see every request, refused or not
  server.removeListener('request', fastifyHandler)
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const refused = refuse(request, response)
    if (refused === undefined) return fastifyHandler(request, response)
    counted(refused.code)
    response.writeHead(refused.statusCode, refused.headers)
    response.end(refused.body)
  })
}

/**
 * The pressure monitor (for /readyz and the gauges), and, unless the benchmark leaves `shedding` out,
 * the refusals before routing: requests shed for load (503 OVERLOADED with Retry-After; never the
 * probes) and bodies whose memory would not fit (503 MEMORY_BUSY, 413 MEMORY_LIMIT). Counted in
 * `sizing_requests_refused_total` by code (they never reach the request histogram).
 */
function registerLoadShedding (app: FastifyInstance, config: Config, shed: boolean): void {
  const limit = memoryLimit(config)
  const rssLimit = maxRssBytes(config, limit)
  app.decorate('pressure', new PressureMonitor({
    maxEventLoopUtilization: config.MAX_EVENT_LOOP_UTILIZATION,
    targetEventLoopDelayMs: config.SHED_TARGET_DELAY_MS,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES,
    maxRssBytes: rssLimit
  }))
  app.log.info({ memoryLimitBytes: limit.bytes, memoryLimitSource: limit.source, maxRssBytes: rssLimit }, 'memory budget')
  app.addHook('onClose', (_app, done) => { app.pressure.stop(); done() })
  if (!shed) return
  const refused = new Counter({ name: 'sizing_requests_refused_total', help: 'Requests refused before routing: OVERLOADED (load shedding), MEMORY_BUSY and MEMORY_LIMIT (memory admission).', labelNames: ['code'], registers: [app.metrics.registry] })
  const admission = new Admission({ pressure: app.pressure, maxRssBytes: rssLimit, bodyLimitBytes: config.BODY_LIMIT_BYTES, retryAfterS: config.PRESSURE_RETRY_AFTER_S, ready: () => app.readiness.ready })
  const byCode = new Map<string, Counter.Internal>()
  const count = (code: string): void => {
    let child = byCode.get(code)
    if (child === undefined) byCode.set(code, child = refused.labels(code))
    child.inc()
  }
  refuseBeforeRouting(app.server, (request, response) => admission.refusalFor(request, response), count)
}
