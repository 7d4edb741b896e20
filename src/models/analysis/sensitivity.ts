// One-at-a-time sensitivity: each numeric input moved down and up by the same share (10% unless
// asked), every other input held; the elasticity of each output is its relative change over the
// input's relative change (central difference), and the tornado order ranks inputs by swing.
import { flattenFigures } from './figures.js'

export interface InputBounds {
  value: number
  integer: boolean
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
}

export interface Driver {
  input: string
  value: number
  low: number
  high: number
  outputLow: number
  outputHigh: number
  /** outputHigh - outputLow. */
  swing: number
  /** (relative output change) / (relative input change); null when the output is 0 at the scenario. */
  elasticity: number | null
  /** 1 = widest swing (the top bar of a tornado chart). */
  rank: number
}

export interface OutputSensitivity { output: string, value: number, drivers: Driver[] }
export interface SkippedInput { input: string, value: number, reason: string }
export interface Sensitivity { deltaPercent: number, outputs: OutputSensitivity[], skipped: SkippedInput[] }

export type Evaluation<E> = { estimate: E } | { invalid: string }

/** The low and high values of an input, within its schema bounds; integers move by at least 1. */
export function perturb (bounds: InputBounds, deltaPercent: number): { low: number, high: number } {
  const { value, integer, minimum = -Infinity, maximum = Infinity, exclusiveMinimum } = bounds
  const share = deltaPercent / 100
  let low = value * (1 - share)
  let high = value * (1 + share)
  if (value < 0) [low, high] = [high, low]
  if (integer) {
    low = Math.min(Math.round(low), value - 1)
    high = Math.max(Math.round(high), value + 1)
  }
  low = Math.max(low, minimum)
  if (exclusiveMinimum !== undefined && low <= exclusiveMinimum) low = value
  high = Math.min(high, maximum)
  return { low, high }
}

const rankBySwing = (drivers: Array<Omit<Driver, 'rank'>>): Driver[] =>
  [...drivers]
    .sort((a, b) => Math.abs(b.swing) - Math.abs(a.swing) || a.input.localeCompare(b.input))
    .map((driver, index) => ({ ...driver, rank: index + 1 }))

export function runSensitivity<E extends object> (inputs: ReadonlyMap<string, InputBounds>, outputs: readonly string[], deltaPercent: number,
  evaluate: (input: string, value: number) => Evaluation<E>, baseline: E): Sensitivity {
  const base = flattenFigures(baseline)
  const skipped: SkippedInput[] = []
  const perInput: Array<{ input: string, value: number, low: number, high: number, lowFigures: Map<string, unknown>, highFigures: Map<string, unknown> }> = []
  for (const [input, bounds] of inputs) {
    if (bounds.value === 0) {
      skipped.push({ input, value: 0, reason: 'the value is 0: a relative change of 0 is 0 (sweep it instead)' })
      continue
    }
    const { low, high } = perturb(bounds, deltaPercent)
    if (low === high) {
      skipped.push({ input, value: bounds.value, reason: 'the schema bounds leave no room to move it' })
      continue
    }
    const lowResult = low === bounds.value ? { estimate: baseline } : evaluate(input, low)
    const highResult = high === bounds.value ? { estimate: baseline } : evaluate(input, high)
    const invalid = 'invalid' in lowResult ? lowResult.invalid : 'invalid' in highResult ? highResult.invalid : undefined
    if (invalid !== undefined) {
      skipped.push({ input, value: bounds.value, reason: `a changed value is not a valid scenario: ${invalid}` })
      continue
    }
    perInput.push({
      input,
      value: bounds.value,
      low,
      high,
      lowFigures: flattenFigures((lowResult as { estimate: E }).estimate),
      highFigures: flattenFigures((highResult as { estimate: E }).estimate)
    })
  }
  const results = outputs.map((output) => {
    const value = base.get(output) as number
    const drivers = perInput.map(({ input, value: inputValue, low, high, lowFigures, highFigures }) => {
      const outputLow = lowFigures.get(output) as number
      const outputHigh = highFigures.get(output) as number
      const swing = outputHigh - outputLow
      const ratio = (swing / value) / ((high - low) / inputValue)
      // an output at 0 has no relative change; subnormal values overflow the ratio
      const elasticity = value === 0 || !Number.isFinite(ratio) ? null : ratio
      return { input, value: inputValue, low, high, outputLow, outputHigh, swing, elasticity }
    })
    return { output, value, drivers: rankBySwing(drivers) }
  })
  return { deltaPercent, outputs: results, skipped }
}
