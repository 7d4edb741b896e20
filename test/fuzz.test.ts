// Property-based fuzzing over every endpoint's request schema, read from the OpenAPI document:
// random valid bodies give 200 with finite, non-negative figures; invalid ones (wrong types, out of
// range, unknown fields, deep nesting, huge strings, prototype-pollution keys) give a 4xx naming the
// problem; nothing gives a 5xx.
import t from 'tap'
import fc from 'fast-check'
import { buildApp } from '../src/app.js'
import { badFigures } from './helpers.js'

interface JsonSchema {
  type?: string
  enum?: unknown[]
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  multipleOf?: number
  minItems?: number
  maxItems?: number
  maxLength?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: boolean
  $ref?: string
}

const app = await buildApp()
t.teardown(() => app.close())
await app.ready()
const document = app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> }

/** A fast-check generator of values valid for a JSON schema (the subset our schemas use). */
function arbitraryOf (schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum)
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? (schema.exclusiveMinimum ?? -1e6) + 1), max: Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) })
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum + 1e-6)
      const max = schema.maximum ?? 1e6
      if (schema.multipleOf !== undefined) return fc.integer({ min: Math.ceil(min / schema.multipleOf), max: Math.floor(max / schema.multipleOf) }).map((n) => n * (schema.multipleOf as number))
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
    }
    case 'boolean':
      return fc.boolean()
    case 'string':
      return schema.pattern === undefined ? fc.string({ maxLength: 20 }) : fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 63))
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) })
    default: {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, child]) => [name, arbitraryOf(child)]))
      return fc.record(properties, { requiredKeys: schema.required ?? [] })
    }
  }
}

const bodies = Object.entries(document.paths).flatMap(([path, operations]) => {
  const schema = operations.post?.requestBody?.content['application/json']?.schema
  return schema === undefined ? [] : [{ path, schema }]
})

t.test('every POST endpoint is fuzzed', async (t) => {
  t.same(bodies.map((b) => b.path), ['/estimate/engram', '/scaling/engram', '/models/engram', '/forecast/engram', '/generate/engram/alerts', '/generate/engram/hpa', '/estimate/aurora', '/estimate/mistersmith', '/estimate/aeterna', '/validate/aeterna', '/calibrate/engram', '/calibrate/aeterna', '/diff', '/sweep', '/sensitivity'])
})

// Figures that may legitimately be null or negative: a crossing "not within the horizon", a fitted
// slope of a shrinking graph. Everything else must be finite and non-negative.
const mayBeNullOrNegative = new Set(['/forecast/engram'])
// The analyses take names (inputs, figures, gates) that a schema cannot enumerate: a random body
// valid for the schema may name none that exists, which is a 400 naming the field, never a 5xx.
// Their own figures are changes, swings and elasticities, which are signed; the semantic properties
// are in test/routes/analysis.test.ts.
const analyses = new Set(['/diff', '/sweep', '/sensitivity'])
// The calibrations: without PROMETHEUS_URL a body without series is a 400 naming body/series, and
// random inline series break rules a schema cannot state (timestamps in order, labels once), each a
// 400 naming the field. Their answers carry signed errors and slopes and null figures; the semantic
// properties are in test/routes/calibrate.test.ts and test/schemas/calibrate-output.test.ts.
const calibrations = new Set(['/calibrate/engram', '/calibrate/aeterna'])

