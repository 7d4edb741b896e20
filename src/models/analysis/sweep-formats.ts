// A sweep's table written as a stream: JSON, CSV and YAML rendered a chunk of rows at a time as the
// rows are computed, so a 10,000-row answer starts on the wire after its first rows and is never
// held whole. JSON is JSON.stringify of the document, byte for byte. CSV and YAML are written by
// hand (column names rendered once, a chunk's numbers formatted by one JSON.stringify), YAML in
// block style with no anchors or aliases, parsing to the same data as the JSON.
import type { FigureValue } from './figures.js'
import { type SweepRow, type SweepTable, type TableRow, type Truncation, recordOf } from './sweep.js'

/** Rows per chunk of a streamed sweep: about 30-60 KB of JSON or CSV, written as soon as it is rendered. */
export const ROWS_PER_CHUNK = 256

/**
 * A document around a table: the fields before the rows (known before the first row), the table,
 * the fields after it (read once the last row is computed: the onsets and tier changes). The keys of
 * head and tail differ from each other and from `rows`, and the tail's are not array indices.
 */
export interface SweepDocument {
  head: Record<string, unknown>
  sweep: SweepTable
  tail: () => Record<string, unknown>
}

/** The rows in arrays of `size`, each read as it is needed. */
function * chunksOf<T> (rows: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = []
  for (const row of rows) {
    chunk.push(row)
    if (chunk.length === size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk
}

/**
 * The text of every number of a chunk's rows, inputs then outputs, row by row, as JavaScript writes
 * it (non-finite ones "null", as JSON has them): one JSON.stringify, twice as fast as String on each.
 */
function numberTexts (chunk: readonly TableRow[]): string[] {
  const numbers: number[] = []
  for (const row of chunk) {
    for (const value of row.inputs) numbers.push(value)
    for (const value of row.outputs) if (typeof value === 'number') numbers.push(value)
  }
  return JSON.stringify(numbers).slice(1, -1).split(',')
}

/** The positions of names in the order an object with them as keys lists its keys (array indices first, ascending). */
function objectOrder (names: readonly string[]): number[] {
  return Object.values(Object.fromEntries(names.map((name, index) => [name, index])))
}

/** A row as its JSON document has it: { inputs, outputs, warnings }, inputs and outputs by name. */
function rowObject (table: SweepTable): (row: TableRow) => SweepRow {
  const inputs = recordOf(table.inputs)
  const outputs = recordOf(table.outputs)
  return (row) => ({ inputs: inputs(row.inputs), outputs: outputs(row.outputs), warnings: row.warnings })
}

/**
 * JSON.stringify({ ...head, rows, ...tail() }) with each row as an object, byte for byte, in chunks:
 * the head at once, the rows a chunk at a time as they are computed, then the tail.
 */
export function * sweepJsonChunks (document: SweepDocument, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  const head = JSON.stringify(document.head)
  yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}"rows":[`
  const toObject = rowObject(document.sweep)
  let separator = ''
  for (const chunk of chunksOf(document.sweep.rows, rowsPerChunk)) {
    // one JSON.stringify of the chunk's rows: faster than a string built by hand
    yield separator + JSON.stringify(chunk.map(toObject)).slice(1, -1)
    separator = ','
  }
  const tail = JSON.stringify(document.tail())
  yield `]${tail === '{}' ? '' : `,${tail.slice(1, -1)}`}}`
}

const csvText = (text: string): string => /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text

/**
 * The last line of a CSV whose rows stopped early: a line no table row can be (a row starts with a
 * number), which CSV readers that skip comments skip, and which `grep '^# truncated'` finds.
 */
export const csvTruncationLine = (truncated: Truncation): string => `# truncated: ${truncated.rows} of ${truncated.points} rows; ${truncated.reason.replace(/[\r\n]/g, ' ')}\r\n`

/** RFC 4180 CSV: the inputs, the outputs, then the warning codes separated by spaces; in chunks of rows; a final `# truncated` line if the rows stopped early. */
export function * sweepCsvChunks (table: SweepTable, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  yield [...table.inputs, ...table.outputs, 'warnings'].map(csvText).join(',') + '\r\n'
  for (const chunk of chunksOf(table.rows, rowsPerChunk)) {
    const numbers = numberTexts(chunk)
    let next = 0
    const cell = (value: FigureValue | null): string => {
      if (typeof value !== 'number') return value === null ? '' : csvText(String(value))
      const text = numbers[next++]
      return Number.isFinite(value) ? text : String(value) // "NaN" where JSON has null
    }
    let text = ''
    for (const row of chunk) {
      for (const value of row.inputs) text += `${cell(value)},`
      for (const value of row.outputs) text += `${cell(value)},`
      text += `${csvText(row.warnings.join(' '))}\r\n`
    }
    yield text
  }
  if (table.truncated !== undefined) yield csvTruncationLine(table.truncated)
}

/** The whole CSV of a table. */
export function sweepCsv (table: SweepTable): string {
  return [...sweepCsvChunks(table)].join('')
}

/** Plain scalars YAML 1.2 (core schema) reads as strings: a letter or _ first, no spaces or indicators. */
const PLAIN = /^[A-Za-z_][\w./-]*$/
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'])

/**
 * A string as a YAML scalar: plain when it reads back as that string, else double-quoted (a JSON
 * string, which YAML reads the same), with every character outside printable ASCII escaped.
 */
export function yamlString (text: string): string {
  if (PLAIN.test(text) && !NOT_STRINGS.has(text)) return text
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A scalar as YAML reads it back to the JSON value: numbers as JavaScript writes them, non-finite ones null as in JSON. */
function yamlScalar (value: unknown): string {
  if (typeof value === 'string') return yamlString(value)
  return typeof value === 'number' && !Number.isFinite(value) ? 'null' : String(value)
}

const isCollection = (value: unknown): value is object => value !== null && typeof value === 'object'
/** What JSON leaves out of an object (and writes as null in an array). */
const absent = (value: unknown): boolean => value === undefined || typeof value === 'function'

function entriesOf (value: object): Array<[string, unknown]> {
  return Array.isArray(value) ? value.map((item) => ['', absent(item) ? null : item]) : Object.entries(value).filter(([, child]) => !absent(child))
}

/** A collection of scalars on one line: [a, b] or {key: value, other: value}. */
function yamlFlow (value: object, entries: Array<[string, unknown]>): string {
  return Array.isArray(value)
    ? `[${entries.map(([, item]) => yamlScalar(item)).join(', ')}]`
    : `{${entries.map(([key, item]) => `${yamlString(key)}: ${yamlScalar(item)}`).join(', ')}}`
}

/**
 * A value after `key:` or `-`: a scalar, or a collection of scalars (empty ones too) on the same
 * line in flow style; else a newline and its block.
 */
function yamlAfter (value: unknown, indent: string): string {
  if (!isCollection(value)) return ` ${yamlScalar(value)}\n`
  const entries = entriesOf(value)
  if (entries.every(([, item]) => !isCollection(item))) return ` ${yamlFlow(value, entries)}\n`
  return `\n${yamlBlock(value, indent)}`
}

/** A mapping or sequence in block style, each line indented by `indent`. */
function yamlBlock (value: object, indent: string): string {
  const inner = `${indent}  `
  if (!Array.isArray(value)) return entriesOf(value).map(([key, child]) => `${indent}${yamlString(key)}:${yamlAfter(child, inner)}`).join('')
  return entriesOf(value).map(([, item]) => {
    const text = yamlAfter(item, inner)
    // a block collection item starts on the dash's line: "- key: value", its other lines under the first
    return `${indent}-${text.startsWith('\n') ? ` ${text.slice(inner.length + 1)}` : text}`
  }).join('')
}

/** The fields of an object as top-level block YAML lines; none for an empty object. */
const yamlFields = (fields: object): string => entriesOf(fields).length === 0 ? '' : yamlBlock(fields, '')

/**
 * A JSON document (an object) as YAML that parses to the same data: block style, collections of
 * scalars in flow style on one line ([a, b], {key: value}), no anchors or aliases.
 */
export function yamlDocument (document: object): string {
  const lines = yamlFields(document)
  return lines === '' ? '{}\n' : lines
}

/** The rows of a chunk as items of the top-level `rows` sequence, as yamlDocument writes the row objects. */
function yamlRows (table: SweepTable): (chunk: readonly TableRow[]) => string {
  const [inputOrder, outputOrder] = [objectOrder(table.inputs), objectOrder(table.outputs)]
  const keysOf = (names: readonly string[], order: number[]): string[] => order.map((position, index) => `${index === 0 ? '' : ', '}${yamlString(names[position])}: `)
  const [inputKeys, outputKeys] = [keysOf(table.inputs, inputOrder), keysOf(table.outputs, outputOrder)]
  const codes = new Map<string, string>()
  const code = (name: string): string => codes.get(name) ?? codes.set(name, yamlString(name)).get(name) as string
  return (chunk) => {
    const numbers = numberTexts(chunk)
    let next = 0
    const texts: string[] = []
    // {key: value, ...} of a row's values, read in column order (as numberTexts took the numbers)
    const mapping = (keys: string[], order: number[], values: ReadonlyArray<FigureValue | null>): string => {
      for (let index = 0; index < values.length; index++) {
        const value = values[index]
        texts[index] = typeof value === 'number' ? numbers[next++] : yamlScalar(value)
      }
      let text = '{'
      for (let index = 0; index < keys.length; index++) text += keys[index] + texts[order[index]]
      return `${text}}`
    }
    let text = ''
    for (const row of chunk) {
      text += `  - inputs: ${mapping(inputKeys, inputOrder, row.inputs)}\n    outputs: ${mapping(outputKeys, outputOrder, row.outputs)}\n    warnings: [`
      for (let index = 0; index < row.warnings.length; index++) text += (index === 0 ? '' : ', ') + code(row.warnings[index])
      text += ']\n'
    }
    return text
  }
}

/**
 * yamlDocument({ ...head, rows, ...tail() }) with each row as an object, byte for byte, in chunks:
 * the head at once, the rows a chunk at a time as they are computed, then the tail.
 */
export function * sweepYamlChunks (document: SweepDocument, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  yield `${yamlFields(document.head)}rows:`
  const render = yamlRows(document.sweep)
  let empty = true
  for (const chunk of chunksOf(document.sweep.rows, rowsPerChunk)) {
    yield `${empty ? '\n' : ''}${render(chunk)}`
    empty = false
  }
  yield `${empty ? ' []\n' : ''}${yamlFields(document.tail())}`
}
