// Gates are the conditions a pipeline fails on, written as on a command line: `cost>1500`,
// `cores>=32`, `storage.totalGiB>2000`, `warning:HORIZONTAL_SCALING`, `severity:critical`. A gate
// *fails* when its condition holds for the estimate.
import type { Figures } from './figures.js'

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!='
export type Gate =
  | { kind: 'figure', text: string, figure: string, comparison: Comparison, threshold: number }
  | { kind: 'warning', text: string, code: string }
  | { kind: 'severity', text: string, severity: Severity }

export type Severity = 'info' | 'warning' | 'critical'
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']

export interface GateVerdict {
  gate: string
  /** The figure a figure gate read (aliases resolved), or the warning code / severity. */
  subject: string
  /** The figure's value, or how many warnings matched. */
  value: number | null
  failed: boolean
}

export interface WarningLike { code: string, severity: string }

export class GateError extends Error {
  override name = 'GateError'
}

const FIGURE_GATE = /^([A-Za-z_][\w.-]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/i
const WARNING_GATE = /^warning:([A-Z][A-Z0-9_]*)$/
const SEVERITY_GATE = /^severity:([a-z]+)$/

/** Parses one gate; the error names the rule that was broken. */
export function parseGate (text: string): Gate {
  const trimmed = text.trim()
  const warning = WARNING_GATE.exec(trimmed)
  if (warning !== null) return { kind: 'warning', text: trimmed, code: warning[1] }
  const severity = SEVERITY_GATE.exec(trimmed)
  if (severity !== null) {
    if (!SEVERITIES.includes(severity[1] as Severity)) throw new GateError(`"${trimmed}": severity must be one of ${SEVERITIES.join(', ')}`)
    return { kind: 'severity', text: trimmed, severity: severity[1] as Severity }
  }
  const figure = FIGURE_GATE.exec(trimmed)
  if (figure === null || !Number.isFinite(Number(figure[3]))) {
    throw new GateError(`"${trimmed}" is not a gate: write <figure><op><number> (op one of > >= < <= == !=, e.g. cores>32), warning:<CODE> or severity:<info|warning|critical>`)
  }
  return { kind: 'figure', text: trimmed, figure: figure[1], comparison: figure[2] as Comparison, threshold: Number(figure[3]) }
}

const COMPARE: Record<Comparison, (value: number, threshold: number) => boolean> = {
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
  '==': (v, t) => v === t,
  '!=': (v, t) => v !== t
}

/**
 * Resolves a figure gate's name against the model: an alias (`cores`) or a numeric figure path.
 * Unknown names are an error listing the aliases, so a misspelt gate never passes silently.
 */
export function resolveGateFigure (gate: Gate, figures: Figures, aliases: Readonly<Record<string, string>>, model: string): string {
  if (gate.kind !== 'figure') return ''
  const path = aliases[gate.figure] ?? gate.figure
  if (typeof figures.get(path) !== 'number') {
    const known = Object.keys(aliases)
    throw new GateError(`"${gate.text}": ${gate.figure} is not a numeric figure of model ${model}` +
      (known.length > 0 ? ` (aliases: ${known.join(', ')}; or any figure path such as ${[...figures.keys()].find((k) => typeof figures.get(k) === 'number') ?? ''})` : ''))
  }
  return path
}

/** A gate parsed and resolved against an estimate's figures; throws GateError naming the problem. */
export function checkedGate (text: string, figures: Figures, aliases: Readonly<Record<string, string>>, model: string): Gate {
  const gate = parseGate(text)
  resolveGateFigure(gate, figures, aliases, model)
  return gate
}

/** The verdict of one gate on one estimate; `resolveGateFigure` must have accepted it. */
export function evaluateGate (gate: Gate, figures: Figures, warnings: readonly WarningLike[], aliases: Readonly<Record<string, string>>): GateVerdict {
  if (gate.kind === 'warning') {
    const count = warnings.filter((warning) => warning.code === gate.code).length
    return { gate: gate.text, subject: gate.code, value: count, failed: count > 0 }
  }
  if (gate.kind === 'severity') {
    const count = warnings.filter((warning) => warning.severity === gate.severity).length
    return { gate: gate.text, subject: `severity ${gate.severity}`, value: count, failed: count > 0 }
  }
  const path = aliases[gate.figure] ?? gate.figure
  const value = figures.get(path)
  if (typeof value !== 'number') return { gate: gate.text, subject: path, value: null, failed: false }
  return { gate: gate.text, subject: path, value, failed: COMPARE[gate.comparison](value, gate.threshold) }
}