for (const { path, schema } of bodies) {
  t.test(`${path}: random valid bodies give 200 with sane figures`, async (t) => {
    await fc.assert(fc.asyncProperty(arbitraryOf(schema), async (body) => {
      const response = await app.inject({ method: 'POST', url: path, payload: body as object, headers: { accept: 'application/json' } })
      const crossField = path === '/generate/engram/hpa' && response.statusCode === 400 && /maxReplicas must be >= minReplicas/.test(response.json().message)
      const namedByAnalysis = (analyses.has(path) || calibrations.has(path)) && response.statusCode === 400 && /^body\/\w+/.test(response.json().message)
      // a values document is any mapping; one with a non-mapping where the chart reads one is a 400 naming the path
      const badShape = path === '/validate/aeterna' && response.statusCode === 400 && /^body\/[\w/]+ must be a mapping/.test(response.json().message)
      if (analyses.has(path) && response.statusCode === 200) return
      if (response.statusCode !== 200 && !crossField && !namedByAnalysis && !badShape) throw new Error(`${response.statusCode} ${response.body.slice(0, 300)} for ${JSON.stringify(body).slice(0, 300)}`)
      if (response.statusCode === 200 && !mayBeNullOrNegative.has(path) && !calibrations.has(path)) {
        const bad = badFigures(response.json())
        if (bad.length > 0) throw new Error(`${bad.slice(0, 5).join(', ')} for ${JSON.stringify(body).slice(0, 300)}`)
      }
    }), { numRuns: path === '/forecast/engram' ? 25 : 60 })
    t.pass('valid bodies')
  })

  t.test(`${path}: invalid bodies give a 4xx naming the problem`, async (t) => {
    const post = async (payload: string) => await app.inject({ method: 'POST', url: path, payload, headers: { 'content-type': 'application/json' } })
    const open = schema.additionalProperties !== false
    // required fields take a valid value, so the error is about the field under test
    const validRequired = (name: string): string => {
      const field = schema.properties?.[name] as JsonSchema
      if (name === 'vary') return '[{"input": "expectedNodes", "from": 1, "to": 2}]'
      if (field.enum !== undefined) return JSON.stringify(field.enum[0])
      return field.type === 'object' ? '{}' : String(field.minimum ?? 0)
    }
    const required = (schema.required ?? []).map((name) => `"${name}": ${validRequired(name)}, `).join('')
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      if (field.type === 'number' || field.type === 'integer') {
        for (const value of ['"12"', 'true', '[]', '{}', 'null', '1e400', ...(field.maximum === undefined ? [] : [String(field.maximum * 2 + 1)]), ...(field.minimum === undefined ? [] : [String(field.minimum - 1)])]) {
          const response = await post(`{${name in (schema.properties ?? {}) && (schema.required ?? []).includes(name) ? '' : required}"${name}": ${value}}`)
          t.equal(response.statusCode, 400, `${name} = ${value}`)
          t.match(response.json().message, `body/${name}`, `${name} = ${value} is named`)
        }
      } else if (field.enum !== undefined) {
        const response = await post(`{${required}"${name}": "not-one-of-them"}`)
        t.equal(response.statusCode, 400)
        t.match(response.json().message, `body/${name} must be one of`)
      }
    }
    if (!open) {
      const unknown = await post(`{${required}"definitelyNotAField": 1}`)
      t.equal(unknown.statusCode, 400)
      t.match(unknown.json().message, 'body/definitelyNotAField is not a known field')
    }
    const hostile = [
      ['deep nesting', `{"a": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['a huge string', `{"a": "${'x'.repeat(900_000)}"}`],
      ['__proto__', '{"__proto__": {"polluted": true}}'],
      ['constructor.prototype', '{"constructor": {"prototype": {"polluted": true}}}'],
      ['a top-level array', '[1, 2]'],
      ['a string', '"text"']
    ]
    for (const [what, payload] of hostile) {
      const response = await post(payload)
      if (open && (what === 'deep nesting' || what === 'a huge string')) {
        t.ok(response.statusCode < 500, `${what}: no 5xx (${response.statusCode})`)
      } else {
        t.ok(response.statusCode >= 400 && response.statusCode < 500, `${what}: ${response.statusCode}`)
        t.equal(typeof response.json().message, 'string')
      }
    }
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
  })
}

t.test('random junk never gives a 5xx on any route', async (t) => {
  const routes = Object.keys(document.paths)
  await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), fc.constantFrom('GET', 'POST'), fc.string({ maxLength: 200 }), fc.string({ maxLength: 40 }), async (path, method, payload, query) => {
    const url = `${path.replace('{name}', 'medium')}?${encodeURIComponent(query)}=${encodeURIComponent(payload.slice(0, 20))}`
    const response = await app.inject({ method, url, payload: method === 'POST' ? payload : undefined, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} })
    if (response.statusCode >= 500) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
  }), { numRuns: 300 })
  t.pass('no 5xx')
})
