// What stands between the internet and the models: optional bearer-token authentication (constant
// time), security headers, CORS by origin list, optional rate limiting, load shedding (pressure.ts),
// and Connection: close on every response once shutdown has begun.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import helmet from 'helmet'
import type { StackPiece } from '../app.js'
import { type Config, corsOrigins } from '../config.js'
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

/**
 * 503 with Retry-After while the pressure monitor says so; never for the probes. Without `shed` (the
 * benchmark's "without shedding") the monitor is there, for /readyz and the gauges, but no request
 * consults it.
 */
function registerLoadShedding (app: FastifyInstance, config: Config, shed: boolean): void {
  app.decorate('pressure', new PressureMonitor({
    maxEventLoopUtilization: config.MAX_EVENT_LOOP_UTILIZATION,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES,
    maxRssBytes: config.MAX_RSS_BYTES
  }))
  app.addHook('onClose', (_app, done) => { app.pressure.stop(); done() })
  if (!shed) return
  app.addHook('onRequest', (request, reply, done) => {
    const reason = app.pressure.reason
    // never restart or unroute a pod for being busy: the probes stay open
    if (reason === undefined || OPEN_ROUTES.has(request.url.split('?')[0])) return done()
    reply.header('retry-after', String(config.PRESSURE_RETRY_AFTER_S))
    sendError(reply, 503, 'Service Unavailable', 'OVERLOADED', `the service is overloaded (${reason}); retry after ${config.PRESSURE_RETRY_AFTER_S} s`)
  })
}
