// An SVG line chart of a sweep: one panel per numeric output against the first input (log axis
// when it was swept in log steps), one line per value of the second input, and a dashed marker
// where a warning first appears along the first line.
import type { Sweep } from './sweep.js'

const WIDTH = 760
const PANEL_HEIGHT = 220
const MARGIN = { left: 80, right: 190, top: 56, bottom: 44 }
const MAX_PANELS = 6
const MAX_LINES = 10
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
const fixed = (value: number): string => value.toFixed(1)
const label = (value: number): string => Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 })

/** At most `count` items, evenly spaced, first and last kept. */
function spread<T> (items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  return Array.from({ length: count }, (_, i) => items[Math.round(i * (items.length - 1) / (count - 1))])
}

export function renderSweepSvg (sweep: Sweep, logX: boolean): string {
  const [xName, lineName] = sweep.inputs
  const numericOutputs = sweep.outputs.filter((name) => sweep.rows.every((row) => typeof row.outputs[name] === 'number'))
  const panels = numericOutputs.slice(0, MAX_PANELS)
  const lineValues = lineName === undefined ? [undefined] : spread([...new Set(sweep.rows.map((row) => row.inputs[lineName]))], MAX_LINES)
  const xs = sweep.rows.map((row) => row.inputs[xName])
  const xMin = Math.min(...xs)
  const xMax = Math.max(...xs)
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom + 24
  const useLog = logX && xMin > 0
  const scaleX = (value: number): number => {
    if (xMax === xMin) return MARGIN.left + plotWidth / 2
    const t = useLog ? Math.log(value / xMin) / Math.log(xMax / xMin) : (value - xMin) / (xMax - xMin)
    return MARGIN.left + plotWidth * t
  }
  const height = 40 + Math.max(1, panels.length) * PANEL_HEIGHT
  const omitted = [
    numericOutputs.length > MAX_PANELS ? `${numericOutputs.length - MAX_PANELS} more outputs not drawn` : '',
    sweep.outputs.length > numericOutputs.length ? `non-numeric outputs not drawn: ${sweep.outputs.filter((name) => !numericOutputs.includes(name)).join(', ')}` : '',
    lineName !== undefined && lineValues.length < new Set(sweep.rows.map((row) => row.inputs[lineName])).size ? `${lineValues.length} of the ${lineName} lines drawn` : '',
    sweep.truncated === undefined ? '' : `truncated: ${sweep.truncated.rows} of ${sweep.truncated.points} points`
  ].filter((text) => text !== '')
  const firstLine = sweep.rows.filter((row) => lineName === undefined || row.inputs[lineName] === lineValues[0])
  const onsets = sweep.warningOnsets.filter((onset) => !onset.atStart && (lineName === undefined || onset.inputs[lineName] === lineValues[0]))
  const title = `${sweep.outputs.join(', ')} by ${xName}${lineName === undefined ? '' : ` and ${lineName}`}`
  const body = panels.map((output, panel) => {
    const top = 40 + panel * PANEL_HEIGHT
    const ys = sweep.rows.map((row) => row.outputs[output] as number)
    const yMin = Math.min(0, ...ys)
    const yMax = Math.max(...ys) === yMin ? yMin + 1 : Math.max(...ys)
    const scaleY = (value: number): number => top + 24 + plotHeight * (1 - (value - yMin) / (yMax - yMin))
    const yTicks = Array.from({ length: 5 }, (_, i) => yMin + (yMax - yMin) * i / 4)
    const xTicks = useLog ? spread([...new Set(xs)], 6) : Array.from({ length: 6 }, (_, i) => xMin + (xMax - xMin) * i / 5)
    const bottom = top + 24 + plotHeight
    return [
      `<text x="${MARGIN.left}" y="${top + 14}" font-weight="bold">${escapeXml(output)}</text>`,
      ...yTicks.map((tick) => `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(scaleY(tick))}" y2="${fixed(scaleY(tick))}" stroke="#e0e0e0"/><text x="${MARGIN.left - 8}" y="${fixed(scaleY(tick) + 4)}" text-anchor="end">${label(tick)}</text>`),
      ...xTicks.map((tick) => `<text x="${fixed(scaleX(tick))}" y="${fixed(bottom + 16)}" text-anchor="middle">${label(tick)}</text>`),
      `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${top + 24}" y2="${fixed(bottom)}" stroke="#333"/>`,
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(bottom)}" y2="${fixed(bottom)}" stroke="#333"/>`,
      ...onsets.map((onset) => `<line x1="${fixed(scaleX(onset.inputs[xName]))}" x2="${fixed(scaleX(onset.inputs[xName]))}" y1="${top + 24}" y2="${fixed(bottom)}" stroke="#888" stroke-dasharray="4 4"/>` +
        (panel === 0 ? `<text x="${fixed(scaleX(onset.inputs[xName]) + 3)}" y="${top + 34}" fill="#555" font-size="10">${escapeXml(onset.code)}</text>` : '')),
      ...lineValues.map((lineValue, i) => {
        const points = sweep.rows.filter((row) => lineName === undefined || row.inputs[lineName] === lineValue)
          .map((row) => `${fixed(scaleX(row.inputs[xName]))},${fixed(scaleY(row.outputs[output] as number))}`)
        return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${points.join(' ')}"/>`
      })
    ].join('\n')
  })
  const legend = lineName === undefined
    ? []
    : lineValues.map((lineValue, i) => `<line x1="${WIDTH - MARGIN.right + 16}" x2="${WIDTH - MARGIN.right + 40}" y1="${64 + i * 18}" y2="${64 + i * 18}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/><text x="${WIDTH - MARGIN.right + 46}" y="${68 + i * 18}">${escapeXml(`${lineName} = ${label(lineValue as number)}`)}</text>`)
  const description = `${title}; ${firstLine.length} points per line${useLog ? ', log scale' : ''}.` +
    (onsets.length > 0 ? ` Warnings first appear: ${onsets.map((onset) => `${onset.code} at ${xName} = ${label(onset.inputs[xName])}`).join('; ')}.` : '') +
    (omitted.length > 0 ? ` ${omitted.join('; ')}.` : '')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc" font-family="sans-serif" font-size="12">`,
    `<title id="title">${escapeXml(`Sweep: ${title}`)}</title>`,
    `<desc id="desc">${escapeXml(description)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(`Sweep over ${xName}${useLog ? ' (log scale)' : ''}`)}</text>`,
    ...body,
    ...legend,
    ...(panels.length === 0 ? [`<text x="${MARGIN.left}" y="80">No numeric output to draw.</text>`] : []),
    '</svg>',
    ''
  ].join('\n')
}
