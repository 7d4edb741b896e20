// The capacity-review page (issue 17) in a real browser: headless Chromium through playwright-core
// (Debian's chromium, as test/browser/swagger-authorize.test.ts), the service listening with
// API_TOKEN set and the page built from web/ by bin/bundle.js bundleWeb, at 1366x768. The issue's
// flows: load /, pick Engram, change the node count and see the recommended memory change; open the
// copied link in a new page and see the same plan; compare two scenarios; download the Aeterna
// medium values file and compare it with GET /tiers/medium; an axe-core check with no serious or
// critical violation. Nothing may be blocked by the content security policy, and no page error.
// Without Chromium the tests skip with the reason (`npm test` installs it where it can). Without the
// axe-core package (a devDependency) the accessibility test skips and says so.
// WRITE_SCREENSHOTS=1 writes docs/page-*.png (the README's screenshots).
import t, { type Test } from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { TOOL_PATHS, missingTools } from '../tools.js'

const TOKEN = 'a-very-secret-token-of-32-chars!'
/** Every wait: generous, for CI's two shared cores. */
const STEP_MS = 30_000
const executablePath = TOOL_PATHS.chromium
const missing = missingTools('chromium')
const screenshots = process.env.WRITE_SCREENSHOTS === '1'
const docs = fileURLToPath(new URL('../../docs/', import.meta.url))

/** axe-core from npm (devDependency axe-core@^4.14.1), when installed. */
function axeScript (): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('axe-core/axe.min.js')
  } catch {
    return undefined
  }
}
const axePath = axeScript()

const isCspMessage = (text: string): boolean => /content[- ]security[- ]policy/i.test(text)
const reportViolations = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI)
})`

const scratch = mkdtempSync(join(tmpdir(), 'sizing-page-browser-'))
t.teardown(() => { rmSync(scratch, { recursive: true, force: true }) })
const pageDirectory = join(scratch, 'web')
if (missing === undefined) {
  const esbuild = await import('esbuild')
  const { bundleWeb } = await import('../../bin/bundle.js' as string) as { bundleWeb: (root: URL, outDir: URL, esbuild: object) => Promise<unknown> }
  await bundleWeb(new URL('../../', import.meta.url), pathToFileURL(`${pageDirectory}/`), esbuild)
  await esbuild.stop()
}

interface Service { address: string, api: (path: string, init?: { body?: unknown, accept?: string }) => Promise<Response> }

/** The service with API_TOKEN set and the page just built, on a free loopback port, closed at the end of the test. */
async function listen (t: Test): Promise<Service> {
  const app = await buildApp({ config: loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0', API_TOKEN: TOKEN }), pageDirectory })
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const api = async (path: string, { body, accept = 'application/json' }: { body?: unknown, accept?: string } = {}): Promise<Response> => await fetch(`${address}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { accept, authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { address, api }
}

let browser: Browser | undefined
t.teardown(async () => { await browser?.close() })

/** A fresh context (a laptop's 1366x768, clipboard allowed) on the one browser; CSP reports and page errors collected. */
async function openContext (t: Test, address: string, problems: string[], initScripts: string[] = []): Promise<BrowserContext> {
  browser ??= await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 2 * STEP_MS })
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  t.teardown(() => context.close())
  context.setDefaultTimeout(STEP_MS)
  context.setDefaultNavigationTimeout(STEP_MS)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: address })
  await context.addInitScript(reportViolations)
  for (const path of initScripts) await context.addInitScript({ path })
  context.on('page', (page) => {
    page.on('console', (message) => { if (isCspMessage(message.text())) problems.push(message.text()) })
    page.on('pageerror', (error) => { problems.push(`page error: ${error.message}`) })
  })
  return context
}

/** Opens `url`, which asks for the token (this tab has none yet), and gives it. */
async function openWithToken (t: Test, context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage()
  const answer = await page.goto(url)
  t.equal(answer?.status(), 200, `${new URL(url).pathname} without a token`)
  t.match(answer?.headers()['content-security-policy'], "script-src 'self'", 'under the content security policy')
  await page.locator('#status', { hasText: 'needs a bearer token' }).waitFor()
  t.pass('the page asks for the token: its API calls got 401')
  await page.getByLabel('API token').fill(TOKEN)
  await page.getByRole('button', { name: 'Use token' }).click()
  await page.locator('#model option').first().waitFor({ state: 'attached' })
  return page
}

const figure = (page: Page, name: string) => page.locator(`.key-figures [data-figure="${name}"] dd`)
const shown = (value: unknown): string => typeof value === 'number' ? new Intl.NumberFormat('en', { maximumFractionDigits: 4 }).format(value) : String(value)

