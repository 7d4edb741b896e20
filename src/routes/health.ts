// Liveness and readiness. Readiness turns 503 as soon as shutdown starts, so load balancers stop
// sending traffic while in-flight requests finish.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ErrorRef } from '../schemas/common.js'

const StatusSchema = Type.Object({ status: Type.String({ description: '"ok".' }) }, { additionalProperties: false })

export async function healthRoutes (app: FastifyInstance): Promise<void> {
  app.get('/healthz', {
    schema: { tags: ['operations'], operationId: 'liveness', summary: 'Liveness: the process answers.', security: [], response: { 200: StatusSchema } }
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      operationId: 'readiness',
      security: [],
      summary: 'Readiness: 200 while serving; 503 once shutdown has started or while load is being shed.',
      response: { 200: StatusSchema, 503: ErrorRef }
    }
  }, async (_request, reply) => {
    if (!app.readiness.ready) {
      return await reply.code(503).header('retry-after', '5').send({ statusCode: 503, error: 'Service Unavailable', code: 'SHUTTING_DOWN', message: 'shutting down' })
    }
    // answering already, but not yet warm: routed traffic waits for warm code
    if (!app.readiness.warm) {
      return await reply.code(503).header('retry-after', '1').send({ statusCode: 503, error: 'Service Unavailable', code: 'WARMING_UP', message: 'warming up: every route runs once and every worker warms before traffic is routed here' })
    }
    // while every request is refused (a hard limit: a stall, memory), take this pod out of the load
    // balancer rather than fail them; a share refused for waiting time keeps it routed: it is serving
    // most requests, and unrouting every pod under a burst would refuse them all
    if (app.pressure.reason !== undefined && app.pressure.probability >= 1) {
      return await reply.code(503).header('retry-after', '5').send({ statusCode: 503, error: 'Service Unavailable', code: 'OVERLOADED', message: `overloaded (${app.pressure.reason}): shedding load` })
    }
    return { status: 'ok' }
  })
}
