// A sweep's points validated once and computed from a copy of the validated body: every point the
// same estimate as its own scenario validated and computed, every invalid point found before the
// first is computed (the first in row order), and schemas that tie fields together handled as before.
import t from 'tap'
import fc from 'fast-check'
import { withValue } from '../../../src/models/analysis/figures.js'
import { type Axis, axisValues } from '../../../src/models/analysis/sweep.js'
import { type Checked, type PointModel, type SchemaNode, copyData, fieldsCheckedApart, schemaPath, sweepPoints } from '../../../src/models/analysis/sweep-points.js'
import { createBodyAjv } from '../../../src/plugins/validation.js'

const ajv = createBodyAjv()

/** A model over `schema`: the checks ajv makes (defaults filled in) counted; the estimate echoes its body. */
function modelOf (schema: SchemaNode): PointModel<{ body: Record<string, unknown> }> & { checks: number } {
  const validate = ajv.compile(schema)
  const model = {
    schema,
    checks: 0,
    check: (scenario: Record<string, unknown>): Checked => {
      model.checks++
      const body = structuredClone(scenario)
      return validate(body) ? { body } : { invalid: `${validate.errors?.[0].instancePath ?? ''} ${validate.errors?.[0].message ?? ''}` }
    },
    compute: (body: Record<string, unknown>) => {
      const result = { body: structuredClone(body) }
      body.mutated = true // a model that writes into its input harms no other point
      return result
    }
  }
  return model
}

const axis = (input: string, from: number, to: number, points: number, extra: Partial<Axis> = {}): Axis => ({ input, from, to, points, scale: 'linear', integer: false, ...extra })

/** Every grid point in row order: along the first axis, line by line of the second. */
function gridPoints (axes: Axis[]): number[][] {
  const [first, second] = axes
  return (second === undefined ? [undefined] : axisValues(second)).flatMap((line) => axisValues(first).map((value) => line === undefined ? [value] : [value, line]))
}

/** What the route did before: each point's own scenario validated and computed. */
function pointByPoint<E> (model: PointModel<E>, scenario: Record<string, unknown>, resolved: Record<string, unknown>, axes: Axis[], values: number[]): E | string {
  const checked = model.check(axes.reduce((current, a, index) => withValue(current, resolved, a.input, values[index]), scenario))
  return 'invalid' in checked ? checked.invalid : model.compute(checked.body)
}

const plain: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    nodes: { type: 'integer', minimum: 0, maximum: 1000, default: 10, description: 'Nodes.' },
    ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5 },
    step: { type: 'number', minimum: 0, maximum: 100, multipleOf: 0.5, default: 1 },
    name: { type: 'string', minLength: 1, default: 'x' },
    tables: { type: 'array', minItems: 1, items: { type: 'object', required: ['name', 'rows'], properties: { name: { type: 'string' }, rows: { type: 'number', minimum: 1, maximum: 1e6 }, kind: { type: 'string', enum: ['a', 'b'], default: 'a' } } } }
  }
}

t.test('every point is the estimate of its own scenario; bounds-only inputs checked at their ends alone', async (t) => {
  const model = modelOf(plain)
  const resolved = { nodes: 10, ratio: 0.5, step: 1, name: 'x', tables: [{ name: 'one', rows: 5, kind: 'a' }, { name: 'two', rows: 7, kind: 'a' }] }
  const cases: Array<[Record<string, unknown>, Axis[]]> = [
    [{}, [axis('nodes', 1, 1000, 50, { integer: true })]],
    [{ name: 'y' }, [axis('ratio', 0.9, 0.01, 20), axis('nodes', 0, 3, 4, { integer: true })]],
    [{}, [axis('tables.two.rows', 1, 1e6, 30, { scale: 'log' })]],
    [{ tables: [{ name: 'a', rows: 1 }, { name: 'b', rows: 2 }] }, [axis('tables.1.rows', 10, 20, 3), axis('tables.a.rows', 5, 6, 2)]]
  ]
  for (const [scenario, axes] of cases) {
    model.checks = 0
    const points = sweepPoints(model, scenario, resolved, axes)
    if ('invalid' in points) throw new Error(points.invalid)
    t.equal(model.checks, 1 + axes.length, `${axes.map((a) => a.input).join(' x ')}: the first point and each axis's last value checked, nothing else`)
    for (const values of gridPoints(axes)) t.strictSame(points.evaluate(values), pointByPoint(model, scenario, resolved, axes, values), values.join(' '))
  }
})

