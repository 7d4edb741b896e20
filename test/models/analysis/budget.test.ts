// Costs per model (issue 29, point 4): the measured table covers every model of the catalogue; the
// analyses refuse up front what their budget cannot fit, naming the cost, the estimate, the budget
// and the largest request that fits; a sweep still running at twice its budget ends well-formed and
// marked as truncated, in every format. Functional only: no timing is asserted (the clock is stubbed).
import t from 'tap'
import { parse } from 'yaml'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { CUT_AFTER_BUDGETS, checkAnalysisBudget, costOf, cutAfter, cutPolicy, estimatedMs } from '../../../src/models/analysis/budget.js'
import { MODEL_COSTS, MODEL_COSTS_MEASURED } from '../../../src/models/analysis/model-costs.js'
import { collectSweep, lazySweep, tableOf } from '../../../src/models/analysis/sweep.js'
import { sweepCsv, sweepJsonChunks, sweepYamlChunks } from '../../../src/models/analysis/sweep-formats.js'
import { renderSweepSvg } from '../../../src/models/analysis/sweep-chart.js'
import { renderSweepText } from '../../../src/models/analysis/text.js'

const app = await buildApp()
t.teardown(() => app.close())

t.test('the cost table covers every model of the catalogue, each cost positive and finite, with its machine and date', async (t) => {
  t.same(Object.keys(MODEL_COSTS).sort(), [...app.estimateModels.keys()].sort(), 'npm run model-costs after adding a model')
  for (const [name, cost] of Object.entries(MODEL_COSTS)) {
    for (const value of [cost.sweepPointMs, cost.evaluationMs]) t.ok(Number.isFinite(value) && value > 0, `${name}: ${value}`)
  }
  t.match(MODEL_COSTS_MEASURED, { machine: /\S/, date: /^\d{4}-\d{2}-\d{2}$/ })
})

t.test('a model the table lacks costs as much as the costliest', async (t) => {
  const costs = Object.values(MODEL_COSTS)
  t.same(costOf('not-measured'), { sweepPointMs: Math.max(...costs.map((c) => c.sweepPointMs)), evaluationMs: Math.max(...costs.map((c) => c.evaluationMs)) })
  t.same(costOf('engram'), MODEL_COSTS.engram)
  t.equal(estimatedMs({ model: 'engram', unit: 'evaluation', count: 3 }), 3 * MODEL_COSTS.engram.evaluationMs)
})

t.test('the budget check: within it nothing happens; past it a 422 names cost, estimate, budget and what fits', async (t) => {
  const perPointMs = MODEL_COSTS.aeterna.sweepPointMs
  const fits = Math.floor(1000 / perPointMs)
  t.doesNotThrow(() => { checkAnalysisBudget({ model: 'aeterna', unit: 'sweep point', count: fits, counted: String(fits), field: 'body/vary' }, 1000) })
  t.throws(() => { checkAnalysisBudget({ model: 'aeterna', unit: 'sweep point', count: fits + 1, counted: String(fits + 1), field: 'body/vary' }, 1000) }, {
    statusCode: 422,
    code: 'BUDGET_EXCEEDED',
    message: new RegExp(`^body/vary: ${fits + 1} sweep points of model aeterna at [\\d.]+ ms each \\(measured\\) is about [\\d.]+ ms, more than the 1000 ms one request may take \\(ANALYSIS_BUDGET_MS\\): at most ${fits} sweep points fit$`)
  })
  t.throws(() => { checkAnalysisBudget({ model: 'engram', unit: 'evaluation', count: 4000, counted: '2 x 1999 inputs + 2', field: 'body/inputs' }, 10) }, { message: /^body\/inputs: 2 x 1999 inputs \+ 2 = 4000 evaluations of model engram at [\d.]+ ms each \(measured\) is about \d+ ms, more than the 10 ms/ })
})

t.test('the cut: nothing until twice the budget has passed, then the reason', async (t) => {
  let nowMs = 1000
  const cut = cutAfter(50, () => nowMs)
  nowMs += 50 * CUT_AFTER_BUDGETS
  t.equal(cut(), undefined)
  nowMs += 1
  t.match(cut(), /^the answer took longer than 100 ms \(2 x ANALYSIS_BUDGET_MS\): ask for fewer points$/)
  t.equal(cutAfter(50)(), undefined, 'the clock by default')
})

