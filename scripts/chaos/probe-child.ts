// The /healthz prober, in a process of its own so that the suite's own work (reading sweeps, sending
// megabytes) never reads as the service's latency. Open loop: a probe every INTERVAL_MS whether or not
// the last one was answered, each timed from when it was due, so a stall counts once per probe it
// held, not once. The first half second is not counted (the prober warming up). Prints "ready", then
// on "stop" (stdin) its samples as one JSON line and exits.
// Run: node --import tsx scripts/chaos/probe-child.ts <url> <intervalMs>
import http from 'node:http'
import { createInterface } from 'node:readline'

const [url, intervalText] = process.argv.slice(2)
const INTERVAL_MS = Number(intervalText ?? 10)
/** Probes in flight at most; a probe due beyond that is counted as missed (the service is then stalled for MAX_OUTSTANDING x INTERVAL_MS or more). */
const MAX_OUTSTANDING = 1000
const PROBE_TIMEOUT_MS = 30_000

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_OUTSTANDING })
const latenciesMs: number[] = []
let outstanding = 0
let missed = 0
let failed = 0
const failures: Record<string, number> = {}

function probe (due: number): void {
  if (outstanding >= MAX_OUTSTANDING) { missed++; return }
  outstanding++
  const call = http.get(`${url}/healthz`, { agent, timeout: PROBE_TIMEOUT_MS }, (response) => {
    response.resume()
    response.on('end', () => {
      outstanding--
      if (response.statusCode === 200) latenciesMs.push(performance.now() - due)
      else { failed++; failures[`HTTP ${response.statusCode}`] = (failures[`HTTP ${response.statusCode}`] ?? 0) + 1 }
    })
  })
  call.on('timeout', () => call.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
  call.on('error', (error: Error & { code?: string }) => {
    outstanding--
    failed++
    failures[error.code ?? 'error'] = (failures[error.code ?? 'error'] ?? 0) + 1
  })
}

/** Probes sent before "ready" and not counted: the prober's own first requests (connections, JIT) are slower. */
const WARM_UP_MS = 500

const startedAt = performance.now()
let sent = 0
// every probe due by now is sent with the time it was due, so a prober descheduled for a while (two
// busy cores) catches up instead of skipping probes
const timer = setInterval(() => {
  const now = performance.now()
  while (startedAt + sent * INTERVAL_MS <= now) probe(startedAt + sent++ * INTERVAL_MS)
}, INTERVAL_MS)
setTimeout(() => {
  latenciesMs.length = 0
  missed = 0
  failed = 0
  for (const key of Object.keys(failures)) delete failures[key]
  process.stdout.write('ready\n')
}, WARM_UP_MS)
// the suite gone (its end of stdin closed): nothing is left to report to
process.stdin.on('end', () => process.exit(0))
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return
  clearInterval(timer)
  process.stdout.write(JSON.stringify({ latenciesMs, missed, missedAtLeastMs: MAX_OUTSTANDING * INTERVAL_MS, failed, failures, outstanding }) + '\n', () => process.exit(0))
})
