// A new estimate plugs into the catalogue, /diff, /sweep and /sensitivity by registering its routes
// with registerEstimateRoutes alone: a toy model, in an app built from the same parts.
import Fastify from 'fastify'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { createBodyAjv } from '../../src/plugins/validation.js'
import { Type } from 'typebox'
import { registerErrorHandling } from '../../src/plugins/errors.js'
import { analysisRoutes } from '../../src/routes/analysis.js'
import { type ModelCatalogue, registerEstimateRoutes } from '../../src/routes/estimate-routes.js'
import { CatalogueSchema, DiffSchema, SensitivitySchema, SweepSchema } from '../../src/schemas/analysis.js'
import { sharedSchemas } from '../../src/schemas/common.js'

// y = 3x + 1, a warning above 10
const toy = (input: { x?: number }) => {
  const x = input.x ?? 2
  const y = 3 * x + 1
  return { inputs: { x, derived: y }, result: { y }, warnings: y > 10 ? [{ code: 'BIG', severity: 'warning', message: `y = ${y}` }] : [], assumptions: [] }
}

const app = Fastify()
t.teardown(() => app.close())
app.decorate('estimateModels', new Map() as ModelCatalogue)
// the analyses read their budget (ANALYSIS_BUDGET_MS) from the configuration
app.decorate('config', loadConfig({}))
// the analyses get their scenario validators from the app (compiled ahead of time in the service)
app.decorate('validatorFor', (_key: string, _httpPart: string, schema: object) => createBodyAjv().compile(schema))
// no figure names found ahead of time (the catalogue runs the toy's example), no piece left out
app.decorate('catalogueFigures', new Map())
app.decorate('benchWithout', new Set<never>())
for (const schema of [...sharedSchemas, CatalogueSchema, DiffSchema, SweepSchema, SensitivitySchema]) app.addSchema(schema)
registerErrorHandling(app)
await app.register(async (plugin) => {
  registerEstimateRoutes(plugin, {
    model: 'toy',
    operationId: 'estimateToy',
    path: '/estimate/toy',
    tags: ['toy'],
    summary: 'Toy',
    description: 'y = 3x + 1',
    body: Type.Object({ x: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })), note: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
    query: Type.Object({}),
    response: {},
    compute: toy,
    renderers: (estimate) => `y = ${estimate.result.y}\n`,
    figures: { key: ['result.y'] }
  })
  // an input in 0.5 steps: a sweep point between two valid ends can fail its own check (no service model has one since issue 28)
  registerEstimateRoutes(plugin, {
    model: 'halves',
    operationId: 'estimateHalves',
    path: '/estimate/halves',
    tags: ['toy'],
    summary: 'Halves',
    description: 'y = 3x + 1, x in 0.5 steps',
    body: Type.Object({ x: Type.Optional(Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.5 })) }, { additionalProperties: false }),
    query: Type.Object({}),
    response: {},
    compute: toy,
    renderers: (estimate) => `y = ${estimate.result.y}\n`,
    figures: { key: ['result.y'] }
  })
})
await app.register(analysisRoutes)

t.test('the toy model is in the catalogue, with the defaults of what it does not declare', async (t) => {
  const catalogue = (await app.inject({ url: '/estimates' })).json()
  t.same(catalogue.models.filter((model: { name: string }) => model.name === 'toy'), [{ name: 'toy', path: '/estimate/toy', summary: 'Toy', inputs: [{ name: 'x', type: 'number', description: '', minimum: 0, maximum: 100, required: false }, { name: 'note', type: 'any', description: '', required: false }], keyFigures: ['result.y'], aliases: {}, tierFigures: [], figures: ['result.y'] }])
})

t.test('and diffed, swept and analysed with no code in the analyses', async (t) => {
  const diff = (await app.inject({ method: 'POST', url: '/diff', payload: { model: 'toy', before: { x: 1 }, after: { x: 4 }, failOn: ['result.y>12', 'warning:BIG'] } })).json()
  t.same(diff.changed, [{ figure: 'result.y', before: 4, after: 13, change: 9, relativeChange: 2.25 }])
  t.same(diff.gates.map((g: { failed: boolean }) => g.failed), [true, true])
  const sweep = (await app.inject({ method: 'POST', url: '/sweep', payload: { model: 'toy', vary: [{ input: 'x', from: 0, to: 4, points: 5 }] } })).json()
  t.same(sweep.rows.map((r: { outputs: { 'result.y': number } }) => r.outputs['result.y']), [1, 4, 7, 10, 13])
  t.same(sweep.warningOnsets.map((o: { code: string, inputs: object, previousInputs: object }) => [o.code, o.previousInputs, o.inputs]), [['BIG', { x: 3 }, { x: 4 }]])
  const sensitivity = (await app.inject({ method: 'POST', url: '/sensitivity', payload: { model: 'toy', scenario: { x: 3 } } })).json()
  // dy/dx x / y = 3 * 3 / 10
  t.ok(Math.abs(sensitivity.outputs[0].drivers[0].elasticity - 0.9) < 1e-12)
  t.same(sensitivity.outputs[0].drivers.map((d: { input: string }) => d.input), ['x'], 'an echoed figure the body does not accept (derived) is not an input')
})

t.test('a sweep point that fails validation between two valid ends is a 400 before any output', async (t) => {
  // 0.5 and 10 are valid, 3.666... between them is not
  const invalid = await app.inject({ method: 'POST', url: '/sweep?format=csv', payload: { model: 'halves', scenario: { x: 1 }, vary: [{ input: 'x', from: 0.5, to: 10, points: 4 }] } })
  t.equal(invalid.statusCode, 400)
  t.match(invalid.headers['content-type'], 'application/json')
  t.equal(invalid.json().message, 'body/scenario/x must be multiple of 0.5')
  t.equal((await app.inject({ method: 'POST', url: '/sweep', payload: { model: 'halves', vary: [{ input: 'x', from: 0.5, to: 2, points: 4 }] } })).statusCode, 200, '0.5, 1, 1.5, 2')
})