t.test('values not known valid by bounds are checked on their own; the first invalid point in row order is the answer', async (t) => {
  const model = modelOf(plain)
  const valid = sweepPoints(model, {}, {}, [axis('step', 1, 10, 19)])
  t.ok('evaluate' in valid, 'multipleOf 0.5: every value checked, all valid')
  t.equal(model.checks, 19)
  t.strictSame(sweepPoints(model, {}, {}, [axis('step', 0.5, 100, 10)]), { invalid: '/step must be multiple of 0.5' }, 'a value between two valid ends fails multipleOf')
  model.checks = 0
  // twelve significant digits round the steps between these ends past the upper one, itself the maximum
  const rounded = axis('ratio', 0.999999999999, 0.9999999999999, 5)
  t.strictSame(axisValues(rounded), [0.999999999999, 0.999999999999, 0.999999999999, 1, 0.9999999999999], 'a step rounds above the last')
  t.strictSame(sweepPoints(modelOf({ ...plain, properties: { ratio: { type: 'number', maximum: 0.9999999999999 } } }), {}, {}, [rounded]), { invalid: '/ratio must be <= 0.9999999999999' })
  t.strictSame(sweepPoints(model, {}, {}, [axis('nodes', 0, 5000, 6, { integer: true })]), { invalid: '/nodes must be <= 1000' }, 'an invalid end')
  t.strictSame(sweepPoints(model, {}, {}, [axis('nodes', 2000, 5, 6, { integer: true })]), { invalid: '/nodes must be <= 1000' }, 'an invalid first point')
  t.strictSame(sweepPoints(model, {}, {}, [axis('step', 0.5, 100, 10), axis('nodes', 1, 2000, 3, { integer: true })]), { invalid: '/step must be multiple of 0.5' }, 'two axes: the first line comes first')
  model.checks = 0
  t.ok('evaluate' in sweepPoints(model, {}, {}, [axis('nodes', 1, 3, 3)]), 'an integer input stepped without rounding: each value checked')
  t.equal(model.checks, 3)
  t.strictSame(sweepPoints(model, {}, {}, [axis('nodes', 1, 2, 3)]), { invalid: '/nodes must be integer' })
  const enumContainer = modelOf({ type: 'object', properties: { pair: { type: 'object', enum: [{ a: 1 }, { a: 3 }], properties: { a: { type: 'number' } } } } })
  t.strictSame(sweepPoints(enumContainer, { pair: { a: 1 } }, {}, [axis('pair.a', 1, 3, 3)]), { invalid: '/pair must be equal to one of the allowed values' }, 'a container compared with fixed values: each value checked')
})

t.test('a schema that ties fields together: every point checked first, each computed from its own scenario', async (t) => {
  const tied: SchemaNode = { type: 'object', properties: { low: { type: 'number', default: 1 }, high: { type: 'number', default: 5 } } }
  Object.assign(tied, { if: { properties: { low: { minimum: 3 } } }, then: { properties: { high: { minimum: 10 } } } })
  t.notOk(fieldsCheckedApart(tied))
  const model = modelOf(tied)
  const axes = [axis('low', 0, 4, 5), axis('high', 5, 20, 4)]
  t.strictSame(sweepPoints(model, {}, {}, axes), { invalid: '/high must be >= 10' }, 'low = 3 with high = 5: neither end of either axis is invalid')
  model.checks = 0
  const valid = sweepPoints(model, {}, {}, [axis('low', 0, 2, 3), axis('high', 5, 20, 4)])
  t.equal(model.checks, 12, 'all 12 points')
  if ('invalid' in valid) throw new Error(valid.invalid)
  t.strictSame(valid.evaluate([1, 10]), { body: { low: 1, high: 10 } })
  const unknown = modelOf({ type: 'object', additionalProperties: true })
  const free = sweepPoints(unknown, {}, {}, [axis('free', 1, 2, 2)])
  t.equal(unknown.checks, 2, 'an input the schema does not describe: every point checked')
  t.strictSame('evaluate' in free && free.evaluate([2]), { body: { free: 2 } })
  t.equal(unknown.checks, 3, 'and checked again as it is computed')
})

t.test('schemaPath, fieldsCheckedApart', async (t) => {
  t.strictSame(schemaPath(plain, 'tables.two.rows')?.map((node) => node.type), ['object', 'array', 'object', 'number'])
  t.equal(schemaPath(plain, 'tables.two.nothing'), undefined)
  t.equal(schemaPath({ type: 'array', items: [{ type: 'number' }] }, '0'), undefined, 'tuple items: not an input path')
  t.ok(fieldsCheckedApart(plain))
  t.ok(fieldsCheckedApart({ type: 'object', additionalProperties: { type: 'array', items: [{ type: 'number' }] } }))
  t.notOk(fieldsCheckedApart({ type: 'object', additionalProperties: { anyOf: [{ type: 'number' }] } }))
  t.notOk(fieldsCheckedApart({ type: 'array', items: { type: 'number', uniqueItems: true } as SchemaNode }))
  t.notOk(fieldsCheckedApart({ type: 'object', properties: { a: { $ref: '#/x' } as SchemaNode } }))
})

t.test('copyData copies every object and array of validated data', async (t) => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const copy = copyData(value)
    t.strictSame(copy, value)
  }), { numRuns: 200 })
  const nested = { a: [{ b: 1 }], c: { d: null } }
  const copy = copyData(nested) as typeof nested
  copy.a[0].b = 2
  copy.c.d = 3 as never
  t.strictSame(nested, { a: [{ b: 1 }], c: { d: null } }, 'the copy shares nothing with the original')
  const proto = copyData(JSON.parse('{"__proto__": {"x": 1}, "y": [1]}')) as Record<string, unknown>
  t.ok(Object.hasOwn(proto, '__proto__'), 'a "__proto__" field stays a field')
  t.equal(Object.getPrototypeOf(proto), Object.prototype)
})
