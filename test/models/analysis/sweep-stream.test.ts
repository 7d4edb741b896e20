// Streamed sweep renderings: JSON joins to exactly JSON.stringify of the document, CSV to the CSV
// of the whole table, YAML to the YAML of the whole document, which parses to the same data as the
// JSON; the rows are computed as the chunks are read.
import t from 'tap'
import fc from 'fast-check'
import { isAlias, parse, parseDocument, visit } from 'yaml'
import type { FigureValue } from '../../../src/models/analysis/figures.js'
import { type Axis, type SweepTable, type TableRow, lazySweep, recordOf } from '../../../src/models/analysis/sweep.js'
import { type SweepDocument, sweepCsv, sweepCsvChunks, sweepJsonChunks, sweepYamlChunks, yamlDocument, yamlString } from '../../../src/models/analysis/sweep-formats.js'

const row = (index: number): TableRow => ({ inputs: [index], outputs: [index / 3, index % 2 === 0 ? 'small' : null], warnings: index % 5 === 0 ? ['A', 'B'] : [] })
const tableOf = (rows: number): SweepTable => ({ inputs: ['expectedNodes'], outputs: ['cores', 'tier'], rows: Array.from({ length: rows }, (_, i) => row(i)) })

/** The document as one object, each row an object with its inputs and outputs by name. */
function wholeDocument (document: SweepDocument): Record<string, unknown> {
  const { inputs, outputs } = document.sweep
  const rows = [...document.sweep.rows].map((r) => ({ inputs: Object.fromEntries(inputs.map((name, i) => [name, r.inputs[i]])), outputs: Object.fromEntries(outputs.map((name, i) => [name, r.outputs[i]])), warnings: r.warnings }))
  return { ...document.head, rows, ...document.tail() }
}

/** The CSV renderer before the rows were streamed from a generator: the reference for every byte. */
function referenceCsv (table: SweepTable): string {
  const cell = (value: FigureValue | null): string => {
    const text = value === null ? '' : String(value)
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  return [[...table.inputs, ...table.outputs, 'warnings'], ...[...table.rows].map((r) => [...r.inputs, ...r.outputs, r.warnings.join(' ')])].map((cells) => cells.map(cell).join(',') + '\r\n').join('')
}

/** Strings of any UTF-16 code units: lone surrogates, controls, quotes, YAML indicators, words YAML reads as null or booleans. */
const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('null', 'True', 'FALSE', '~', '1e3', '0x1F', '.inf', '- a', 'a: b', '#x', '&a', '*a', '"q"', "'s'", '__proto__', '0', '12', 'a.b.c', 'EVEN_CORE_COUNT', '')
)
const anyFigure: fc.Arbitrary<FigureValue | null> = fc.oneof(fc.double(), fc.integer(), anyText, fc.boolean(), fc.constant(null))
/** A table whose names may repeat or be array indices; its rows' values of any kind, numbers non-finite too. */
const anyTable = fc.record({ inputs: fc.array(anyText, { maxLength: 3 }), outputs: fc.array(anyText, { maxLength: 4 }) }).chain(({ inputs, outputs }) =>
  fc.array(fc.record({
    inputs: fc.array(fc.double(), { minLength: inputs.length, maxLength: inputs.length }),
    outputs: fc.array(anyFigure, { minLength: outputs.length, maxLength: outputs.length }),
    warnings: fc.array(anyText, { maxLength: 3 })
  }), { maxLength: 40 }).map((rows): SweepTable => ({ inputs, outputs, rows })))
const notRows = (key: string): boolean => key !== 'rows'
/** Head and tail fields that do not collide; the tail's keys not array indices (the order JSON.stringify would give them differs). */
const anyDocument = fc.record({
  head: fc.dictionary(anyText.filter(notRows), fc.jsonValue()),
  tail: fc.dictionary(anyText.filter((key) => notRows(key) && !/^(0|[1-9]\d*)$/.test(key)), fc.jsonValue()),
  sweep: anyTable
}).map(({ head, tail, sweep }): SweepDocument => ({ head, sweep, tail: () => Object.fromEntries(Object.entries(tail).filter(([key]) => !Object.hasOwn(head, key))) }))

