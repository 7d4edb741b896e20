// Part "overload" (issue 29, finding 2 and "What to build" 3): capacity in a closed loop of 32
// connections with shedding off (the issue's reference); the same closed loop with shedding as
// configured (nothing should be shed there); then an open loop at twice the capacity: goodput (2xx a
// second) against capacity, and the admitted requests' p99. Then what a
// refusal costs the main thread against an answer: a second service started with MAX_RSS_BYTES=1
// sheds every request, and its main thread's CPU time per 503 is set against the first one's per 200.
import { engramRequests, runLoad, type LoadResult } from './load.js'
import { count, info, judged, ms, percentile, skipped, type PartResult } from './report.js'
import { procCpuSeconds, startService } from './service.js'

const CLOSED_CONNECTIONS = 32
/** Long enough for a steady rate on a busy machine, short enough for the whole suite to stay under 10 minutes. */
const CAPACITY_MS = Number(process.env.CHAOS_OVERLOAD_SECONDS ?? 10) * 1000
const OPEN_LOOP_MS = CAPACITY_MS
const WARM_UP_MS = 2000
/** Open-loop connections at most: as in the issue's runs (1,000 connections). */
const OPEN_CONNECTIONS = 1000
const REQUEST_TIMEOUT_MS = 10_000
const GOODPUT_TARGET = 0.8
const ADMITTED_P99_TARGET_MS = 250
/** "A refusal must cost a small fraction of an answer": the suite's reading of it (today about half). */
const REFUSAL_COST_TARGET = 0.25

const statusText = (result: LoadResult): string => `${Object.entries(result.byStatus).map(([status, n]) => `${status}: ${count(n)}`).join(', ')}${Object.keys(result.errors).length > 0 ? `; errors ${JSON.stringify(result.errors)}` : ''}`

/** Shedding off, for the capacity the issue measures goodput against ("the capacity measured without shedding"). */
const SHEDDING_OFF = { MAX_EVENT_LOOP_UTILIZATION: '0', MAX_EVENT_LOOP_DELAY_MS: '0' }

/** Capacity without shedding: 2xx a second in the closed loop, and the main thread's CPU per answer. */
async function capacityWithoutShedding (): Promise<{ capacity: number, cost200Us: number, result: LoadResult }> {
  const service = await startService(SHEDDING_OFF)
  try {
    const requests = engramRequests(service.port)
    await runLoad({ port: service.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: WARM_UP_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    const cpuBefore = procCpuSeconds(service.pid)
    const result = await runLoad({ port: service.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: CAPACITY_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    const cpuAfter = procCpuSeconds(service.pid)
    const answers = Object.values(result.byStatus).reduce((sum, n) => sum + n, 0)
    const cost200Us = cpuBefore === undefined || cpuAfter === undefined || answers === 0 ? Number.NaN : ((cpuAfter.mainThread - cpuBefore.mainThread) / answers) * 1e6
    return { capacity: result.ok / result.durationS, cost200Us, result }
  } finally {
    await service.stop()
  }
}

export async function overload (): Promise<PartResult> {
  const figures = []
  const notes: string[] = []
  const unshed = await capacityWithoutShedding()
  const capacity = unshed.capacity
  figures.push(info(`capacity, shedding off: 2xx/s, closed loop, ${CLOSED_CONNECTIONS} connections`, `${count(capacity)}/s (p99 ${ms(percentile(unshed.result.okLatenciesMs, 99))}; ${statusText(unshed.result)})`))
  const service = await startService()
  try {
    const requests = engramRequests(service.port)
    await runLoad({ port: service.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: WARM_UP_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    const closed = await runLoad({ port: service.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: CAPACITY_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    figures.push(info(`shedding as configured: 2xx/s, closed loop, ${CLOSED_CONNECTIONS} connections`, `${count(closed.ok / closed.durationS)}/s (p99 ${ms(percentile(closed.okLatenciesMs, 99))}; ${statusText(closed)})`))
    figures.push(judged(`shed (503) at ${CLOSED_CONNECTIONS} closed-loop connections`, count(closed.shed), '0', closed.shed === 0))

    const rate = Math.max(100, Math.round(2 * capacity))
    const open = await runLoad({ port: service.port, requests, mode: 'open', connections: OPEN_CONNECTIONS, ratePerSec: rate, durationMs: OPEN_LOOP_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    const goodput = open.ok / open.durationS
    const p99 = percentile(open.okLatenciesMs, 99)
    figures.push(info(`open loop at 2x capacity: ${count(rate)}/s for ${open.durationS} s`, `sent ${count(open.sent)}, not sent (all ${OPEN_CONNECTIONS} connections busy) ${count(open.missed)}; ${statusText(open)}`))
    figures.push(judged('open loop: 2xx/s against capacity (shedding off)', `${(goodput / capacity).toFixed(2)} (${count(goodput)}/s)`, `>= ${GOODPUT_TARGET}`, goodput / capacity >= GOODPUT_TARGET))
    figures.push(judged('open loop: admitted (2xx) p99', ms(p99), `< ${ADMITTED_P99_TARGET_MS} ms`, p99 < ADMITTED_P99_TARGET_MS))
    if (service.exited()) notes.push(`the service exited: ${service.logTail().join(' | ')}`)
  } finally {
    await service.stop()
  }
  figures.push(...await refusalCost(unshed.cost200Us, notes))
  return { part: 'overload', figures, notes }
}

/** Main-thread CPU a 503 costs against a 200, with a service that sheds everything (MAX_RSS_BYTES=1). */
async function refusalCost (cost200Us: number, notes: string[]): Promise<PartResult['figures']> {
  const name = 'main-thread CPU of a 503 / of a 200'
  if (!Number.isFinite(cost200Us)) return [skipped(name, 'no /proc (main thread CPU unknown)', `<= ${REFUSAL_COST_TARGET}`)]
  let shedding
  try {
    shedding = await startService({ MAX_RSS_BYTES: '1' })
  } catch (error) {
    return [skipped(name, `a service shedding everything did not start: ${(error as Error).message.slice(0, 120)}`, `<= ${REFUSAL_COST_TARGET}`)]
  }
  try {
    const requests = engramRequests(shedding.port)
    await runLoad({ port: shedding.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: WARM_UP_MS, timeoutMs: REQUEST_TIMEOUT_MS })
    const before = procCpuSeconds(shedding.pid)
    const result = await runLoad({ port: shedding.port, requests, mode: 'closed', connections: CLOSED_CONNECTIONS, durationMs: CAPACITY_MS / 2, timeoutMs: REQUEST_TIMEOUT_MS })
    const after = procCpuSeconds(shedding.pid)
    if (before === undefined || after === undefined || result.shed === 0) {
      notes.push(`MAX_RSS_BYTES=1 did not shed: ${statusText(result)}`)
      return [skipped(name, 'the service did not shed with MAX_RSS_BYTES=1', `<= ${REFUSAL_COST_TARGET}`)]
    }
    const cost503Us = ((after.mainThread - before.mainThread) / (result.shed + result.ok)) * 1e6
    return [
      info('main-thread CPU per answer', `200: ${cost200Us.toFixed(0)} us; 503: ${cost503Us.toFixed(0)} us (${count(result.shed / result.durationS)} 503/s)`),
      judged(name, (cost503Us / cost200Us).toFixed(2), `<= ${REFUSAL_COST_TARGET}`, cost503Us / cost200Us <= REFUSAL_COST_TARGET)
    ]
  } finally {
    await shedding.stop()
  }
}
