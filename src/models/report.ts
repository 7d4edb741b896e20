// A plain-text report of any estimate for terminals: every figure on its own line, indented by
// section, warnings first-class, assumptions by name. Used where a model has no hand-made layout.
import type { Assumption, Warning } from './common.js'

const formatValue = (value: unknown): string =>
  typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(value)

function renderNode (value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => typeof item === 'object' && item !== null
      ? [`${indent}- [${index + 1}]`, ...renderNode(item, `${indent}    `)]
      : [`${indent}- ${formatValue(item)}`])
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, child]) => typeof child === 'object' && child !== null
      ? [`${indent}${key}:`, ...renderNode(child, `${indent}  `)]
      : [`${indent}${key}: ${formatValue(child)}`])
  }
  return [`${indent}${formatValue(value)}`]
}

export function renderReport (title: string, estimate: { warnings: Warning[], assumptions: Assumption[] } & object): string {
  const { warnings, assumptions, ...sections } = estimate
  const rule = '='.repeat(Math.max(38, title.length))
  return [
    rule, title, rule, '',
    ...Object.entries(sections).flatMap(([section, value]) => [`${section}:`, ...renderNode(value, '  '), '']),
    'Warnings:',
    ...(warnings.length === 0 ? ['  (none)'] : warnings.map((w) => `  ⚠ ${w.code} (${w.severity}): ${w.message}`)),
    '',
    'Assumptions:',
    ...assumptions.map((a) => `  ${a.name} = ${formatValue(a.value)} ${a.unit} (${a.source})`),
    ''
  ].join('\n')
}
