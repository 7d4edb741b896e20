// One error shape everywhere: { statusCode, error, code, message }. Validation messages name the
// field and the rule; 5xx messages never leak internals.
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from 'fastify'
import { RouteNotFoundError, TaskTimeoutError, WorkerFailedError, WorkersBusyError } from '../errors.js'

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

export function registerErrorHandling (app: FastifyInstance): void {
  app.setSchemaErrorFormatter(formatValidationErrors)

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
    // the service's own 503s (a full worker queue, a spent time budget) say what happened and when to retry
    const unavailable = error.statusCode === 503 && UNAVAILABLE_CODES.has(error.code)
    const statusCode = error.validation !== undefined ? 400 : clientError || unavailable ? error.statusCode as number : 500
    if (statusCode === 500) request.log.error({ err: error }, 'request failed')
    if (unavailable) reply.header('retry-after', String(app.config.PRESSURE_RETRY_AFTER_S))
    const code = error.validation !== undefined ? 'FST_ERR_VALIDATION' : error.code ?? 'INTERNAL_ERROR'
    const message = statusCode === 500 ? 'The server could not compute this answer; the error is logged.' : error.message
    reply.code(statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify)
      .send({ statusCode, error: STATUS_CODES[statusCode], code, message })
  })

  app.setNotFoundHandler((request, reply) => {
    const error = new RouteNotFoundError(request.method, request.url.split('?')[0])
    reply.code(404).send({ statusCode: 404, error: 'Not Found', code: error.code, message: error.message })
  })
}
