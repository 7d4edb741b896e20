// Part "sweeps" (issue 29, finding 3; "What to build" 4): five clients each sending the heaviest
// Aeterna sweep back to back (10,000 points, a body of about 140 bytes) while a sixth sends an
// 11-point one every second. Targets: the small sweep always answered 200 within 1 s; no 200 cut in
// the middle of its body (each parses as JSON: a cut answer must end in a well-formed, marked way);
// /healthz p99 < 50 ms throughout.
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Answer, CallError, request } from './http.js'
import { probeFigures, startProbe } from './probe.js'
import { count, info, judged, ms, percentile, type PartResult } from './report.js'
import { startService } from './service.js'

const HEAVY_CLIENTS = 5
const DURATION_MS = Number(process.env.CHAOS_SWEEPS_SECONDS ?? 20) * 1000
const SMALL_EVERY_MS = 1000
const SMALL_TARGET_MS = 1000
/** A heavy sweep waits behind four others on one worker today (about 8-15 s each): the suite waits this long at most. */
const REQUEST_TIMEOUT_MS = 60_000

export const HEAVY_SWEEP = JSON.stringify({ model: 'aeterna', scenario: { memoryCount: 1 }, vary: [{ input: 'memoryCount', from: 1, to: 1e12, points: 10_000, scale: 'log' }] })
const SMALL_SWEEP = JSON.stringify({ model: 'aeterna', scenario: { memoryCount: 1 }, vary: [{ input: 'memoryCount', from: 1000, to: 1e6, points: 11, scale: 'log' }] })

interface Outcome {
  status: number
  ms: number
  /** A 200 whose body does not parse (cut mid-body), or a call that failed (reset, timeout, aborted). */
  broken?: string
  code?: string
}

async function sweep (url: string, body: string, agent: http.Agent): Promise<Outcome> {
  let answer: Answer
  try {
    answer = await request(`${url}/sweep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: REQUEST_TIMEOUT_MS, agent })
  } catch (error) {
    // a 200 cut in the middle of its body keeps its status: that is the case the target is about
    if (error instanceof CallError) return { status: error.status, ms: error.ms, broken: error.status === 0 ? error.code : `${error.code}: the body ended early` }
    return { status: 0, ms: REQUEST_TIMEOUT_MS, broken: String(error) }
  }
  const text = answer.body.toString()
  let parsed: { code?: string } | undefined
  try { parsed = JSON.parse(text) } catch {}
  return { status: answer.status, ms: answer.ms, code: parsed?.code, broken: parsed === undefined ? `body does not parse (${answer.body.length} bytes, ends ${JSON.stringify(text.slice(-40))})` : undefined }
}

const byStatus = (outcomes: readonly Outcome[]): string => {
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) {
    const key = outcome.status === 0 ? String(outcome.broken) : `${outcome.status}${outcome.code === undefined ? '' : ` ${outcome.code}`}${outcome.broken === undefined ? '' : ' cut'}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return Object.entries(counts).map(([key, n]) => `${key}: ${n}`).join(', ')
}

export async function sweeps (): Promise<PartResult> {
  const service = await startService()
  const notes: string[] = []
  const agent = new http.Agent({ keepAlive: true, maxSockets: HEAVY_CLIENTS + 1 })
  try {
    const prober = await startProbe(service.url)
    const started = performance.now()
    const running = (): boolean => performance.now() - started < DURATION_MS
    const heavy: Outcome[] = []
    const small: Outcome[] = []
    const heavyClient = async (): Promise<void> => { while (running()) heavy.push(await sweep(service.url, HEAVY_SWEEP, agent)) }
    const smallClient = async (): Promise<void> => {
      // the heavy ones first take the worker and the queue
      await sleep(SMALL_EVERY_MS)
      while (running()) {
        const next = sleep(SMALL_EVERY_MS)
        small.push(await sweep(service.url, SMALL_SWEEP, agent))
        await next
      }
    }
    await Promise.all([...Array.from({ length: HEAVY_CLIENTS }, heavyClient), smallClient()])
    const probes = await prober.stop()
    const seconds = (performance.now() - started) / 1000
    const cut = [...heavy, ...small].filter((outcome) => outcome.status === 200 && outcome.broken !== undefined)
    const failed = [...heavy, ...small].filter((outcome) => outcome.status !== 200 && outcome.broken !== undefined)
    for (const outcome of [...cut, ...failed].slice(0, 3)) notes.push(`${outcome.status}: ${String(outcome.broken)}`)
    const smallOk = small.filter((outcome) => outcome.status === 200 && outcome.broken === undefined)
    const smallWorst = Math.max(...smallOk.map((outcome) => outcome.ms))
    if (service.exited()) notes.push(`the service exited: ${service.logTail().join(' | ')}`)
    return {
      part: 'sweeps',
      figures: [
        info(`heavy sweeps (${HEAVY_CLIENTS} clients, ${Buffer.byteLength(HEAVY_SWEEP)}-byte body, 10,000 points)`, `${heavy.length} in ${seconds.toFixed(0)} s: ${byStatus(heavy)}; p50 ${ms(percentile(heavy.map((outcome) => outcome.ms), 50))}`),
        judged('11-point sweep: answered 200', `${smallOk.length} of ${small.length} (${byStatus(small)})`, 'all', small.length > 0 && smallOk.length === small.length),
        judged('11-point sweep: slowest 200', smallOk.length === 0 ? 'no 200' : `${ms(smallWorst)} (p50 ${ms(percentile(smallOk.map((outcome) => outcome.ms), 50))})`, `< ${ms(SMALL_TARGET_MS)}`, smallOk.length > 0 && smallWorst < SMALL_TARGET_MS),
        judged('200s cut mid-body (or calls reset)', `${count(cut.length)} (failed calls ${count(failed.length)})`, '0', cut.length + failed.length === 0),
        ...probeFigures(probes)
      ],
      notes
    }
  } finally {
    agent.destroy()
    await service.stop()
  }
}
