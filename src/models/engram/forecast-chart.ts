// An SVG chart of a forecast: each resource's need as a share of what is provisioned, over the
// horizon, with its threshold as a dashed line, so a person sees at a glance what crosses when.
import { deploymentNeedAt } from './capacity.js'
import { type Forecast, THRESHOLDS, forecastPlan } from './forecast.js'

const WIDTH = 720
const HEIGHT = 400
const MARGIN = { left: 64, right: 150, top: 48, bottom: 48 }
const SAMPLES = 60
const Y_CLIP_PERCENT = 200 // beyond this the thresholds would be unreadable; lines are clipped
const COLORS = { cpu: '#1f77b4', memory: '#d62728', storage: '#2ca02c' } as const
const LABELS = { cpu: 'CPU', memory: 'Memory', storage: 'Storage' } as const

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function forecastSeries (forecast: Forecast, nodesAt: (day: number) => number): Array<{ day: number, cpu: number, memory: number, storage: number }> {
  const horizon = forecast.inputs.horizonDays
  const step = Math.max(1, Math.ceil(horizon / SAMPLES))
  const days = [...new Set([...Array.from({ length: Math.floor(horizon / step) + 1 }, (_, i) => i * step), horizon])]
  const { provisioned, inputs } = forecast
  const share = (need: number, available: number): number => available > 0 ? 100 * need / available : 0
  const plan = forecastPlan(inputs)
  return days.map((day) => {
    const need = deploymentNeedAt(plan, nodesAt(day))
    return { day, cpu: share(need.cores, provisioned.cores), memory: share(need.memoryGiB, provisioned.memoryGiB), storage: share(need.storageGiB, provisioned.storageGiB) }
  })
}

export function renderForecastSvg (forecast: Forecast, nodesAt: (day: number) => number): string {
  const series = forecastSeries(forecast, nodesAt)
  const horizon = Math.max(1, forecast.inputs.horizonDays)
  const peak = Math.max(100, ...series.flatMap((point) => [point.cpu, point.memory, point.storage]))
  const yMax = Math.min(Y_CLIP_PERCENT, Math.ceil(peak / 50) * 50)
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (day: number): number => MARGIN.left + plotWidth * day / horizon
  const y = (percent: number): number => MARGIN.top + plotHeight * (1 - Math.min(percent, yMax) / yMax)
  const fixed = (value: number): string => value.toFixed(1)
  const yTicks = Array.from({ length: 6 }, (_, i) => yMax * i / 5)
  const xTicks = Array.from({ length: 6 }, (_, i) => Math.round(horizon * i / 5))
  const resources = ['cpu', 'memory', 'storage'] as const
  const crossingText = forecast.crossings.map((c) => `${LABELS[c.resource]} ${c.thresholdPercent}%: ${c.day === null ? 'not within the horizon' : `day ${c.day}`}`).join('; ')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="title desc" font-family="sans-serif" font-size="12">`,
    '<title id="title">Engram capacity forecast</title>',
    `<desc id="desc">${escapeXml(`Need as a share of provisioned capacity over ${horizon} days (${forecast.model.mode}). ${crossingText}.`)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">Engram capacity forecast: need as % of provisioned${peak > Y_CLIP_PERCENT ? ` (clipped at ${Y_CLIP_PERCENT}%)` : ''}</text>`,
    ...yTicks.map((tick) => `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e0e0e0"/><text x="${MARGIN.left - 8}" y="${fixed(y(tick) + 4)}" text-anchor="end">${tick}%</text>`),
    ...xTicks.map((tick) => `<text x="${fixed(x(tick))}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${tick}</text>`),
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle">day</text>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    ...resources.map((resource) => `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(y(THRESHOLDS[resource] * 100))}" y2="${fixed(y(THRESHOLDS[resource] * 100))}" stroke="${COLORS[resource]}" stroke-dasharray="6 4" stroke-width="1"/>`),
    ...resources.map((resource) => `<polyline fill="none" stroke="${COLORS[resource]}" stroke-width="2" points="${series.map((point) => `${fixed(x(point.day))},${fixed(y(point[resource]))}`).join(' ')}"/>`),
    ...resources.map((resource, i) => {
      const crossing = forecast.crossings.find((c) => c.resource === resource)
      const when = crossing?.day === null || crossing === undefined ? 'no crossing' : `crosses day ${crossing.day}`
      const legendY = MARGIN.top + 16 + i * 36
      return `<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 36}" y1="${legendY}" y2="${legendY}" stroke="${COLORS[resource]}" stroke-width="2"/><text x="${WIDTH - MARGIN.right + 42}" y="${legendY + 4}">${LABELS[resource]} (${THRESHOLDS[resource] * 100}%)</text><text x="${WIDTH - MARGIN.right + 42}" y="${legendY + 18}" fill="#555">${when}</text>`
    }),
    '</svg>',
    ''
  ].join('\n')
}
