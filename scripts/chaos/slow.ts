// Part "slow" (issue 29, findings 7 and 8): clients too slow on purpose. A body trickled at 1 byte a
// second and headers trickled the same way must be cut within REQUEST_TIMEOUT_MS (set to 2 s here to
// keep the run short; target 1.5 x it plus a second for Node's connection check); idle connections
// that never send a byte likewise; slow readers of large sweeps must not grow the service's memory;
// requests Node's HTTP parser refuses (431, bad chunked framing, an HTTP/2 preface, folded headers,
// an unknown method, Content-Length with Transfer-Encoding) are answered in the service's JSON error
// shape, with its security headers and Connection: close.
import { setTimeout as sleep } from 'node:timers/promises'
import { errorShapeProblem, parseRawResponse, rawConnection, type RawExchange } from './http.js'
import { count, info, judged, mib, ms, type Figure, type PartResult } from './report.js'
import { startService, watchMemory, type Service } from './service.js'

const REQUEST_TIMEOUT_MS = 2000
/** Node checks connections against its timeouts on an interval: the target allows a second for it. */
const CHECK_ALLOWANCE_MS = 1000
const CUT_TARGET_MS = 1.5 * REQUEST_TIMEOUT_MS + CHECK_ALLOWANCE_MS
/** How long the suite waits for a cut before calling it missing (today's main holds a trickle for 30 s and more). */
const WAIT_CAP_MS = 40_000
const IDLE_CONNECTIONS = Number(process.env.CHAOS_IDLE_CONNECTIONS ?? 500)
const SLOW_READERS = 4
/** A slow reader reads nothing for this long, then everything. */
const READER_PAUSE_MS = 10_000
/**
 * A worker is at most 4 chunks ahead of its reader (docs/operations.md), so slow readers should cost
 * a few MiB. The answers are 4 MB each: whole answers held for four readers would be 16 MB, within the
 * run-to-run noise of RSS (40-80 MiB here), so the target catches a gross leak, not the window's size.
 */
const READER_GROWTH_TARGET_BYTES = 100 * 2 ** 20

const HEAVY_SWEEP = JSON.stringify({ model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 1e9, points: 10_000, scale: 'log' }] })

/** Sends `head`, then `trickle` one byte a second; resolves when the server ends the connection (or at the cap). */
async function trickled (port: number, head: string, trickle: string): Promise<RawExchange> {
  const { socket, done } = rawConnection(port, WAIT_CAP_MS)
  socket.write(head)
  let at = 0
  const timer = setInterval(() => { if (!socket.destroyed) socket.write(trickle[at++ % trickle.length]) }, 1000)
  const exchange = await done
  clearInterval(timer)
  return exchange
}

function cutFigure (name: string, exchange: RawExchange): Figure {
  const answer = parseRawResponse(exchange.received)
  const cut = exchange.ending !== 'timeout'
  const how = cut ? `${answer === undefined ? 'closed without an answer' : `answered ${answer.status}`}` : `still open after ${WAIT_CAP_MS / 1000} s`
  return judged(name, `${cut ? ms(exchange.ms) : `> ${ms(WAIT_CAP_MS)}`} (${how})`, `<= ${ms(CUT_TARGET_MS)}`, cut && exchange.ms <= CUT_TARGET_MS)
}

/** Idle connections (not a byte sent): how many the server closed within the cut target, and by when. */
async function idleConnections (port: number): Promise<Figure> {
  const exchanges = await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, async () => await rawConnection(port, WAIT_CAP_MS).done))
  const closedInTime = exchanges.filter((exchange) => exchange.ending !== 'timeout' && exchange.ms <= CUT_TARGET_MS).length
  const closed = exchanges.filter((exchange) => exchange.ending !== 'timeout')
  const latest = Math.max(0, ...closed.map((exchange) => exchange.ms))
  return judged(`${IDLE_CONNECTIONS} idle connections closed within ${ms(CUT_TARGET_MS)}`, `${count(closedInTime)} (${count(closed.length)} closed by ${ms(WAIT_CAP_MS)}, the last at ${ms(latest)})`, `all ${IDLE_CONNECTIONS}`, closedInTime === IDLE_CONNECTIONS)
}

