// Part "yaml-memory" (issue 29, findings 4 and 6; "What to build" 2 and 5): YAML bodies that cost
// memory or main-thread time, to /validate/aeterna and /estimate/aeterna, in rounds: ten 1 MB
// `!!binary` bodies at once, then the worst cases of test/fixtures/yaml-worst-cases.ts (a megabyte of
// keys, a billion laughs, thousands of anchors and aliases, ...). Targets: RSS under the memory limit
// (512 MiB, the chart's), /healthz p99 < 50 ms throughout, every answer 2xx, 4xx or 503 as JSON.
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { WORST_CASES } from '../../test/fixtures/yaml-worst-cases.js'
import { errorShapeProblem, request } from './http.js'
import { MEMORY_LIMIT_BYTES } from './prometheus.js'
import { probeFigures, startProbe } from './probe.js'
import { count, info, judged, mib, type PartResult } from './report.js'
import { startService, watchMemory } from './service.js'

const ROUNDS = Number(process.env.CHAOS_YAML_ROUNDS ?? 2)
const BINARY_BODIES = 10
/** Under the default BODY_LIMIT_BYTES (1 MiB), so each body is read and parsed. */
const BODY_BYTES = 1_000_000
const CONCURRENCY = 4
const REQUEST_TIMEOUT_MS = 30_000
/** No request is started after this long (a slow service must not hold the suite): the rest are counted as not sent. */
const TIME_CAP_MS = 100_000
const ROUTES = ['/validate/aeterna', '/estimate/aeterna']

/** A values document holding a megabyte of base64 in a !!binary scalar (distinct bytes for every body). */
function binaryBody (prefix: string): string {
  const lines: string[] = []
  let size = prefix.length + 30
  while (size < BODY_BYTES - 80) {
    const line = randomBytes(57).toString('base64')
    lines.push(`  ${line}`)
    size += line.length + 3
  }
  return `${prefix}blob: !!binary |\n${lines.join('\n')}\n`
}

export async function yamlMemory (): Promise<PartResult> {
  const service = await startService()
  const notes: string[] = []
  const byStatus: Record<string, number> = {}
  let bad = 0
  let failed = 0
  let started = performance.now()
  const agent = new http.Agent({ keepAlive: true, maxSockets: BINARY_BODIES * ROUTES.length })
  let notSent = 0
  const send = async (path: string, body: string, label: string): Promise<void> => {
    if (performance.now() - started > TIME_CAP_MS) { notSent++; return }
    try {
      const answer = await request(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body, timeoutMs: REQUEST_TIMEOUT_MS, agent })
      const text = answer.body.toString()
      const key = `${answer.status}${answer.status >= 500 ? ` ${/"code":"([^"]+)"/.exec(text)?.[1] ?? ''}` : ''}`
      byStatus[key] = (byStatus[key] ?? 0) + 1
      const problem = answer.status >= 500 && answer.status !== 503
        ? `HTTP ${answer.status}`
        : answer.status >= 400 ? errorShapeProblem(answer.status, answer.headers['content-type'], text) : ((answer.headers['content-type'] ?? '').includes('json') ? undefined : 'a 2xx not JSON')
      if (problem !== undefined) { bad++; if (notes.length < 5) notes.push(`${label} to ${path}: ${problem}: ${text.slice(0, 160)}`) }
    } catch (error) {
      failed++
      if (notes.length < 5) notes.push(`${label} to ${path}: ${(error as Error & { code?: string }).code ?? ''} ${(error as Error).message}`)
    }
  }
  /** Runs the calls `CONCURRENCY` at a time. */
  const pooled = async (calls: Array<() => Promise<void>>): Promise<void> => {
    const queue = [...calls]
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (queue.length > 0) await (queue.shift() as () => Promise<void>)() }))
  }
  try {
    const memory = watchMemory(service)
    const prober = await startProbe(service.url)
    started = performance.now()
    for (let round = 0; round < ROUNDS; round++) {
      // ten at once to each route: the !!binary case of the issue
      await Promise.all(ROUTES.flatMap((path) => Array.from({ length: BINARY_BODIES }, async (_, i) => await send(path, binaryBody(path === '/estimate/aeterna' ? 'memoryCount: 1000\n' : ''), `!!binary body ${i + 1}`))))
      await pooled(WORST_CASES.flatMap(([name, source]) => ROUTES.map((path) => async () => await send(path, source(), name))))
    }
    const seconds = (performance.now() - started) / 1000
    const probes = await prober.stop()
    const { peakBytes, lastBytes } = await memory.stop()
    if (service.exited()) notes.push(`the service exited: ${service.logTail().join(' | ')}`)
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0)
    return {
      part: 'yaml-memory',
      figures: [
        info(`requests: ${ROUNDS} x (${BINARY_BODIES} x 1 MB !!binary + ${WORST_CASES.length} worst cases) x 2 routes`, `${count(total + failed)} in ${seconds.toFixed(0)} s: ${Object.entries(byStatus).map(([status, n]) => `${status}: ${n}`).join(', ')}${notSent > 0 ? `; ${notSent} not sent (past ${TIME_CAP_MS / 1000} s)` : ''}`),
        judged('peak RSS', `${mib(peakBytes)} (at the end ${mib(lastBytes)})`, `< ${mib(MEMORY_LIMIT_BYTES)}`, peakBytes < MEMORY_LIMIT_BYTES),
        ...probeFigures(probes),
        judged('answers not 2xx/4xx/503 JSON (or failed calls)', `${count(bad)} (failed ${count(failed)})`, '0', bad + failed === 0)
      ],
      notes
    }
  } finally {
    agent.destroy()
    await service.stop()
  }
}
