// Fair queuing by cost class through the service (issue 29, point 4): a small analysis is answered
// while large ones run and wait, and the main thread's estimate of each analysis (routes/analysis.ts)
// chooses the lane. Apart from offload.test.ts, whose pools already take minutes on a busy machine.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { MODEL_COSTS } from '../../src/models/analysis/model-costs.js'
import { numericFieldCount, peekedBody } from '../../src/routes/analysis.js'
import { SMALL_TASK_MS } from '../../src/workers/pool.js'

const MAX_SWEEP = { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 10_000_000, points: 10_000 }] }

/** Large analyses fit it (a maximum Engram sweep), the largest Aurora sweep does not (checked below by the table). */
const BUDGET_MS = 1000
// one pool for the file: one worker for any task and one kept for small ones (WORKER_SMALL_THREADS=1, the default)
const app = await buildApp({ config: loadConfig({ WORKER_THREADS: '1', WORKER_TASK_TIMEOUT_MS: '120000', WORKER_QUEUE_MAX: '10', ANALYSIS_BUDGET_MS: String(BUDGET_MS) }), offload: true })
t.teardown(() => app.close())
await app.ready()
await app.workerPool?.warmUp()

t.test('what the main thread reads of an analysis body to estimate it', async (t) => {
  t.same(peekedBody(new TextEncoder().encode('{"model":"engram"}')), { model: 'engram' })
  t.same(peekedBody(new TextEncoder().encode('[1]')), [1], 'an array: no fields the estimate reads')
  t.same(peekedBody(new TextEncoder().encode('null')), {})
  t.same(peekedBody(new TextEncoder().encode('{')), {}, 'not JSON: the worker answers 400 at once')
  t.equal(peekedBody(new Uint8Array(8193)), undefined, 'too large to read on the main thread')
  t.equal(numericFieldCount({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'string' }, c: { type: 'array', items: { type: 'object', properties: { d: { type: 'integer' } } } }, e: { type: 'array', items: [{ type: 'number' }] } } }), 2)
})

t.test('a small analysis submitted behind large ones is answered before the queued large ones', async (t) => {
  t.equal(app.workerPool?.settings.smallThreads, 1)
  const largeMs = 10_000 * MODEL_COSTS.engram.sweepPointMs
  t.ok(largeMs > SMALL_TASK_MS && largeMs <= BUDGET_MS, `a maximum Engram sweep is large and within the budget by the table (${largeMs} ms)`)
  const answered: string[] = []
  const send = async (name: string, payload: object, url = '/sweep?format=yaml') => {
    const response = await app.inject({ method: 'POST', url, payload })
    answered.push(name)
    return response
  }
  const large = [send('large 1', MAX_SWEEP), send('large 2', MAX_SWEEP), send('large 3', MAX_SWEEP)]
  await new Promise((resolve) => setImmediate(resolve))
  const small = await send('small', { model: 'engram', before: {}, after: { expectedNodes: 5_000_000 } }, '/diff')
  t.equal(small.statusCode, 200)
  t.same(answered, ['small'], 'answered while the large ones run or wait')
  t.same((await Promise.all(large)).map((response) => response.statusCode), [200, 200, 200])
  t.same(answered, ['small', 'large 1', 'large 2', 'large 3'])
})

t.test('the main thread\'s estimates: refusals, unknown models and unreadable bodies', async (t) => {
  t.ok(10_000 * MODEL_COSTS.aurora.sweepPointMs > BUDGET_MS, 'the largest Aurora sweep is past the budget by the table')
  const cases: Array<[string, unknown, number]> = [
    ['/sweep', { model: 'aurora', vary: [{ input: 'agents', from: 1, to: 10_000, points: 10_000 }] }, 422], // past the budget: refused at once, a small task
    ['/sweep', { model: 'engram', vary: [null, { input: 'expectedNodes', from: 1, to: 10, points: 0 }] }, 400],
    ['/sweep', { model: 'engram', vary: 'x' }, 400],
    ['/sweep', { model: 'nope', vary: [] }, 400],
    ['/sweep', [1], 400],
    ['/sweep', 'not json', 400],
    ['/sensitivity', { model: 'engram', inputs: ['expectedNodes'] }, 200],
    ['/sensitivity', { model: 'engram', scenario: { note: 'x'.repeat(9000) } }, 400], // too large to read here: a large task
    // every numeric input of the model: 2 evaluations each and one, by the table
    ['/sensitivity', { model: 'engram' }, 200],
    ['/diff', { model: 'engram', before: {}, after: {} }, 200]
  ]
  for (const [url, payload, status] of cases) {
    const response = await app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, status, `${url} ${JSON.stringify(payload).slice(0, 80)}`)
  }
})

t.test('worker threads run at a lower priority than the main thread (Linux)', { skip: process.platform !== 'linux' && 'thread priorities are read from /proc' }, async (t) => {
  const niceness = (tid: string): number => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16])
  t.equal(niceness(String(process.pid)), 0, 'the main thread keeps its priority')
  const threads = readdirSync(`/proc/${process.pid}/task`).map(niceness)
  t.equal(threads.filter((nice) => nice === 10).length, 2, 'each of the two workers (one for any task, one kept for small ones) at 10')
})
