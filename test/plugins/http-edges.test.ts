import t from 'tap'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { MAX_TIMEOUT_CHECK_INTERVAL_MS, clientErrorFor, clientErrorHandler, declaredCharset, rawErrorAnswer, serverTimeouts, unreadableBody } from '../../src/plugins/http-edges.js'
import { SECURITY_HEADERS } from '../../src/plugins/protection.js'
import { listeningPort, parseRawAnswer, rawExchange } from '../raw-http.js'

async function listening (env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: loadConfig(env) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return app
}

const securityHeadersOf = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, headers[name]]))

t.test('Node checks the request timeout often enough to hold it', async (t) => {
  t.same(serverTimeouts(10_000), { requestTimeout: 10_000, headersTimeout: 10_000, connectionsCheckingInterval: MAX_TIMEOUT_CHECK_INTERVAL_MS })
  t.same(serverTimeouts(500), { requestTimeout: 500, headersTimeout: 500, connectionsCheckingInterval: 125 }, 'a short timeout is checked four times over')
})

t.test('a body trickled past REQUEST_TIMEOUT_MS is cut near it with a 408 in the one format (finding 7)', async (t) => {
  const timeoutMs = 1000
  const app = await listening({ REQUEST_TIMEOUT_MS: String(timeoutMs) })
  t.teardown(() => app.close())
  // a byte every 100 ms of a 100,000-byte body: before, the socket stayed open 60 to 90 s
  const trickle = ['POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{', ...Array<string>(600).fill(' ')]
  const answer = await rawExchange(listeningPort(app), trickle, 100)
  t.equal(answer.statusCode, 408)
  t.same(JSON.parse(answer.body), { statusCode: 408, error: 'Request Timeout', code: 'REQUEST_TIMEOUT', message: 'the request was not received whole within 1000 ms (REQUEST_TIMEOUT_MS): send its headers and body without pausing' })
  t.equal(answer.headers.connection, 'close')
  t.ok(answer.closedAfterMs < 5 * timeoutMs, `closed after ${answer.closedAfterMs} ms, well before the 60 s it took`)
  // headers trickled too
  const headers = await rawExchange(listeningPort(app), ['GET /healthz HTTP/1.1\r\n', ...Array<string>(600).fill('X-A: b\r\n')], 100)
  t.equal(headers.statusCode, 408)
  t.ok(headers.closedAfterMs < 5 * timeoutMs, `headers: closed after ${headers.closedAfterMs} ms`)
})

