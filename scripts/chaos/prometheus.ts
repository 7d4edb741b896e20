// Part "prometheus" (issue 29, findings 1 and 5; "What to build" 1): /calibrate/aeterna against a
// fake Prometheus (fake-prometheus-child.ts) that answers 10^6 points a query, 20,000 series, a body
// trickled forever, a redirect to another host, HTML; and an honest one over a 90-day window of 100
// series a metric. While each runs, /healthz is probed every 10 ms and the service's RSS watched.
// Targets: /healthz p99 < 50 ms; a hostile answer ends within PROMETHEUS_TIMEOUT_MS + 2 s (an error,
// or a 422 naming the limit; a 200 in time is fine too); the redirect and the HTML are errors that
// never show the other host's text, which is never asked; RSS under the memory limit (512 MiB, the
// chart's); the 90-day window answers 200.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { request } from './http.js'
import { probeFigures, startProbe } from './probe.js'
import { judged, mib, ms, type Figure, type PartResult } from './report.js'
import { PINNED, ROOT, startService, watchMemory } from './service.js'

const OTHER_HOST_TEXT = 'OTHER-HOST-SECRET-TEXT'
/** The chart's memory limit (charts/sizing-service: 512Mi); CHAOS_MEMORY_LIMIT_MIB for another. */
export const MEMORY_LIMIT_BYTES = Number(process.env.CHAOS_MEMORY_LIMIT_MIB ?? 512) * 2 ** 20
/** "An error within 2 s of the budget". */
const BUDGET_SLACK_MS = 2000
/** Longest the suite waits for a calibration (today's main took 54 s for 10^6 points). */
const CLIENT_TIMEOUT_MS = 30_000
const SERIES_PER_METRIC = 100
const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000
/** A case lasts at least this long (a quick refusal is repeated), so that its /healthz p99 rests on a few hundred probes. */
const MIN_CASE_MS = 3000
/** Between repeated calls: a client asking again, not a load test. */
const REPEAT_PAUSE_MS = 100

interface Case {
  mode: string
  name: string
  window: string
  /** What a good answer is, given its status and body. */
  expect: (status: number, body: string) => string | undefined
}

const anyAnswer = (): undefined => undefined
const errorWithout = (status: number, body: string): string | undefined => {
  if (status < 400) return `HTTP ${status}, not an error`
  if (body.includes(OTHER_HOST_TEXT)) return 'the other host\'s text is shown'
  return undefined
}

const CASES: Case[] = [
  { mode: 'million', name: '10^6 points a query', window: '7d', expect: anyAnswer },
  { mode: 'series', name: '20,000 series', window: '7d', expect: anyAnswer },
  { mode: 'trickle', name: 'an answer trickled forever', window: '7d', expect: errorWithout },
  { mode: 'redirect', name: 'a redirect to another host', window: '7d', expect: errorWithout },
  { mode: 'nonjson', name: 'an HTML answer', window: '7d', expect: errorWithout },
  { mode: 'honest', name: `90 days, ${SERIES_PER_METRIC} series a metric`, window: '90d', expect: (status) => status === 200 ? undefined : `HTTP ${status}, not 200` }
]

async function startFake (): Promise<{ port: number, stop: () => void }> {
  const command = [process.execPath, '--import', 'tsx', fileURLToPath(new URL('fake-prometheus-child.ts', import.meta.url)), String(SERIES_PER_METRIC)]
  const [file, args] = PINNED ? ['taskset', ['-c', '0', ...command]] : [command[0], command.slice(1)]
  const child = spawn(file, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
  const port = Number(/^port (\d+)$/.exec(String(first.value))?.[1])
  if (!Number.isInteger(port)) { child.kill(); throw new Error(`the fake Prometheus did not start (${String(first.value)})`) }
  process.once('exit', () => child.kill())
  return { port, stop: () => child.kill() }
}

const WINDOW_SECONDS: Record<string, number> = { '7d': 7 * 86_400, '90d': 90 * 86_400 }

/** The step today's service asks for a window (src/prometheus/client.ts, stepFor: whole minutes, at most 11,000 intervals), restated so the suite runs against any version. */
function todaysStep (windowSeconds: number): number {
  return Math.max(60, Math.ceil(windowSeconds / 11_000 / 60) * 60)
}

/**
 * Asks the fake the query the service will ask (today's step for the window), so that building a 20 MB
 * answer happens before the service's clock runs, not inside its time budget. A service choosing
 * another step misses this and waits for the fake's build (about a second).
 */
async function warmFake (fakePort: number, test: Case, end: number): Promise<void> {
  if (!['million', 'series', 'honest'].includes(test.mode)) return
  const windowSeconds = WINDOW_SECONDS[test.window]
  const form = new URLSearchParams({ query: 'warm', start: String(end - windowSeconds), end: String(end), step: String(todaysStep(windowSeconds)) })
  await request(`http://127.0.0.1:${fakePort}/${test.mode}/api/v1/query_range`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), timeoutMs: 60_000 })
}

