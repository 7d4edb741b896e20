// Figures are the scalar leaves of an estimate, named by their path ("storage.totalGiB"). Array
// elements are named by their `name`, `component` or `service` when they have one (stable when a
// list grows), by their index otherwise. Inputs, warnings and assumptions are not figures.
export type FigureValue = number | string | boolean
export type Figures = Map<string, FigureValue>

const NOT_FIGURES = new Set(['inputs', 'warnings', 'assumptions'])
const ELEMENT_KEYS = ['name', 'component', 'service'] as const

/** The field that names an array element (`name`, `component`, `service`), if it has one. */
function namingField (element: unknown): string | undefined {
  if (element === null || typeof element !== 'object') return undefined
  return ELEMENT_KEYS.find((key) => {
    const value = (element as Record<string, unknown>)[key]
    return typeof value === 'string' && value !== '' && !value.includes('.')
  })
}

/** The path segment of an array element: its name-like field, else its index. */
export function elementKey (element: unknown, index: number): string {
  const field = namingField(element)
  return field === undefined ? String(index) : (element as Record<string, string>)[field]
}

function collect (value: unknown, path: string, figures: Figures, skip?: string): void {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    figures.set(path, value)
  } else if (Array.isArray(value)) {
    // the naming field is in the path already: not a figure of its own
    value.forEach((element, index) => collect(element, `${path}.${elementKey(element, index)}`, figures, namingField(element)))
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) if (key !== skip) collect(child, `${path}.${key}`, figures)
  }
}

/** Every figure of an estimate, in document order. */
export function flattenFigures (estimate: object): Figures {
  const figures: Figures = new Map()
  for (const [key, value] of Object.entries(estimate)) {
    if (!NOT_FIGURES.has(key)) collect(value, key, figures)
  }
  return figures
}

/** The numeric leaves of a document (an estimate's inputs), in document order. */
export function numericLeaves (document: object): Map<string, number> {
  const leaves = new Map<string, number>()
  const all: Figures = new Map()
  for (const [key, value] of Object.entries(document)) collect(value, key, all)
  for (const [path, value] of all) if (typeof value === 'number') leaves.set(path, value)
  return leaves
}

/** The index of an array element by its name, or by its position. */
function elementIndex (list: unknown[], segment: string): number {
  const named = list.findIndex((element, i) => elementKey(element, i) === segment)
  if (named !== -1) return named
  return /^\d+$/.test(segment) && Number(segment) < list.length ? Number(segment) : -1
}

/** A field of an object (own fields only) or an element of a list (by name or position), or undefined. */
export function childOf (container: unknown, segment: string): unknown {
  if (Array.isArray(container)) {
    const index = elementIndex(container, segment)
    return index === -1 ? undefined : container[index]
  }
  return container !== null && typeof container === 'object' && Object.hasOwn(container, segment)
    ? (container as Record<string, unknown>)[segment]
    : undefined
}

/** The value at a figure-style path, or undefined. */
export function valueAt (document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((container, segment) => childOf(container, segment), document)
}

/** Where a path leads in a document: each field's key, each list element's index (by name or position). */
export type Address = Array<string | number>

export function addressOf (document: unknown, path: string): Address {
  const address: Address = []
  let container = document
  for (const segment of path.split('.')) {
    address.push(Array.isArray(container) ? elementIndex(container, segment) : segment)
    container = childOf(container, segment)
  }
  return address
}

/** Sets the value at an address in place (its containers exist). */
export function setAt (document: object, address: Address, value: unknown): void {
  let container = document as Record<string | number, unknown>
  for (const key of address.slice(0, -1)) container = container[key] as Record<string | number, unknown>
  container[address[address.length - 1]] = value
}

/**
 * A copy of `scenario` with `path` set to `value`. A top-level field the scenario leaves to its
 * default is first copied from `resolved` (the estimate's echoed inputs), so a path into a default
 * list (`tables.agent_states.rowBytes`) changes one element and keeps the others.
 */
export function withValue (scenario: Record<string, unknown>, resolved: Record<string, unknown>, path: string, value: number): Record<string, unknown> {
  const head = path.split('.')[0]
  const copy: Record<string, unknown> = structuredClone(scenario)
  if (head !== path && !Object.hasOwn(copy, head)) copy[head] = structuredClone(resolved[head])
  setAt(copy, addressOf(copy, path), value)
  return copy
}
