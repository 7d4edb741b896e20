// What Node's HTTP server decides before fastify sees a request, made the service's own: the
// request timeout it enforces (and how often it checks), the answer to a request its parser refuses
// (431, bad framing, an unknown method, an HTTP/2 preface, a timeout) in the one error format with
// the security headers and Connection: close, and the request bodies it would read wrongly (another
// charset, a content or transfer coding), refused with 415 before a byte of them is read.
import { STATUS_CODES, type ServerOptions, type ServerResponse, maxHeaderSize } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import {
  HeadersTooLargeError, Http2NotSupportedError, MalformedRequestError, RequestTimeoutError, UnknownMethodError,
  UnsupportedCharsetError, UnsupportedContentEncodingError, UnsupportedTransferEncodingError
} from '../errors.js'
import { SECURITY_HEADERS } from './protection.js'

/**
 * Longest wait between two of Node's checks of its request and headers timeouts. Node checks every
 * connectionsCheckingInterval (30 s by default), so a trickled body was held up to that long past
 * REQUEST_TIMEOUT_MS; each check walks the connections still receiving a request, a few microseconds.
 */
export const MAX_TIMEOUT_CHECK_INTERVAL_MS = 1000
/** Checks per timeout: a request is cut at most a quarter of its timeout late. */
const CHECKS_PER_TIMEOUT = 4

/**
 * Options of Node's http.createServer (fastify's `http`): they are only read when the server is made.
 * fastify sets `requestTimeout` on the server after that, which Node's check does not see (measured:
 * a body trickled at 5 bytes/s was cut after 60 s, the default headersTimeout, plus up to 30 s, with
 * REQUEST_TIMEOUT_MS at 500 ms). The headers get the same time as the whole request: Node refuses a
 * headersTimeout above requestTimeout.
 */
export function serverTimeouts (requestTimeoutMs: number): ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(MAX_TIMEOUT_CHECK_INTERVAL_MS, Math.ceil(requestTimeoutMs / CHECKS_PER_TIMEOUT))
  }
}

interface ParserError extends Error {
  code?: string
  /** llhttp's reason, e.g. "Invalid character in chunk size". */
  reason?: string
}

/** What an error answer says: the one error format without its `error`, which the status gives. */
export interface ErrorAnswer {
  statusCode: number
  code: string
  message: string
}

function errorFor (error: ParserError, requestTimeoutMs: number): FastifyError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT': return new RequestTimeoutError(requestTimeoutMs)
    case 'HPE_HEADER_OVERFLOW': return new HeadersTooLargeError(maxHeaderSize)
    case 'HPE_INVALID_METHOD': return new UnknownMethodError()
    case 'HPE_PAUSED_H2_UPGRADE': return new Http2NotSupportedError()
    default: return new MalformedRequestError(`${error.reason ?? error.message} (${String(error.code)})`)
  }
}

/** The answer to what Node's parser (llhttp) or its timeout check refused. */
export function clientErrorFor (error: ParserError, requestTimeoutMs: number): ErrorAnswer {
  const { statusCode, code, message } = errorFor(error, requestTimeoutMs)
  return { statusCode: statusCode as number, code, message }
}

/** What Node reports when the client has left: the connection reset, or closed before its request was complete. */
const CLIENT_GONE = new Set(['ECONNRESET', 'HPE_INVALID_EOF_STATE'])

/** A whole HTTP/1.1 answer, as bytes for a socket no ServerResponse owns: the one error format, the security headers, Connection: close. */
export function rawErrorAnswer (error: ErrorAnswer): string {
  const body = JSON.stringify({ statusCode: error.statusCode, error: STATUS_CODES[error.statusCode], code: error.code, message: error.message })
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    date: new Date().toUTCString(),
    connection: 'close'
  }
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  return `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode]}\r\n${head}\r\n${body}`
}

/**
 * fastify's clientErrorHandler: Node's parser refused what came on this socket. The answer is written
 * whole, then the socket is closed: nothing after the refused bytes can be read as a request. When an
 * answer has already begun on this socket (a route answered before its body was read whole) nothing
 * more can be written; the socket is closed.
 */
export function clientErrorHandler (requestTimeoutMs: number) {
  // fastify calls it with the instance as `this`
  return function (this: FastifyInstance, error: ParserError, socket: Socket): void {
    if (socket.destroyed) return
    // the client is gone (a reset, or its side closed mid-request): nobody to answer, nothing to log
    if (CLIENT_GONE.has(error.code as string)) {
      socket.destroy()
      return
    }
    const answer = clientErrorFor(error, requestTimeoutMs)
    this.log.debug({ code: error.code, reason: error.reason, statusCode: answer.statusCode }, 'refused a request Node could not parse')
    const started = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent === true
    if (started || !socket.writable) {
      socket.destroy()
      return
    }
    socket.end(rawErrorAnswer(answer), () => { socket.destroy() })
  }
}

/** Charsets a body may declare: UTF-8 (under either name) and its subset US-ASCII. */
const READABLE_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii'])

/** The charset parameter of a Content-Type, lower case and unquoted; undefined when there is none. */
export function declaredCharset (contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType)
  return match === null ? undefined : (match[1] ?? match[2]).toLowerCase()
}

/** The codings of a Transfer-Encoding or Content-Encoding list, lower case. */
const codings = (header: string): string[] => header.split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '')

/** Whether a request carries a body: a length above 0, or a transfer coding. */
function hasBody (request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** The 415 a body would get because it cannot be read as sent, or undefined. Header values are cut to 100 characters in the message. */
export function unreadableBody (headers: FastifyRequest['headers']): Error | undefined {
  const shown = (value: string): string => value.slice(0, 100)
  const contentEncoding = headers['content-encoding']
  if (contentEncoding !== undefined && codings(contentEncoding).some((coding) => coding !== 'identity')) return new UnsupportedContentEncodingError(shown(contentEncoding))
  const transferEncoding = headers['transfer-encoding']
  if (transferEncoding !== undefined && codings(transferEncoding).some((coding) => coding !== 'chunked')) return new UnsupportedTransferEncodingError(shown(transferEncoding))
  const charset = headers['content-type'] === undefined ? undefined : declaredCharset(headers['content-type'])
  if (charset !== undefined && !READABLE_CHARSETS.has(charset)) {
    return new UnsupportedCharsetError(shown(charset))
  }
  return undefined
}

/**
 * A body in another charset or with a content or transfer coding would be read as plain UTF-8 and
 * answered as if the client had sent something else: 415 before it is read or sent to a worker
 * (an onRequest hook runs before the offload's preParsing). A 415 for a content coding says which
 * one is read (Accept-Encoding: identity, RFC 9110, 15.5.16).
 */
export function registerBodyEncodingCheck (app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!hasBody(request)) return done()
    const error = unreadableBody(request.headers)
    if (error === undefined) return done()
    if (error instanceof UnsupportedContentEncodingError) reply.header('accept-encoding', 'identity')
    done(error)
  })
}