async function runCase (fakePort: number, test: Case, notes: string[]): Promise<Figure[]> {
  const service = await startService({ PROMETHEUS_URL: `http://127.0.0.1:${fakePort}/${test.mode}/` })
  // the request's budget: PROMETHEUS_TIMEOUT_MS as the service was given it, or CHAOS_CALIBRATION_BUDGET_MS where a later version names another
  const budgetMs = Number(process.env.CHAOS_CALIBRATION_BUDGET_MS ?? service.env.PROMETHEUS_TIMEOUT_MS ?? DEFAULT_PROMETHEUS_TIMEOUT_MS)
  try {
    const hitsBefore = Number((await request(`http://127.0.0.1:${fakePort}/hits`, { timeoutMs: 5000 })).body.toString())
    const memory = watchMemory(service)
    const prober = await startProbe(service.url)
    // a whole minute ago: the window's end lies in the past as a real one does
    const end = Math.floor(Date.now() / 60_000) * 60 - 60
    await warmFake(fakePort, test, end)
    const calibrate = async (): Promise<{ status: number, body: Buffer, ms: number }> => await request(`${service.url}/calibrate/aeterna`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ window: test.window, end }), timeoutMs: CLIENT_TIMEOUT_MS })
      .catch((error: Error & { code?: string, ms?: number }) => ({ status: 0, body: Buffer.from(error.code ?? error.message), ms: error.ms ?? CLIENT_TIMEOUT_MS }))
    // a quick answer is asked again until the probes span MIN_CASE_MS; the slowest answer is kept
    const started = performance.now()
    let answer = await calibrate()
    let calls = 1
    while (answer.status !== 0 && performance.now() - started < MIN_CASE_MS) {
      await sleep(REPEAT_PAUSE_MS)
      const again = await calibrate()
      calls++
      if (again.ms > answer.ms || again.status !== answer.status) answer = again
    }
    const probes = await prober.stop()
    const { peakBytes } = await memory.stop()
    const hits = Number((await request(`http://127.0.0.1:${fakePort}/hits`, { timeoutMs: 5000 })).body.toString()) - hitsBefore
    const body = answer.body.toString()
    const problem = answer.status === 0 ? `no answer (${body})` : test.expect(answer.status, body) ?? (hits > 0 ? `the other host was asked ${hits} time(s)` : undefined)
    const inTime = answer.status !== 0 && answer.ms <= budgetMs + BUDGET_SLACK_MS
    const code = answer.status >= 400 ? /"code":"([^"]+)"/.exec(body)?.[1] : undefined
    if (problem !== undefined || !inTime) notes.push(`${test.mode}: ${answer.status} ${body.slice(0, 200)}`)
    return [
      judged(`${test.name}: answer`, `${calls > 1 ? `slowest of ${calls}: ` : ''}${answer.status === 0 ? '-' : answer.status}${code === undefined ? '' : ` ${code}`} after ${answer.status === 0 ? `> ${ms(CLIENT_TIMEOUT_MS)}` : ms(answer.ms)}${problem === undefined ? '' : `; ${problem}`}`, `in <= ${ms(budgetMs + BUDGET_SLACK_MS)}${test.expect === anyAnswer ? '' : test.mode === 'honest' ? ', 200' : ', error'}`, problem === undefined && inTime),
      ...probeFigures(probes, `${test.name}: /healthz`),
      judged(`${test.name}: peak RSS`, mib(peakBytes), `< ${mib(MEMORY_LIMIT_BYTES)}`, peakBytes < MEMORY_LIMIT_BYTES)
    ]
  } finally {
    await service.stop()
  }
}

export async function prometheus (): Promise<PartResult> {
  const fake = await startFake()
  const notes: string[] = []
  const figures: Figure[] = []
  try {
    const only = (process.env.CHAOS_PROMETHEUS_CASES ?? '').split(',').filter((mode) => mode !== '')
    for (const test of CASES.filter((test) => only.length === 0 || only.includes(test.mode))) figures.push(...await runCase(fake.port, test, notes))
  } finally {
    fake.stop()
  }
  return { part: 'prometheus', figures, notes }
}
