// Memory as a budget (issue 29, point 2, finding 4): the limit read from the setting or the
// container's cgroup, RSS shedding on by default below it, worker heaps bounded by it (a worker past
// its heap answers 503 and is replaced), and request bodies admitted by their estimated memory.
import t from 'tap'
import type { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import {
  BODY_MEMORY_FACTOR, CGROUP_V1_LIMIT_FILE, CGROUP_V2_LIMIT_FILE, DEFAULT_RSS_SHARE, bodyMemoryBytes, cgroupMemoryLimitBytes,
  maxRssBytes, memoryAdmission, memoryLimit, parseCgroupLimit, workerHeapLimits
} from '../../src/plugins/memory.js'
import { RequestPool, workerFailure } from '../../src/workers/pool.js'

const MiB = 2 ** 20
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/cgroup/${name}`, import.meta.url), 'utf8')

/** A file system holding these cgroup files (by path); any other path is missing, as outside a container. */
const files = (contents: Record<string, string>) => (path: string): string => {
  if (path in contents) return contents[path]
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
}

t.test('parseCgroupLimit: bytes, or undefined for no limit', async (t) => {
  t.equal(parseCgroupLimit(fixture('v2-512Mi.memory.max')), 512 * MiB)
  t.equal(parseCgroupLimit(fixture('v1-1Gi.memory.limit_in_bytes')), 1024 * MiB)
  t.equal(parseCgroupLimit(fixture('v2-unlimited.memory.max')), undefined, 'cgroup v2 writes max')
  t.equal(parseCgroupLimit(fixture('v1-unlimited.memory.limit_in_bytes')), undefined, 'cgroup v1 writes the largest page-aligned value')
  t.equal(parseCgroupLimit(''), undefined)
  t.equal(parseCgroupLimit('0\n'), undefined)
  t.equal(parseCgroupLimit('12x'), undefined)
})

t.test('cgroupMemoryLimitBytes: cgroup v2 first, then v1, none outside a container', async (t) => {
  t.equal(cgroupMemoryLimitBytes(files({ [CGROUP_V2_LIMIT_FILE]: fixture('v2-512Mi.memory.max'), [CGROUP_V1_LIMIT_FILE]: '1024' })), 512 * MiB)
  t.equal(cgroupMemoryLimitBytes(files({ [CGROUP_V2_LIMIT_FILE]: fixture('v2-unlimited.memory.max') })), undefined, 'a v2 cgroup without a limit')
  t.equal(cgroupMemoryLimitBytes(files({ [CGROUP_V1_LIMIT_FILE]: fixture('v1-1Gi.memory.limit_in_bytes') })), 1024 * MiB)
  t.equal(cgroupMemoryLimitBytes(files({ [CGROUP_V1_LIMIT_FILE]: fixture('v1-unlimited.memory.limit_in_bytes') })), undefined)
  t.equal(cgroupMemoryLimitBytes(files({})), undefined, 'neither file')
  t.doesNotThrow(() => cgroupMemoryLimitBytes(), 'this machine\'s own files')
})

t.test('memoryLimit: the setting, else the cgroup, else the host; MAX_RSS_BYTES defaults to a share of it', async (t) => {
  const cgroup = files({ [CGROUP_V2_LIMIT_FILE]: '536870912' })
  t.same(memoryLimit({ MEMORY_LIMIT_BYTES: 300 * MiB }, cgroup, 8e9), { bytes: 300 * MiB, source: 'setting' })
  t.same(memoryLimit({ MEMORY_LIMIT_BYTES: 0 }, cgroup, 8e9), { bytes: 512 * MiB, source: 'cgroup' })
  t.same(memoryLimit({ MEMORY_LIMIT_BYTES: 0 }, files({}), 8e9), { bytes: 8e9, source: 'host' })
  t.equal(memoryLimit({ MEMORY_LIMIT_BYTES: 0 }).bytes > 0, true, 'this machine')
  t.equal(maxRssBytes({ MAX_RSS_BYTES: 0 }, { bytes: 512 * MiB, source: 'cgroup' }), Math.floor(512 * MiB * DEFAULT_RSS_SHARE), 'on by default: 85% of the limit')
  t.equal(maxRssBytes({ MAX_RSS_BYTES: 100 * MiB }, { bytes: 512 * MiB, source: 'cgroup' }), 100 * MiB, 'the setting wins')
  t.equal(loadConfig({}).MEMORY_LIMIT_BYTES, 0)
})

t.test('workerHeapLimits: half the limit for all worker heaps together, never under what a worker needs to start', async (t) => {
  t.same(workerHeapLimits(512 * MiB, 1), { maxOldGenerationSizeMb: 240, maxYoungGenerationSizeMb: 16 }, 'the chart: 512 Mi, one worker')
  t.same(workerHeapLimits(2048 * MiB, 3), { maxOldGenerationSizeMb: 325, maxYoungGenerationSizeMb: 16 })
  t.same(workerHeapLimits(256 * MiB, 8), { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 })
})

t.test('bodyMemoryBytes: a body\'s bytes times its media type\'s factor', async (t) => {
  t.equal(bodyMemoryBytes('application/yaml', 1000), 1000 * BODY_MEMORY_FACTOR.yaml)
  t.equal(bodyMemoryBytes('text/yaml; charset=utf-8', 1000), 1000 * BODY_MEMORY_FACTOR.yaml)
  t.equal(bodyMemoryBytes('application/x-yaml', 1000), 1000 * BODY_MEMORY_FACTOR.yaml)
  t.equal(bodyMemoryBytes('application/json', 1000), 1000 * BODY_MEMORY_FACTOR.json)
  t.equal(bodyMemoryBytes('application/merge-patch+json', 1000), 1000 * BODY_MEMORY_FACTOR.json)
  t.equal(bodyMemoryBytes(undefined, 1000), 1000 * BODY_MEMORY_FACTOR.json, 'no type: read as JSON')
  t.equal(bodyMemoryBytes('text/plain', 1000), 1000 * BODY_MEMORY_FACTOR.other)
  t.ok(BODY_MEMORY_FACTOR.yaml > BODY_MEMORY_FACTOR.json, 'YAML builds a node per scalar before the value')
})

t.test('memoryAdmission: fits, busy (503) while others hold the room, never (413) beyond an idle service\'s room', async (t) => {
  const state = { maxRssBytes: 400 * MiB, rssBytes: 200 * MiB, reservedBytes: 0, idleRssBytes: 150 * MiB }
  t.equal(memoryAdmission(100 * MiB, state), 'fits')
  t.equal(memoryAdmission(200 * MiB, state), 'fits', 'exactly what is left')
  t.equal(memoryAdmission(100 * MiB, { ...state, reservedBytes: 150 * MiB }), 'busy', 'reserved by requests in flight')
  t.equal(memoryAdmission(210 * MiB, state), 'busy', 'fits once RSS falls back to rest')
  t.equal(memoryAdmission(251 * MiB, state), 'never')
})

t.test('workerFailure: a heap limit reached is named with the limit', async (t) => {
  const oom = Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' })
  t.equal(workerFailure(oom, { maxOldGenerationSizeMb: 240, maxYoungGenerationSizeMb: 16 }), 'it ran out of its 240 MiB heap')
  t.equal(workerFailure(oom, undefined), 'it ran out of its default MiB heap')
  t.equal(workerFailure(new Error('boom'), undefined), 'boom')
})

t.test('!!binary is not decoded: a megabyte of base64 stays a string (finding 4: 1 MB bodies took 200+ MiB each)', async (t) => {
  const app = await buildApp({ config: loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0' }) })
  t.teardown(() => app.close())
  const base64 = Buffer.alloc(700_000, 7).toString('base64')
  const body = `name: !!binary |\n  ${base64.match(/.{1,76}/g)?.join('\n  ')}\n`
  const answer = await app.inject({ method: 'POST', url: '/validate/aeterna', headers: { 'content-type': 'application/yaml' }, payload: body })
  t.equal(answer.statusCode, 200)
  const small = await app.inject({ method: 'POST', url: '/validate/aeterna', headers: { 'content-type': 'application/yaml' }, payload: 'global: !!binary aGVsbG8=\n' })
  t.equal(small.statusCode, 200, 'read as the text it is')
})

t.test('a worker past its heap limit answers 503 WORKER_FAILED in the service\'s shape, and its replacement serves on', async (t) => {
  // 96 MiB of old generation for the one worker (half of 224 MiB, less the young generation): enough
  // to build and warm the app even under coverage, not for 7.6 MB of long YAML keys, whose answer
  // names each. The budget is long: near its limit V8 collects again and again before giving up, and
  // the replacement builds its app before it takes the next task
  const app = await buildApp({ config: loadConfig({ WORKER_THREADS: '1', WORKER_SMALL_THREADS: '0', MEMORY_LIMIT_BYTES: String(224 * MiB), BODY_LIMIT_BYTES: String(8 * MiB), MAX_EVENT_LOOP_DELAY_MS: '0', MAX_EVENT_LOOP_UTILIZATION: '0', PRESSURE_RETRY_AFTER_S: '3', WORKER_TASK_TIMEOUT_MS: '120000' }), offload: true })
  t.teardown(() => app.close())
  await app.ready()
  await app.workerPool?.warmUp()
  t.same(app.workerPool?.settings.heapLimits, { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 })
  const keys = Array.from({ length: 19_000 }, (_, i) => `k${i}${'x'.repeat(400)}: 1`).join('\n')
  const failed = await app.inject({ method: 'POST', url: '/validate/aeterna', headers: { 'content-type': 'application/yaml' }, payload: keys })
  t.equal(failed.statusCode, 503)
  t.equal(failed.headers['retry-after'], '3')
  t.same(failed.json(), { statusCode: 503, error: 'Service Unavailable', code: 'WORKER_FAILED', message: 'the worker answering this request stopped (it ran out of its 96 MiB heap): retry later' })
  const after = await app.inject({ method: 'POST', url: '/sweep', payload: { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 2000, points: 3 }] } })
  t.equal(after.statusCode, 200, `the pool keeps serving: ${after.body}`)
})

t.test('a worker failing between tasks is replaced without ending the process', async (t) => {
  const pool = new RequestPool({ threads: 1, smallThreads: 0, maxQueue: 1, taskTimeoutMs: 60_000 }, loadConfig({}))
  t.teardown(() => pool.destroy())
  // what piscina does when a worker with no task left errors (its heap limit reached after its answer)
  ;(pool as unknown as { pool: EventEmitter }).pool.emit('error', Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }))
  t.equal(pool.idleWorkerFailures, 1)
})
