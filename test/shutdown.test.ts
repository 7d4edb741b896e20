import t from 'tap'
import { pino } from 'pino'
import { Writable } from 'node:stream'
import { buildApp } from '../src/app.js'
import { buildMetricsServer } from '../src/plugins/metrics.js'
import { drainConnections, shutdownHandler, trackConnections } from '../src/shutdown.js'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { type AddressInfo, connect } from 'node:net'

t.test('after a fatal error: logs it, turns readiness off and closes both listeners', async (t) => {
  const lines: string[] = []
  const logger = pino(new Writable({ write (chunk, _encoding, done) { lines.push(chunk.toString()); done() } }))
  const app = await buildApp()
  const metricsServer = buildMetricsServer(app.metrics.registry)
  await shutdownHandler({ app, metricsServer, logger, delayMs: 0 })({ err: new Error('uncaught') })
  t.equal(app.readiness.ready, false)
  t.match(lines[0], '"msg":"shutting down after an error"')
  t.match(lines[0], 'uncaught')
  t.match(lines.at(-1), '"msg":"shut down"')
  t.rejects(app.inject('/healthz'), 'the app is closed')
})

t.test('drainConnections: stops accepting, closes idle keep-alive connections, waits for the busy ones', async (t) => {
  // answers after 300 ms with Connection: close, as the service does while draining
  const server = createServer((_request, response) => { setTimeout(() => { response.setHeader('connection', 'close'); response.end('done') }, 300) })
  server.keepAliveTimeout = 60_000
  const tracker = trackConnections(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  // a connection that never sends a request (Node's closeIdleConnections leaves these open)
  const silentSocket = connect(port, '127.0.0.1')
  await once(silentSocket, 'connect')
  // two pipelined requests on one connection: busy until both are answered
  const pipelined = connect(port, '127.0.0.1')
  await once(pipelined, 'connect')
  let pipelinedText = ''
  pipelined.on('data', (chunk: Buffer) => { pipelinedText += chunk.toString() })
  pipelined.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n')
  const busy = fetch(`http://127.0.0.1:${port}/`)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const silentClosed = once(silentSocket, 'close')
  await drainConnections(server, tracker, 20)
  t.equal(await (await busy).text(), 'done', 'the request in flight finished')
  await silentClosed
  t.pass('the connection that sent nothing was closed')
  t.match(pipelinedText, /^HTTP\/1\.1 200 OK/, 'the first pipelined request was answered (it said Connection: close, so the second is not read)')
  t.equal(tracker.sockets.size, 0)
  t.equal(server.listening, false)
  await drainConnections(server, tracker) // a second call: nothing to do
  await t.rejects(fetch(`http://127.0.0.1:${port}/`), 'new connections are refused')
})

t.test('drainConnections never resets a request the client had sent, even when the main thread was stalled past the settle time (finding 12)', async (t) => {
  const server = createServer((_request, response) => { response.setHeader('connection', 'close'); response.end('answered') })
  const tracker = trackConnections(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const accepted = once(server, 'connection')
  const client = connect(port, '127.0.0.1')
  await once(client, 'connect')
  await accepted
  let answer = ''
  let failure: string | undefined
  client.on('data', (chunk: Buffer) => { answer += chunk.toString() })
  client.on('error', (error: NodeJS.ErrnoException) => { failure = error.code })
  const closed = new Promise((resolve) => client.once('close', resolve))
  const drained = drainConnections(server, tracker, 20)
  // the request is in the kernel's buffer when the main thread stalls (a heavy request) past the settle
  // time: the timer then fires before the server has read it, which used to destroy the connection
  setImmediate(() => {
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const until = Date.now() + 100
    while (Date.now() < until);
  })
  await drained
  await closed
  t.equal(failure, undefined, 'not reset')
  t.match(answer, /^HTTP\/1\.1 200 OK[^]*connection: close[^]*answered$/i, 'answered, with Connection: close')
})
