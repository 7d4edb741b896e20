// What happens on SIGTERM/SIGINT (or a fatal error): readiness 503 and Connection: close on every
// answer for the drain period, so load balancers stop routing here and clients stop reusing their
// connections; then the listener stops accepting, in-flight requests finish, and both servers close.
import { Server as NetServer, type Socket } from 'node:net'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { setImmediate as afterPendingReads, setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'

export interface ShutdownTargets {
  app: FastifyInstance
  metricsServer: FastifyInstance
  logger: FastifyBaseLogger
  delayMs: number
}

/**
 * Time a just-accepted connection gets to deliver the request its client already sent. Closing it
 * sooner would reset a request the client believes sent (Node counts a connection whose request
 * bytes are not read yet as idle); a client idle longer than this has nothing in flight.
 */
export const SETTLE_MS = 250
const POLL_MS = 20

/** The open connections of a server and, of those, the ones with a request being answered. */
export interface ConnectionTracker {
  sockets: Set<Socket>
  /** Requests being answered per connection (more than one only when a client pipelines). */
  busy: Map<Socket, number>
}

/** Follows a server's connections from its start, so the drain can tell idle from busy ones. */
export function trackConnections (server: Server): ConnectionTracker {
  const tracker: ConnectionTracker = { sockets: new Set(), busy: new Map() }
  server.on('connection', (socket: Socket) => {
    tracker.sockets.add(socket)
    socket.once('close', () => { tracker.sockets.delete(socket); tracker.busy.delete(socket) })
  })
  // one listener for every answer (no closure per request): the response knows its request's socket
  function answered (this: ServerResponse): void {
    const socket = this.req.socket
    const left = (tracker.busy.get(socket) ?? 1) - 1
    if (left > 0) tracker.busy.set(socket, left)
    else tracker.busy.delete(socket)
  }
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket
    tracker.busy.set(socket, (tracker.busy.get(socket) ?? 0) + 1)
    response.on('close', answered)
  })
  return tracker
}

/**
 * Waits `ms`, then lets the event loop read what has arrived: a timer that fires late (the main
 * thread was busy) runs before the loop polls its sockets, so a connection whose request is already in
 * the kernel's buffer would still look idle, and destroying it with unread bytes resets it (measured:
 * a 100 ms stall past a 20 ms settle time reset the request every time). setImmediate runs after the
 * poll, once those bytes have been read and the request is being answered.
 */
async function waitThenRead (ms: number): Promise<void> {
  await sleep(ms)
  await afterPendingReads()
}

/**
 * Stops accepting without touching open connections (http.Server#close would close the idle ones at
 * once, before a just-accepted connection has delivered the request its client already sent), waits
 * SETTLE_MS (and for the requests already received to be read), then closes every connection with no
 * request being answered (idle keep-alives, and connections that never sent one, which Node's
 * closeIdleConnections leaves open) until the busy ones, whose last answer says Connection: close,
 * have closed themselves.
 */
export async function drainConnections (server: Server, tracker: ConnectionTracker, settleMs = SETTLE_MS): Promise<void> {
  if (!server.listening) return
  NetServer.prototype.close.call(server)
  await waitThenRead(settleMs)
  while (tracker.sockets.size > 0) {
    for (const socket of tracker.sockets) if (!tracker.busy.has(socket)) socket.destroy()
    await waitThenRead(POLL_MS)
  }
}

export function shutdownHandler ({ app, metricsServer, logger, delayMs }: ShutdownTargets) {
  return async ({ signal, err }: { signal?: string, err?: Error }): Promise<void> => {
    if (err !== undefined) logger.error({ err }, 'shutting down after an error')
    logger.info({ signal }, 'shutting down: readiness is 503, draining')
    app.readiness.ready = false
    if (delayMs > 0) await sleep(delayMs)
    await drainConnections(app.server, app.connections)
    await app.close()
    await metricsServer.close()
    logger.info('shut down')
  }
}
