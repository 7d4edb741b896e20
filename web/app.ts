// The capacity-review page: any model the service lists (GET /estimates), its form generated from its
// request schema (GET /openapi.json), the plan it answers, two scenarios compared (POST /diff), a
// sweep chart (POST /sweep) and, where the model has one, a forecast chart and downloads. The URL's
// hash holds the model and the inputs, so a link reproduces the view. No framework: the DOM.
import { RequestFailed, attachmentName, call, getJson, keepToken, postJson, postText, storedToken } from './api.js'
import { type Field, type FieldKind, type OpenApiDocument, fieldOfMessage, isNumeric, kindOf, labelOf, parseValue, placeholderOf, requestFields, showValue, unitOf } from './schema.js'
import { type Assumption, type Warning, assumptionsNode, chartNode, el, figureAt, formatScalar, keyFiguresNode, labelOfPath, sectionsNode, tableOf, warningsNode } from './render.js'

interface CatalogueModel { name: string, path: string, summary: string, keyFigures: string[] }
type Scenario = Record<string, unknown>
type Estimate = Record<string, unknown> & { warnings?: Warning[], assumptions?: Assumption[] }

/** What a model has beyond its estimate: files to download and a forecast. Data, not code per model: a model without an entry gets none. */
interface Download { label: string, file: (estimate: Estimate) => string, fetch: (estimate: Estimate) => Promise<Response>, when?: (estimate: Estimate) => boolean }
interface Forecast { path: string, body: (estimate: Estimate, inputs: Scenario) => Scenario }
const EXTRAS: Record<string, { downloads?: Download[], forecast?: Forecast }> = {
  aeterna: {
    downloads: [
      { label: 'Helm values file of the tier', file: (estimate) => `values-${String(estimate.tier)}.yaml`, fetch: async (estimate) => await call(`/tiers/${encodeURIComponent(String(estimate.tier))}?format=yaml`, { accept: 'application/yaml' }) },
      { label: 'the same with the HA settings of seed 002', when: (estimate) => estimate.tier !== 'small', file: (estimate) => `values-${String(estimate.tier)}-ha.yaml`, fetch: async (estimate) => await call(`/tiers/${encodeURIComponent(String(estimate.tier))}?format=yaml&ha=true`, { accept: 'application/yaml' }) }
    ]
  },
  engram: {
    downloads: [
      { label: 'Prometheus alert rules with this plan\'s limits', file: () => 'engram-alerts.yaml', fetch: async (estimate) => await call('/generate/engram/alerts', { body: { plan: { recommendations: estimate.recommendations } }, accept: 'application/yaml' }) },
      { label: 'HorizontalPodAutoscaler with this plan\'s instances as the minimum', file: () => 'engram-hpa.yaml', fetch: async (estimate) => await call('/generate/engram/hpa', { body: { plan: { recommendations: estimate.recommendations } }, accept: 'application/yaml' }) }
    ],
    forecast: { path: '/forecast/engram', body: (estimate, inputs) => ({ ...inputs, plan: { inputs: estimate.inputs, recommendations: estimate.recommendations } }) }
  }
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const status = byId<HTMLParagraphElement>('status')
const modelSelect = byId<HTMLSelectElement>('model')
const fieldsBox = byId<HTMLDivElement>('fields')
const planBody = byId<HTMLDivElement>('plan-body')
const linkInput = byId<HTMLInputElement>('link')
const tokenInput = byId<HTMLInputElement>('token')
const sweepInput = byId<HTMLSelectElement>('sweep-input')
const sweepFrom = byId<HTMLInputElement>('sweep-from')
const sweepTo = byId<HTMLInputElement>('sweep-to')
const sweepPoints = byId<HTMLInputElement>('sweep-points')
const sweepScale = byId<HTMLSelectElement>('sweep-scale')
const forecastSection = byId<HTMLElement>('forecast')
const forecastFields = byId<HTMLDivElement>('forecast-fields')
const compareRun = byId<HTMLButtonElement>('compare-run')
const unpin = byId<HTMLButtonElement>('unpin')

let catalogue: CatalogueModel[] = []
let openapi: OpenApiDocument = { paths: {} }
let model: CatalogueModel | undefined
let fields: Field[] = []
let forecastInputs: Field[] = []
let estimate: Estimate | undefined
/** Scenario A of a comparison: the inputs pinned, as sent. */
let pinned: Scenario | undefined
/** The sweep last drawn, for the URL: input, from, to, points, scale. */
let sweepShown: string | undefined
/** Only the answer to the latest request of each kind is shown. */
const latest = { plan: 0, compare: 0, sweep: 0, forecast: 0 }

const say = (text: string): void => { status.textContent = text }

/** Starts a task from an event; what it does not handle itself is said, never lost. */
const run = (task: Promise<void>): void => { task.catch((error: unknown) => { say(`Something went wrong in the page: ${String(error)}`) }) }

// ---- form ---------------------------------------------------------------------------------------

function controlFor (kind: FieldKind, field: Field, id: string, text: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const common = { id, name: field.name, 'aria-describedby': `${id}-help ${id}-error`, 'aria-required': field.required ? 'true' : undefined }
  if (kind === 'choice' || kind === 'boolean') {
    const values = kind === 'boolean' ? ['true', 'false'] : (field.schema.enum ?? []).map(String)
    const defaultText = field.schema.default === undefined ? 'default' : `default: ${String(field.schema.default)}`
    const select = el('select', common, el('option', { value: '' }, `(${defaultText})`), ...values.map((value) => el('option', { value }, value)))
    select.value = values.includes(text) ? text : ''
    return select
  }
  if (kind === 'json') {
    const area = el('textarea', { ...common, rows: '3', spellcheck: 'false', placeholder: placeholderOf(field.schema) })
    area.value = text
    return area
  }
  const input = el('input', { ...common, type: 'text', inputmode: kind === 'number' ? 'decimal' : undefined, placeholder: placeholderOf(field.schema), autocomplete: 'off' })
  input.value = text
  return input
}

/** A field: its label with the unit, the control, the schema's description, and the place for the service's message about it. */
function fieldNode (field: Field, prefix: string, text: string): HTMLElement {
  const id = `${prefix}${field.name}`
  const unit = unitOf(field.schema)
  const label = el('label', { for: id }, labelOf(field.name), unit === undefined ? '' : el('span', { class: 'unit' }, ` (${unit})`), field.required ? el('span', { class: 'required' }, ' (required)') : '')
  const help = el('p', { id: `${id}-help`, class: 'help' }, el('code', {}, field.name), ': ', field.schema.description ?? '')
  const error = el('p', { id: `${id}-error`, class: 'error' })
  return el('div', { class: 'field', 'data-field': field.name }, label, controlFor(kindOf(field.schema), field, id, text), error, help)
}

const controlOf = (prefix: string, name: string): HTMLInputElement | null => document.getElementById(`${prefix}${name}`) as HTMLInputElement | null

/** The scenario the form holds, and the text of each field filled in (for the URL); fields that are not JSON are named. */
function readFields (list: Field[], prefix: string): { scenario: Scenario, texts: Array<[string, string]>, invalid: Array<[string, string]> } {
  const scenario: Scenario = {}
  const texts: Array<[string, string]> = []
  const invalid: Array<[string, string]> = []
  for (const field of list) {
    const text = controlOf(prefix, field.name)?.value ?? ''
    const { value, invalid: reason } = parseValue(kindOf(field.schema), text)
    if (reason !== undefined) invalid.push([field.name, reason])
    if (value !== undefined) scenario[field.name] = value
    if (text.trim() !== '') texts.push([field.name, text.trim()])
  }
  return { scenario, texts, invalid }
}

function clearErrors (prefix: string): void {
  for (const node of document.querySelectorAll<HTMLElement>(`[id^="${prefix}"][id$="-error"]`)) node.textContent = ''
  for (const node of document.querySelectorAll<HTMLElement>(`[id^="${prefix}"][aria-invalid]`)) node.removeAttribute('aria-invalid')
}

/** Shows a message next to the field it names; false when no field of the form has that name. */
function showFieldError (prefix: string, name: string | undefined, message: string): boolean {
  const control = name === undefined ? null : controlOf(prefix, name)
  const error = name === undefined ? null : document.getElementById(`${prefix}${name}-error`)
  if (control === null || error === null) return false
  error.textContent = message
  control.setAttribute('aria-invalid', 'true')
  return true
}

function showModel (params: URLSearchParams): void {
  model = catalogue.find((entry) => entry.name === modelSelect.value) ?? catalogue[0]
  byId('model-summary').textContent = `${model.summary} (POST ${model.path})`
  fields = requestFields(openapi, model.path)
  fieldsBox.replaceChildren(...fields.map((field) => fieldNode(field, 'field-', params.get(field.name) ?? '')))
  const numeric = fields.filter(isNumeric)
  sweepInput.replaceChildren(...numeric.map((field) => el('option', { value: field.name }, labelOf(field.name))))
  const sweep = params.get('sweep')?.split(':')
  if (sweep !== undefined && sweep.length === 5 && numeric.some((field) => field.name === sweep[0])) {
    [sweepInput.value, sweepFrom.value, sweepTo.value, sweepPoints.value, sweepScale.value] = sweep
  } else {
    prefillSweep()
  }
  byId('sweep-chart').replaceChildren()
  byId('sweep-error').textContent = ''
  sweepShown = undefined
  const forecast = EXTRAS[model.name]?.forecast
  forecastSection.hidden = forecast === undefined
  forecastInputs = forecast === undefined ? [] : requestFields(openapi, forecast.path).filter(isNumeric)
  forecastFields.replaceChildren(...forecastInputs.map((field) => fieldNode(field, 'forecast-field-', '')))
  byId('forecast-chart').replaceChildren()
  const compareWith = params.get('compareWith')
  pinned = undefined
  if (compareWith !== null) {
    try {
      pinned = JSON.parse(compareWith) as Scenario
    } catch {
      say('The link\'s scenario A is not valid JSON: it is left out.')
    }
  }
  showPinned()
  byId('compare-body').replaceChildren()
  planBody.replaceChildren(el('p', { class: 'help' }, 'Compute a plan for these inputs.'))
  estimate = undefined
}

/** The sweep's range from the input's value (or default): up to four times it, within the field's bounds. */
function prefillSweep (): void {
  const field = fields.find((entry) => entry.name === sweepInput.value)
  if (field === undefined) return
  const text = (controlOf('field-', field.name)?.value ?? '').replace(/[,_\s]/g, '')
  const typed = text === '' ? Number.NaN : Number(text)
  const start = Number.isFinite(typed) ? typed : Number(field.schema.default ?? field.schema.minimum ?? 0)
  const maximum = field.schema.maximum ?? Number.POSITIVE_INFINITY
  const end = start > 0 ? Math.min(start * 4, maximum) : Math.min(maximum, 100)
  sweepFrom.value = String(start)
  sweepTo.value = String(end)
}

// ---- the URL ------------------------------------------------------------------------------------

function writeUrl (texts: Array<[string, string]>): void {
  if (model === undefined) return
  const params = new URLSearchParams([['model', model.name], ...texts])
  if (pinned !== undefined) params.set('compareWith', JSON.stringify(pinned))
  if (sweepShown !== undefined) params.set('sweep', sweepShown)
  history.replaceState(null, '', `#${params.toString()}`)
  linkInput.value = location.href
}

// ---- errors -------------------------------------------------------------------------------------

/** A failed request: 401 asks for the token, a 400 naming a field of `prefix`'s form goes next to it, anything else to `where`. */
function showFailure (error: unknown, where: HTMLElement, forms: Array<{ messagePrefix: string, idPrefix: string }> = []): void {
  if (!(error instanceof RequestFailed)) {
    where.textContent = `The request failed: ${(error as Error).message}`
    return
  }
  if (error.status === 401) {
    say(`The service needs a bearer token (${error.body.message}): enter it above, then try again.`)
    tokenInput.focus()
    if (where !== status) where.textContent = 'The service needs a token.'
    return
  }
  const message = error.body.message
  const placed = error.status === 400 && forms.some(({ messagePrefix, idPrefix }) => showFieldError(idPrefix, fieldOfMessage(message, messagePrefix), message))
  where.textContent = placed ? `The service rejected an input (${error.status}): ${message}` : `${error.status} ${error.body.code}: ${message}`
}

// ---- the plan -----------------------------------------------------------------------------------

function downloadsNode (current: Estimate, downloads: Download[]): HTMLElement {
  const section = el('section', { class: 'downloads', 'aria-labelledby': 'downloads-heading' }, el('h3', { id: 'downloads-heading' }, 'Downloads'))
  const message = el('p', { class: 'error', role: 'alert' })
  const list = el('ul', {})
  for (const download of downloads.filter((entry) => entry.when?.(current) ?? true)) {
    const name = download.file(current)
    const button = el('button', { type: 'button', 'data-download': name }, name)
    button.addEventListener('click', () => { run(saveDownload(download, current, message)) })
    list.append(el('li', {}, button, ` ${download.label}`))
  }
  section.append(list, message)
  return section
}

async function saveDownload (download: Download, current: Estimate, message: HTMLElement): Promise<void> {
  message.textContent = ''
  try {
    const response = await download.fetch(current)
    const url = URL.createObjectURL(await response.blob())
    const anchor = el('a', { href: url, download: attachmentName(response, download.file(current)), hidden: true })
    document.body.append(anchor)
    anchor.click()
    anchor.remove()
    setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
  } catch (error) {
    showFailure(error, message)
  }
}

function renderPlan (current: Estimate, shown: CatalogueModel): void {
  const downloads = EXTRAS[shown.name]?.downloads
  planBody.replaceChildren(
    el('h3', {}, 'Key figures'),
    keyFiguresNode(current, shown.keyFigures),
    warningsNode(current.warnings ?? []),
    ...(downloads === undefined ? [] : [downloadsNode(current, downloads)]),
    sectionsNode(current),
    assumptionsNode(current.assumptions ?? [])
  )
}

async function computePlan (): Promise<void> {
  if (model === undefined) return
  const shown = model
  clearErrors('field-')
  const { scenario, texts, invalid } = readFields(fields, 'field-')
  for (const [name, reason] of invalid) showFieldError('field-', name, `${name}: ${reason}`)
  if (invalid.length > 0) {
    say('Some inputs are not valid JSON: see the fields.')
    return
  }
  writeUrl(texts)
  const request = ++latest.plan
  say(`Computing the ${shown.name} plan…`)
  try {
    const answer = await postJson<Estimate>(shown.path, scenario)
    if (request !== latest.plan) return
    estimate = answer
    renderPlan(answer, shown)
    say(`Plan for ${shown.name} computed: ${shown.keyFigures.map((figure) => `${figure} ${formatScalar(figureAt(answer, figure))}`).join(', ')}.`)
    if (EXTRAS[shown.name]?.forecast !== undefined) run(drawForecast())
  } catch (error) {
    if (request !== latest.plan) return
    planBody.replaceChildren(el('p', { class: 'help' }, 'No plan: see the message above.'))
    showFailure(error, status, [{ messagePrefix: 'body/', idPrefix: 'field-' }])
  }
}

// ---- compare ------------------------------------------------------------------------------------

function describeScenario (scenario: Scenario): string {
  const entries = Object.entries(scenario)
  return entries.length === 0 ? 'the model\'s defaults' : entries.map(([name, value]) => `${name} = ${typeof value === 'number' ? formatScalar(value) : showValue(value)}`).join(', ')
}

function showPinned (): void {
  byId('pinned').textContent = pinned === undefined ? 'No scenario pinned.' : `Scenario A: ${describeScenario(pinned)}.`
  compareRun.disabled = pinned === undefined
  unpin.disabled = pinned === undefined
}

interface Diff {
  identical: boolean
  changed: Array<{ figure: string, before: unknown, after: unknown, change: number | null, relativeChange: number | null }>
  warningsAppeared: Warning[]
  warningsDisappeared: Warning[]
}

function renderDiff (diff: Diff, after: Scenario): void {
  const body = byId('compare-body')
  const heading = el('p', {}, `A: ${describeScenario(pinned ?? {})}. B: ${describeScenario(after)}.`)
  if (diff.identical) {
    body.replaceChildren(heading, el('p', {}, 'The two scenarios give the same figures and warnings.'))
    return
  }
  const table = el('table', { class: 'diff' },
    el('caption', {}, `${diff.changed.length} figures differ`),
    el('thead', {}, el('tr', {}, ...['Figure', 'A', 'B', 'Change', 'Relative'].map((name) => el('th', { scope: 'col' }, name)))),
    el('tbody', {}, ...diff.changed.map((row) => el('tr', { 'data-figure': row.figure },
      el('th', { scope: 'row' }, labelOfPath(row.figure)),
      el('td', { class: 'number' }, formatScalar(row.before)),
      el('td', { class: 'number' }, formatScalar(row.after)),
      el('td', { class: 'number' }, row.change === null ? '—' : `${row.change > 0 ? '+' : ''}${formatScalar(row.change)}`),
      el('td', { class: 'number' }, row.relativeChange === null ? '—' : `${row.relativeChange > 0 ? '+' : ''}${formatScalar(row.relativeChange * 100)}%`)))))
  const warnings = (title: string, list: Warning[]): HTMLElement => el('div', {}, el('h3', {}, `${title} (${list.length})`),
    list.length === 0 ? el('p', {}, 'None.') : tableOf(list.map(({ severity, code, message }) => ({ severity, code, message }))))
  body.replaceChildren(heading, el('div', { class: 'scroll' }, table), warnings('Warnings only in B', diff.warningsAppeared), warnings('Warnings only in A', diff.warningsDisappeared))
}

async function runCompare (): Promise<void> {
  if (model === undefined || pinned === undefined) return
  clearErrors('field-')
  const { scenario, texts, invalid } = readFields(fields, 'field-')
  const body = byId('compare-body')
  if (invalid.length > 0) {
    for (const [name, reason] of invalid) showFieldError('field-', name, `${name}: ${reason}`)
    body.textContent = 'Some inputs are not valid JSON: see the fields.'
    return
  }
  writeUrl(texts)
  const request = ++latest.compare
  body.textContent = 'Comparing…'
  try {
    const diff = await postJson<Diff>('/diff', { model: model.name, before: pinned, after: scenario })
    if (request === latest.compare) renderDiff(diff, scenario)
  } catch (error) {
    if (request === latest.compare) showFailure(error, body, [{ messagePrefix: 'body/after/', idPrefix: 'field-' }])
  }
}

// ---- charts -------------------------------------------------------------------------------------

async function drawSweep (): Promise<void> {
  if (model === undefined) return
  const { scenario, texts } = readFields(fields, 'field-')
  const number = (text: string): number | string => text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text
  const axis = { input: sweepInput.value, from: number(sweepFrom.value), to: number(sweepTo.value), points: number(sweepPoints.value), scale: sweepScale.value }
  const error = byId('sweep-error')
  const chart = byId('sweep-chart')
  error.textContent = ''
  const request = ++latest.sweep
  chart.setAttribute('aria-busy', 'true')
  try {
    const svg = await postText('/sweep', { model: model.name, scenario, vary: [axis] }, 'image/svg+xml')
    if (request !== latest.sweep) return
    chart.replaceChildren(chartNode(svg, `Sweep of ${model.name}: its key figures as ${axis.input} goes from ${String(axis.from)} to ${String(axis.to)} in ${String(axis.points)} ${axis.scale} steps.`))
    sweepShown = [axis.input, sweepFrom.value.trim(), sweepTo.value.trim(), sweepPoints.value.trim(), axis.scale].join(':')
    writeUrl(texts)
  } catch (failure) {
    if (request === latest.sweep) showFailure(failure, error)
  } finally {
    chart.removeAttribute('aria-busy')
  }
}

async function drawForecast (): Promise<void> {
  const forecast = model === undefined ? undefined : EXTRAS[model.name]?.forecast
  if (forecast === undefined || estimate === undefined) return
  clearErrors('forecast-field-')
  const { scenario: inputs } = readFields(forecastInputs, 'forecast-field-')
  const error = byId('forecast-error')
  const chart = byId('forecast-chart')
  error.textContent = ''
  const request = ++latest.forecast
  try {
    const svg = await postText(forecast.path, forecast.body(estimate, inputs), 'image/svg+xml')
    if (request === latest.forecast) chart.replaceChildren(chartNode(svg, `Forecast of nodes over the horizon, with the days CPU, memory and storage cross their thresholds for the plan above (POST ${forecast.path}).`))
  } catch (failure) {
    if (request === latest.forecast) showFailure(failure, error, [{ messagePrefix: 'body/', idPrefix: 'forecast-field-' }])
  }
}

// ---- start --------------------------------------------------------------------------------------

const requiredMissing = (): boolean => fields.some((field) => field.required && (controlOf('field-', field.name)?.value.trim() ?? '') === '')

async function showFromUrl (): Promise<void> {
  const params = new URLSearchParams(location.hash.slice(1))
  const name = params.get('model')
  modelSelect.value = catalogue.some((entry) => entry.name === name) ? name as string : catalogue[0].name
  showModel(params)
  if (requiredMissing()) {
    say(`Fill in the required fields of ${modelSelect.value}, then compute the plan.`)
    return
  }
  await computePlan()
  if (pinned !== undefined) await runCompare()
  if (params.has('sweep')) await drawSweep()
}

async function loadCatalogue (): Promise<void> {
  say('Loading the models…')
  try {
    const [list, document] = await Promise.all([getJson<{ models: CatalogueModel[] }>('/estimates'), getJson<OpenApiDocument>('/openapi.json')])
    catalogue = list.models
    openapi = document
    modelSelect.replaceChildren(...catalogue.map((entry) => el('option', { value: entry.name }, `${entry.name} (${entry.path})`)))
    await showFromUrl()
  } catch (error) {
    showFailure(error, status)
  }
}

function start (): void {
  tokenInput.placeholder = storedToken() === '' ? '' : 'kept for this session'
  byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
    event.preventDefault()
    keepToken(tokenInput.value.trim())
    tokenInput.value = ''
    tokenInput.placeholder = storedToken() === '' ? '' : 'kept for this session'
    say(storedToken() === '' ? 'No token kept.' : 'Token kept for this browser session.')
    run(catalogue.length === 0 ? loadCatalogue() : computePlan())
  })
  byId('token-forget').addEventListener('click', () => {
    keepToken('')
    tokenInput.placeholder = ''
    say('Token forgotten.')
  })
  modelSelect.addEventListener('change', () => {
    showModel(new URLSearchParams())
    writeUrl([])
    if (requiredMissing()) say(`Fill in the required fields of ${modelSelect.value}, then compute the plan.`)
    else run(computePlan())
  })
  byId<HTMLFormElement>('model-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(computePlan())
  })
  byId('copy-link').addEventListener('click', () => {
    linkInput.value = location.href
    navigator.clipboard.writeText(location.href).then(() => { say('Link copied: it reproduces this view.') }, () => {
      linkInput.select()
      say('The browser did not let the page copy: the link is selected in the field below the buttons.')
    })
  })
  byId('pin').addEventListener('click', () => {
    const { scenario, texts, invalid } = readFields(fields, 'field-')
    if (invalid.length > 0) {
      say('Some inputs are not valid JSON: fix them before pinning.')
      return
    }
    pinned = scenario
    showPinned()
    writeUrl(texts)
    say('Inputs pinned as scenario A: change the inputs, then compare.')
  })
  unpin.addEventListener('click', () => {
    pinned = undefined
    showPinned()
    byId('compare-body').replaceChildren()
    writeUrl(readFields(fields, 'field-').texts)
  })
  compareRun.addEventListener('click', () => { run(runCompare()) })
  sweepInput.addEventListener('change', prefillSweep)
  byId<HTMLFormElement>('sweep-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(drawSweep())
  })
  byId<HTMLFormElement>('forecast-form').addEventListener('submit', (event) => {
    event.preventDefault()
    run(drawForecast())
  })
  window.addEventListener('hashchange', () => { if (catalogue.length > 0) run(showFromUrl()) })
  linkInput.value = location.href
  run(loadCatalogue())
}

start()
