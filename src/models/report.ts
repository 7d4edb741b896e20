// A plain-text report of any estimate for terminals: every figure on its own line, indented by
// section, warnings first-class, assumptions by name. Used where a model has no hand-made layout.
import { type Assumption, type Warning, formatNumber } from './common.js'

const formatValue = (value: unknown): string =>
  typeof value === 'number' ? formatNumber(value, 4) : String(value)

/** One line per figure; array items are numbered like keys ([1], [2], ...). */
function renderNode (value: object, indent: string): string[] {
  const entries = Array.isArray(value) ? value.map((item, index): [string, unknown] => [`[${index + 1}]`, item]) : Object.entries(value)
  return entries.flatMap(([key, child]) => typeof child === 'object' && child !== null
    ? [`${indent}${key}:`, ...renderNode(child, `${indent}  `)]
    : [`${indent}${key}: ${formatValue(child)}`])
}

export function renderReport<T extends { warnings: Warning[], assumptions: Assumption[] }> (title: string, estimate: T): string {
  const { warnings, assumptions, ...sections } = estimate
  const rule = '='.repeat(Math.max(38, title.length))
  return [
    rule, title, rule, '',
    ...Object.entries(sections).flatMap(([section, value]) => typeof value === 'object' && value !== null
      ? [`${section}:`, ...renderNode(value, '  '), '']
      : [`${section}: ${formatValue(value)}`, '']),
    'Warnings:',
    ...(warnings.length === 0 ? ['  (none)'] : warnings.map((w) => `  ⚠ ${w.code} (${w.severity}): ${w.message}`)),
    '',
    'Assumptions:',
    ...assumptions.map((a) => `  ${a.name} = ${formatValue(a.value)} ${a.unit} (${a.source})`),
    ''
  ].join('\n')
}