/** Waits until the key figure reads `value`. */
async function figureReads (page: Page, name: string, value: unknown): Promise<void> {
  await figure(page, name).filter({ hasText: new RegExp(`^${shown(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor()
}

async function keyFigures (page: Page): Promise<Record<string, string>> {
  const figures: Record<string, string> = {}
  for (const item of await page.locator('.key-figures [data-figure]').all()) figures[await item.getAttribute('data-figure') as string] = await item.locator('dd').innerText()
  return figures
}

t.test('Engram: the plan follows the inputs, a copied link reproduces it, two scenarios compared, sweep and forecast charts', { skip: missing }, async (t) => {
  const { address, api } = await listen(t)
  const problems: string[] = []
  const context = await openContext(t, address, problems)
  const memory = 'recommendations.memoryGiB'
  const defaults = await (await api('/estimate/engram', { body: {} })).json() as { recommendations: { memoryGiB: number } }
  const larger = await (await api('/estimate/engram', { body: { expectedNodes: 50_000_000 } })).json() as { recommendations: { memoryGiB: number } }
  t.not(larger.recommendations.memoryGiB, defaults.recommendations.memoryGiB, 'the two scenarios differ in memory')

  const page = await openWithToken(t, context, `${address}/`)
  await page.getByLabel('Model', { exact: true }).selectOption('engram')
  await figureReads(page, memory, defaults.recommendations.memoryGiB)
  t.pass(`Engram's defaults: ${shown(defaults.recommendations.memoryGiB)} GiB recommended`)
  t.match(await page.locator('#fields label[for="field-expectedNodes"]').innerText(), /Expected nodes \(nodes\)/, 'the label and unit from the schema')
  t.match(await page.locator('#field-expectedNodes-help').innerText(), 'Range: 0 to 1000000000000. Default: 1000000.', 'the description with range and default')
  t.equal(await page.locator('#field-expectedNodes').getAttribute('placeholder'), '1000000', 'the default as placeholder')

  // the node count typed, Enter: the form is submitted from the keyboard
  await page.locator('#field-expectedNodes').fill('50000000')
  await page.locator('#field-expectedNodes').press('Enter')
  await figureReads(page, memory, larger.recommendations.memoryGiB)
  t.pass(`50,000,000 nodes: ${shown(larger.recommendations.memoryGiB)} GiB recommended`)
  t.match(page.url(), /#model=engram&expectedNodes=50000000$/, 'the URL holds the model and the input')
  t.ok(await page.locator('.warnings [data-severity]').count() > 0, 'warnings grouped by severity')
  t.same(await page.locator('.downloads button').allInnerTexts(), ['engram-alerts.yaml', 'engram-hpa.yaml'], 'Engram\'s downloads: alert rules and HPA')
  if (screenshots) await page.screenshot({ path: join(docs, 'page-plan.png') })
  await page.locator('.assumptions summary').click()
  t.match(await page.locator('.assumptions tbody tr').first().innerText(), /seed 004/, 'assumptions with their seed references (opened)')

  await page.getByRole('button', { name: 'Copy link' }).click()
  await page.locator('#status', { hasText: 'Link copied' }).waitFor()
  const link = await page.evaluate('navigator.clipboard.readText()') as string
  t.equal(link, page.url(), 'the link copied is the page\'s URL')
  t.equal(await page.locator('#link').inputValue(), link, 'and shown in the field')
  const planShown = await keyFigures(page)

  // a new page has no token (sessionStorage is the tab's): it asks once, then shows the same plan
  const second = await openWithToken(t, context, link)
  await figureReads(second, memory, larger.recommendations.memoryGiB)
  t.same(await keyFigures(second), planShown, 'the copied link in a new page: the same key figures')
  t.equal(await second.locator('#field-expectedNodes').inputValue(), '50000000', 'and the same input')
  await second.close()
  // the same tab keeps the token for the session: a reload computes without asking
  await page.reload()
  await figureReads(page, memory, larger.recommendations.memoryGiB)
  t.notMatch(await page.locator('#status').innerText(), /token/, 'reloaded: the token kept for the session')

  // two scenarios side by side: A pinned (50,000,000 nodes), B the defaults' node count
  await page.getByRole('button', { name: 'Pin these inputs as A' }).click()
  await page.locator('#field-expectedNodes').fill('1000000')
  await page.getByRole('button', { name: 'Compare A with the inputs above' }).click()
  const row = page.locator(`#compare-body tr[data-figure="${memory}"] td`)
  await row.first().waitFor()
  const cells = await row.allInnerTexts()
  t.same(cells.slice(0, 2), [shown(larger.recommendations.memoryGiB), shown(defaults.recommendations.memoryGiB)], 'A and B side by side')
  const diff = await (await api('/diff', { body: { model: 'engram', before: { expectedNodes: 50_000_000 }, after: { expectedNodes: 1_000_000 } } })).json() as { changed: unknown[] }
  t.equal(await page.locator('#compare-body table.diff tbody tr').count(), diff.changed.length, 'every figure POST /diff says changed')
  t.match(page.url(), /compareWith=/, 'the URL holds scenario A too')
  if (screenshots) {
    await page.locator('#compare').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(docs, 'page-compare.png') })
  }

  // a validation message from the service's 400, next to the field it names
  await page.locator('#field-expectedNodes').fill('-5')
  await page.locator('#field-expectedNodes').press('Enter')
  await page.locator('#field-expectedNodes-error', { hasText: 'body/expectedNodes must be >= 0' }).waitFor()
  t.equal(await page.locator('#field-expectedNodes').getAttribute('aria-invalid'), 'true', 'the 400 next to the field, which is marked invalid')
  await page.locator('#field-expectedNodes').fill('50000000')
  await page.locator('#field-expectedNodes').press('Enter')
  await figureReads(page, memory, larger.recommendations.memoryGiB)
  t.equal(await page.locator('#field-expectedNodes-error').innerText(), '', 'cleared once valid')

  // the forecast chart (drawn with each Engram plan) and a sweep of one input
  const forecast = page.locator('#forecast-chart img')
  await forecast.waitFor()
  t.match(await forecast.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg/, 'the forecast chart: POST /forecast/engram\'s SVG')
  await page.getByLabel('Input', { exact: true }).selectOption('expectedNodes')
  await page.getByLabel('From').fill('1000000')
  await page.getByLabel('To', { exact: true }).fill('50000000')
  await page.getByLabel('Points').fill('5')
  await page.getByRole('button', { name: 'Draw sweep' }).click()
  const sweep = page.locator('#sweep-chart img')
  await sweep.waitFor()
  const svg = decodeURIComponent((await sweep.getAttribute('src') as string).replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))
  const expected = await (await api('/sweep', { body: { model: 'engram', scenario: { expectedNodes: 50_000_000 }, vary: [{ input: 'expectedNodes', from: 1_000_000, to: 50_000_000, points: 5, scale: 'linear' }] }, accept: 'image/svg+xml' })).text()
  t.equal(svg, expected, 'the sweep chart: POST /sweep\'s SVG')
  t.match(await sweep.getAttribute('alt'), /expectedNodes/, 'with a text alternative')
  t.match(page.url(), /sweep=expectedNodes%3A1000000%3A50000000%3A5%3Alinear/, 'the URL holds the sweep')
  if (screenshots) {
    await page.locator('#sweep').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(docs, 'page-sweep.png') })
  }
  t.same(problems, [], 'no CSP violation or page error')
})