t.test('a cut sweep keeps its rows so far and says where it stopped, in every rendering', async (t) => {
  const axes = [{ input: 'x', from: 1, to: 10, points: 10, scale: 'linear' as const, integer: true }]
  let checks = 0
  const cutAtRow = (row: number) => () => ++checks >= row ? 'too long' : undefined
  const evaluate = (values: readonly number[]) => ({ size: values[0] * 2, tier: values[0] > 5 ? 'big' : 'small', warnings: values[0] > 3 ? [{ code: 'W', severity: 'info' }] : [] })
  const cutSweep = () => { checks = 0; return lazySweep(axes, ['size', 'tier'], ['tier'], evaluate, cutAtRow(4)) }

  const json = cutSweep()
  const document = { head: { points: json.points }, sweep: json, tail: () => ({ warningOnsets: json.warningOnsets, ...(json.truncated === undefined ? {} : { truncated: json.truncated }) }) }
  const parsed = JSON.parse([...sweepJsonChunks(document, 2)].join(''))
  t.equal(parsed.rows.length, 4, 'the rows before the cut, each complete')
  t.same(parsed.truncated, { reason: 'too long', rows: 4, points: 10 }, 'the last member says so')
  t.same(parsed.warningOnsets.map((o: { row: number }) => o.row), [3], 'the findings of the rows written')

  const yamlSweep = cutSweep()
  const yaml = parse([...sweepYamlChunks({ head: {}, sweep: yamlSweep, tail: () => ({ truncated: yamlSweep.truncated }) }, 2)].join(''))
  t.equal(yaml.rows.length, 4)
  t.same(yaml.truncated, { reason: 'too long', rows: 4, points: 10 })

  const csv = sweepCsv(cutSweep()).split('\r\n')
  t.equal(csv.length, 1 + 4 + 2, 'header, four rows, the marker line and the final newline')
  t.equal(csv.at(-2), '# truncated: 4 of 10 rows; too long')

  const whole = collectSweep(cutSweep())
  t.same(whole.truncated, { reason: 'too long', rows: 4, points: 10 })
  t.same(tableOf(whole).truncated, whole.truncated)
  t.match(renderSweepText('m', whole), /\nTRUNCATED after 4 of 10 points: too long\n$/)
  t.match(renderSweepSvg(whole, false), /truncated: 4 of 10 points/)

  checks = 0
  const first = collectSweep(lazySweep(axes, ['size'], [], evaluate, () => 'at once'))
  t.equal(first.rows.length, 1, 'the first row is always written: a table is never empty')
  t.same(first.truncated, { reason: 'at once', rows: 1, points: 10 })
  t.equal(collectSweep(lazySweep(axes, ['size'], [], evaluate)).truncated, undefined, 'not cut: no member')
})

t.test('the routes refuse past ANALYSIS_BUDGET_MS before any point is computed', async (t) => {
  const tiny = await buildApp({ config: { ...loadConfig({}), ANALYSIS_BUDGET_MS: 1, MAX_EVENT_LOOP_UTILIZATION: 0, MAX_EVENT_LOOP_DELAY_MS: 0 } })
  t.teardown(() => tiny.close())
  const post = async (url: string, payload: object) => await tiny.inject({ method: 'POST', url, payload })
  const sweep = await post('/sweep', { model: 'engram', vary: [{ input: 'expectedNodes', from: 1, to: 100, points: 100 }, { input: 'opsPerSec', from: 1, to: 100, points: 10 }] })
  t.equal(sweep.statusCode, 422)
  t.match(sweep.json(), { code: 'BUDGET_EXCEEDED', message: new RegExp(`^body/vary: 100 x 10 = 1000 sweep points of model engram at [\\d.]+ ms each \\(measured\\) is about \\d+ ms, more than the 1 ms one request may take \\(ANALYSIS_BUDGET_MS\\): at most ${Math.floor(1 / MODEL_COSTS.engram.sweepPointMs)} sweep points fit$`) })
  t.match((await post('/sensitivity', { model: 'engram', inputs: ['expectedNodes', 'opsPerSec'] })).json(), { code: 'BUDGET_EXCEEDED', message: /^body\/inputs: 2 x 2 inputs \+ 1 = 5 evaluations of model engram/ })
  t.match((await post('/diff', { model: 'aeterna', before: { memoryCount: 1 }, after: { memoryCount: 2 } })).json(), { code: 'BUDGET_EXCEEDED', message: /^body: before and after = 2 evaluations of model aeterna/ })
  const fits = Math.floor(1 / MODEL_COSTS['engram-scaling'].sweepPointMs)
  t.equal((await post('/sweep', { model: 'engram-scaling', scenario: { cpuUtilizationPercent: 50, currentCores: 8, memoryPressurePercent: 50, diskUtilizationPercent: 50, currentStorageGiB: 100 }, vary: [{ input: 'currentCores', from: 1, to: 64, points: Math.min(fits, 64) }] })).statusCode, 200, 'within it: answered')
})

t.test('a sweep that runs past twice its budget ends well-formed, marked truncated (JSON, CSV)', async (t) => {
  const realNow = performance.now.bind(performance)
  let calls = 0
  // every clock read a second later than the last: the cut comes after a few rows, whatever the machine
  const stubbed = (): number => realNow() + 1000 * calls++
  performance.now = stubbed
  const whole = await app.inject({ method: 'POST', url: '/sweep', payload: { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 100_000, points: 300 }] } })
  performance.now = realNow
  t.equal(whole.json().rows.length, 300, 'in this thread (the CLI, the tests) a sweep is never cut')
  cutPolicy.enabled = true // as in the pool's workers (request-worker.ts)
  t.teardown(() => { performance.now = realNow; cutPolicy.enabled = false })
  const request = { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 100_000, points: 1000 }] }
  performance.now = stubbed
  const json = await app.inject({ method: 'POST', url: '/sweep', payload: request })
  performance.now = realNow
  t.equal(json.statusCode, 200)
  const answer = json.json()
  t.ok(answer.rows.length >= 1 && answer.rows.length < 1000, `${answer.rows.length} rows`)
  t.same(answer.truncated, { reason: 'the answer took longer than 4000 ms (2 x ANALYSIS_BUDGET_MS): ask for fewer points', rows: answer.rows.length, points: 1000 })
  t.same(Object.keys(answer).at(-1), 'truncated', 'the last member, after the findings of the rows written')
  calls = 0
  performance.now = stubbed
  const csv = await app.inject({ method: 'POST', url: '/sweep?format=csv', payload: request })
  performance.now = realNow
  const lines = csv.body.split('\r\n')
  t.match(lines.at(-2), /^# truncated: \d+ of 1000 rows; the answer took longer than 4000 ms/)
  t.equal(lines.length, 1 + Number(/truncated: (\d+)/.exec(lines.at(-2) as string)?.[1]) + 2)
})
