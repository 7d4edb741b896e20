// The worker pool: heavy requests answered in a worker thread byte for byte as the main thread
// answers them, a bounded queue (503 at once when full), a time budget per task (503, the worker
// replaced), the body limit before anything is forwarded, and a client that leaves stops its task.
import t from 'tap'
import { EventEmitter, once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { clientGoneSignal, clientLeft, readBody } from '../../src/plugins/offload.js'
import { type AddressInfo, connect } from 'node:net'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyRequest } from 'fastify'
import { pino } from 'pino'
import { CostLanes, type CostClass, RequestPool, SMALL_TASK_MS, costClassOf, poolSettings, workerModule } from '../../src/workers/pool.js'
import { Readable } from 'node:stream'

const MAX_SWEEP = { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 10_000_000, points: 10_000 }] }
const SMALL_SWEEP = { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 2000, points: 3 }] }
const valuesMedium = readFileSync(new URL('../../data/aeterna/values-medium.yaml', import.meta.url), 'utf8')

async function pooledApp (env: Record<string, string> = {}) {
  // no worker kept for small tasks: these tests are about one worker (test/plugins/offload-fairness.test.ts has two)
  const app = await buildApp({ config: loadConfig({ WORKER_THREADS: '1', WORKER_SMALL_THREADS: '0', OFFLOAD_BODY_BYTES: '1024', ...env }), offload: true })
  await app.ready()
  await app.workerPool?.warmUp()
  return app
}

t.test('poolSettings: one CPU stays with the main thread; the queue is 4 per worker unless set', async (t) => {
  const auto = { WORKER_THREADS: 0, WORKER_SMALL_THREADS: 1, WORKER_QUEUE_MAX: 0, WORKER_TASK_TIMEOUT_MS: 15_000, MEMORY_LIMIT_BYTES: 0 }
  const GiB = 2 ** 30
  // half the limit for the workers' heaps, split between them (the small-task worker too), each less its 16 MiB young generation
  t.same(poolSettings(auto, 2, GiB), { threads: 1, smallThreads: 1, maxQueue: 4, taskTimeoutMs: 15_000, heapLimits: { maxOldGenerationSizeMb: 240, maxYoungGenerationSizeMb: 16 } })
  t.same(poolSettings(auto, 1, GiB), { threads: 1, smallThreads: 1, maxQueue: 4, taskTimeoutMs: 15_000, heapLimits: { maxOldGenerationSizeMb: 240, maxYoungGenerationSizeMb: 16 } }, 'at least one worker')
  t.same(poolSettings({ ...auto, WORKER_SMALL_THREADS: 0 }, 2, GiB), { threads: 1, smallThreads: 0, maxQueue: 4, taskTimeoutMs: 15_000, heapLimits: { maxOldGenerationSizeMb: 496, maxYoungGenerationSizeMb: 16 } }, 'without a small-task worker')
  t.same(poolSettings(auto, 8, GiB), { threads: 7, smallThreads: 1, maxQueue: 28, taskTimeoutMs: 15_000, heapLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } }, 'never under the heap a worker needs to start')
  t.same(poolSettings({ WORKER_THREADS: 3, WORKER_SMALL_THREADS: 0, WORKER_QUEUE_MAX: 5, WORKER_TASK_TIMEOUT_MS: 100, MEMORY_LIMIT_BYTES: 0 }, 8, 4 * GiB), { threads: 3, smallThreads: 0, maxQueue: 5, taskTimeoutMs: 100, heapLimits: { maxOldGenerationSizeMb: 666, maxYoungGenerationSizeMb: 16 } })
  t.match(poolSettings({ ...auto, MEMORY_LIMIT_BYTES: GiB }, 2), { heapLimits: { maxOldGenerationSizeMb: 240 } }, 'MEMORY_LIMIT_BYTES when set')
})

t.test('workerModule: the built pool loads request-worker.js; the TypeScript sources go through tsx', async (t) => {
  t.equal(workerModule('file:///app/dist/workers/pool.js'), 'file:///app/dist/workers/request-worker.js')
  t.equal(workerModule('file:///work/src/workers/pool.ts'), 'file:///work/src/workers/ts-worker.mjs')
})

