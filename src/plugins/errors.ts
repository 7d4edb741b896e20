// One error shape everywhere: { statusCode, error, code, message }. Validation messages name the
// field and the rule; 5xx messages never leak internals.
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import { applyHeaders } from './protection.js'
import { RouteNotFoundError, TaskTimeoutError, WorkerFailedError, WorkersBusyError } from '../errors.js'
import { PrometheusQueryError } from '../prometheus/errors.js'

const UNAVAILABLE_CODES = new Set([new WorkersBusyError(0).code, new TaskTimeoutError(0).code, new WorkerFailedError('').code])

/** "body/expectedNodez is not a known field", "body/activeRatio must be <= 1", ... */
export function formatValidationErrors (errors: FastifySchemaValidationError[], dataVar: string): Error {
  const [first] = errors
  const path = `${dataVar}${first.instancePath}`
  const params = first.params as Record<string, unknown>
  let message = `${path} ${String(first.message)}`
  if (first.keyword === 'additionalProperties') {
    message = `${path}/${String(params.additionalProperty)} is not a known field (unknown fields are rejected)`
  } else if (first.keyword === 'required') {
    message = `${path}/${String(params.missingProperty)} is required`
  } else if (first.keyword === 'enum') {
    message = `${path} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`
  }
  return new Error(message)
}

/** A route's path pattern as a regular expression: `:name` one segment, `*` the rest. */
function pathPattern (url: string): RegExp {
  const escaped = url.split('/').map((segment) => segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('/')}$`)
}

/** The methods the routes answer on a path, sorted; empty when no route has that path. */
export function allowedMethods (path: string, routes: ReadonlyArray<{ method: string, url: string }>): string[] {
  // a catch-all (CORS preflights register OPTIONS *) says nothing about which paths exist
  const methods = routes.filter((route) => route.url !== '*' && pathPattern(route.url).test(path)).map((route) => route.method)
  return [...new Set(methods)].sort()
}

/** Errors fastify answers before any hook runs (a malformed or too long URL): the one format, with the security headers. */
export function frameworkErrorHandler (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode ?? 400
  applyHeaders(reply.raw)
  reply.code(statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify)
    .send({ statusCode, error: STATUS_CODES[statusCode], code: error.code, message: error.message.slice(0, 300) })
}

export function registerErrorHandling (app: FastifyInstance): void {
  app.setSchemaErrorFormatter(formatValidationErrors)

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
    // the service's own 503s (a full worker queue, a spent time budget) say what happened and when to retry
    const unavailable = error.statusCode === 503 && UNAVAILABLE_CODES.has(error.code)
    // Prometheus unreachable, too slow or answering nonsense: 502/504 saying which (the server named by configuration, never by the request)
    const upstream = error instanceof PrometheusQueryError
    const statusCode = error.validation !== undefined ? 400 : clientError || unavailable || upstream ? error.statusCode as number : 500
    if (statusCode === 500) request.log.error({ err: error }, 'request failed')
    if (upstream && statusCode >= 500) request.log.warn({ err: error }, 'reading Prometheus failed')
    if (unavailable) reply.header('retry-after', String(app.config.PRESSURE_RETRY_AFTER_S))
    const code = error.validation !== undefined ? 'FST_ERR_VALIDATION' : error.code ?? 'INTERNAL_ERROR'
    const message = statusCode === 500 ? 'The server could not compute this answer; the error is logged.' : error.message
    reply.code(statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify)
      .send({ statusCode, error: STATUS_CODES[statusCode], code, message })
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]
    const allowed = allowedMethods(path, app.routeEntries)
    if (allowed.length > 0) {
      // a known path asked with a method it does not answer (PUT, DELETE, TRACE, ...)
      reply.code(405).header('allow', allowed.join(', ')).send({ statusCode: 405, error: 'Method Not Allowed', code: 'METHOD_NOT_ALLOWED', message: `${request.method} ${path}: this path answers ${allowed.join(', ')}` })
      return
    }
    const error = new RouteNotFoundError(request.method, path)
    reply.code(404).send({ statusCode: 404, error: 'Not Found', code: error.code, message: error.message })
  })
}
