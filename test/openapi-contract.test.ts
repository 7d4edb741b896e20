// The OpenAPI document as third-party tools read it: two validators accept the committed file, and
// every operation answers each format its document lists, with the media type and the schema it
// lists (the JSON checked against the document's own schema with a JSON Schema 2020-12 validator).
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import Fastify from 'fastify'
import { Type } from 'typebox'
import { buildApp } from '../src/app.js'
import { registerDocs } from '../src/plugins/docs.js'
import { formatOnlyQuery } from '../src/schemas/common.js'
import { estimateExamples, warmUpRequest } from '../src/warm-up.js'

const documentPath = new URL('../openapi/openapi.json', import.meta.url)
const document = JSON.parse(readFileSync(documentPath, 'utf8'))

interface Operation { operationId: string, parameters?: Array<{ name: string, in: string, schema: { enum?: string[] } }>, responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }
const operations: Array<{ method: string, path: string, operation: Operation }> = Object.entries(document.paths as Record<string, Record<string, Operation>>)
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method, path, operation })))

t.test('@apidevtools/swagger-parser validates the committed document as OpenAPI 3.1', async (t) => {
  t.equal(document.openapi, '3.1.0')
  const validated = await SwaggerParser.validate(documentPath.pathname) as { paths: object }
  t.equal(Object.keys(validated.paths).length, Object.keys(document.paths).length)
})

t.test('redocly lint (recommended rules, none switched off): no errors; the warnings are the two known ones', async (t) => {
  const cli = new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url).pathname
  // exit code 1 on errors: read the report either way
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', documentPath.pathname, '--format=json'], {
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024
  }).catch((error: { stdout: string }) => error)
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number, warnings: number }, problems: Array<{ ruleId: string, severity: string, location: Array<{ pointer: string }> }> }
  t.same(report.problems.filter((problem) => problem.severity === 'error'), [], 'no errors')
  t.same(report.problems.map((problem) => `${problem.ruleId} ${problem.location[0].pointer}`).sort(), [
    // the probes answer 200 or 503, never a 4xx
    'operation-4xx-response #/paths/~1healthz/get/responses',
    'operation-4xx-response #/paths/~1readyz/get/responses'
  ])
})

t.test('every operation has an operationId, a tag, and a bearer requirement unless it is a probe', async (t) => {
  const ids = operations.map(({ operation }) => operation.operationId)
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  t.ok(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id)), 'camelCase operationIds')
  t.same(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: document.components.securitySchemes.bearerAuth.description })
  t.same(document.security, [{ bearerAuth: [] }])
  t.same(operations.filter(({ operation }) => (operation as { security?: unknown[] }).security !== undefined).map(({ path }) => path), ['/healthz', '/readyz'])
  for (const { path, operation } of operations.filter(({ path }) => !['/healthz', '/readyz'].includes(path))) {
    t.ok(operation.responses['401'] !== undefined, `${path} documents 401`)
  }
  t.same(document.servers, [{ url: '/', description: 'The service that serves this document.' }])
  t.same(document.info.license, { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' })
})

t.test('tier names and warning codes are enums', async (t) => {
  const schemas = document.components.schemas
  t.same(schemas.Warning.properties.code.enum.slice(0, 2), ['SEED_INCONSISTENCY', 'COMPACTION_OVER_ONE_CORE'])
  t.ok(schemas.Warning.properties.code.enum.length > 40)
  t.same(schemas.AeternaEstimate.properties.tier.enum, ['small', 'medium', 'large'])
  const tierParameter = document.paths['/tiers/{name}'].get.parameters.find((parameter: { in: string }) => parameter.in === 'path')
  t.same(tierParameter.schema.enum, ['small', 'medium', 'large'])
})

const MEDIA_TYPES: Record<string, string> = { json: 'application/json', yaml: 'application/yaml', text: 'text/plain', csv: 'text/csv', svg: 'image/svg+xml' }

t.test('each operation answers every format its ?format enum lists, as the media type and schema its 200 lists', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  await app.ready()
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  ajv.addSchema({ $id: 'openapi.json', components: document.components })
  const validators = new Map<string, ReturnType<typeof ajv.compile>>()
  const validatorOf = (schema: Record<string, unknown>): ReturnType<typeof ajv.compile> => {
    // the document's component references, pointing into the copy added to ajv
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')
    if (!validators.has(text)) validators.set(text, ajv.compile(JSON.parse(text)))
    return validators.get(text) as ReturnType<typeof ajv.compile>
  }
  const examples = estimateExamples(app)
  let checked = 0
  for (const { method, path, operation } of operations) {
    const url = path.replace(/\{(\w+)\}/g, ':$1')
    const request = warmUpRequest({ method: method.toUpperCase(), url }, examples)
    if (request === undefined) throw new Error(`no sample request for ${method} ${path}`)
    const formatParameter = operation.parameters?.find((parameter) => parameter.name === 'format')
    const formats = formatParameter?.schema.enum ?? ['json']
    const content = operation.responses['200'].content ?? {}
    t.same(Object.keys(content), formats.map((format) => MEDIA_TYPES[format]), `${operation.operationId}: the 200 lists the ?format formats, in order`)
    for (const format of formats) {
      const separator = request.url.includes('?') ? '&' : '?'
      const response = await app.inject({ ...request, url: formatParameter === undefined ? request.url : `${request.url}${separator}format=${format}` })
      const where = `${operation.operationId} as ${format}`
      t.equal(response.statusCode, 200, where)
      t.equal(String(response.headers['content-type']).split(';')[0], MEDIA_TYPES[format], `${where}: content type`)
      const schema = content[MEDIA_TYPES[format]].schema
      const body = format === 'json' ? response.json() : response.body
      const valid = validatorOf(schema)(body)
      t.ok(valid, `${where}: the answer matches its documented schema ${valid ? '' : ajv.errorsText(validatorOf(schema).errors)}`)
      if (format === 'yaml' && schema.description === 'The JSON document as YAML.') {
        t.same(parse(response.body), (await app.inject({ ...request, url: `${request.url}${separator}format=json` })).json(), `${where}: the same document`)
      }
      checked++
    }
  }
  t.ok(checked >= 80, `${checked} answers checked`)
})

t.test('a route whose ?format enum differs from the formats it answers stops the document', async (t) => {
  const app = Fastify()
  await registerDocs(app)
  app.get('/drifted', { config: { formats: { json: '', yaml: 'YAML.' } }, schema: { querystring: formatOnlyQuery({ json: '' }), response: { 200: Type.Object({}) } } }, async () => ({}))
  await app.ready()
  t.throws(() => app.swagger(), /\/drifted: the format query parameter must list json,yaml/)
  await app.close()
})
