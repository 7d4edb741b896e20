// npm run bench: POST /estimate/engram with varied bodies against the built service (production
// defaults: LOG_LEVEL=info, metrics on) and against a bare fastify server returning the same bytes,
// alternated in one run on this machine. Prints the throughput ratio, p99 latency and the service's
// RSS under load. A benchmark, not a test: CI does not run it.
import autocannon, { type Result } from 'autocannon'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARMUP_SECONDS = 3
const root = fileURLToPath(new URL('..', import.meta.url))

/** Sixteen different workloads, so no cache or branch predictor sees one request. */
const bodies = Array.from({ length: 16 }, (_, i) => JSON.stringify({
  expectedNodes: 250_000 * (i + 1),
  activeRatio: [0.05, 0.1, 0.2, 0.25][i % 4],
  opsPerSec: 1000 * (i + 1),
  retentionDays: [7, 30, 90][i % 3],
  ...(i % 2 === 0 ? { replicationFactor: 2 } : {})
}))

/** With taskset (util-linux), servers run on core 1 and the load generator on core 0, so neither starves the other. */
const pinned = (() => {
  try { execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }); return true } catch { return false }
})()
if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })

async function start (command: string[], env: Record<string, string>, readyText: string, pin = true): Promise<ChildProcess> {
  const [file, args] = pinned && pin ? ['taskset', ['-c', '1', process.execPath, ...command]] : [process.execPath, command]
  const child = spawn(file, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  while (!output.includes(readyText)) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return child
}

function rssMiB (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

async function load (port: number, pid: number, seconds = SECONDS): Promise<{ result: Result, rssMiB: number }> {
  let peakRss = 0
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMiB(pid)) }, 250)
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: bodies.map((body) => ({ method: 'POST', path: '/estimate/engram', headers: { 'content-type': 'application/json' }, body }))
  })
  clearInterval(sampler)
  return { result, rssMiB: peakRss }
}

const servicePort = 18_480
const barePort = 18_490
const service = await start(['dist/server.js'], { PORT: String(servicePort), METRICS_PORT: String(servicePort + 1), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, 'sizing-service ready')
const defaultBody = await (await fetch(`http://127.0.0.1:${servicePort}/estimate/engram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text()
const bare = await start(['scripts/bare-server.mjs'], { PORT: String(barePort), BARE_BODY: defaultBody }, 'ready')

// warm-up, not counted: JIT compilation on first load reads as event-loop delay and would be shed
for (const [port, child] of [[servicePort, service], [barePort, bare]] as const) await load(port, child.pid as number, WARMUP_SECONDS)

const rows: Array<{ round: number, server: string, requestsPerSec: number, p99Ms: number, errors: number, non2xx: number, rssMiB: number }> = []
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, port, child] of [['service', servicePort, service], ['bare', barePort, bare]] as const) {
    const { result, rssMiB: rss } = await load(port, child.pid as number)
    rows.push({ round, server: name, requestsPerSec: result.requests.average, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx, rssMiB: Math.round(rss) })
  }
}
service.kill('SIGTERM')
bare.kill('SIGTERM')
await Promise.all([once(service, 'exit'), once(bare, 'exit')])

const mean = (server: string, key: 'requestsPerSec' | 'p99Ms'): number => {
  const values = rows.filter((row) => row.server === server).map((row) => row[key])
  return values.reduce((sum, value) => sum + value, 0) / values.length
}
console.table(rows)
const ratio = mean('service', 'requestsPerSec') / mean('bare', 'requestsPerSec')
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`)
console.log(`load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per server, alternated, 16 different bodies${pinned ? '; server on core 1, load generator on core 0' : ''}`)
console.log(`service: ${Math.round(mean('service', 'requestsPerSec'))} req/s, p99 ${mean('service', 'p99Ms').toFixed(1)} ms, peak RSS ${Math.max(...rows.filter((r) => r.server === 'service').map((r) => r.rssMiB))} MiB`)
console.log(`bare:    ${Math.round(mean('bare', 'requestsPerSec'))} req/s, p99 ${mean('bare', 'p99Ms').toFixed(1)} ms`)
console.log(`ratio:   ${ratio.toFixed(3)} (goal >= 0.85), p99 goal < 10 ms`)

// Starvation (issue 13): 4 clients run maximum Engram sweeps (10,000 points, YAML) back to back while
// /healthz is polled every 10 ms; the service as the chart runs it (one worker thread), not pinned.
const STARVATION_ROUNDS = 3
const starvedPort = 18_500
const starved = await start(['dist/server.js'], { PORT: String(starvedPort), METRICS_PORT: String(starvedPort + 1), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_THREADS: '1' }, '', false)
const api = `http://127.0.0.1:${starvedPort}`
for (;;) {
  try { if ((await fetch(`${api}/readyz`)).ok) break } catch {}
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const maxSweep = JSON.stringify({ model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 10_000_000, points: 10_000 }] })
const probesMs: number[] = []
const sweepsMs: number[] = []
const statuses: number[] = []
const polling = { on: true }
const poller = (async () => {
  while (polling.on) {
    const sentAt = performance.now()
    await (await fetch(`${api}/healthz`)).text()
    probesMs.push(performance.now() - sentAt)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
})()
await Promise.all(Array.from({ length: 4 }, async () => {
  for (let round = 0; round < STARVATION_ROUNDS; round++) {
    const sentAt = performance.now()
    const response = await fetch(`${api}/sweep`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/yaml' }, body: maxSweep })
    await response.text()
    statuses.push(response.status)
    if (response.status === 200) sweepsMs.push(performance.now() - sentAt)
  }
}))
polling.on = false
await poller
starved.kill('SIGTERM')
await once(starved, 'exit')
const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]
console.log(`starvation: 4 clients x ${STARVATION_ROUNDS} maximum Engram YAML sweeps, one worker thread: statuses ${[...new Set(statuses)].join('/')} (${statuses.filter((status) => status === 503).length} shed with 503)`)
console.log(`  /healthz: ${probesMs.length} probes, p50 ${quantile(probesMs, 0.5).toFixed(1)} ms, p99 ${quantile(probesMs, 0.99).toFixed(1)} ms, max ${Math.max(...probesMs).toFixed(1)} ms (target p99 <= 20 ms)`)
console.log(`  a sweep, queue included: p50 ${quantile(sweepsMs, 0.5).toFixed(0)} ms, max ${Math.max(...sweepsMs).toFixed(0)} ms; the fastest ${Math.min(...sweepsMs).toFixed(0)} ms (target <= 1000 ms)`)
