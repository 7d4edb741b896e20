// npm run bench, in one run on this machine (a benchmark, not a test: CI does not run it):
// (a) POST /estimate/engram on the built service, dist/service/server.js as npm start and the image run it (production defaults: LOG_LEVEL=info, metrics and
//     shedding on) against a lean fastify route computing the same model (scripts/lean-server.mjs);
// (b) the service against a bare fastify server returning the same bytes (scripts/bare-server.mjs);
//     a distinct request body for every request, the three servers alternated round by round;
// (a') what each piece of the service's request path costs: the service built without it
//     (scripts/piece-server.mjs) against the same build with every piece, under (a)'s load;
// (c) cold start: `node dist/service/server.js` (the bundle) to the first 200 of POST /estimate/engram, and to
//     /readyz 200; beside it the compiled modules unbundled (dist/server.js), for the bundle's share;
// (d) one CLI call (`node bin/sizing.js estimate engram`) against `node -e ''`;
// (e) a 10,000-point Engram sweep as JSON, CSV and YAML;
// then the starvation case of issue 13, (f) the worst YAML bodies (test/fixtures/yaml-worst-cases.ts)
// parsed in this process against JSON.parse of a megabyte: what test/plugins/yaml-body.test.ts once
// asserted as a time limit; (h) each model's cost per point against the committed table (scripts/model-costs.ts);
// and (g) overload (issue 29, point 3): what a refusal costs against an
// answer, and an open-loop load at twice the capacity (BENCH_OVERLOAD_ONLY=1 runs (g) alone).
import autocannon, { type Result } from 'autocannon'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseYamlDocument } from '../src/plugins/yaml-body.js'
import { WORST_CASES } from '../test/fixtures/yaml-worst-cases.js'
import { MODEL_COSTS, MODEL_COSTS_MEASURED } from '../src/models/analysis/model-costs.js'
import { machineDescription, measureModelCosts } from './model-costs.js'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARMUP_SECONDS = 3
/**
 * (a'): BENCH_PIECES 'alternate' (the default) or 'paired' (see measurePieces), '0' to skip it; BENCH_PIECES_ONLY=1 runs
 * it alone. BENCH_PIECE_LIST chooses the pieces (scripts/piece-server.mjs names them; a+b: both at once), BENCH_PIECE_SECONDS the length
 * of each load (half of BENCH_SECONDS: alternated, (a') makes 2n + 3 loads a round, n pieces and all of them at once).
 */
const PIECES = process.env.BENCH_PIECES ?? 'alternate'
const PIECES_ONLY = process.env.BENCH_PIECES_ONLY === '1'
const PIECE_SECONDS = Number(process.env.BENCH_PIECE_SECONDS ?? Math.max(1, Math.round(SECONDS / 2)))
const PIECE_LIST = (process.env.BENCH_PIECE_LIST ?? 'headers,metrics,negotiation,shedding,hooks,connections,logger,offload').split(',').filter((piece) => piece !== '')
const root = fileURLToPath(new URL('..', import.meta.url))

/** A different workload for every request, so no cache of whole answers can stand in for the work. */
let requestNumber = 0
function nextBody (): string {
  const i = requestNumber++
  return JSON.stringify({
    expectedNodes: 250_000 + i,
    activeRatio: [0.05, 0.1, 0.2, 0.25][i % 4],
    opsPerSec: 1000 + (i % 50_000),
    retentionDays: 7 + (i % 90),
    ...(i % 2 === 0 ? { replicationFactor: 2 } : {})
  })
}

/** With taskset (util-linux), servers run on core 1 and the load generator on core 0, so neither starves the other. */
const pinned = (() => {
  try { execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }); return true } catch { return false }
})()
if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })

/**
 * The command line of a Node process: on core 1 (pinned), or free on both cores. The bench itself is
 * pinned to core 0, and a child inherits that: an unpinned child is given both cores explicitly.
 */
function nodeCommand (command: string[], pin: boolean): [string, string[]] {
  if (!pinned) return [process.execPath, command]
  return ['taskset', ['-c', pin ? '1' : '0,1', process.execPath, ...command]]
}

