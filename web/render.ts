// The plan as a reader sees it: key figures first, then each section of the estimate, its warnings by
// severity and the assumptions behind the figures with their seed references. Generic over models:
// a section is whatever object or list the estimate has.

type Attributes = Record<string, string | boolean | undefined>

/** An element with attributes (false/undefined left out) and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap> (tag: K, attributes: Attributes = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : value)
  }
  element.append(...children)
  return element
}

const numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 4 })

export function formatScalar (value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return numberFormat.format(value)
  return String(value)
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** `recommendations.memoryGiB` in an estimate; list elements by their name, component or service (as GET /estimates names them), else by index. */
export function figureAt (estimate: unknown, path: string): unknown {
  let node: unknown = estimate
  for (const segment of path.split('.')) {
    if (Array.isArray(node)) {
      node = node.find((item) => isRecord(item) && (item.name === segment || item.component === segment || item.service === segment)) ?? node[Number(segment)]
    } else if (isRecord(node)) {
      node = node[segment]
    } else {
      return undefined
    }
  }
  return node
}

/** A figure path as the reader sees it: the API's names (searchable in the JSON and the docs), `›` between levels. */
export function labelOfPath (path: string): string {
  return path.split('.').join(' › ')
}

/** Any value of an estimate: an object as a definition list, a list of objects as a table, a list of values as text. */
export function valueNode (value: unknown): Node {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRecord)) return tableOf(value)
    return document.createTextNode(value.length === 0 ? 'none' : value.map(formatScalar).join(', '))
  }
  if (isRecord(value)) {
    const list = el('dl', { class: 'fields' })
    for (const [name, item] of Object.entries(value)) list.append(el('div', {}, el('dt', {}, name), el('dd', {}, valueNode(item))))
    return list
  }
  return document.createTextNode(formatScalar(value))
}

export function tableOf (rows: Array<Record<string, unknown>>, caption?: string): HTMLTableElement {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const table = el('table', {})
  if (caption !== undefined) table.append(el('caption', {}, caption))
  table.append(el('thead', {}, el('tr', {}, ...columns.map((column) => el('th', { scope: 'col' }, column)))))
  table.append(el('tbody', {}, ...rows.map((row) => el('tr', {}, ...columns.map((column) => el('td', { class: typeof row[column] === 'number' ? 'number' : undefined }, valueNode(row[column])))))))
  return table
}

export interface Warning { code: string, severity: string, message: string }
export interface Assumption { name: string, value: number, unit: string, source: string, note?: string }

const SEVERITIES = ['critical', 'warning', 'info']

export function keyFiguresNode (estimate: unknown, figures: string[]): HTMLElement {
  const list = el('dl', { class: 'key-figures' })
  for (const figure of figures) {
    list.append(el('div', { 'data-figure': figure }, el('dt', {}, labelOfPath(figure)), el('dd', {}, formatScalar(figureAt(estimate, figure)))))
  }
  return list
}

export function warningsNode (warnings: Warning[]): HTMLElement {
  const section = el('section', { class: 'warnings', 'aria-labelledby': 'warnings-heading' }, el('h3', { id: 'warnings-heading' }, `Warnings (${warnings.length})`))
  if (warnings.length === 0) section.append(el('p', {}, 'None.'))
  const known = SEVERITIES.filter((severity) => warnings.some((warning) => warning.severity === severity))
  const others = [...new Set(warnings.map((warning) => warning.severity))].filter((severity) => !SEVERITIES.includes(severity))
  for (const severity of [...known, ...others]) {
    const group = warnings.filter((warning) => warning.severity === severity)
    section.append(el('h4', { class: `severity ${severity}` }, `${severity} (${group.length})`))
    section.append(el('ul', { class: `severity-list ${severity}`, 'data-severity': severity },
      ...group.map((warning) => el('li', {}, el('code', {}, warning.code), ': ', warning.message))))
  }
  return section
}

export function assumptionsNode (assumptions: Assumption[]): HTMLElement {
  const details = el('details', { class: 'assumptions' }, el('summary', {}, `Assumptions behind the figures (${assumptions.length}), with their seed references`))
  details.append(tableOf(assumptions.map(({ name, value, unit, source, note }) => ({ name, value, unit, source, note: note ?? '' }))))
  return details
}

/** Every section of an estimate but its inputs, warnings and assumptions, in the estimate's order. */
export function sectionsNode (estimate: Record<string, unknown>): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const [name, value] of Object.entries(estimate)) {
    if (name === 'inputs' || name === 'warnings' || name === 'assumptions') continue
    const id = `section-${name}`
    fragment.append(el('section', { class: 'section', 'aria-labelledby': id }, el('h3', { id }, labelOfPath(name)), valueNode(value)))
  }
  return fragment
}

/** An SVG document from the service as an image (img-src allows data: URIs; no markup of the service's enters the page). */
export function chartNode (svg: string, description: string): HTMLImageElement {
  return el('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: description, class: 'chart-image' })
}
