// A sweep runs one model over a grid of one or two inputs and tabulates chosen figures, with the
// points where a warning first appears and where a tier-like figure changes, along the first input.
import { type FigureValue, valueAt } from './figures.js'

export const MAX_SWEEP_POINTS = 10_000
/**
 * The most figures (points x outputs) one sweep returns: a maximum grid with 16 outputs, about 4 MB
 * of JSON. Known from the request before any point is computed, so a request past it costs nothing.
 */
export const MAX_SWEEP_FIGURES = 160_000

export type StepScale = 'linear' | 'log'

export interface Axis {
  input: string
  from: number
  to: number
  points: number
  scale: StepScale
  integer: boolean
}

export interface SweepRow {
  inputs: Record<string, number>
  outputs: Record<string, FigureValue | null>
  warnings: string[]
}

export interface WarningOnset {
  code: string
  severity: string
  /** Row of the table where it first appears along the first input. */
  row: number
  inputs: Record<string, number>
  /** The point before on its line, where it was absent: the onset lies between the two. Null at the start. */
  previousInputs: Record<string, number> | null
  /** Present already at the first point of its line: it did not appear within the range. */
  atStart: boolean
}

export interface TierChange {
  figure: string
  from: FigureValue | null
  to: FigureValue | null
  row: number
  inputs: Record<string, number>
  /** The point before, with the old value: the change lies between the two. */
  previousInputs: Record<string, number>
}

export interface Sweep {
  inputs: string[]
  outputs: string[]
  rows: SweepRow[]
  warningOnsets: WarningOnset[]
  tierChanges: TierChange[]
}

export interface SweepEstimate { warnings: ReadonlyArray<{ code: string, severity: string }> }

/** Twelve significant digits: 0.1 + 0.2 steps read as 0.3, as a person typed them. */
const clean = (value: number): number => Number(value.toPrecision(12))

/** The values of one axis: evenly spaced, or evenly spaced in log; integers rounded. */
export function axisValues (axis: Axis): number[] {
  const { from, to, points, scale } = axis
  const values = Array.from({ length: points }, (_, i) => {
    if (points === 1) return from
    if (i === points - 1) return to
    const t = i / (points - 1)
    return scale === 'log' ? clean(from * Math.pow(to / from, t)) : clean(from + (to - from) * t)
  })
  return axis.integer ? values.map((value) => Math.round(value)) : values
}

/** A figure of an estimate, or null where this estimate has none (an optional section). */
function figureOf (estimate: object, name: string): FigureValue | null {
  const value = valueAt(estimate, name)
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null
}

/**
 * Runs `evaluate` at every grid point. Rows go along the first input, line by line of the second.
 * `evaluate` gets the grid point's values by input path and returns the estimate.
 */
export function runSweep<E extends SweepEstimate> (axes: readonly Axis[], outputs: readonly string[], tierFigures: readonly string[], evaluate: (point: Record<string, number>) => E): Sweep {
  const [first, second] = axes
  const firstValues = axisValues(first)
  const lines = second === undefined ? [undefined] : axisValues(second)
  const rows: SweepRow[] = []
  const warningOnsets: WarningOnset[] = []
  const tierChanges: TierChange[] = []
  for (const lineValue of lines) {
    const seen = new Set<string>()
    let previousTiers: Map<string, FigureValue | null> | undefined
    let previousInputs: Record<string, number> | null = null
    firstValues.forEach((value, index) => {
      const inputs: Record<string, number> = second === undefined ? { [first.input]: value } : { [first.input]: value, [second.input]: lineValue as number }
      const estimate = evaluate(inputs)
      const row = rows.length
      rows.push({ inputs, outputs: Object.fromEntries(outputs.map((name) => [name, figureOf(estimate, name)])), warnings: [...new Set(estimate.warnings.map((warning) => warning.code))] })
      for (const warning of estimate.warnings) {
        if (seen.has(warning.code)) continue
        seen.add(warning.code)
        warningOnsets.push({ code: warning.code, severity: warning.severity, row, inputs, previousInputs, atStart: index === 0 })
      }
      const tiers = new Map(tierFigures.map((name) => [name, figureOf(estimate, name)]))
      for (const [figure, to] of tiers) {
        const from = previousTiers?.get(figure)
        if (from !== undefined && from !== to) tierChanges.push({ figure, from, to, row, inputs, previousInputs: previousInputs as Record<string, number> })
      }
      previousTiers = tiers
      previousInputs = inputs
    })
  }
  return { inputs: axes.map((axis) => axis.input), outputs: [...outputs], rows, warningOnsets, tierChanges }
}

const csvCell = (value: FigureValue | null): string => {
  const text = value === null ? '' : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows per chunk of a streamed sweep: about 30-60 KB of JSON or CSV, written as soon as it is rendered. */
export const ROWS_PER_CHUNK = 256

function csvLine (sweep: Sweep, row: SweepRow): string {
  return [
    ...sweep.inputs.map((name) => row.inputs[name]),
    ...sweep.outputs.map((name) => row.outputs[name]),
    row.warnings.join(' ')
  ].map(csvCell).join(',')
}

/** RFC 4180 CSV: the inputs, the outputs, then the warning codes separated by spaces; in chunks of rows. */
export function * sweepCsvChunks (sweep: Sweep, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  yield [...sweep.inputs, ...sweep.outputs, 'warnings'].map(csvCell).join(',') + '\r\n'
  for (let start = 0; start < sweep.rows.length; start += rowsPerChunk) {
    yield sweep.rows.slice(start, start + rowsPerChunk).map((row) => csvLine(sweep, row) + '\r\n').join('')
  }
}

export function sweepCsv (sweep: Sweep): string {
  return [...sweepCsvChunks(sweep)].join('')
}

/**
 * JSON.stringify(document), byte for byte, in chunks: everything but the `rows` array at once, the
 * rows a chunk at a time, so a 10,000-row answer starts on the wire before its last row is rendered.
 */
export function * sweepJsonChunks (document: Record<string, unknown> & { rows: unknown[] }, rowsPerChunk = ROWS_PER_CHUNK): Generator<string> {
  let pending = '{'
  let separator = ''
  for (const [key, value] of Object.entries(document)) {
    if (value === undefined || typeof value === 'function') continue // as JSON.stringify leaves them out
    pending += `${separator}${JSON.stringify(key)}:`
    separator = ','
    if (key !== 'rows') {
      pending += JSON.stringify(value)
      continue
    }
    yield `${pending}[`
    for (let start = 0; start < document.rows.length; start += rowsPerChunk) {
      yield (start === 0 ? '' : ',') + document.rows.slice(start, start + rowsPerChunk).map((row) => JSON.stringify(row) ?? 'null').join(',')
    }
    pending = ']'
  }
  yield `${pending}}`
}
