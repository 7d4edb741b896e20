// npm run bench's (g): the latency of requests admitted among a load, measured in a process of its own
// (autocannon saturates the bench's event loop, which would add its own delay to every sample).
// Sends SAMPLES_PER_SECOND POST /estimate/engram, each on time whatever the others do, over kept-alive
// connections opened first (one opened during the load would wait in the listen backlog behind the
// load's own: SYN retries of 1 and 3 s, the client's storm, not the service's queue); prints
// {"okMs": [...], "refused": n} when done.
import { Agent, request } from 'node:http'

const [port, seconds] = [Number(process.argv[2]), Number(process.argv[3])]
const SAMPLES_PER_SECOND = 20
const SOCKETS = 32
const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS })
let sequence = 0

function sample () {
  const sentAt = performance.now()
  const body = JSON.stringify({ expectedNodes: 300_000 + sequence++ })
  return new Promise((resolve) => {
    const sent = request({ host: '127.0.0.1', port, method: 'POST', path: '/estimate/engram', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume()
      response.once('end', () => { resolve({ status: response.statusCode, ms: performance.now() - sentAt }) })
    })
    sent.once('error', () => { resolve({ status: 0, ms: performance.now() - sentAt }) })
    sent.end(body)
  })
}

await Promise.all(Array.from({ length: SOCKETS }, sample))
process.stdout.write('connected\n')
const okMs = []
let refused = 0
const pending = []
for (let sent = 0; sent < seconds * SAMPLES_PER_SECOND; sent++) {
  pending.push(sample().then(({ status, ms }) => { if (status === 200) okMs.push(ms); else refused++ }))
  await new Promise((resolve) => setTimeout(resolve, 1000 / SAMPLES_PER_SECOND))
}
await Promise.all(pending)
agent.destroy()
process.stdout.write(`${JSON.stringify({ okMs, refused })}\n`)
