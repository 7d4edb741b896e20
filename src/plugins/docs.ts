// OpenAPI document (@fastify/swagger) and Swagger UI at /docs. The document is built from the
// route schemas; `npm run openapi` writes it to openapi/ and a test checks it for drift.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { readFileSync } from 'node:fs'

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string, description: string }

/** Routes that declare `config: { formats: true }` also answer in YAML and as a text report. */
function documentAlternateFormats (response: Record<string, unknown>): Record<string, unknown> {
  const ok = response[200] as Record<string, unknown>
  return {
    ...response,
    200: {
      description: String(ok.description ?? 'The estimate.'),
      content: {
        'application/json': { schema: ok },
        'application/yaml': { schema: ok },
        'text/plain': { schema: { type: 'string', description: 'A report laid out like the seed script\'s output.' } }
      }
    }
  }
}

export async function registerDocs (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'sizing-service',
        version: packageJson.version,
        description: `${packageJson.description} Every figure comes with the assumptions behind it and the seed section it is from.`
      },
      tags: [
        { name: 'engram', description: 'Engram memory-graph store (seed 004).' },
        { name: 'engram-operations', description: 'Engram once running: scaling decisions, performance models, forecasts, presets, generated alert rules and HPA (seed 004).' },
        { name: 'mistersmith', description: 'MisterSmith agent framework on AWS: Aurora Serverless v2 (seed 001) and ECS services (seed 003).' },
        { name: 'aeterna', description: 'Aeterna agent-memory platform on Kubernetes: tiers, recommendation, HA validation (seeds 000 and 002).' },
        { name: 'operations', description: 'Health and readiness.' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'When the service runs with API_TOKEN (or API_TOKEN_FILE): Authorization: Bearer <token> (the scheme in any case). Without a token configured, no operation needs one.' }
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
      const config = (route.config ?? {}) as { formats?: boolean }
      if (config.formats !== true) return { schema, url }
      return { schema: { ...schema, response: documentAlternateFormats(schema.response as Record<string, unknown>) }, url }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