t.test('sweepJsonChunks joins to JSON.stringify of the whole document, at every chunk boundary', async (t) => {
  for (const rows of [0, 1, 255, 256, 257, 1000]) {
    const document: SweepDocument = { head: { model: 'engram', points: rows, inputs: ['expectedNodes'], outputs: ['cores', 'tier'] }, sweep: tableOf(rows), tail: () => ({ warningOnsets: [], tierChanges: [], warnings: [] }) }
    const chunks = [...sweepJsonChunks(document)]
    t.equal(chunks.join(''), JSON.stringify(wholeDocument(document)), `${rows} rows`)
    t.equal(chunks.length, 2 + Math.ceil(rows / 256), `${rows} rows: the head, a chunk per 256 rows, the tail`)
  }
  t.equal([...sweepJsonChunks({ head: {}, sweep: tableOf(2), tail: () => ({}) })].join(''), JSON.stringify({ rows: wholeDocument({ head: {}, sweep: tableOf(2), tail: () => ({}) }).rows }), 'no head, no tail')
  const gaps = { model: 'x', skipped: undefined, after: () => 1 }
  t.equal([...sweepJsonChunks({ head: gaps, sweep: tableOf(1), tail: () => gaps })].join('').replace(/"rows".*\],?/, ''), '{"model":"x","model":"x"}', 'undefined and functions left out, as JSON.stringify does')
  fc.assert(fc.property(anyDocument, fc.integer({ min: 1, max: 30 }), (document, perChunk) =>
    [...sweepJsonChunks(document, perChunk)].join('') === JSON.stringify(wholeDocument(document))), { numRuns: 300 })
})

t.test('sweepCsvChunks joins to the CSV of the whole table, a header then chunks of rows', async (t) => {
  const table = tableOf(600)
  const chunks = [...sweepCsvChunks(table, 256)]
  t.equal(chunks.length, 1 + 3)
  t.equal(chunks.join(''), sweepCsv(table))
  t.equal(chunks[0], 'expectedNodes,cores,tier,warnings\r\n')
  t.equal(sweepCsv(table).split('\r\n')[1], '0,0,small,A B')
  t.equal(sweepCsv(tableOf(0)), 'expectedNodes,cores,tier,warnings\r\n', 'no rows: the header')
  t.equal(sweepCsv({ inputs: ['x'], outputs: ['y', 'z'], rows: [{ inputs: [Number.NaN], outputs: [Number.POSITIVE_INFINITY, 1.5], warnings: [] }] }).split('\r\n')[1], 'NaN,Infinity,1.5,', 'non-finite numbers as String writes them')
  fc.assert(fc.property(anyTable, fc.integer({ min: 1, max: 30 }), (table, perChunk) =>
    [...sweepCsvChunks(table, perChunk)].join('') === referenceCsv(table)), { numRuns: 300 })
})

/** The data a JSON text stands for: what YAML must parse to. */
const jsonData = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

t.test('yamlDocument parses to the same data as the JSON, with no anchors or aliases', async (t) => {
  t.equal(yamlDocument({}), '{}\n')
  t.equal(yamlDocument({ a: [], b: {}, c: [{ d: 1, e: [2, [3, 4], { f: null }, [[5]]] }], g: 'two words', h: true, i: { j: 'k', l: ['m'] } }), [
    'a: []', 'b: {}', 'c:', '  - d: 1', '    e:', '      - 2', '      - [3, 4]', '      - {f: null}', '      - - [5]', 'g: "two words"', 'h: true', 'i:', '  j: k', '  l: [m]', ''
  ].join('\n'), 'block style, collections of scalars on one line, collections in items starting on the dash\'s line')
  const shared = { x: 1 }
  const text = yamlDocument({ one: shared, two: shared, skipped: undefined, f: () => 1, list: [undefined, () => 1, Number.NaN, -Infinity] })
  t.strictSame(parse(text), { one: { x: 1 }, two: { x: 1 }, list: [null, null, null, null] }, 'a repeated object written twice; what JSON leaves out left out')
  t.notMatch(text, /[&*]/, 'no anchors, no aliases')
  t.equal(yamlString('é\u2028\ud800'), '"\\u00e9\\u2028\\ud800"', 'outside printable ASCII escaped')
  t.equal(yamlString('tables.agent_states.rowBytes'), 'tables.agent_states.rowBytes', 'figure paths plain')
  t.equal(yamlString('true'), '"true"')
  fc.assert(fc.property(fc.dictionary(anyText, fc.oneof(fc.jsonValue(), fc.array(anyFigure), fc.dictionary(anyText, anyFigure))), (value) => {
    t.strictSame(parse(yamlDocument(value)), jsonData(value))
  }), { numRuns: 300 })
  fc.assert(fc.property(anyText, (text) => parse(`${yamlString(text)}\n`) === text), { numRuns: 1000 })
})

