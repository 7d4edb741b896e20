// The POST/GET pair every estimate has: the JSON body on POST, the same fields as a query string on
// GET, one model, one response schema, the formats of plugins/formats.ts.
import type { FastifyInstance } from 'fastify'
import type { TSchema } from 'typebox'
import { type Renderers, sendFormatted } from '../plugins/formats.js'
import { FormatOnlyQuerySchema } from '../schemas/engram.js'

export interface EstimateRoutes<R> {
  path: string
  tags: string[]
  summary: string
  description: string
  body: TSchema
  query: TSchema
  response: Record<number, TSchema>
  compute: (input: any) => R
  renderers: ((result: R) => string) | Renderers<R>
}

export function registerEstimateRoutes<R> (app: FastifyInstance, routes: EstimateRoutes<R>): void {
  const { path, tags, summary, description, body, query, response, compute, renderers } = routes
  const documentation = { tags, description, response }
  app.post(path, {
    config: { formats: true },
    schema: { ...documentation, summary, body, querystring: FormatOnlyQuerySchema }
  }, async (request, reply) => await sendFormatted(request, reply, compute(request.body), renderers))
  app.get(path, {
    config: { formats: true },
    schema: { ...documentation, summary: `${summary} (query string)`, querystring: query }
  }, async (request, reply) => {
    const { format: _format, ...fields } = request.query as Record<string, unknown>
    return await sendFormatted(request, reply, compute(fields), renderers)
  })
}