/** Slow readers of maximum sweeps: the service's RSS growth over its baseline while they read nothing. */
async function slowReaders (service: Service): Promise<Figure[]> {
  const sweeps = async (pauseMs: number): Promise<RawExchange[]> => await Promise.all(Array.from({ length: SLOW_READERS }, async () => {
    const { socket, done } = rawConnection(service.port, pauseMs + 30_000)
    socket.write(`POST /sweep HTTP/1.1\r\nHost: chaos\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(HEAVY_SWEEP)}\r\nConnection: close\r\n\r\n${HEAVY_SWEEP}`)
    if (pauseMs > 0) {
      socket.pause()
      setTimeout(() => socket.resume(), pauseMs)
    }
    return await done
  }))
  // the same sweeps read at once first: the worker's own memory for computing them is then in the baseline
  await sweeps(0)
  await sleep(500)
  const memory = watchMemory(service)
  const baseline = (await memory.stop()).lastBytes
  const watch = watchMemory(service)
  const exchanges = await sweeps(READER_PAUSE_MS)
  const { peakBytes } = await watch.stop()
  const growth = peakBytes - baseline
  const complete = exchanges.filter((exchange) => exchange.received.toString('latin1').endsWith('0\r\n\r\n')).length
  return [
    judged(`${SLOW_READERS} slow readers of 10,000-point sweeps: RSS growth`, `${mib(growth)} (baseline ${mib(baseline)}, peak ${mib(peakBytes)})`, `< ${mib(READER_GROWTH_TARGET_BYTES)}`, growth < READER_GROWTH_TARGET_BYTES),
    info('slow readers\' answers complete', `${complete} of ${SLOW_READERS} (${exchanges.map((exchange) => `${(exchange.received.length / 2 ** 20).toFixed(1)} MB ${exchange.ending}`).join(', ')})`)
  ]
}

const PARSER_EDGES: Array<[string, string]> = [
  ['431 (20 KB header)', `GET /healthz HTTP/1.1\r\nHost: chaos\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ['bad chunked framing', 'POST /estimate/engram HTTP/1.1\r\nHost: chaos\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ['folded header', 'GET /healthz HTTP/1.1\r\nHost: chaos\r\nX-Folded: a\r\n b\r\n\r\n'],
  ['unknown method', 'FOO /healthz HTTP/1.1\r\nHost: chaos\r\n\r\n'],
  ['Content-Length and Transfer-Encoding', 'POST /estimate/engram HTTP/1.1\r\nHost: chaos\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['bad HTTP version', 'GET /healthz HTTP/9.9\r\nHost: chaos\r\n\r\n']
]

/** A parser error's answer: the service's JSON shape, its security headers (nosniff) and Connection: close. */
async function parserEdge (port: number, name: string, bytes: string): Promise<Figure> {
  const { socket, done } = rawConnection(port, 5000)
  socket.write(bytes)
  const exchange = await done
  const answer = parseRawResponse(exchange.received)
  const problems: string[] = []
  if (answer === undefined) problems.push(`no answer (${exchange.ending})`)
  else {
    const shape = errorShapeProblem(answer.status, answer.headers['content-type'], answer.body)
    if (shape !== undefined) problems.push(shape)
    if (!/close/i.test(answer.headers.connection ?? '')) problems.push('no Connection: close')
    if (answer.headers['x-content-type-options'] !== 'nosniff') problems.push('no security headers')
  }
  return judged(`parser edge: ${name}`, `${answer?.status ?? '-'} ${problems.length === 0 ? 'JSON, headers, Connection: close' : problems.join('; ')}`, 'shape, headers, close', problems.length === 0)
}

export async function slow (): Promise<PartResult> {
  const service = await startService({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) })
  const notes: string[] = []
  try {
    const body = JSON.stringify({ expectedNodes: 1_000_000, opsPerSec: 5000, retentionDays: 30 })
    const [body1, headers1, idle, readers] = await Promise.all([
      trickled(service.port, `POST /estimate/engram HTTP/1.1\r\nHost: chaos\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body),
      trickled(service.port, 'GET /estimate/engram HTTP/1.1\r\nHost: chaos\r\n', 'X-Slow-Header: still-coming-\r\n'),
      idleConnections(service.port),
      slowReaders(service)
    ])
    const edges = []
    for (const [name, bytes] of PARSER_EDGES) edges.push(await parserEdge(service.port, name, bytes))
    if (service.exited()) notes.push(`the service exited: ${service.logTail().join(' | ')}`)
    return {
      part: 'slow',
      figures: [
        info('REQUEST_TIMEOUT_MS', `${REQUEST_TIMEOUT_MS} ms`),
        cutFigure('body trickled at 1 byte/s: cut after', body1),
        cutFigure('headers trickled at 1 byte/s: cut after', headers1),
        idle,
        ...readers,
        ...edges
      ],
      notes
    }
  } finally {
    await service.stop()
  }
}
