// What changes between two estimates of one model: each figure that differs (with absolute and
// relative change for numbers), each warning that appeared or disappeared, and the gates' verdicts.
import { type FigureValue, flattenFigures } from './figures.js'
import { type Gate, type GateVerdict, type WarningLike, evaluateGate } from './gates.js'

export interface FigureChange {
  figure: string
  before: FigureValue | null
  after: FigureValue | null
  /** after - before, for numbers present on both sides. */
  change: number | null
  /** (after - before) / |before|; null when before is 0 (or too small for the ratio to be finite) or either side is not a number. */
  relativeChange: number | null
}

export interface DiffWarning { code: string, severity: string, message: string }

export interface EstimateDiff {
  changed: FigureChange[]
  warningsAppeared: DiffWarning[]
  warningsDisappeared: DiffWarning[]
  gates: Array<GateVerdict & { before: number | null, failedBefore: boolean }>
  /** True when at least one gate fails on the `after` estimate. */
  failed: boolean
}

type Estimate = object & { warnings: readonly DiffWarning[] }

/** A ratio over a subnormal denominator (1e-323) overflows: no relative change rather than Infinity. */
const finiteOrNull = (value: number): number | null => Number.isFinite(value) ? value : null

function figureChange (figure: string, before: FigureValue | undefined, after: FigureValue | undefined): FigureChange {
  const numeric = typeof before === 'number' && typeof after === 'number'
  const change = numeric ? after - before : null
  return {
    figure,
    before: before ?? null,
    after: after ?? null,
    change,
    relativeChange: numeric && before !== 0 ? finiteOrNull((change as number) / Math.abs(before)) : null
  }
}

/** Warnings are matched by code and message: a changed message (new figures) is a change too. */
const warningKey = (warning: WarningLike & { message: string }): string => `${warning.code}\u0000${warning.message}`

function warningsOnlyIn (side: readonly DiffWarning[], other: readonly DiffWarning[]): DiffWarning[] {
  const keys = new Set(other.map(warningKey))
  return side.filter((warning) => !keys.has(warningKey(warning))).map(({ code, severity, message }) => ({ code, severity, message }))
}

export function diffEstimates (before: Estimate, after: Estimate, gates: readonly Gate[], aliases: Readonly<Record<string, string>>): EstimateDiff {
  const beforeFigures = flattenFigures(before)
  const afterFigures = flattenFigures(after)
  const names = [...new Set([...beforeFigures.keys(), ...afterFigures.keys()])]
  const changed = names
    .filter((name) => beforeFigures.get(name) !== afterFigures.get(name))
    .map((name) => figureChange(name, beforeFigures.get(name), afterFigures.get(name)))
  const verdicts = gates.map((gate) => {
    const was = evaluateGate(gate, beforeFigures, before.warnings, aliases)
    return { ...evaluateGate(gate, afterFigures, after.warnings, aliases), before: was.value, failedBefore: was.failed }
  })
  return {
    changed,
    warningsAppeared: warningsOnlyIn(after.warnings, before.warnings),
    warningsDisappeared: warningsOnlyIn(before.warnings, after.warnings),
    gates: verdicts,
    failed: verdicts.some((verdict) => verdict.failed)
  }
}