async function start (command: string[], env: Record<string, string>, readyText: string, pin = true): Promise<ChildProcess> {
  const [file, args] = nodeCommand(command, pin)
  const child = spawn(file, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  while (!output.includes(readyText)) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return child
}

/** CPU time a process has used (every thread: user and system), in seconds; /proc counts it in clock ticks. */
const CLOCK_TICKS = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) } catch { return 100 } })()
function cpuSeconds (pid: number): number {
  // the fields after the command (which may contain spaces) start at field 3; utime and stime are 14 and 15
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

function rssMiB (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

async function load (port: number, pid: number, seconds = SECONDS, connections = CONNECTIONS): Promise<{ result: Result, rssMiB: number }> {
  let peakRss = 0
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMiB(pid)) }, 250)
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', path: '/estimate/engram', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: nextBody() }) }]
  })
  clearInterval(sampler)
  return { result, rssMiB: peakRss }
}

const machine = `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`

/**
 * (a') The service built without one piece at a time, and without all of them, against the same build
 * with every piece (both through scripts/piece-server.mjs, so only the pieces differ), in rounds with
 * fresh servers, the pieces in an order rotated from round to round. 'alternate': every piece's build is loaded between two loads of the
 * full build and compared with their mean (the shared machine drifts within a round too). 'paired':
 * the two builds are loaded at the same time, both on the servers' core, each by half the
 * connections, so whatever else the machine does falls on both alike (alternated loads of one build
 * differ by about 10% on this shared machine, more than most pieces cost). Two measures: throughput
 * in 200s a second, and what the server spends on a request, its CPU time (every thread, from /proc)
 * over the requests it answered; each the median of the rounds. Load shedding's limits are out of
 * reach here: what is measured is what its checks cost on every request, not its 503s, which are far
 * cheaper than a 200 and which a saturating benchmark on a shared machine triggers in some loads and
 * not others (a stall of 50 ms at full utilisation is enough); a load with answers other than 200 is
 * flagged.
 */
