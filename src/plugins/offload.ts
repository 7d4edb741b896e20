// Sends the requests whose cost grows with the input to the worker pool (workers/pool.ts) before the
// main thread parses them: routes marked `offload: 'always'` (the analyses) and any request whose
// body is larger than OFFLOAD_BODY_BYTES. The main thread only reads the bytes (bounded by the body
// limit), forwards them, and writes the worker's answer back without touching it.
import { Readable } from 'node:stream'
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest, type RequestPayload } from 'fastify'
import { ClientAbortedError } from '../errors.js'
import { FORWARDED_REQUEST_HEADERS, type RequestPool, costClassOf, pickHeaders } from '../workers/pool.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'always': every request runs in a worker; unset: only bodies above OFFLOAD_BODY_BYTES. */
    offload?: 'always'
    /**
     * The task's time in a worker, estimated on the main thread from the raw body before it is
     * forwarded (cheaply: it runs on the main thread); undefined when it cannot tell. It chooses the
     * task's lane (pool.ts: SMALL_TASK_MS). A route without one, or a body offloaded for its size,
     * is large: its cost grows with a body the main thread does not parse.
     */
    offloadCostMs?: (body: Uint8Array) => number | undefined
  }
}

/** The whole body in one buffer that owns its memory (so it can be transferred to a worker), or a 413 error. */
export async function readBody (payload: Readable, limitBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of payload) {
    total += (chunk as Buffer).length
    if (total > limitBytes) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()
    chunks.push(chunk as Buffer)
  }
  const body = new Uint8Array(new ArrayBuffer(total))
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

/** The bytes already read, as a stream for fastify's own body parsers (with the length they check). */
function replay (body: Uint8Array): Readable {
  return Object.assign(Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]), { receivedEncodedLength: body.byteLength })
}

function declaredLength (request: FastifyRequest): number {
  const header = request.headers['content-length']
  return header === undefined ? Number.NaN : Number(header)
}

/**
 * A signal that aborts when the client goes away before its answer is complete (the worker then
 * stops too); the watch ends with the answer's body.
 */
export function clientGoneSignal (request: FastifyRequest): { signal: AbortSignal, stopWatching: () => void, abort: () => void } {
  const controller = new AbortController()
  const abort = (): void => { controller.abort() }
  const socket = request.raw.socket
  // a client that left while its body was being read (a busy main thread) has closed already: its
  // 'close' will not come again, and its task must not run to the end of its budget for nobody
  if (socket.destroyed) abort()
  else socket.once('close', abort)
  return { signal: controller.signal, stopWatching: () => { socket.off('close', abort) }, abort }
}

/**
 * The error to answer when reading a body failed. A client that closes mid-upload is no fault of the
 * service: one info line without a stack (an error with a stack per abort let any client flood the
 * logs), and a 4xx, which the error handler does not log again; nobody reads its answer.
 */
export function clientLeft (request: FastifyRequest, error: NodeJS.ErrnoException): Error {
  if (error.code !== 'ECONNRESET') return error
  request.log.info({ method: request.method, url: request.url, declaredBytes: declaredLength(request) }, 'the client closed the connection before its body was complete')
  return new ClientAbortedError()
}

export function registerOffload (app: FastifyInstance, pool: RequestPool, thresholdBytes: number): void {
  const limitBytes = app.initialConfig.bodyLimit as number
  // a callback hook: the requests that stay on the main thread (nearly all) pass without a promise
  app.addHook('preParsing', (request, reply, payload, done) => {
    const always = request.routeOptions.config.offload === 'always'
    const length = declaredLength(request)
    // a body that declares itself small (or none) on an ordinary route never leaves the main thread
    if (!always && !(length > thresholdBytes) && request.headers['transfer-encoding'] === undefined) return done(null, payload)
    if (length > limitBytes) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
    offloadOrReplay(request, reply, payload).then((next) => { done(null, next) }, done)
  })

  async function offloadOrReplay (request: FastifyRequest, reply: FastifyReply, payload: RequestPayload): Promise<RequestPayload> {
    const always = request.routeOptions.config.offload === 'always'
    const body = await readBody(payload, limitBytes).catch((error: NodeJS.ErrnoException) => { throw clientLeft(request, error) })
    if (!always && body.byteLength <= thresholdBytes) return replay(body)
    const forwarded = { method: request.method, url: request.url, headers: pickHeaders(request.headers, FORWARDED_REQUEST_HEADERS), body }
    const clientGone = clientGoneSignal(request)
    const cost = costClassOf(request.routeOptions.config.offloadCostMs?.(body))
    const answer = await pool.run(forwarded, clientGone.signal, cost).catch((error: Error) => {
      clientGone.stopWatching()
      throw error
    })
    answer.body.once('close', () => {
      // an answer closed before its end was not read to the end (the client left, and the reply
      // destroyed the stream, perhaps before the socket's own 'close'): the worker, which waits
      // for the client to read on, is stopped now rather than at the end of its time budget
      if (!answer.body.readableEnded) clientGone.abort()
      clientGone.stopWatching()
    })
    reply.code(answer.statusCode).headers(answer.headers).send(answer.body)
    return payload
  }
}
