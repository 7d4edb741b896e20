// A bounded request load for scripts/image-check.sh, on loopback only: CONCURRENCY clients send
// POST /estimate/engram (the README's example) over keep-alive connections, and count every answer
// that is not a 200 and every request that fails (reset, refused, timeout...) as a failure; nothing
// is retried. The load stops at MAX_REQUESTS, at MAX_MS, or KEEP_SENDING_MS after SIGUSR2 (which the
// script sends right after SIGTERM reaches the container: the time a load balancer still routes to
// a pod that is draining). After SIGUSR2 it also asks /readyz once and reports its status (503
// expected while the service drains). It writes READY_FILE once the first answers came back, and
// prints one JSON summary line.
//
// usage: node load.mjs <base-url> <ready-file> [concurrency] [max-requests] [max-ms] [keep-sending-ms]
import http from 'node:http'
import { writeFileSync } from 'node:fs'

const [base, readyFile, concurrencyArg = '16', maxRequestsArg = '100000', maxMsArg = '30000', keepSendingArg = '2500'] = process.argv.slice(2)
const url = new URL(base)
if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error(`load.mjs: refusing ${base}: loopback only`)
  process.exit(2)
}
const concurrency = Number(concurrencyArg)
const maxRequests = Number(maxRequestsArg)
const maxMs = Number(maxMsArg)
const keepSendingMs = Number(keepSendingArg)
const body = JSON.stringify({ expectedNodes: 10000000, opsPerSec: 20000 })
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })

const started = Date.now()
let deadline = started + maxMs
let termAt = null
let sent = 0
let ok = 0
let sentAfterTerm = 0
let okAfterTerm = 0
let connectionClose = 0
let readyzDuringDrain = null
let readyzAnswered = () => {}
const readyzDone = new Promise((resolve) => { readyzAnswered = resolve })
let readyWritten = false
const failures = {}
const fail = (kind) => { failures[kind] = (failures[kind] ?? 0) + 1 }

process.on('SIGUSR2', () => {
  if (termAt !== null) return
  termAt = Date.now()
  deadline = Math.min(deadline, termAt + keepSendingMs)
  setTimeout(() => {
    // a fresh connection, so the answer is not queued behind the load's
    const req = http.get(new URL('/readyz', url), { agent: false }, (res) => {
      readyzDuringDrain = res.statusCode
      readyzAnswered()
      res.resume()
    })
    req.on('error', (err) => { readyzDuringDrain = `error ${err.code ?? err.message}`; readyzAnswered() })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
  }, 300)
})

function one () {
  return new Promise((resolve) => {
    const afterTerm = termAt !== null
    if (afterTerm) sentAfterTerm++
    const req = http.request(new URL('/estimate/engram', url), {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        if (res.headers.connection === 'close') connectionClose++
        if (res.statusCode === 200) {
          ok++
          if (afterTerm) okAfterTerm++
          if (!readyWritten && ok >= concurrency) { readyWritten = true; writeFileSync(readyFile, String(ok)) }
        } else {
          fail(`status ${res.statusCode}`)
        }
        resolve()
      })
      res.on('error', (err) => { fail(`response ${err.code ?? err.message}`); resolve() })
    })
    req.setTimeout(10000, () => req.destroy(new Error('timeout')))
    req.on('error', (err) => { fail(`request ${err.code ?? err.message}`); resolve() })
    req.end(body)
  })
}

async function client () {
  while (sent < maxRequests && Date.now() < deadline) {
    sent++
    await one()
  }
}

await Promise.all(Array.from({ length: concurrency }, client))
// the /readyz probe may still be on its way
if (termAt !== null) await Promise.race([readyzDone, new Promise((resolve) => setTimeout(resolve, 6000).unref())])
agent.destroy()
const failed = Object.values(failures).reduce((a, b) => a + b, 0)
console.log(JSON.stringify({
  sent,
  ok,
  failed,
  failures,
  sentAfterTerm,
  okAfterTerm,
  connectionClose,
  readyzDuringDrain,
  ms: Date.now() - started,
  signalled: termAt !== null
}))