async function measurePieces (mode: 'alternate' | 'paired'): Promise<void> {
  // and every piece of the list at once: what the pieces cost together, a difference the noise hides less
  const subjects = PIECE_LIST.length > 1 ? [...PIECE_LIST, 'all'] : PIECE_LIST
  // a list entry may join pieces with '+' (headers+shedding: every onRequest hook) to measure them together
  const variants = [['everything', ''], ...subjects.map((subject) => [`-${subject}`, (subject === 'all' ? PIECE_LIST.join(',') : subject).replaceAll('+', ',')])] as const
  type Servers = Map<string, { port: number, child: ChildProcess }>
  /** Fresh servers for every round: each process settles into its own speed (JIT, heap), a few per cent apart even for the same build. */
  const startServers = async (): Promise<Servers> => {
    const servers: Servers = new Map()
    for (const [index, [name, without]] of variants.entries()) {
      const port = 18_600 + index * 2
      const env = { PORT: String(port), METRICS_PORT: String(port + 1), HOST: '127.0.0.1', LOG_LEVEL: 'info', BENCH_WITHOUT: without, MAX_EVENT_LOOP_UTILIZATION: '1', MAX_EVENT_LOOP_DELAY_MS: '60000' }
      servers.set(name, { port, child: await start(['scripts/piece-server.mjs'], env, 'ready') })
    }
    for (const { port, child } of servers.values()) await load(port, child.pid as number, WARMUP_SECONDS)
    return servers
  }
  const pieceRows: Array<{ round: number, server: string, requestsPerSec: number, okPerSec: number, cpuUsPerRequest: number, p99Ms: number, errors: number, non2xx: number }> = []
  /** Loads the named servers at the same time (one: alone), each with its share of the connections. */
  const measure = async (round: number, servers: Servers, names: string[]): Promise<Array<typeof pieceRows[number]>> => {
    const loaded = names.map((name) => servers.get(name) as { port: number, child: ChildProcess })
    const connections = Math.round(CONNECTIONS / names.length)
    // a build idle since its last turn starts slower (V8 shrinks an idle heap, caches go cold) than the
    // full build, loaded at every turn: each load is preceded by one second that is not counted
    await Promise.all(loaded.map(async ({ port, child }) => await load(port, child.pid as number, 1, connections)))
    const cpuBefore = loaded.map(({ child }) => cpuSeconds(child.pid as number))
    const results = await Promise.all(loaded.map(async ({ port, child }) => (await load(port, child.pid as number, PIECE_SECONDS, connections)).result))
    return names.map((server, index) => {
      const result = results[index]
      const cpuUsPerRequest = Math.round(10 * 1e6 * (cpuSeconds(loaded[index].child.pid as number) - cpuBefore[index]) / result.requests.total) / 10
      const row = { round, server, requestsPerSec: result.requests.average, okPerSec: Math.round(result['2xx'] / result.duration), cpuUsPerRequest, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx }
      pieceRows.push(row)
      return row
    })
  }
  /** Per piece and round: the throughput gained without it (%) and the CPU a request saved (us), against the full build. */
  const effects = new Map<string, Array<{ gain: number, savedUs: number }>>(subjects.map((subject) => [subject, []]))
  const record = (subject: string, full: { okPerSec: number, cpuUsPerRequest: number }, without: { okPerSec: number, cpuUsPerRequest: number }): void => {
    effects.get(subject)?.push({ gain: 100 * (without.okPerSec / full.okPerSec - 1), savedUs: full.cpuUsPerRequest - without.cpuUsPerRequest })
  }
  for (let round = 1; round <= ROUNDS; round++) {
    const servers = await startServers()
    const order = subjects.map((_, index) => subjects[(index + round - 1) % subjects.length])
    if (mode === 'paired') {
      for (const subject of order) {
        const [full, without] = await measure(round, servers, ['everything', `-${subject}`])
        record(subject, full, without)
      }
    } else {
      let [before] = await measure(round, servers, ['everything'])
      for (const subject of order) {
        const [without] = await measure(round, servers, [`-${subject}`])
        const [after] = await measure(round, servers, ['everything'])
        record(subject, { okPerSec: (before.okPerSec + after.okPerSec) / 2, cpuUsPerRequest: (before.cpuUsPerRequest + after.cpuUsPerRequest) / 2 }, without)
        before = after
      }
    }
    for (const { child } of servers.values()) child.kill('SIGTERM')
    await Promise.all([...servers.values()].map(async ({ child }) => await once(child, 'exit')))
  }

  console.table(pieceRows)
  console.log(`load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${PIECE_SECONDS} s per load, fresh servers every round, ` +
    (mode === 'paired' ? 'each build without a piece loaded at the same time as the full build, on the same core, half the connections each' : 'each build without a piece loaded between two loads of the full build'))
  const middle = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b)
    return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2
  }
  const signed = (value: number, digits: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`
  const shed = (server: string): string => {
    const answers = pieceRows.filter((row) => row.server === server).reduce((sum, row) => sum + row.non2xx + row.errors, 0)
    return answers === 0 ? '' : `; ${answers} answers not 200 (shed or failed)`
  }
  const full = pieceRows.filter((row) => row.server === 'everything')
  const fullCpu = middle(full.map((row) => row.cpuUsPerRequest))
  console.log(`(a') every piece (scripts/piece-server.mjs), median of ${full.length} loads: ${Math.round(middle(full.map((row) => row.okPerSec)))} 200s/s${mode === 'paired' ? ' (on half the core)' : ''}, ${fullCpu.toFixed(1)} us of CPU a request, p99 ${middle(full.map((row) => row.p99Ms)).toFixed(1)} ms${shed('everything')}`)
  for (const [subject, measured] of effects) {
    const savedUs = measured.map((effect) => effect.savedUs)
    const gains = measured.map((effect) => effect.gain)
    console.log(`(a') ${(subject === 'all' ? 'all of them' : subject).padEnd(11)} costs ${signed(middle(savedUs), 1)} us of CPU a request (${signed(100 * middle(savedUs) / fullCpu, 1)}%; rounds ${savedUs.map((us) => signed(us, 1)).join(', ')}); ` +
      `${signed(middle(gains), 1)}% throughput when removed (rounds ${gains.map((gain) => signed(gain, 1)).join(', ')})${shed(`-${subject}`)}`)
  }
}

/** Requests to POST /estimate/engram at `rate` a second whatever the answers (autocannon's overall rate over enough connections that none is waited for). */
async function openLoad (port: number, rate: number, seconds: number, connections: number): Promise<Result> {
  return await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    overallRate: rate,
    duration: seconds,
    requests: [{ method: 'POST', path: '/estimate/engram', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: nextBody() }) }]
  })
}

