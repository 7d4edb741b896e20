// A small load generator on raw sockets (cheaper per request than node:http, so the generator is
// not what limits the rate on two cores): closed loop (N connections, each sending its next request
// when the last is answered) or open loop (requests at a fixed rate whatever the answers, on as many
// keep-alive connections as it takes, up to a cap). Open-loop latency runs from when a request was
// due, not when a connection was free to send it, so a slow server is not flattered by waiting.
import { connect, type Socket } from 'node:net'

export interface LoadOptions {
  port: number
  /** Whole HTTP/1.1 requests (keep-alive), used in turn. */
  requests: readonly Buffer[]
  mode: 'closed' | 'open'
  /** Closed: the connections; open: the most it may open. */
  connections: number
  /** Open loop: requests a second. */
  ratePerSec?: number
  durationMs: number
  /** A request unanswered this long is given up (its connection closed) and counted as a timeout. */
  timeoutMs: number
}

export interface LoadResult {
  durationS: number
  sent: number
  /** Open loop: requests due while every allowed connection was busy (never sent). */
  missed: number
  /** Answers by status, within the window. */
  byStatus: Record<number, number>
  /** Failures by code (ECONNRESET, TIMEOUT, CLOSED: the server closed with a request in flight). */
  errors: Record<string, number>
  ok: number
  shed: number
  /** Latency of each 2xx, from when it was due (open) or sent (closed). */
  okLatenciesMs: number[]
  connectionsOpened: number
}

interface Connection {
  socket: Socket
  buffer: Buffer
  dueAt: number
  busy: boolean
}

/** Where the response in `buffer` ends, or -1 while incomplete (content-length or chunked). */
export function responseEnd (buffer: Buffer): number {
  const headEnd = buffer.indexOf('\r\n\r\n')
  if (headEnd < 0) return -1
  const head = buffer.subarray(0, headEnd).toString('latin1').toLowerCase()
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head)
  if (length !== null) {
    const end = headEnd + 4 + Number(length[1])
    return buffer.length >= end ? end : -1
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(head)) {
    const last = buffer.indexOf('\r\n0\r\n\r\n', headEnd)
    return last < 0 ? -1 : last + 7
  }
  return headEnd + 4
}

export async function runLoad (options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { durationS: options.durationMs / 1000, sent: 0, missed: 0, byStatus: {}, errors: {}, ok: 0, shed: 0, okLatenciesMs: [], connectionsOpened: 0 }
  const connections = new Set<Connection>()
  const idle: Connection[] = []
  const started = performance.now()
  const windowEnd = started + options.durationMs
  let next = 0
  let stopping = false
  const fail = (code: string): void => { result.errors[code] = (result.errors[code] ?? 0) + 1 }

  const send = (connection: Connection, dueAt: number): void => {
    connection.busy = true
    connection.dueAt = dueAt
    result.sent++
    connection.socket.write(options.requests[next++ % options.requests.length])
  }
  const open = (dueAt: number | undefined): Connection => {
    const socket = connect(options.port, '127.0.0.1')
    socket.setNoDelay(true)
    result.connectionsOpened++
    const connection: Connection = { socket, buffer: Buffer.alloc(0), dueAt: 0, busy: false }
    connections.add(connection)
    const drop = (code: string): void => {
      if (!connections.delete(connection)) return
      const at = idle.indexOf(connection)
      if (at >= 0) idle.splice(at, 1)
      if (connection.busy) fail(code)
      connection.busy = false
      socket.destroy()
      // a closed loop keeps its connections (a short pause: a dead server is not hammered)
      if (options.mode === 'closed' && !stopping) setTimeout(() => { if (!stopping) open(performance.now()) }, 10)
    }
    socket.on('error', (error: Error & { code?: string }) => drop(error.code ?? 'error'))
    socket.on('close', () => drop('CLOSED'))
    socket.on('data', (chunk: Buffer) => {
      connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk])
      const end = responseEnd(connection.buffer)
      if (end < 0) return
      const head = connection.buffer.subarray(0, 64).toString('latin1')
      const closing = /\r\nconnection:\s*close/i.test(connection.buffer.subarray(0, connection.buffer.indexOf('\r\n\r\n')).toString('latin1'))
      connection.buffer = connection.buffer.subarray(end)
      connection.busy = false
      const now = performance.now()
      if (now <= windowEnd) {
        const status = Number(head.slice(9, 12))
        result.byStatus[status] = (result.byStatus[status] ?? 0) + 1
        if (status >= 200 && status < 300) { result.ok++; result.okLatenciesMs.push(now - connection.dueAt) }
        if (status === 503) result.shed++
      }
      if (closing) { drop('CLOSED'); return }
      if (options.mode === 'closed') { if (!stopping) send(connection, now) } else idle.push(connection)
    })
    if (dueAt !== undefined) send(connection, dueAt)
    return connection
  }

  // requests unanswered past the timeout are given up
  const reaper = setInterval(() => {
    const now = performance.now()
    for (const connection of connections) {
      if (connection.busy && now - connection.dueAt > options.timeoutMs) { fail('TIMEOUT'); connection.busy = false; connection.socket.destroy() }
    }
  }, 100)

  if (options.mode === 'closed') {
    for (let i = 0; i < options.connections; i++) open(performance.now())
    await new Promise((resolve) => setTimeout(resolve, options.durationMs))
  } else {
    const rate = options.ratePerSec ?? 1000
    let due = 0
    await new Promise<void>((resolve) => {
      const ticker = setInterval(() => {
        const now = performance.now()
        const until = Math.min(now, windowEnd)
        // every request due by now, each with the time it was due
        while (started + (due * 1000) / rate <= until) {
          const dueAt = started + (due * 1000) / rate
          due++
          const connection = idle.pop()
          if (connection !== undefined) send(connection, dueAt)
          else if (connections.size < options.connections) open(dueAt)
          else result.missed++
        }
        if (now >= windowEnd) { clearInterval(ticker); resolve() }
      }, 1)
    })
  }
  stopping = true
  // answers still in flight are read until the timeout, then everything is closed
  const drainUntil = performance.now() + Math.min(options.timeoutMs, 5000)
  while ([...connections].some((connection) => connection.busy) && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20))
  clearInterval(reaper)
  for (const connection of connections) { connection.busy = false; connection.socket.destroy() }
  return result
}

/** A keep-alive POST with a JSON body, as raw bytes. */
export function postRequest (path: string, body: string, port: number): Buffer {
  return Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
}

/** Distinct Engram estimates (as `npm run bench`'s), so no cache of whole answers could stand in for the work. */
export function engramRequests (port: number, howMany = 256): Buffer[] {
  return Array.from({ length: howMany }, (_, i) => postRequest('/estimate/engram', JSON.stringify({
    expectedNodes: 250_000 + i,
    activeRatio: [0.05, 0.1, 0.2, 0.25][i % 4],
    opsPerSec: 1000 + (i % 50_000),
    retentionDays: 7 + (i % 90),
    ...(i % 2 === 0 ? { replicationFactor: 2 } : {})
  }), port))
}
