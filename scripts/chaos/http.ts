// Plain Node HTTP and TCP for the suite, every call with a deadline: nothing the service does (a
// stall, a trickle, a socket never closed) can hang the suite.
import http, { type IncomingHttpHeaders } from 'node:http'
import { connect, type Socket } from 'node:net'

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** From the call to the last byte. */
  ms: number
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs: number
  agent?: http.Agent
}

/** An error of a call: its code (ECONNRESET, TIMEOUT, CUT: the body ended early), how long it had run, and the status if one came (0 before). */
export class CallError extends Error {
  constructor (readonly code: string, readonly ms: number, message: string, readonly status = 0) {
    super(message)
  }
}

/** One request; rejects with a CallError (code TIMEOUT past timeoutMs, whatever was received). */
export async function request (url: string, options: RequestOptions): Promise<Answer> {
  const started = performance.now()
  return await new Promise<Answer>((resolve, reject) => {
    let status = 0
    const call = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (response) => {
      status = response.statusCode ?? 0
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => { clearTimeout(timer); resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), ms: performance.now() - started }) })
      response.on('error', fail)
      response.on('aborted', () => fail(Object.assign(new Error('answer cut mid-body'), { code: 'CUT' })))
    })
    function fail (error: Error & { code?: string }): void {
      clearTimeout(timer)
      call.destroy()
      reject(new CallError(error.code ?? 'ERROR', performance.now() - started, error.message, status))
    }
    const timer = setTimeout(() => fail(Object.assign(new Error(`no whole answer within ${options.timeoutMs} ms`), { code: 'TIMEOUT' })), options.timeoutMs)
    call.on('error', fail)
    call.end(options.body)
  })
}

/** A JSON body for request(): the text and its content type. */
export function jsonBody (value: unknown): { body: string, headers: Record<string, string> } {
  return { body: JSON.stringify(value), headers: { 'content-type': 'application/json' } }
}

export interface RawExchange {
  /** Every byte the server sent. */
  received: Buffer
  /** How the exchange ended: the server closed (`end`), reset (`ECONNRESET`...), or our deadline (`timeout`). */
  ending: string
  ms: number
}

/** A TCP connection to the service: `write` sends the bytes (at once or as the caller paces them), the promise settles when the server closes or the deadline passes. */
export function rawConnection (port: number, timeoutMs: number): { socket: Socket, done: Promise<RawExchange> } {
  const started = performance.now()
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  const done = new Promise<RawExchange>((resolve) => {
    let settled = false
    const settle = (ending: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ received: Buffer.concat(chunks), ending, ms: performance.now() - started })
    }
    const timer = setTimeout(() => settle('timeout'), timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => settle('end'))
    socket.on('close', () => settle('close'))
    socket.on('error', (error: Error & { code?: string }) => settle(error.code ?? 'error'))
  })
  return { socket, done }
}

/** The first HTTP response in raw bytes: status, headers (lower-case names) and the body as sent (chunked framing removed). */
export function parseRawResponse (raw: Buffer): { status: number, headers: Record<string, string>, body: string } | undefined {
  const text = raw.toString('latin1')
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0)
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  let body = text.slice(end + 4)
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body)
  else if (headers['content-length'] !== undefined) body = body.slice(0, Number(headers['content-length']))
  return { status, headers, body: Buffer.from(body, 'latin1').toString('utf8') }
}

function dechunk (text: string): string {
  let out = ''
  let at = 0
  while (at < text.length) {
    const lineEnd = text.indexOf('\r\n', at)
    if (lineEnd < 0) break
    const size = Number.parseInt(text.slice(at, lineEnd), 16)
    if (!(size > 0)) break
    out += text.slice(lineEnd + 2, lineEnd + 2 + size)
    at = lineEnd + 2 + size + 2
  }
  return out
}

/** The service's error shape: JSON {statusCode, error, code, message} with a non-empty message and statusCode equal to the status. */
export function errorShapeProblem (status: number, contentType: string | undefined, body: string): string | undefined {
  if (!(contentType ?? '').includes('json')) return `content-type ${contentType ?? 'none'}, not JSON`
  let parsed: unknown
  try { parsed = JSON.parse(body) } catch { return 'body is not JSON' }
  const value = parsed as Record<string, unknown>
  if (typeof value !== 'object' || value === null) return 'body is not an object'
  if (value.statusCode !== status) return `statusCode ${String(value.statusCode)} != ${status}`
  for (const key of ['error', 'code', 'message']) {
    if (typeof value[key] !== 'string' || value[key] === '') return `${key} missing or empty`
  }
  return undefined
}
