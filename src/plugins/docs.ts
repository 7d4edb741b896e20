// OpenAPI document (@fastify/swagger) and Swagger UI at /docs. The document is built from the
// route schemas; `npm run openapi` writes it to openapi/ and a test checks it for drift.
import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { readFileSync } from 'node:fs'
import { RouteNotFoundError } from '../errors.js'
import { type FormatMenu, MEDIA_OF, formatsOf } from './formats.js'

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string, description: string, license: string }

const STRING_BODY = { type: 'string' }

/**
 * The 200 response of a route with several formats: each declared format under its media type, JSON
 * with the route's response schema, every other format as the string it is.
 */
export function documentFormats (response: Record<string, unknown>, menu: FormatMenu, description: string): Record<string, unknown> {
  const ok = response[200] as Record<string, unknown>
  const content = Object.fromEntries(formatsOf(menu).map((format) => [MEDIA_OF[format],
    { schema: format === 'json' ? ok : { ...STRING_BODY, description: menu[format] } }]))
  return { ...response, 200: { description, content } }
}

/** The route's ?format enum, which must list exactly the formats it answers. */
function checkFormatQuery (url: string, querystring: unknown, menu: FormatMenu): void {
  const format = (querystring as { properties?: Record<string, { enum?: string[] }> } | undefined)?.properties?.format
  const declared = formatsOf(menu).join(',')
  if (format?.enum?.join(',') !== declared) throw new Error(`${url}: the format query parameter must list ${declared} (formatOnlyQuery or withFormatQuery with the route's formats)`)
}

export async function registerDocs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sizing-service',
        version: packageJson.version,
        description: `${packageJson.description} Every figure comes with the assumptions behind it and the seed section it is from.`,
        // package.json's licence: UNLICENSED, an internal service, no licence granted to others. SPDX
        // has no identifier for that; LicenseRef- is SPDX's form for a licence not on its list
        license: { name: packageJson.license, identifier: `LicenseRef-${packageJson.license}` }
      },
      // relative: the server that serves this document (GET /openapi.json, /docs/json)
      servers: [{ url: '/', description: 'The service that serves this document.' }],
      tags: [
        { name: 'engram', description: 'Engram memory-graph store (seed 004).' },
        { name: 'engram-operations', description: 'Engram once running: scaling decisions, performance models, forecasts, presets, generated alert rules and HPA (seed 004).' },
        { name: 'mistersmith', description: 'MisterSmith agent framework on AWS: Aurora Serverless v2 (seed 001) and ECS services (seed 003).' },
        { name: 'aeterna', description: 'Aeterna agent-memory platform on Kubernetes: tiers, recommendation, HA validation (seeds 000 and 002).' },
        { name: 'analysis', description: 'Any estimate: the catalogue, two scenarios compared, a sweep over one or two inputs, sensitivity.' },
        { name: 'operations', description: 'Health and readiness.' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'When the service runs with API_TOKEN (or API_TOKEN_FILE): `Authorization: Bearer <token>` (the scheme in any case). Without a token configured, no operation needs one.' }
        }
      },
      // every operation but the probes (which declare security: [])
      security: [{ bearerAuth: [] }]
    },
    refResolver: {
      // every shared schema has an $id (schemas/common.ts): use it as the component name
      buildLocalReference: (json) => json.$id as string
    },
    transform: ({ schema, url, route }) => {
      const menu = (route.config as { formats?: FormatMenu } | undefined)?.formats
      if (menu === undefined) return { schema, url }
      checkFormatQuery(url, schema.querystring, menu)
      const response = schema.response as Record<string, { $ref: string }>
      // the 200 answer is a shared schema: its description says what the answer is
      const description = (app.getSchema(response[200].$ref) as { description: string }).description
      return { schema: { ...schema, response: documentFormats(response, menu, description) }, url }
    }
  })
  registerSwaggerUi(app)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

/** Headers of Swagger UI's answer that belong to its connection, not to the answer: the service sets its own. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date'])

/**
 * Swagger UI (@fastify/swagger-ui) in an app of its own, with the service's OpenAPI document under
 * @fastify/swagger's name (the plugin requires it).
 */
async function buildSwaggerUi (app: FastifyInstance): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui')
  const ui = Fastify()
  await ui.register(fastifyPlugin(async (instance) => { instance.decorate('swagger', app.swagger.bind(app)) }, { name: '@fastify/swagger' }))
  await ui.register(swaggerUi, { routePrefix: '/docs' })
  await ui.ready()
  return ui
}

/**
 * GET /docs and everything under it, answered by Swagger UI built on the first such request (its
 * plugin and @fastify/static take a tenth of a cold start to load; the warm-up's GET /docs builds it
 * before /readyz says ready). The service's hooks (token, headers, metrics) run as for any route;
 * a path Swagger UI does not know is the service's 404.
 */
function registerSwaggerUi (app: FastifyInstance): void {
  let ui: Promise<FastifyInstance> | undefined
  app.addHook('onClose', async () => { if (ui !== undefined) await (await ui).close() })
  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    ui ??= buildSwaggerUi(app)
    const { host: _host, connection: _connection, ...headers } = request.headers
    const answer = await (await ui).inject({ method: 'GET', url: request.url, headers })
    if (answer.statusCode === 404) throw new RouteNotFoundError(request.method, request.url.split('?')[0])
    reply.code(answer.statusCode)
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!CONNECTION_HEADERS.has(name) && value !== undefined) reply.header(name, value)
    }
    await reply.send(answer.rawPayload)
  }
  app.get('/docs', { schema: { hide: true } }, forward)
  app.get('/docs/*', { schema: { hide: true } }, forward)
}