t.test('what Node\'s parser refuses is answered in the one format, with the security headers and Connection: close (finding 8)', async (t) => {
  const app = await listening()
  t.teardown(() => app.close())
  const cases: Array<[string, string, number, string, RegExp]> = [
    ['431', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE', /headers are larger than 16384 bytes/],
    ['bad chunk', 'POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'MALFORMED_REQUEST', /not valid HTTP\/1.1: Invalid character in chunk size \(HPE_INVALID_CHUNK_SIZE\)/],
    ['length and chunked', 'POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', 400, 'MALFORMED_REQUEST', /HPE_INVALID_TRANSFER_ENCODING/],
    ['two lengths', 'POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{} ', 400, 'MALFORMED_REQUEST', /Duplicate Content-Length/],
    ['unknown method', 'FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'UNKNOWN_METHOD', /not one HTTP defines/],
    ['folded header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n', 400, 'MALFORMED_REQUEST', /HPE_INVALID_HEADER_TOKEN/],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'HTTP2_NOT_SUPPORTED', /speaks HTTP\/1.1/],
    ['bad version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'MALFORMED_REQUEST', /Invalid HTTP version/]
  ]
  for (const [name, request, statusCode, code, message] of cases) {
    const answer = await rawExchange(listeningPort(app), [request])
    t.equal(answer.statusCode, statusCode, `${name}: ${statusCode}`)
    t.match(JSON.parse(answer.body), { statusCode, error: String, code, message }, `${name}: the one format`)
    t.equal(answer.headers.connection, 'close', `${name}: Connection: close`)
    t.equal(answer.headers['content-type'], 'application/json; charset=utf-8')
    t.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body))
    t.same(securityHeadersOf(answer.headers), SECURITY_HEADERS, `${name}: the security headers`)
    t.equal(answer.error, undefined, `${name}: closed, not reset`)
  }
  // a kept-alive client: its first request is answered, the refused second one too, then the close
  const keptAlive = await rawExchange(listeningPort(app), ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 'FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], 200)
  t.match(keptAlive.body, /"code":"UNKNOWN_METHOD"/)
  t.equal(keptAlive.error, undefined)
})

t.test('the client error handler never answers twice nor a client that has gone', async (t) => {
  const handler = clientErrorHandler(10_000)
  const debugs: unknown[] = []
  const fakeApp = { log: { debug: (entry: unknown) => { debugs.push(entry) } } } as unknown as FastifyInstance
  const socketLike = (state: Record<string, unknown>): Socket & { ended: string | undefined, destroyedNow: boolean } => {
    const socket = { destroyed: false, writable: true, ended: undefined as string | undefined, destroyedNow: false, ...state, destroy () { socket.destroyedNow = true }, end (data: string) { socket.ended = data } }
    return socket as unknown as Socket & { ended: string | undefined, destroyedNow: boolean }
  }
  const reset = socketLike({})
  handler.call(fakeApp, Object.assign(new Error('reset'), { code: 'ECONNRESET' }), reset)
  t.equal(reset.ended, undefined, 'a reset socket is not answered')
  t.ok(reset.destroyedNow)
  const halfClosed = socketLike({})
  handler.call(fakeApp, Object.assign(new Error('Invalid EOF state'), { code: 'HPE_INVALID_EOF_STATE' }), halfClosed)
  t.equal(halfClosed.ended, undefined, 'a client that closed mid-request is not answered')
  const gone = socketLike({ destroyed: true })
  handler.call(fakeApp, Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' }), gone)
  t.equal(gone.ended, undefined)
  const answering = socketLike({ _httpMessage: { headersSent: true } })
  handler.call(fakeApp, Object.assign(new Error('x'), { code: 'HPE_INVALID_CHUNK_SIZE', reason: 'Invalid character in chunk size' }), answering)
  t.equal(answering.ended, undefined, 'an answer has begun: nothing more is written')
  t.ok(answering.destroyedNow)
  const unwritable = socketLike({ writable: false })
  handler.call(fakeApp, Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' }), unwritable)
  t.equal(unwritable.ended, undefined)
  t.ok(unwritable.destroyedNow)
  t.equal(debugs.length, 2, 'each refusal answered is logged at debug')
  t.same(clientErrorFor(new Error('odd'), 1000), { statusCode: 400, code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1: odd (undefined)' }, 'an error without a reason says its message')
  const raw = parseRawAnswer(rawErrorAnswer({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: 'é' }))
  t.equal(raw.statusLine, 'HTTP/1.1 431 Request Header Fields Too Large')
  t.equal(raw.headers['content-length'], String(Buffer.byteLength(raw.body)), 'the length in bytes')
})

t.test('bodies the service would read wrongly are refused with 415 before they are read (finding 11)', async (t) => {
  t.equal(declaredCharset('application/json; charset="UTF-16"'), 'utf-16')
  t.equal(declaredCharset('application/json;Charset=utf-8 ; x=y'), 'utf-8')
  t.equal(declaredCharset('application/json'), undefined)
  t.equal(unreadableBody({ 'content-type': 'application/json; charset=US-ASCII' }), undefined)
  t.equal(unreadableBody({ 'content-type': 'application/json; charset=utf8', 'content-encoding': 'identity', 'transfer-encoding': 'chunked' }), undefined)
  t.equal(unreadableBody({}), undefined)
  const app = await buildApp()
  t.teardown(() => app.close())
  let parsed = 0
  app.addHook('preParsing', (_request, _reply, payload, done) => { parsed++; done(null, payload) })
  const body = JSON.stringify({ expectedNodes: 5 })
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ 'content-type': 'application/json; charset=utf-16' }, 'UNSUPPORTED_CHARSET', /^Content-Type charset utf-16: request bodies are read as UTF-8/],
    [{ 'content-type': 'application/json; charset=ISO-8859-1' }, 'UNSUPPORTED_CHARSET', /charset iso-8859-1/],
    [{ 'content-type': 'application/yaml; charset=utf-16le' }, 'UNSUPPORTED_CHARSET', /charset utf-16le/],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'UNSUPPORTED_CONTENT_ENCODING', /^Content-Encoding gzip: request bodies are read as sent/],
    [{ 'content-type': 'application/json', 'content-encoding': 'identity, br' }, 'UNSUPPORTED_CONTENT_ENCODING', /Content-Encoding identity, br/],
    [{ 'content-type': 'application/json', 'transfer-encoding': 'gzip, chunked' }, 'UNSUPPORTED_TRANSFER_ENCODING', /^Transfer-Encoding gzip, chunked: the only transfer coding read is chunked/]
  ]
  for (const [headers, code, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/estimate/engram', payload: body, headers })
    t.equal(response.statusCode, 415, JSON.stringify(headers))
    t.match(response.json(), { statusCode: 415, error: 'Unsupported Media Type', code, message })
    t.equal(response.headers['x-content-type-options'], 'nosniff')
    t.equal(response.headers['accept-encoding'], code === 'UNSUPPORTED_CONTENT_ENCODING' ? 'identity' : undefined, 'Accept-Encoding names the coding read')
  }
  t.equal(parsed, 0, 'no refused body reached parsing')
  const long = await app.inject({ method: 'POST', url: '/estimate/engram', payload: body, headers: { 'content-type': 'application/json', 'content-encoding': 'x'.repeat(500) } })
  t.ok(long.json().message.length < 250, 'a long header is not echoed whole')
  t.equal((await app.inject({ method: 'POST', url: '/estimate/engram', payload: body, headers: { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'identity' } })).statusCode, 200, 'UTF-8 under identity is read')
  t.equal((await app.inject({ url: '/tiers/medium', headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-16' } })).statusCode, 200, 'a request without a body has nothing to refuse')
})

t.test('Transfer-Encoding: gzip, chunked on the wire is a 415; gzip alone Node refuses itself (finding 11)', async (t) => {
  const app = await listening()
  t.teardown(() => app.close())
  const gzipChunked = await rawExchange(listeningPort(app), ['POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n'])
  t.equal(gzipChunked.statusCode, 415)
  t.match(JSON.parse(gzipChunked.body), { code: 'UNSUPPORTED_TRANSFER_ENCODING' })
  const gzipAlone = await rawExchange(listeningPort(app), ['POST /estimate/engram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}'])
  t.ok([400, 415].includes(gzipAlone.statusCode), `gzip alone: ${gzipAlone.statusCode}`)
  t.equal(gzipAlone.error, undefined)
})