t.test('answers from a worker are the main thread\'s answers, byte for byte', async (t) => {
  const inline = await buildApp()
  const pooled = await pooledApp()
  t.teardown(async () => { await inline.close(); await pooled.close() })
  t.equal(pooled.workerPool?.settings.threads, 1)
  const cases = [
    { method: 'POST' as const, url: '/sweep', payload: SMALL_SWEEP },
    { method: 'POST' as const, url: '/sweep?format=csv', payload: SMALL_SWEEP },
    { method: 'POST' as const, url: '/sweep', payload: SMALL_SWEEP, headers: { accept: 'application/yaml' } },
    { method: 'POST' as const, url: '/sweep', payload: { model: 'engram', vary: [] } },
    { method: 'POST' as const, url: '/sensitivity', payload: { model: 'aurora' } },
    { method: 'POST' as const, url: '/diff?format=text', payload: { model: 'engram', before: {}, after: { expectedNodes: 5_000_000 } } },
    // above OFFLOAD_BODY_BYTES (1 KiB here): parsed in the worker, whatever the route
    { method: 'POST' as const, url: '/validate/aeterna', payload: valuesMedium, headers: { 'content-type': 'application/yaml' } },
    { method: 'POST' as const, url: '/estimate/engram', payload: `{"expectedNodes": 2000000${' '.repeat(4000)}}`, headers: { 'content-type': 'application/json' } },
    { method: 'POST' as const, url: '/estimate/engram', payload: `{"expectedNodez": 1${' '.repeat(4000)}}`, headers: { 'content-type': 'application/json' } },
    { method: 'POST' as const, url: '/estimate/engram', payload: 'x'.repeat(4000), headers: { 'content-type': 'application/xml' } },
    // the service's own JSON parser answers in the worker too (finding 9)
    { method: 'POST' as const, url: '/estimate/engram', payload: `{"expectedNodes": NaN${' '.repeat(4000)}}`, headers: { 'content-type': 'application/json' } },
    { method: 'POST' as const, url: '/sweep', payload: '{"model": "engram", "__proto__": {"x": 1}}', headers: { 'content-type': 'application/json' } },
    // below it: answered on the main thread
    { method: 'POST' as const, url: '/estimate/engram', payload: { expectedNodes: 3_000_000 } }
  ]
  for (const request of cases) {
    const [expected, actual] = [await inline.inject(request), await pooled.inject(request)]
    t.equal(actual.statusCode, expected.statusCode, `${request.url}: status ${expected.statusCode}`)
    t.equal(actual.headers['content-type'], expected.headers['content-type'])
    t.equal(actual.headers.vary, expected.headers.vary)
    t.equal(actual.body, expected.body, `${request.url}: the same bytes`)
    t.equal(actual.headers['x-content-type-options'], 'nosniff', 'the main thread\'s security headers')
  }
  const chunked = await pooled.inject({ method: 'POST', url: '/estimate/engram', payload: Readable.from([Buffer.from('{"expectedNodes":'), Buffer.from('4000000}')]), headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } })
  t.equal(chunked.json().inputs.expectedNodes, 4_000_000, 'a small body without a length is read, then parsed here')
})

t.test('the body limit holds before anything is forwarded', async (t) => {
  const app = await pooledApp({ BODY_LIMIT_BYTES: '2048' })
  t.teardown(() => app.close())
  const declared = await app.inject({ method: 'POST', url: '/sweep', payload: `{"model":"engram"${' '.repeat(3000)}}`, headers: { 'content-type': 'application/json' } })
  t.equal(declared.statusCode, 413)
  t.match(declared.json(), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' })
  await t.rejects(readBody(Readable.from([Buffer.alloc(1500), Buffer.alloc(1500)]), 2048), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 'a stream that outgrows the limit')
  t.same(await readBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 2048), new Uint8Array([97, 98, 99]))
})

t.test('a full queue answers 503 at once; a spent time budget answers 503 and the pool recovers', async (t) => {
  const app = await pooledApp({ WORKER_QUEUE_MAX: '1', PRESSURE_RETRY_AFTER_S: '3' })
  t.teardown(() => app.close())
  // a maximum sweep keeps the one worker busy for a hundred milliseconds or more
  const heavy = { method: 'POST' as const, url: '/sweep?format=yaml', payload: MAX_SWEEP }
  const answers = await Promise.all([app.inject(heavy), app.inject(heavy), app.inject(heavy), app.inject(heavy)])
  const statuses = answers.map((answer) => answer.statusCode).sort()
  t.same(statuses, [200, 200, 503, 503], 'one running, one queued, two refused')
  const refused = answers.find((answer) => answer.statusCode === 503)
  t.match(refused?.json(), { statusCode: 503, error: 'Service Unavailable', code: 'WORKERS_BUSY', message: 'every worker is busy and 1 requests are waiting: retry later' })
  t.equal(refused?.headers['retry-after'], '3')

  // a budget for analyses far above the sweep's estimate: the task timeout is what this tests
  const slow = await pooledApp({ WORKER_TASK_TIMEOUT_MS: '250', ANALYSIS_BUDGET_MS: '600000' })
  t.teardown(() => slow.close())
  // 10,000 Aurora estimates take far longer than 250 ms; as a text table (not streamed: its columns
  // are as wide as their widest cell) all of them come before the first byte of the answer. JSON,
  // CSV and YAML would start the answer at once and be cut at the budget instead (the next test)
  const abandoned = await slow.inject({ method: 'POST', url: '/sweep?format=text', payload: { model: 'aurora', vary: [{ input: 'agents', from: 1, to: 10_000, points: 10_000 }] } })
  t.equal(abandoned.statusCode, 503)
  t.match(abandoned.json(), { code: 'TASK_TIMEOUT', message: /took longer than the 250 ms budget/ })
  t.ok(abandoned.headers['retry-after'])
  await slow.workerPool?.warmUp() // the ended worker's replacement builds and warms its app
  const next = await slow.inject({ method: 'POST', url: '/sweep', payload: SMALL_SWEEP })
  t.equal(next.statusCode, 200, 'a new worker answers the next request')
})

