// A sweep's points at about the cost of one estimate each. Validating a point's scenario as the
// model's POST does (a copy, every check, the defaults filled in) costs about half as much again as
// the estimate; here it is done once, for the first grid point, and every point is that validated
// body (copied) with the varied inputs set. That is the body the point's own scenario validates to
// when the schema checks each field by itself: no keyword ties one field to another or makes a
// default depend on a value, which every model's schema satisfies today. Then a value between its
// input's two ends, both checked, is valid too (its checks are bounds); any other value (a step
// rounded past an end, an input with multipleOf) is checked on its own, at the first grid point it
// appears at. So every point is known valid before the first is computed, and a streamed answer
// never stops half-way at an invalid point: the reason is the first invalid point's, as before. A
// schema that ties fields together has every point validated first and each computed from its own
// scenario, as before.
import { type Address, addressOf, setAt, withValue } from './figures.js'
import { type Axis, axisValues } from './sweep.js'

/** What the sweep reads of a JSON schema. */
export interface SchemaNode {
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  items?: SchemaNode | SchemaNode[]
  additionalProperties?: boolean | SchemaNode
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  enum?: unknown[]
  description?: string
  required?: string[]
  /** Any other keyword. */
  [keyword: string]: unknown
}

/** The schemas along an input path, the whole body's first (array elements by name or index), or undefined. */
export function schemaPath (schema: SchemaNode, path: string): SchemaNode[] | undefined {
  const nodes = [schema]
  for (const segment of path.split('.')) {
    const node = nodes[nodes.length - 1]
    const next = node.type === 'array' ? node.items : node.properties?.[segment]
    if (next === undefined || Array.isArray(next)) return undefined
    nodes.push(next)
  }
  return nodes
}

const ANNOTATIONS = ['title', 'description', 'default', 'examples', '$comment', 'deprecated', 'readOnly', 'writeOnly']
/** Keywords that check a number by bounds alone: the values between two valid ones are valid. */
const BOUNDS = new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', ...ANNOTATIONS])
/** Keywords that check a value by itself (its own content), or nothing. */
const OWN_KEYWORDS = new Set([
  ...BOUNDS, 'multipleOf', 'enum', 'const', 'minLength', 'maxLength', 'pattern', 'format',
  'properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties', 'items', 'minItems', 'maxItems'
])

/** Whether every keyword of a schema checks its value by itself: no field's validity or default depends on another's value. */
export function fieldsCheckedApart (schema: SchemaNode): boolean {
  if (!Object.keys(schema).every((keyword) => OWN_KEYWORDS.has(keyword))) return false
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...[schema.items ?? []].flat(),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : [])
  ]
  return children.every(fieldsCheckedApart)
}

/** Whether the values between two valid values of an input are valid: bounds only, numbers or (rounded) integers, in containers that do not compare their content with fixed values. */
function checkedByBounds (nodes: SchemaNode[], axis: Axis): boolean {
  const leaf = nodes[nodes.length - 1]
  const containers = nodes.slice(0, -1)
  return Object.keys(leaf).every((keyword) => BOUNDS.has(keyword)) &&
    (leaf.type === 'number' || (leaf.type === 'integer' && axis.integer)) &&
    containers.every((node) => !('enum' in node) && !('const' in node))
}

/** A copy of validated data (plain objects, arrays, scalars): every object and array copied. */
export function copyData (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData)
  if (value === null || typeof value !== 'object') return value
  // spread copies each field as a field, "__proto__" (JSON.parse makes one) included
  const copy: Record<string, unknown> = { ...value }
  for (const key of Object.keys(copy)) {
    if (typeof copy[key] === 'object') copy[key] = copyData(copy[key])
  }
  return copy
}

export type Checked = { body: Record<string, unknown> } | { invalid: string }

export interface PointModel<E> {
  /** The JSON schema of the model's body. */
  schema: SchemaNode
  /** Validates a scenario as the model's POST does: a copy with its defaults filled in, or the reason. */
  check: (scenario: Record<string, unknown>) => Checked
  compute: (body: Record<string, unknown>) => E
}

/** The estimate at a grid point, given the varied inputs' values in axis order. */
export type PointEvaluator<E> = (values: readonly number[]) => E

const bodyOf = (checked: Checked): Record<string, unknown> => (checked as { body: Record<string, unknown> }).body

/**
 * The evaluator of a sweep's points, once every grid point is known valid; else the reason the
 * first invalid point in row order fails (when the ends of each axis are valid, as the route checks
 * first), the same as validating that point's scenario gives. `scenario` is the request's, `resolved`
 * its estimate's inputs (withValue).
 */
export function sweepPoints<E> (model: PointModel<E>, scenario: Record<string, unknown>, resolved: Record<string, unknown>, axes: readonly Axis[]): { evaluate: PointEvaluator<E> } | { invalid: string } {
  const grid = axes.map((axis) => axisValues(axis))
  const scenarioAt = (values: readonly number[]): Record<string, unknown> =>
    axes.reduce((current, axis, index) => withValue(current, resolved, axis.input, values[index]), scenario)
  const paths = axes.map((axis) => schemaPath(model.schema, axis.input))
  if (!fieldsCheckedApart(model.schema) || paths.some((nodes) => nodes === undefined)) {
    // every point validated before the first is computed; each computed from its own scenario
    const [first, second = [undefined]] = grid
    for (const line of second) {
      for (const value of first) {
        const checked = model.check(scenarioAt(line === undefined ? [value] : [value, line]))
        if ('invalid' in checked) return checked
      }
    }
    return { evaluate: (values) => model.compute(bodyOf(model.check(scenarioAt(values)))) }
  }
  const start = grid.map((values) => values[0])
  const firstScenario = scenarioAt(start)
  const first = model.check(firstScenario)
  if ('invalid' in first) return first
  // each input's other values, checked on their own with the others at the start, in row order; the
  // last one first: with both ends valid, a value between them needs no check when bounds are its only checks
  for (const [index, values] of grid.entries()) {
    const last = values[values.length - 1]
    const [low, high] = [Math.min(values[0], last), Math.max(values[0], last)]
    const byBounds = checkedByBounds(paths[index] as SchemaNode[], axes[index])
    const unchecked = new Set([last, ...values.filter((value) => !(byBounds && value >= low && value <= high))])
    unchecked.delete(values[0])
    for (const value of unchecked) {
      const checked = model.check(scenarioAt(start.with(index, value)))
      if ('invalid' in checked) return checked
    }
  }
  const template = first.body
  const addresses: Address[] = axes.map((axis) => addressOf(firstScenario, axis.input))
  return {
    evaluate: (values) => {
      const body = copyData(template) as Record<string, unknown>
      addresses.forEach((address, index) => { setAt(body, address, values[index]) })
      return model.compute(body)
    }
  }
}
