// A sweep runs one model over a grid of one or two inputs and tabulates chosen figures, with the
// points where a warning first appears and where a tier-like figure changes, along the first input.
import { type FigureValue, childOf } from './figures.js'

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

/** Why and where a sweep's answer stopped before its last point: the rows before are complete, the findings are those of these rows. */
export interface Truncation {
  reason: string
  /** Rows written (the table's first ones), of `points`. */
  rows: number
  points: number
}

export interface Sweep {
  inputs: string[]
  outputs: string[]
  rows: SweepRow[]
  warningOnsets: WarningOnset[]
  tierChanges: TierChange[]
  truncated?: Truncation
}

/** A row as it is computed: the inputs' and outputs' values in column order, the warning codes. */
export interface TableRow {
  inputs: readonly number[]
  outputs: ReadonlyArray<FigureValue | null>
  warnings: string[]
}

/** The columns and the rows of a table, as its renderings read it. */
export interface SweepTable {
  inputs: string[]
  outputs: string[]
  rows: Iterable<TableRow>
  /** Set once the rows have stopped early (read after the last one). */
  truncated?: Truncation
}

/** A sweep whose rows are computed as they are read (once). */
export interface LazySweep extends SweepTable {
  /** Rows in all, known before the first is computed. */
  points: number
  /** Complete once the last row has been read, as are the tier changes. */
  warningOnsets: WarningOnset[]
  tierChanges: TierChange[]
}

export interface SweepEstimate { warnings: ReadonlyArray<{ code: string, severity: string }> }

/** Twelve significant digits: 0.1 + 0.2 steps read as 0.3, as a person typed them. */
const clean = (value: number): number => Number(value.toPrecision(12))

const valuesOfAxis = new WeakMap<Axis, readonly number[]>()

/** The values of one axis: evenly spaced, or evenly spaced in log; integers rounded. Computed once per axis object. */
export function axisValues (axis: Axis): readonly number[] {
  const known = valuesOfAxis.get(axis)
  if (known !== undefined) return known
  const { from, to, points, scale } = axis
  const values = Array.from({ length: points }, (_, i) => {
    if (points === 1) return from
    if (i === points - 1) return to
    const t = i / (points - 1)
    return scale === 'log' ? clean(from * Math.pow(to / from, t)) : clean(from + (to - from) * t)
  })
  const result = axis.integer ? values.map((value) => Math.round(value)) : values
  valuesOfAxis.set(axis, result)
  return result
}

/** A figure of estimates by name, its path split once; null where an estimate has none (an optional section). */
function figureReader (name: string): (estimate: object) => FigureValue | null {
  const segments = name.split('.')
  return (estimate) => {
    let value: unknown = estimate
    for (const segment of segments) value = childOf(value, segment)
    return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null
  }
}

/** Makes objects with these keys from values in column order: what Object.fromEntries makes, faster. */
export function recordOf (names: readonly string[]): <T>(values: readonly T[]) => Record<string, T> {
  // an assigned "__proto__" would set the prototype, not a field
  if (names.includes('__proto__')) return (values) => Object.fromEntries(names.map((name, index) => [name, values[index]]))
  return <T>(values: readonly T[]) => {
    const record: Record<string, T> = {}
    for (let index = 0; index < names.length; index++) record[names[index]] = values[index]
    return record
  }
}

/**
 * The sweep of `evaluate` over the grid, its rows computed as they are read: along the first input,
 * line by line of the second. `evaluate` gets the grid point's values in axis order and returns the
 * estimate. The onsets and tier changes fill in as the rows are read, complete after the last.
 */
export function lazySweep<E extends SweepEstimate> (axes: readonly Axis[], outputs: readonly string[], tierFigures: readonly string[], evaluate: (values: readonly number[]) => E,
  cut: () => string | undefined = () => undefined): LazySweep {
  const inputs = axes.map((axis) => axis.input)
  const inputsRecord = recordOf(inputs)
  const [first, second] = axes
  const firstValues = axisValues(first)
  const lines = second === undefined ? [undefined] : axisValues(second)
  const outputReaders = outputs.map(figureReader)
  const tierNames = [...new Set(tierFigures)]
  const tierReaders = tierNames.map(figureReader)
  const warningOnsets: WarningOnset[] = []
  const tierChanges: TierChange[] = []
  const points = firstValues.length * lines.length
  function * rows (): Generator<TableRow> {
    let row = 0
    for (const lineValue of lines) {
      const seen = new Set<string>()
      let previousValues: readonly number[] | undefined
      let previousTiers: Array<FigureValue | null> = []
      for (const value of firstValues) {
        // checked before each row but the first (a clock read: far cheaper than a point), so a long
        // answer stops between rows, and a table has a row at least
        const reason = row === 0 ? undefined : cut()
        if (reason !== undefined) {
          sweep.truncated = { reason, rows: row, points }
          return
        }
        const values = lineValue === undefined ? [value] : [value, lineValue]
        const estimate = evaluate(values)
        const codes: string[] = []
        for (const { code, severity } of estimate.warnings) {
          if (codes.includes(code)) continue
          codes.push(code)
          if (seen.has(code)) continue
          seen.add(code)
          warningOnsets.push({ code, severity, row, inputs: inputsRecord(values), previousInputs: previousValues === undefined ? null : inputsRecord(previousValues), atStart: previousValues === undefined })
        }
        const tiers = tierReaders.map((read) => read(estimate))
        if (previousValues !== undefined) {
          for (const [index, to] of tiers.entries()) {
            const from = previousTiers[index]
            if (from !== to) tierChanges.push({ figure: tierNames[index], from, to, row, inputs: inputsRecord(values), previousInputs: inputsRecord(previousValues) })
          }
        }
        previousValues = values
        previousTiers = tiers
        row++
        yield { inputs: values, outputs: outputReaders.map((read) => read(estimate)), warnings: codes }
      }
    }
  }
  const sweep: LazySweep = { inputs, outputs: [...outputs], points, rows: rows(), warningOnsets, tierChanges }
  return sweep
}

/** Every row of a lazy sweep computed, with its findings; inputs and outputs by name. */
export function collectSweep (sweep: LazySweep): Sweep {
  const [inputs, outputs] = [recordOf(sweep.inputs), recordOf(sweep.outputs)]
  const rows = Array.from(sweep.rows, (row) => ({ inputs: inputs(row.inputs), outputs: outputs(row.outputs), warnings: row.warnings }))
  return { inputs: sweep.inputs, outputs: sweep.outputs, rows, warningOnsets: sweep.warningOnsets, tierChanges: sweep.tierChanges, ...(sweep.truncated === undefined ? {} : { truncated: sweep.truncated }) }
}

/** Runs `evaluate` at every grid point (given the point's values by input path) and collects the sweep. */
export function runSweep<E extends SweepEstimate> (axes: readonly Axis[], outputs: readonly string[], tierFigures: readonly string[], evaluate: (point: Record<string, number>) => E): Sweep {
  const inputsRecord = recordOf(axes.map((axis) => axis.input))
  return collectSweep(lazySweep(axes, outputs, tierFigures, (values) => evaluate(inputsRecord(values))))
}

/** A whole sweep's rows as a table's (values in column order). */
export function tableOf (sweep: Sweep): SweepTable {
  return {
    inputs: sweep.inputs,
    outputs: sweep.outputs,
    rows: sweep.rows.map((row) => ({ inputs: sweep.inputs.map((name) => row.inputs[name]), outputs: sweep.outputs.map((name) => row.outputs[name]), warnings: row.warnings })),
    ...(sweep.truncated === undefined ? {} : { truncated: sweep.truncated })
  }
}
