// Terminal layouts of the analyses: aligned tables a person reads in a capacity review.
import { formatNumber } from '../common.js'
import type { EstimateDiff } from './diff.js'
import type { FigureValue } from './figures.js'
import type { Sensitivity } from './sensitivity.js'
import type { Sweep } from './sweep.js'

const show = (value: FigureValue | null): string => value === null ? '-' : typeof value === 'number' ? formatNumber(value, 4) : String(value)
const signed = (value: number, digits: number): string => `${value > 0 ? '+' : ''}${formatNumber(value, digits)}`

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
export function table (header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const line = (cells: string[]): string => cells.map((cell, column) => column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join('  ').trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)]
}

export function renderDiffText (model: string, diff: EstimateDiff): string {
  const changes = diff.changed.map((change) => [
    change.figure, show(change.before), show(change.after),
    change.change === null ? '' : signed(change.change, 4),
    change.relativeChange === null ? '' : `${signed(100 * change.relativeChange, 1)}%`
  ])
  return [
    `Diff of ${model}: ${diff.changed.length} figure(s) changed, ${diff.warningsAppeared.length} warning(s) appeared, ${diff.warningsDisappeared.length} disappeared`,
    '',
    ...(changes.length === 0 ? ['No figure changed.'] : table(['figure', 'before', 'after', 'change', 'relative'], changes)),
    ...(diff.warningsAppeared.length + diff.warningsDisappeared.length === 0
      ? []
      : ['', ...diff.warningsAppeared.map((w) => `+ ${w.code} (${w.severity}): ${w.message}`), ...diff.warningsDisappeared.map((w) => `- ${w.code} (${w.severity}): ${w.message}`)]),
    ...(diff.gates.length === 0
      ? []
      : ['', 'Gates:', ...diff.gates.map((g) => `  ${g.failed ? 'FAIL' : 'pass'} ${g.gate}  (${g.subject}: ${show(g.before)} -> ${show(g.value)}${g.failedBefore ? ', failed before too' : ''})`)]),
    '',
    `Verdict: ${diff.failed ? 'FAILED' : 'ok'}`,
    ''
  ].join('\n')
}

const point = (inputs: Record<string, number>): string => Object.entries(inputs).map(([name, value]) => `${name} = ${show(value)}`).join(', ')

/** "between expectedNodes = 1,000 and 10,000 (retentionDays = 7)": the varied input, then the line. */
function between (before: Record<string, number>, at: Record<string, number>): string {
  const [first, ...rest] = Object.keys(at)
  const line = rest.map((name) => `${name} = ${show(at[name])}`).join(', ')
  return `between ${first} = ${show(before[first])} and ${show(at[first])}${line === '' ? '' : ` (${line})`}`
}

export function renderSweepText (model: string, sweep: Sweep): string {
  const rows = sweep.rows.map((row) => [
    ...sweep.inputs.map((name) => show(row.inputs[name])),
    ...sweep.outputs.map((name) => show(row.outputs[name])),
    row.warnings.join(' ')
  ])
  return [
    `Sweep of ${model} over ${sweep.inputs.join(' and ')}: ${sweep.rows.length} point(s)`,
    '',
    ...table([...sweep.inputs, ...sweep.outputs, 'warnings'], rows),
    '',
    'Warnings first appear:',
    ...(sweep.warningOnsets.length === 0 ? ['  (none)'] : sweep.warningOnsets.map((o) => `  ${o.code} (${o.severity}) ${o.previousInputs === null ? `at ${point(o.inputs)} (already at the start)` : between(o.previousInputs, o.inputs)}`)),
    'Tier changes:',
    ...(sweep.tierChanges.length === 0 ? ['  (none)'] : sweep.tierChanges.map((c) => `  ${c.figure}: ${show(c.from)} -> ${show(c.to)} ${between(c.previousInputs, c.inputs)}`)),
    ...(sweep.truncated === undefined ? [] : [`TRUNCATED after ${sweep.truncated.rows} of ${sweep.truncated.points} points: ${sweep.truncated.reason}`]),
    ''
  ].join('\n')
}

const BAR_WIDTH = 30

export function renderSensitivityText (model: string, sensitivity: Sensitivity): string {
  const sections = sensitivity.outputs.flatMap((output) => {
    const widest = Math.max(...output.drivers.map((d) => Math.abs(d.swing)), 0)
    const rows = output.drivers.map((d) => [
      d.input, show(d.value), show(d.outputLow), show(d.outputHigh), signed(d.swing, 4),
      d.elasticity === null ? '-' : formatNumber(d.elasticity, 3),
      '#'.repeat(widest === 0 ? 0 : Math.round(BAR_WIDTH * Math.abs(d.swing) / widest))
    ])
    return [`${output.output} = ${show(output.value)}`, ...table(['input', 'value', 'at -', 'at +', 'swing', 'elasticity', 'tornado'], rows), '']
  })
  return [
    `Sensitivity of ${model}: each input moved -/+${sensitivity.deltaPercent}%`,
    '',
    ...sections,
    ...(sensitivity.skipped.length === 0 ? [] : ['Not moved:', ...sensitivity.skipped.map((s) => `  ${s.input} = ${show(s.value)}: ${s.reason}`), '']),
    ''
  ].join('\n')
}