/** The admitted requests' latency among a load, from scripts/latency-sampler.mjs in a process of its own: resolves once it is connected, with the figures to await. */
async function admittedLatencies (port: number, seconds: number): Promise<Promise<{ okMs: number[], refused: number }>> {
  const [file, args] = nodeCommand(['scripts/latency-sampler.mjs', String(port), String(seconds)], false)
  const child = spawn(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  while (!output.includes('connected\n')) {
    if (child.exitCode !== null) throw new Error(`latency-sampler exited: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return (async () => {
    await once(child, 'exit')
    return JSON.parse(output.split('\n')[1]) as { okMs: number[], refused: number }
  })()
}

/**
 * (g) Overload. First what the main thread spends on a refusal against an answer: the service's CPU
 * (every thread, /proc) over the requests of a closed-loop load, with every request refused
 * (MAX_HEAP_USED_BYTES=1: a hard limit) and with none. Then the capacity: 2xx a second of a closed
 * loop of CONNECTIONS with shedding off; then an open loop at twice it, with the service's defaults
 * and with shedding off: 2xx a second against the capacity, and the p99 of admitted requests (a
 * sampler beside the load). Last, the closed loop with the defaults: nothing should be shed.
 */
async function measureOverload (): Promise<void> {
  const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 10)
  const OPEN_CONNECTIONS = Number(process.env.BENCH_OPEN_CONNECTIONS ?? 1000)
  const port = 18_560
  const serve = async (env: Record<string, string>): Promise<ChildProcess> => await start([SERVICE_ENTRY], { PORT: String(port), METRICS_PORT: String(port + 1), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, '', true)
  const ready = async (): Promise<void> => {
    for (;;) {
      try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return } catch {}
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const stop = async (child: ChildProcess): Promise<void> => { child.kill('SIGKILL'); await once(child, 'exit') }
  const off = { MAX_EVENT_LOOP_UTILIZATION: '0', MAX_EVENT_LOOP_DELAY_MS: '0' }
  const cpuPerRequest = async (env: Record<string, string>): Promise<{ us: number, statuses: string }> => {
    const child = await serve(env)
    await ready()
    await load(port, child.pid as number, WARMUP_SECONDS)
    const before = cpuSeconds(child.pid as number)
    const { result } = await load(port, child.pid as number, OVERLOAD_SECONDS)
    const us = 1e6 * (cpuSeconds(child.pid as number) - before) / result.requests.total
    await stop(child)
    return { us, statuses: `${result['2xx']} 2xx, ${result.non2xx} other` }
  }
  const refused = await cpuPerRequest({ ...off, MAX_HEAP_USED_BYTES: '1' })
  const served = await cpuPerRequest(off)
  console.log(`(g) a refusal costs ${refused.us.toFixed(1)} us of CPU (${refused.statuses}), an answer ${served.us.toFixed(1)} us (${served.statuses}): ${(refused.us / served.us).toFixed(2)} of an answer (closed loop, ${CONNECTIONS} connections, ${OVERLOAD_SECONDS} s each)`)

  const unshed = await serve(off)
  await ready()
  await load(port, unshed.pid as number, WARMUP_SECONDS)
  const capacity = (await load(port, unshed.pid as number, OVERLOAD_SECONDS)).result['2xx'] / OVERLOAD_SECONDS
  console.log(`(g) capacity (closed loop, ${CONNECTIONS} connections, shedding off): ${Math.round(capacity)} 2xx/s`)
  const openRun = async (name: string): Promise<void> => {
    const sampling = await admittedLatencies(port, OVERLOAD_SECONDS)
    const [result, sampled] = await Promise.all([openLoad(port, Math.round(2 * capacity), OVERLOAD_SECONDS, OPEN_CONNECTIONS), sampling])
    const okPerSec = result['2xx'] / OVERLOAD_SECONDS
    const sent = result.requests.total / OVERLOAD_SECONDS
    console.log(`(g) open loop at 2x capacity (${Math.round(2 * capacity)}/s asked, ${Math.round(sent)}/s sent, ${OPEN_CONNECTIONS} connections), ${name}: ${Math.round(okPerSec)} 2xx/s = ${(okPerSec / capacity).toFixed(2)} of capacity (target >= 0.8), ` +
      `${result.non2xx} refused, ${result.errors} errors, ${result.timeouts} timeouts; admitted p99 ${quantileOf(sampled.okMs, 0.99).toFixed(0)} ms, p50 ${quantileOf(sampled.okMs, 0.5).toFixed(0)} ms (${sampled.okMs.length} sampled, ${sampled.refused} refused; target p99 < 250 ms)`)
  }
  await openRun('shedding off')
  await stop(unshed)
  const shedding = await serve({})
  await ready()
  await load(port, shedding.pid as number, WARMUP_SECONDS)
  await openRun('defaults (shedding on)')
  await new Promise((resolve) => setTimeout(resolve, 2000)) // the share falls back to 0
  const calm = (await load(port, shedding.pid as number, OVERLOAD_SECONDS)).result
  console.log(`(g) closed loop, ${CONNECTIONS} connections, defaults: ${calm['2xx']} 2xx, ${calm.non2xx} shed (target 0)`)
  await stop(shedding)
}

const quantileOf = (values: number[], q: number): number => values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]
const SERVICE_ENTRY = 'dist/service/server.js'
if (process.env.BENCH_OVERLOAD_ONLY === '1') {
  await measureOverload()
  console.log(machine)
  process.exit(0)
}

if (PIECES !== '0' && PIECES !== 'alternate' && PIECES !== 'paired') throw new Error(`BENCH_PIECES must be alternate, paired or 0 (got ${PIECES})`)
if (PIECES_ONLY) {
  if (PIECES !== '0') await measurePieces(PIECES)
  console.log(machine)
  process.exit(0)
}

const servicePort = 18_480
const leanPort = 18_485
const barePort = 18_490
const SERVICE = 'dist/service/server.js'
const service = await start([SERVICE], { PORT: String(servicePort), METRICS_PORT: String(servicePort + 1), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, 'sizing-service ready')
const defaultBody = await (await fetch(`http://127.0.0.1:${servicePort}/estimate/engram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text()
const lean = await start(['scripts/lean-server.mjs'], { PORT: String(leanPort) }, 'ready')
const bare = await start(['scripts/bare-server.mjs'], { PORT: String(barePort), BARE_BODY: defaultBody }, 'ready')
const servers = [['service', servicePort, service], ['lean', leanPort, lean], ['bare', barePort, bare]] as const

// warm-up, not counted: JIT compilation on first load reads as event-loop delay and would be shed
for (const [, port, child] of servers) await load(port, child.pid as number, WARMUP_SECONDS)

const rows: Array<{ round: number, server: string, requestsPerSec: number, p99Ms: number, errors: number, non2xx: number, rssMiB: number }> = []
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, port, child] of servers) {
    const { result, rssMiB: rss } = await load(port, child.pid as number)
    rows.push({ round, server: name, requestsPerSec: result.requests.average, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx, rssMiB: Math.round(rss) })
  }
}
for (const [, , child] of servers) child.kill('SIGTERM')
await Promise.all(servers.map(async ([, , child]) => await once(child, 'exit')))

const mean = (server: string, key: 'requestsPerSec' | 'p99Ms'): number => {
  const values = rows.filter((row) => row.server === server).map((row) => row[key])
  return values.reduce((sum, value) => sum + value, 0) / values.length
}
console.table(rows)
console.log(machine)
console.log(`load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per server, alternated, a distinct body per request${pinned ? '; servers on core 1, load generator on core 0' : ''}`)
for (const name of ['service', 'lean', 'bare']) {
  console.log(`${name.padEnd(8)} ${Math.round(mean(name, 'requestsPerSec'))} req/s, p99 ${mean(name, 'p99Ms').toFixed(1)} ms, peak RSS ${Math.max(...rows.filter((r) => r.server === name).map((r) => r.rssMiB))} MiB`)
}
console.log(`(a) service / lean route: ${(mean('service', 'requestsPerSec') / mean('lean', 'requestsPerSec')).toFixed(3)} (target >= 0.9)`)
console.log(`(b) service / bare server: ${(mean('service', 'requestsPerSec') / mean('bare', 'requestsPerSec')).toFixed(3)} (target >= 0.4)`)
// what (b) can reach with no production stack at all: the lean route computes and serializes the
// same answer with nothing else, so (b) >= 0.4 asks the service to be this much faster than it
const leanOverBare = mean('lean', 'requestsPerSec') / mean('bare', 'requestsPerSec')
console.log(`    lean route / bare server: ${leanOverBare.toFixed(3)}: (b) >= 0.4 needs the service ${(0.4 / leanOverBare).toFixed(2)}x the lean route's throughput`)
if (PIECES !== '0') await measurePieces(PIECES)

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

// (c) cold start, not pinned (as a pod starts): the process to its first 200, and to /readyz 200
const STARTS = Number(process.env.BENCH_STARTS ?? 7)
async function coldStarts (entry: string): Promise<{ firstAnswerMs: number[], readyMs: number[] }> {
  const firstAnswerMs: number[] = []
  const readyMs: number[] = []
  for (let run = 0; run < STARTS; run++) {
    const port = 18_520 + run * 2
    const startedAt = performance.now()
    const [file, args] = nodeCommand([entry], false)
    const child = spawn(file, args, { cwd: root, env: { ...process.env, PORT: String(port), METRICS_PORT: String(port + 1), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: 'ignore' })
    const poll = async (path: string, init?: RequestInit): Promise<number> => {
      for (;;) {
        try { if ((await fetch(`http://127.0.0.1:${port}${path}`, init)).status === 200) return performance.now() - startedAt } catch {}
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    firstAnswerMs.push(await poll('/estimate/engram', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
    readyMs.push(await poll('/readyz'))
    child.kill('SIGKILL')
    await once(child, 'exit')
  }
  return { firstAnswerMs, readyMs }
}
const bundled = await coldStarts(SERVICE)
const modules = await coldStarts('dist/server.js')
console.log(`(c) cold start, median of ${STARTS}: ${SERVICE} first 200 ${median(bundled.firstAnswerMs).toFixed(0)} ms (target <= 400), /readyz 200 (warm) ${median(bundled.readyMs).toFixed(0)} ms; unbundled dist/server.js ${median(modules.firstAnswerMs).toFixed(0)} ms / ${median(modules.readyMs).toFixed(0)} ms`)

// (d) one CLI call, as a CI script makes it, against starting Node itself
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 9)
const timed = (command: string[]): number => {
  const [file, args] = nodeCommand(command, false)
  const startedAt = performance.now()
  execFileSync(file, args, { cwd: root, stdio: 'ignore' })
  return performance.now() - startedAt
}
const cliArgs = ['estimate', 'engram', '--expected-nodes', '2e6']
// one untimed call first: a checkout's first call after an edit (re)builds the CLI bundle
timed(['bin/sizing.js', ...cliArgs])
const nodeMs = Array.from({ length: RUNS }, () => timed(['-e', '']))
const checkoutMs = Array.from({ length: RUNS }, () => timed(['bin/sizing.js', ...cliArgs]))
const builtMs = Array.from({ length: RUNS }, () => timed(['dist/cli/sizing.mjs', ...cliArgs]))
console.log(`(d) one CLI call, median of ${RUNS}: bin/sizing.js (checkout) ${median(checkoutMs).toFixed(0)} ms, dist/cli/sizing.mjs (package, the build's bundle) ${median(builtMs).toFixed(0)} ms; node -e '' ${median(nodeMs).toFixed(0)} ms (target <= 250)`)

// (e) a 10,000-point Engram sweep in each format, on a fresh service with one worker (the chart's)
const sweepPort = 18_540
const sweeper = await start([SERVICE], { PORT: String(sweepPort), METRICS_PORT: String(sweepPort + 1), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_THREADS: '1' }, '', false)
for (;;) {
  try { if ((await fetch(`http://127.0.0.1:${sweepPort}/readyz`)).ok) break } catch {}
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const sweepBody = JSON.stringify({ model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 10_000_000, points: 10_000 }] })
for (const [format, accept] of [['JSON', 'application/json'], ['CSV', 'text/csv'], ['YAML', 'application/yaml']]) {
  const times: number[] = []
  let bytes = 0
  for (let run = 0; run < 5; run++) {
    const startedAt = performance.now()
    const response = await fetch(`http://127.0.0.1:${sweepPort}/sweep`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: sweepBody })
    bytes = (await response.arrayBuffer()).byteLength
    times.push(performance.now() - startedAt)
  }
  console.log(`(e) 10,000-point Engram sweep as ${format.padEnd(4)}: median ${median(times).toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB, ${(median(times) / 10).toFixed(1)} us a row${format === 'JSON' ? ' (target <= 150 ms)' : ''}`)
}
sweeper.kill('SIGTERM')
await once(sweeper, 'exit')

// Starvation (issue 13): 4 clients run maximum Engram sweeps (10,000 points, YAML) back to back while
// /healthz is polled every 10 ms; the service as the chart runs it (one worker thread), not pinned.
const STARVATION_ROUNDS = 3
const starvedPort = 18_500
const starved = await start([SERVICE], { PORT: String(starvedPort), METRICS_PORT: String(starvedPort + 1), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_THREADS: '1' }, '', false)
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

// (f) the worst YAML bodies, each parsed (or refused) once after one untimed call, against the baseline
// of JSON.parse on a megabyte array in the same run
const parseMs = (work: () => unknown): number => {
  const startedAt = performance.now()
  try { work() } catch {}
  return performance.now() - startedAt
}
const jsonMegabyte = `[${'1,'.repeat(2 ** 19)}1]`
parseMs(() => JSON.parse(jsonMegabyte))
const jsonMs = median(Array.from({ length: 5 }, () => parseMs(() => JSON.parse(jsonMegabyte))))
const yamlRows = WORST_CASES.map(([name, source]) => {
  const text = source()
  parseMs(() => parseYamlDocument(text))
  return { name, ms: median(Array.from({ length: 3 }, () => parseMs(() => parseYamlDocument(text)))) }
})
console.log(`(f) the worst YAML bodies, median of 3 (JSON.parse of a megabyte: ${jsonMs.toFixed(1)} ms): ` +
  yamlRows.map((row) => `${row.name} ${row.ms.toFixed(0)} ms (${(row.ms / jsonMs).toFixed(0)}x)`).join(', ') +
  `; slowest ${Math.max(...yamlRows.map((row) => row.ms)).toFixed(0)} ms (target < 1000: before the limits, 40,000 keys took 62 s)`)

// (h) what a point of each model costs (scripts/model-costs.ts): the table the analyses' budgets read,
// measured here in this process; `npm run model-costs` writes it to src/models/analysis/model-costs.ts
await printModelCosts()

async function printModelCosts (): Promise<void> {
  const costs = await measureModelCosts()
  console.log(`(h) cost of a point, per model (${machineDescription()}; the committed table: ${MODEL_COSTS_MEASURED.date}, ${MODEL_COSTS_MEASURED.machine}):`)
  for (const [name, cost] of Object.entries(costs)) {
    const committed = MODEL_COSTS[name]
    console.log(`  ${name.padEnd(20)} ${cost.sweepPointMs} ms a sweep point (table ${committed?.sweepPointMs ?? 'none'}), ${cost.evaluationMs} ms an evaluation (table ${committed?.evaluationMs ?? 'none'})`)
  }
}
await measureOverload()