t.test('Aeterna: the medium values file downloaded is GET /tiers/medium\'s', { skip: missing }, async (t) => {
  const { address, api } = await listen(t)
  const problems: string[] = []
  const context = await openContext(t, address, problems)
  const page = await openWithToken(t, context, `${address}/`)
  await page.getByLabel('Model', { exact: true }).selectOption('aeterna')
  await page.locator('#status', { hasText: 'Fill in the required fields of aeterna' }).waitFor()
  t.match(await page.locator('label[for="field-memoryCount"]').innerText(), '(required)', 'a required field says so')
  await page.locator('#field-memoryCount').fill('50000')
  await page.getByRole('button', { name: 'Compute plan' }).click()
  await figureReads(page, 'tier', 'medium')
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-download="values-medium.yaml"]').click()])
  t.equal(download.suggestedFilename(), 'values-medium.yaml')
  const downloaded = readFileSync(await download.path(), 'utf8')
  const tier = await api('/tiers/medium', { accept: 'application/yaml' })
  t.equal(tier.status, 200)
  t.equal(downloaded, await tier.text(), 'byte for byte GET /tiers/medium (Accept: application/yaml)')
  t.same(problems, [], 'no CSP violation or page error')
})

const axeMissing = axePath === undefined ? 'axe-core is not installed: add the devDependency axe-core@^4.14.1 (npm), which this check loads from node_modules/axe-core/axe.min.js' : undefined

t.test('axe-core: no serious or critical accessibility violation', { skip: missing ?? axeMissing }, async (t) => {
  if (axePath === undefined) return
  const { address } = await listen(t)
  const problems: string[] = []
  // an init script, as the page's own CSP forbids inline scripts: axe is the test's, not the page's
  const context = await openContext(t, address, problems, [axePath])
  const page = await openWithToken(t, context, `${address}/#model=engram&expectedNodes=50000000&compareWith=%7B%7D`)
  await page.locator('#compare-body table.diff').waitFor()
  await page.locator('#forecast-chart img').waitFor()
  const results = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })') as { violations: Array<{ id: string, impact: string, help: string, nodes: unknown[] }> }
  const summary = results.violations.map(({ id, impact, help, nodes }) => `${impact} ${id}: ${help} (${nodes.length})`)
  t.comment(summary.length === 0 ? 'axe: no violation' : `axe: ${summary.join('; ')}`)
  t.same(summary.filter((line) => /^(serious|critical) /.test(line)), [], 'no serious or critical violation')
  t.same(problems, [], 'no CSP violation or page error')
})