t.test('a client that leaves frees its worker', async (t) => {
  const app = await pooledApp({ WORKER_TASK_TIMEOUT_MS: '60000' })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const body = JSON.stringify({ ...MAX_SWEEP, vary: [{ ...MAX_SWEEP.vary[0] }] })
  const leaving = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/sweep?format=yaml', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } })
  leaving.on('error', () => {})
  leaving.end(body)
  await once(leaving, 'finish')
  await new Promise((resolve) => setTimeout(resolve, 50))
  leaving.destroy()
  // the one worker was running the abandoned sweep; it is ended and replaced, so this is answered
  // without waiting for a 10,000-point YAML render that nobody reads
  const response = await fetch(`http://127.0.0.1:${port}/sweep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SMALL_SWEEP) })
  t.equal(response.status, 200)
})

t.test('a pool closed under a running task answers 503, not a 500', async (t) => {
  const pool = new RequestPool({ threads: 1, smallThreads: 0, maxQueue: 1, taskTimeoutMs: 60_000 }, loadConfig({}))
  await pool.warmUp()
  t.equal(pool.queued, 0)
  const body = new TextEncoder().encode(JSON.stringify(MAX_SWEEP))
  // a text table: every row computed before the head, so the task is still before its head here
  const running = pool.run({ method: 'POST', url: '/sweep?format=text', headers: { 'content-type': 'application/json' }, body }, new AbortController().signal)
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(pool.inFlight, 1)
  const gone = new AbortController()
  gone.abort()
  await t.rejects(pool.run({ method: 'POST', url: '/sweep', headers: {}, body: new Uint8Array(2) }, gone.signal), { statusCode: 503, code: 'WORKER_FAILED', message: /the client closed the connection/ }, 'a client already gone: nothing runs')
  const refused = t.rejects(running, { statusCode: 503, code: 'WORKER_FAILED' })
  await pool.destroy()
  await refused
  t.equal(pool.inFlight, 0)
})

t.test('a large answer streams with backpressure; a failure after its head cuts the body', async (t) => {
  // every row is asserted: a budget no loaded machine reaches, so the answer is never cut (test/models/analysis/budget.test.ts)
  const pool = new RequestPool({ threads: 1, smallThreads: 0, maxQueue: 1, taskTimeoutMs: 60_000 }, loadConfig({ ANALYSIS_BUDGET_MS: '600000' }))
  t.teardown(() => pool.destroy())
  await pool.warmUp()
  const body = new TextEncoder().encode(JSON.stringify(MAX_SWEEP))
  const request = { method: 'POST', url: '/sweep', headers: { 'content-type': 'application/json' }, body }
  const streamed = await pool.run(request, new AbortController().signal)
  t.equal(streamed.statusCode, 200)
  t.match(streamed.headers, { 'content-type': 'application/json; charset=utf-8' })
  let text = ''
  for await (const chunk of streamed.body) text += (chunk as Buffer).toString()
  t.equal(JSON.parse(text).rows.length, 10_000, 'every chunk arrived, in order')
  // the task's result travels apart from the port: it settles just after the last chunk
  while (pool.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal(pool.inFlight, 0)

  // nobody reads this body: the worker stops after CHUNKS_AHEAD chunks instead of rendering on
  const gone = new AbortController()
  const stalled = await pool.run({ ...request, body: new TextEncoder().encode(JSON.stringify(MAX_SWEEP)) }, gone.signal)
  t.equal(stalled.statusCode, 200)
  t.equal(pool.inFlight, 1, 'the worker waits for the reader')
  const cut = once(stalled.body, 'error')
  gone.abort() // the client leaves: the worker is ended, the body ends with the error
  const [error] = await cut
  t.match(error, { statusCode: 503, code: 'WORKER_FAILED', message: /client closed the connection/ })
})

t.test('an upload the client abandons is one info line without a stack, on every path (finding 10)', async (t) => {
  const lines: string[] = []
  const logger = pino({ level: 'info' }, new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(String(chunk)); done() } }))
  const app = await buildApp({ config: loadConfig({ WORKER_THREADS: '1', WORKER_SMALL_THREADS: '0', OFFLOAD_BODY_BYTES: '1024' }), logger, offload: true })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  const abandon = async (url: string, declaredBytes: number): Promise<void> => {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    socket.write(`POST ${url} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declaredBytes}\r\n\r\n{"model":`)
    await sleep(100) // the request has reached the route
    socket.destroy()
    await once(socket, 'close')
    await sleep(100) // what the server logs about it
  }
  lines.length = 0
  // an offloaded route, a body above OFFLOAD_BODY_BYTES, and a small body read on the main thread
  for (const [url, declaredBytes, logged] of [['/sweep', 100, 1], ['/estimate/engram', 100_000, 1], ['/estimate/engram', 100, 0]] as const) {
    await abandon(url, declaredBytes)
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    t.same(entries.map((entry) => [entry.level, entry.msg]), Array(logged).fill([30, 'the client closed the connection before its body was complete']), `${url} (${declaredBytes} bytes): ${logged} info line(s)`)
    t.notOk(lines.some((line) => line.includes('stack')), 'no stack')
    if (logged > 0) t.match(entries[0], { method: 'POST', url, declaredBytes })
    lines.length = 0
  }
  const other = new Error('not a client leaving')
  t.equal(clientLeft({} as FastifyRequest, other), other, 'another reading error is passed on as it is')
})

t.test('cost lanes: a small task goes ahead of every waiting large one; large ones never take the reserved worker', async (t) => {
  const started: string[] = []
  const lanes = new CostLanes(2, 1)
  const never = new AbortController().signal
  const admit = (name: string, cost: CostClass, signal = never) => lanes.admit(cost, signal).then((release) => { started.push(name); return release })
  const releaseA = await admit('A', 'large')
  const b = admit('B', 'large')
  const c = admit('C', 'large')
  const releaseS = await admit('S', 'small')
  t.same(started, ['A', 'S'], 'the second worker is kept for small tasks: B waits, S starts')
  const t2 = admit('T', 'small')
  const leaving = new AbortController()
  const u = admit('U', 'small', leaving.signal)
  t.equal(lanes.queued, 4)
  leaving.abort(new Error('gone'))
  await t.rejects(u, { message: 'gone' }, 'a waiting task whose signal aborts leaves its lane')
  t.equal(lanes.queued, 3)
  releaseA()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(started, ['A', 'S', 'T'], 'the freed worker takes the small task first, though B and C came before it')
  releaseS()
  releaseS() // a second release changes nothing
  const releaseT = await t2
  t.same(started, ['A', 'S', 'T'], 'large tasks use one worker at most: B still waits with one worker free')
  releaseT()
  const releaseB = await b
  t.same(started, ['A', 'S', 'T', 'B'])
  releaseB()
  ;(await c)()
  t.same(started, ['A', 'S', 'T', 'B', 'C'], 'large tasks in their order')
  const gone = new AbortController()
  gone.abort(new Error('already gone'))
  await t.rejects(lanes.admit('small', gone.signal), { message: 'already gone' })
  t.equal(costClassOf(undefined), 'large', 'no estimate: large')
  t.equal(costClassOf(SMALL_TASK_MS), 'small')
  t.equal(costClassOf(SMALL_TASK_MS + 1), 'large')
})

t.test('clientGoneSignal: a client already gone when its task is sent aborts at once; one still there, when it closes', async (t) => {
  const requestOn = (socket: EventEmitter & { destroyed: boolean }) => ({ raw: { socket } }) as unknown as FastifyRequest
  const gone = Object.assign(new EventEmitter(), { destroyed: true })
  t.ok(clientGoneSignal(requestOn(gone)).signal.aborted, 'closed while its body was read (a busy main thread): aborted now, not at the budget')
  const there = Object.assign(new EventEmitter(), { destroyed: false })
  const watch = clientGoneSignal(requestOn(there))
  t.notOk(watch.signal.aborted)
  there.emit('close')
  t.ok(watch.signal.aborted, 'aborted when the socket closes')
  const stopped = clientGoneSignal(requestOn(there))
  stopped.stopWatching()
  there.emit('close')
  t.notOk(stopped.signal.aborted, 'no longer watched once its answer has ended')
})
