import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { renderOpenApi } from '../scripts/openapi-document.js'

const { json, yaml } = await renderOpenApi()

t.test('the committed OpenAPI document is what the code generates (run `npm run openapi`)', async (t) => {
  t.equal(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'), json)
  t.equal(readFileSync(new URL('../openapi/openapi.yaml', import.meta.url), 'utf8'), yaml)
})

interface SchemaNode { type?: string, enum?: string[], description?: string, minimum?: number, maximum?: number, exclusiveMinimum?: number, default?: unknown, properties?: Record<string, SchemaNode>, items?: SchemaNode }

/** Numbers state unit, range and default and carry bounds; enums and arrays state their default. */
function checkInputField (t: Test, where: string, field: SchemaNode): void {
  if (field.type === 'number' || field.type === 'integer') {
    t.match(field.description, /Unit: .+\. Range: .+ to .+\./, `${where} states unit and range`)
    t.match(field.description, /Default: .+\.|\(required: the seed gives no default\)/, `${where} states its default`)
    t.ok(field.minimum !== undefined || field.exclusiveMinimum !== undefined, `${where} has a lower bound`)
    t.ok(field.maximum !== undefined, `${where} has an upper bound`)
  } else if (field.type === 'array') {
    t.match(field.description, /Default: /, `${where} states its default`)
    for (const [name, item] of Object.entries(field.items?.properties ?? {})) {
      t.ok(item.description, `${where}[].${name} is described`)
      if (item.type === 'number' || item.type === 'integer') t.match(item.description, /Unit: .+\. Range: .+ to .+\./, `${where}[].${name} states unit and range`)
    }
  } else if (field.type === 'boolean') {
    t.match(field.description, /Default: (true|false)\b/, `${where} states its default`)
  } else if (field.type === 'object') {
    t.ok(Object.keys(field.properties ?? {}).length > 0, `${where} has properties`)
    for (const [name, property] of Object.entries(field.properties ?? {})) checkInputField(t, `${where}.${name}`, property)
  } else {
    t.ok(field.enum !== undefined, `${where} is an enum`)
    t.match(field.description, /Default: |format/, `${where} states its default`)
  }
}

t.test('every input field of every estimate documents its unit, bounds and default', async (t) => {
  const document = JSON.parse(json)
  const estimates = Object.keys(document.paths).filter((path) => path.startsWith('/estimate/'))
  t.same(estimates, ['/estimate/engram', '/estimate/aurora', '/estimate/mistersmith', '/estimate/aeterna'])
  for (const path of estimates) {
    const operation = document.paths[path]
    const bodySchema: SchemaNode = operation.post.requestBody.content['application/json'].schema
    const bodyFields = Object.entries(bodySchema.properties ?? {})
    const queryParameters: Array<{ name: string, description: string, schema: SchemaNode }> = operation.get.parameters
    t.ok(bodyFields.length >= 7, `${path} has its fields`)
    const scalars = bodyFields.filter(([, field]) => field.type !== 'array' && field.type !== 'object').map(([name]) => name)
    t.same(scalars.filter((name) => !queryParameters.some((parameter) => parameter.name === name)), [], `${path} takes its scalar fields as a query string`)
    for (const [name, field] of bodyFields) checkInputField(t, `${path} body ${name}`, field)
    // OpenAPI keeps a query parameter's description beside its schema
    for (const parameter of queryParameters) checkInputField(t, `${path} query ${parameter.name}`, { ...parameter.schema, description: parameter.description })
  }
})

t.test('every output figure documents its unit', async (t) => {
  const document = JSON.parse(json)
  const numbers = (node: SchemaNode, where: string): Array<[string, SchemaNode]> => [
    ...(node.type === 'number' || node.type === 'integer' ? [[where, node] as [string, SchemaNode]] : []),
    ...Object.entries(node.properties ?? {}).flatMap(([name, child]) => numbers(child, `${where}.${name}`)),
    ...(node.items !== undefined ? numbers(node.items, `${where}[]`) : [])
  ]
  for (const name of ['EngramEstimate', 'AuroraEstimate', 'ServicesEstimate']) {
    const estimate: SchemaNode = document.components.schemas[name]
    const outputs = Object.entries(estimate.properties ?? {}).filter(([section]) => section !== 'inputs')
    const figures = outputs.flatMap(([section, node]) => numbers(node, `${name}.${section}`))
    t.ok(figures.length > 15, `${name} has its figures`)
    for (const [where, figure] of figures) t.match(figure.description, /Unit: /, where)
  }
  const responses = document.paths['/estimate/engram'].post.responses
  t.same(Object.keys(responses['200'].content), ['application/json', 'application/yaml', 'text/plain'])
  t.same(responses['400'].content['application/json'].schema, { $ref: '#/components/schemas/ErrorResponse' })
})
