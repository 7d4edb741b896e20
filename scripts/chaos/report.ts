// What every part of the attack suite hands back: figures, each with its value, its target and a
// verdict, printed as one compact table per part. A figure without a target is information only.

export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'SKIP'

export interface Figure {
  name: string
  value: string
  target: string
  verdict: Verdict
}

export interface PartResult {
  part: string
  figures: Figure[]
  /** What the part noticed that a figure does not say (first failures, the service's log tail). */
  notes: string[]
}

/** A measured figure against a target: PASS when `ok`, FAIL otherwise. */
export function judged (name: string, value: string, target: string, ok: boolean): Figure {
  return { name, value, target, verdict: ok ? 'PASS' : 'FAIL' }
}

/** A figure shown for information (no target). */
export function info (name: string, value: string): Figure {
  return { name, value, target: '', verdict: 'INFO' }
}

/** A figure that could not be measured, with the reason in place of the value. */
export function skipped (name: string, reason: string, target = ''): Figure {
  return { name, value: reason, target, verdict: 'SKIP' }
}

/** The p-th percentile (0-100) of the samples, nearest rank; NaN for none. */
export function percentile (samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

export const ms = (value: number): string => Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)} ms` : 'n/a'
export const mib = (bytes: number): string => Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : 'n/a'
export const count = (value: number): string => Math.round(value).toLocaleString('en-US')

/** One part's figures as an aligned table. */
export function formatTable (result: PartResult): string {
  const rows = [['figure', 'value', 'target', ''], ...result.figures.map((figure) => [figure.name, figure.value, figure.target, figure.verdict])]
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)))
  const line = (row: string[]): string => `  ${row.map((cell, column) => column < 3 ? cell.padEnd(widths[column]) : cell).join('  ')}`.trimEnd()
  const notes = result.notes.map((note) => `  note: ${note}`)
  return [`== ${result.part}`, ...rows.map(line), ...notes].join('\n')
}

export function tally (results: readonly PartResult[]): Record<Verdict, number> {
  const totals: Record<Verdict, number> = { PASS: 0, FAIL: 0, INFO: 0, SKIP: 0 }
  for (const figure of results.flatMap((result) => result.figures)) totals[figure.verdict]++
  return totals
}
