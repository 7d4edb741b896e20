// Talking HTTP/1.1 over a bare socket: what Node's parser refuses never reaches inject or fetch.
import { type AddressInfo, connect } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface RawAnswer {
  statusLine: string
  statusCode: number
  headers: Record<string, string>
  body: string
  /** Milliseconds from the first byte written to the server closing the socket. */
  closedAfterMs: number
  /** The socket's error (ECONNRESET: the server reset rather than closed), if any. */
  error: string | undefined
}

/** Splits what a server wrote into its status line, headers (lower-case names) and body. */
export function parseRawAnswer (raw: string): Omit<RawAnswer, 'closedAfterMs' | 'error'> {
  const end = raw.indexOf('\r\n\r\n')
  const [statusLine, ...lines] = raw.slice(0, end === -1 ? raw.length : end).split('\r\n')
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
  }))
  return { statusLine, statusCode: Number(statusLine.split(' ')[1]), headers, body: end === -1 ? '' : raw.slice(end + 4) }
}

export function listeningPort (app: FastifyInstance): number {
  return (app.server.address() as AddressInfo).port
}

/**
 * Writes each part (waiting `gapMs` between parts; a part may be a function that is given the
 * socket) and resolves once the server has closed the connection, with everything it wrote.
 * A server that never closes leaves the promise pending: the test's timeout says so.
 */
export async function rawExchange (port: number, parts: string[], gapMs = 0): Promise<RawAnswer> {
  return await new Promise((resolve) => {
    const started = Date.now()
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let timer: NodeJS.Timeout | undefined
    socket.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    let error: string | undefined
    socket.on('error', (failure: NodeJS.ErrnoException) => { error = failure.code })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ ...parseRawAnswer(Buffer.concat(chunks).toString('utf8')), closedAfterMs: Date.now() - started, error })
    })
    let next = 0
    const writeNext = (): void => {
      if (socket.destroyed || next >= parts.length) return
      socket.write(parts[next++])
      timer = setTimeout(writeNext, gapMs)
    }
    socket.once('connect', writeNext)
  })
}
