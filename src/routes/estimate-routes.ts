// The POST/GET pair every estimate has: the JSON body on POST, the same fields as a query string on
// GET, one model, one response schema, the formats of plugins/formats.ts. Each estimate registered
// here is also entered in the app's model catalogue, which /estimates lists and /diff, /sweep,
// /sensitivity and the CLI run: a new estimate needs no code there.
import type { FastifyInstance } from 'fastify'
import type { TObject, TSchema } from 'typebox'
import { ESTIMATE_FORMATS, type FormatMenu, type Renderers, sendDefaultJson, sendFormatted } from '../plugins/formats.js'
import { formatOnlyQuery, withFormatQuery } from '../schemas/common.js'

/** How the analyses read a model's figures. */
export interface FigureGuide {
  /** Figures a sweep or sensitivity reports when the request names none. */
  key: string[]
  /** Short gate names (`cores`, `cost`) for figure paths. */
  aliases?: Record<string, string>
  /** Figures whose change is a tier change in a sweep. */
  tiers?: string[]
  /** A valid scenario, when the empty one is not (a required field): the catalogue's figure list. */
  example?: Record<string, unknown>
}

export interface EstimateRoutes<R> {
  /** The model's name in the catalogue, the CLI and the analyses' `model` field. */
  model: string
  /** The POST operation's OpenAPI operationId; the GET one adds `FromQuery`. */
  operationId: string
  path: string
  tags: string[]
  summary: string
  description: string
  body: TSchema
  /** The GET query string's fields (the route adds `format`). */
  query: TObject
  response: Record<number, TSchema>
  compute: (input: any) => R
  renderers: ((result: R) => string) | Renderers<R>
  /** The POST body's media types (OpenAPI), when more than JSON: YAML bodies parse to the same schema. */
  consumes?: string[]
  /** What the routes answer: JSON, YAML and a text report unless given. */
  formats?: FormatMenu
  figures: FigureGuide
}

export interface EstimateModel {
  name: string
  path: string
  summary: string
  body: TSchema
  compute: (input: any) => object
  key: string[]
  aliases: Record<string, string>
  tiers: string[]
  example: Record<string, unknown>
}

export type ModelCatalogue = Map<string, EstimateModel>

export function registerEstimateRoutes<R extends object> (app: FastifyInstance, routes: EstimateRoutes<R>): void {
  const { model, operationId, path, tags, summary, description, body, query, response, compute, renderers, figures, consumes, formats = ESTIMATE_FORMATS } = routes
  app.estimateModels.set(model, {
    name: model,
    path,
    summary,
    body,
    compute,
    key: figures.key,
    aliases: figures.aliases ?? {},
    tiers: figures.tiers ?? [],
    example: figures.example ?? {}
  })
  const documentation = { tags, description, response }
  // JSON whatever the client asks only in the benchmark's "without negotiation" (BuildOptions.benchWithout)
  const send = app.benchWithout.has('negotiation') ? sendDefaultJson : sendFormatted
  app.post(path, {
    config: { formats },
    schema: { ...documentation, operationId, summary, body, querystring: formatOnlyQuery(formats), ...(consumes === undefined ? {} : { consumes }) }
  }, async (request, reply) => await send(request, reply, compute(request.body), renderers))
  app.get(path, {
    config: { formats },
    schema: { ...documentation, operationId: `${operationId}FromQuery`, summary: `${summary} (query string)`, querystring: withFormatQuery(query, formats) }
  }, async (request, reply) => {
    const { format: _format, ...fields } = request.query as Record<string, unknown>
    return await send(request, reply, compute(fields), renderers)
  })
}
