import t from 'tap'
import { readFileSync } from 'node:fs'
import { renderOpenApi } from '../scripts/openapi-document.js'

const { json, yaml } = await renderOpenApi()

t.test('the committed OpenAPI document is what the code generates (run `npm run openapi`)', async (t) => {
  t.equal(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'), json)
  t.equal(readFileSync(new URL('../openapi/openapi.yaml', import.meta.url), 'utf8'), yaml)
})

interface SchemaNode { type?: string, description?: string, minimum?: number, maximum?: number, exclusiveMinimum?: number, default?: unknown, properties?: Record<string, SchemaNode> }

t.test('every input field documents its unit, bounds and default', async (t) => {
  const document = JSON.parse(json)
  const operation = document.paths['/estimate/engram']
  const bodySchema: SchemaNode = operation.post.requestBody.content['application/json'].schema
  const queryParameters: Array<{ name: string, description: string, schema: SchemaNode }> = operation.get.parameters
  // OpenAPI keeps a query parameter's description beside its schema
  const queryFields = queryParameters.filter((p) => p.name !== 'format')
    .map((p): [string, SchemaNode] => [p.name, { ...p.schema, description: p.description }])
  const fields = [...Object.entries(bodySchema.properties ?? {}), ...queryFields]
  t.ok(fields.length >= 32)
  for (const [name, field] of fields) {
    t.match(field.description, /Unit: .+\. Range: .+ to .+\. Default: .+\./, `${name} describes unit, range and default`)
    t.ok(field.minimum !== undefined || field.exclusiveMinimum !== undefined, `${name} has a lower bound`)
    t.ok(field.maximum !== undefined, `${name} has an upper bound`)
    t.ok(field.default !== undefined, `${name} has a default`)
  }
})

t.test('every output figure documents its unit', async (t) => {
  const document = JSON.parse(json)
  const estimate: SchemaNode = document.components.schemas.EngramEstimate
  for (const section of ['tiers', 'cpu', 'memory', 'storage', 'network', 'recommendations']) {
    for (const [name, figure] of Object.entries(estimate.properties?.[section].properties ?? {})) {
      t.match(figure.description, /Unit: /, `${section}.${name}`)
    }
  }
  const responses = document.paths['/estimate/engram'].post.responses
  t.same(Object.keys(responses['200'].content), ['application/json', 'application/yaml', 'text/plain'])
  t.same(responses['400'].content['application/json'].schema, { $ref: '#/components/schemas/ErrorResponse' })
})
