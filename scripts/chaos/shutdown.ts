// Part "shutdown" (issue 29, finding 12; "What to build" 6): SIGTERM under load. Keep-alive clients
// send requests back to back on their connections (opening a new one when told Connection: close),
// new-connection clients open a connection per request; SIGTERM comes after a few seconds. Target: no
// request reset on a connection the service had accepted (one that had already been answered) and
// every request in flight at SIGTERM answered. Resets of requests on brand-new connections (which the
// kernel may have queued but the process not yet accepted when the listener closed) are counted apart.
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { postRequest, responseEnd } from './load.js'
import { count, info, judged, ms, type PartResult } from './report.js'
import { startService } from './service.js'

const KEEP_ALIVE_CLIENTS = 16
const NEW_CONNECTION_CLIENTS = 16
const LOAD_BEFORE_MS = 3000
/** Longest the suite waits for the service to exit after SIGTERM (its drain is SHUTDOWN_DELAY_MS + in-flight work). */
const EXIT_WAIT_MS = 40_000
const REQUEST_TIMEOUT_MS = 20_000

type Outcome = { status: number, closing: boolean } | { error: string }

/** One request on a socket: its answer, or the error that ended it (ECONNRESET, CLOSED, TIMEOUT). */
async function exchange (socket: Socket, bytes: Buffer): Promise<Outcome> {
  return await new Promise((resolve) => {
    let buffer = Buffer.alloc(0)
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('error', onError)
      socket.off('close', onClose)
      resolve(outcome)
    }
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk])
      if (responseEnd(buffer) < 0) return
      const head = buffer.subarray(0, buffer.indexOf('\r\n\r\n')).toString('latin1')
      finish({ status: Number(head.slice(9, 12)), closing: /\r\nconnection:\s*close/i.test(head) })
    }
    const onError = (error: Error & { code?: string }): void => finish({ error: error.code ?? 'error' })
    const onClose = (): void => finish({ error: 'CLOSED' })
    const timer = setTimeout(() => finish({ error: 'TIMEOUT' }), REQUEST_TIMEOUT_MS)
    socket.on('data', onData)
    socket.on('error', onError)
    socket.on('close', onClose)
    socket.write(bytes)
  })
}

async function connected (port: number): Promise<Socket | string> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.removeAllListeners('error'); resolve(socket) })
    socket.once('error', (error: Error & { code?: string }) => resolve(error.code ?? 'error'))
  })
}

interface Tally {
  answered: number
  /** Requests on connections already answered once, ended by a reset or a close without answer: the target. */
  acceptedResets: number
  /** Requests on new connections ended by a reset or close. */
  newResets: number
  refused: number
  timeouts: number
  inFlightAtSigterm: number
  inFlightAnswered: number
  errors: Record<string, number>
}

export async function shutdown (): Promise<PartResult> {
  const service = await startService()
  const notes: string[] = []
  const tally: Tally = { answered: 0, acceptedResets: 0, newResets: 0, refused: 0, timeouts: 0, inFlightAtSigterm: 0, inFlightAnswered: 0, errors: {} }
  let signalled = false
  const state = { stop: false }
  const body = JSON.stringify({ expectedNodes: 1_000_000, opsPerSec: 5000 })
  const keepAliveRequest = postRequest('/estimate/engram', body, service.port)
  const closeRequest = Buffer.from(keepAliveRequest.toString().replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))

  /** One request and what it counts for; false when the connection is done with. */
  const oneRequest = async (socket: Socket, bytes: Buffer, answeredBefore: boolean): Promise<boolean> => {
    const inFlight = signalled
    const pending = exchange(socket, bytes)
    // requests sent before SIGTERM and answered after it: in flight at SIGTERM
    const outcome = await pending
    if ('status' in outcome) {
      tally.answered++
      if (!inFlight && signalled) { tally.inFlightAtSigterm++; tally.inFlightAnswered++ }
      return !outcome.closing
    }
    if (!inFlight && signalled) tally.inFlightAtSigterm++
    tally.errors[outcome.error] = (tally.errors[outcome.error] ?? 0) + 1
    if (outcome.error === 'TIMEOUT') tally.timeouts++
    else if (answeredBefore) tally.acceptedResets++
    else tally.newResets++
    return false
  }
  const keepAliveClient = async (): Promise<void> => {
    while (!state.stop) {
      const socket = await connected(service.port)
      if (typeof socket === 'string') { tally.refused++; await sleep(10); continue }
      let answered = false
      while (!state.stop && await oneRequest(socket, keepAliveRequest, answered)) answered = true
      socket.destroy()
    }
  }
  const newConnectionClient = async (): Promise<void> => {
    while (!state.stop) {
      const socket = await connected(service.port)
      if (typeof socket === 'string') { tally.refused++; await sleep(10); continue }
      await oneRequest(socket, closeRequest, false)
      socket.destroy()
    }
  }
  const clients = Promise.all([...Array.from({ length: KEEP_ALIVE_CLIENTS }, keepAliveClient), ...Array.from({ length: NEW_CONNECTION_CLIENTS }, newConnectionClient)])
  await sleep(LOAD_BEFORE_MS)
  const answeredBefore = tally.answered
  signalled = true
  const signalledAt = performance.now()
  service.child.kill('SIGTERM')
  const exit = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)))
  const exitCode = await Promise.race([exit, sleep(EXIT_WAIT_MS).then(() => 'timeout' as const)])
  const exitMs = performance.now() - signalledAt
  state.stop = true
  await clients
  if (exitCode === 'timeout') await service.stop()
  if (tally.acceptedResets > 0 || exitCode !== 0) notes.push(`errors by code: ${JSON.stringify(tally.errors)}; service log: ${service.logTail().slice(-5).join(' | ')}`)
  return {
    part: 'shutdown',
    figures: [
      info(`load: ${KEEP_ALIVE_CLIENTS} keep-alive and ${NEW_CONNECTION_CLIENTS} new-connection clients`, `${count(answeredBefore)} answered before SIGTERM, ${count(tally.answered - answeredBefore)} after; refused connections ${count(tally.refused)}`),
      judged('exit after SIGTERM', exitCode === 'timeout' ? `none within ${ms(EXIT_WAIT_MS)}` : `code ${String(exitCode)} after ${ms(exitMs)}`, 'code 0', exitCode === 0),
      judged('requests reset on accepted (already answered) connections', count(tally.acceptedResets), '0', tally.acceptedResets === 0),
      judged('requests in flight at SIGTERM answered', `${count(tally.inFlightAnswered)} of ${count(tally.inFlightAtSigterm)}${tally.timeouts > 0 ? ` (${tally.timeouts} timed out)` : ''}`, 'all', tally.inFlightAnswered === tally.inFlightAtSigterm),
      info('requests reset on new connections', count(tally.newResets))
    ],
    notes
  }
}
