// Swagger UI in a real browser (headless Chromium through playwright-core, Debian's chromium, no
// bundled browser download): with API_TOKEN set, /docs stays readable (DOCS_PUBLIC), "Try it out"
// without a token gets 401, and after the Authorize dialog takes the token the same request gets
// 200, with nothing blocked by the content security policy. With DOCS_PUBLIC=false, /docs is 401.
// Without Chromium the tests skip with the reason (`npm test` installs it where it can).
import t, { type Test } from 'tap'
import { type Browser, type Locator, type Page, type Response, chromium } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { TOOL_PATHS, missingTools } from '../tools.js'

const TOKEN = 'a-very-secret-token-of-32-chars!'
/** Every wait: generous, for CI's two shared cores. */
const STEP_MS = 30_000
const executablePath = TOOL_PATHS.chromium
const missing = missingTools('chromium')

/** Chromium's CSP reports name the policy; the init script reports what a listener sees too. */
const isCspMessage = (text: string): boolean => /content[- ]security[- ]policy/i.test(text)
const reportViolations = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI)
})`

/** The service with this environment on a free loopback port, closed at the end of the test. */
async function listen (t: Test, env: Record<string, string>): Promise<string> {
  const app = await buildApp({ config: loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0', ...env }) })
  t.teardown(() => app.close())
  return await app.listen({ port: 0, host: '127.0.0.1' })
}

let browser: Browser | undefined
t.teardown(async () => { await browser?.close() })

/** A fresh context and page on the one browser (launched on first use); CSP reports and page errors collected. */
async function openPage (t: Test, options: { extraHTTPHeaders?: Record<string, string> } = {}): Promise<{ page: Page, problems: string[] }> {
  browser ??= await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 2 * STEP_MS })
  const context = await browser.newContext(options)
  t.teardown(() => context.close())
  context.setDefaultTimeout(STEP_MS)
  context.setDefaultNavigationTimeout(STEP_MS)
  await context.addInitScript(reportViolations)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => { if (isCspMessage(message.text())) problems.push(message.text()) })
  page.on('pageerror', (error) => { problems.push(`page error: ${error.message}`) })
  return { page, problems }
}

/** Clicks Execute and waits for the request's answer and for Swagger UI to show it. */
async function execute (operation: Locator, page: Page): Promise<{ response: Response, shownStatus: string, shownBody: string }> {
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.request().method() === 'POST' && new URL(answer.url()).pathname === '/estimate/engram'),
    operation.getByRole('button', { name: 'Execute' }).click()
  ])
  const row = operation.locator('.live-responses-table tbody .response')
  // the status cell reads "200" or "401\nUndocumented"
  const shownStatus = /^\d{3}/.exec(await row.locator('.response-col_status').innerText())?.[0] ?? ''
  const shownBody = await row.locator('.highlight-code .microlight').innerText()
  return { response, shownStatus, shownBody }
}

t.test('Swagger UI with a token: readable, 401 before Authorize, 200 after, nothing blocked by CSP', { skip: missing }, async (t) => {
  const address = await listen(t, { API_TOKEN: TOKEN })
  const { page, problems } = await openPage(t)

  const docs = await page.goto(`${address}/docs`)
  t.equal(docs?.status(), 200, 'DOCS_PUBLIC (the default): /docs without a token')
  t.match(docs?.headers()['content-security-policy'], "script-src 'self'", 'under the content security policy')
  const operation = page.locator('#operations-engram-estimateEngram')
  await operation.locator('.opblock-summary-control').click()
  await operation.getByRole('button', { name: 'Try it out' }).click()

  const anonymous = await execute(operation, page)
  t.equal(anonymous.response.status(), 401, 'Try it out without a token: 401')
  t.equal((await anonymous.response.request().allHeaders()).authorization, undefined, 'no token sent before Authorize')
  t.equal(anonymous.shownStatus, '401', 'Swagger UI shows 401')
  t.match(anonymous.shownBody, '"UNAUTHORIZED"', 'and the error body')
  await operation.getByRole('button', { name: 'Clear' }).click()
  await operation.locator('.live-responses-table').waitFor({ state: 'detached' })

  await page.locator('.auth-wrapper .authorize').click()
  const dialog = page.locator('.dialog-ux .modal-ux')
  await dialog.locator('#auth-bearer-value').fill(TOKEN)
  await dialog.getByRole('button', { name: 'Apply credentials' }).click()
  await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor() // the Logout button: authorized
  await dialog.locator('.btn-done').click()
  await dialog.waitFor({ state: 'detached' })
  await page.locator('.auth-wrapper .authorize.locked').waitFor()

  const authorized = await execute(operation, page)
  t.equal((await authorized.response.request().allHeaders()).authorization, `Bearer ${TOKEN}`, 'Swagger UI sends the token')
  t.equal(authorized.response.status(), 200, 'after Authorize: 200')
  t.equal(authorized.shownStatus, '200', 'Swagger UI shows 200')
  const shown = JSON.parse(authorized.shownBody) as { tiers: { hotNodes: number } }
  t.same(shown, await authorized.response.json(), 'and the estimate it got')
  t.ok(shown.tiers.hotNodes > 0, `a figure: ${shown.tiers.hotNodes} hot nodes`)

  t.same(problems, [], 'no CSP violation or page error')
})

t.test('DOCS_PUBLIC=false: /docs is 401 in the browser, and renders with the token', { skip: missing }, async (t) => {
  const address = await listen(t, { API_TOKEN: TOKEN, DOCS_PUBLIC: 'false' })
  const { page } = await openPage(t)
  const docs = await page.goto(`${address}/docs`)
  t.equal(docs?.status(), 401, '/docs without a token')
  t.match(await page.locator('body').innerText(), 'UNAUTHORIZED')
  t.equal((await page.goto(`${address}/openapi.json`))?.status(), 401, '/openapi.json without a token')

  const withToken = await openPage(t, { extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } })
  t.equal((await withToken.page.goto(`${address}/docs`))?.status(), 200, '/docs with the token (a browser behind a proxy that adds it)')
  await withToken.page.locator('#operations-engram-estimateEngram').waitFor()
  t.same(withToken.problems, [], 'Swagger UI renders its operations, nothing blocked by CSP')
})