t.test('sweepYamlChunks joins to the YAML of the whole document, which parses to the JSON\'s data', async (t) => {
  for (const rows of [0, 1, 256, 257]) {
    const document: SweepDocument = { head: { model: 'engram', points: rows }, sweep: tableOf(rows), tail: () => ({ warnings: [] }) }
    const chunks = [...sweepYamlChunks(document)]
    t.equal(chunks.join(''), yamlDocument(wholeDocument(document)), `${rows} rows`)
    t.equal(chunks.length, 2 + Math.ceil(rows / 256), `${rows} rows: the head, a chunk per 256 rows, the tail`)
  }
  t.equal([...sweepYamlChunks({ head: {}, sweep: tableOf(2), tail: () => ({}) })].join(''), 'rows:\n  - inputs: {expectedNodes: 0}\n    outputs: {cores: 0, tier: small}\n    warnings: [A, B]\n  - inputs: {expectedNodes: 1}\n    outputs: {cores: 0.3333333333333333, tier: null}\n    warnings: []\n', 'a row in three lines')
  t.equal([...sweepYamlChunks({ head: {}, sweep: { inputs: [], outputs: [], rows: [{ inputs: [], outputs: [], warnings: [] }] }, tail: () => ({}) })].join(''), 'rows:\n  - inputs: {}\n    outputs: {}\n    warnings: []\n')
  fc.assert(fc.property(anyDocument, fc.integer({ min: 1, max: 30 }), (document, perChunk) => {
    const text = [...sweepYamlChunks(document, perChunk)].join('')
    t.equal(text, yamlDocument(wholeDocument(document)))
    t.strictSame(parse(text), JSON.parse([...sweepJsonChunks(document, perChunk)].join('')))
  }), { numRuns: 300 })
})

t.test('a lazy sweep computes its rows as they are read; its findings are complete after the last', async (t) => {
  const axis: Axis = { input: 'x', from: 1, to: 600, points: 600, scale: 'linear', integer: true }
  let computed = 0
  const sweep = lazySweep([axis], ['y'], ['tier'], ([x]) => {
    computed++
    return { y: 2 * x, tier: x > 300 ? 'large' : 'small', warnings: x > 500 ? [{ code: 'BIG', severity: 'warning' }] : [] }
  })
  t.equal(sweep.points, 600)
  const document: SweepDocument = { head: { points: sweep.points }, sweep, tail: () => ({ warningOnsets: sweep.warningOnsets, tierChanges: sweep.tierChanges }) }
  const chunks = sweepYamlChunks(document)
  chunks.next()
  t.equal(computed, 0, 'the head before any row')
  chunks.next()
  t.equal(computed, 256, 'a chunk of rows')
  t.same(sweep.tierChanges, [])
  const rest = [...chunks]
  t.equal(computed, 600)
  t.same(parse(rest[rest.length - 1]).tierChanges, [{ figure: 'tier', from: 'small', to: 'large', row: 300, inputs: { x: 301 }, previousInputs: { x: 300 } }])
  t.same(sweep.warningOnsets.map((onset) => onset.row), [500])
})

t.test('recordOf makes what Object.fromEntries makes, a "__proto__" field included', async (t) => {
  for (const names of [['a', 'b'], ['__proto__', 'x'], ['2', 'a', '1'], ['a', 'a']]) {
    const values = names.map((_, index) => index)
    const record = recordOf(names)(values)
    t.same(Object.entries(record), Object.entries(Object.fromEntries(names.map((name, index) => [name, values[index]]))), names.join(' '))
    t.equal(Object.getPrototypeOf(record), Object.prototype)
  }
})

t.test('no anchors or aliases in a YAML table whose rows share values', async (t) => {
  const text = [...sweepYamlChunks({ head: {}, sweep: tableOf(300), tail: () => ({ same: [{ x: 1 }], again: [{ x: 1 }] }) })].join('')
  let found = 0
  visit(parseDocument(text), { Alias: () => { found++ }, Node: (_, node) => { if (isAlias(node) || (node as { anchor?: string }).anchor !== undefined) found++ } })
  t.equal(found, 0)
})
