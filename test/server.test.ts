// The real entry point in a child process: configuration errors, listen, metrics port, and a
// graceful SIGTERM under request load (readiness 503 first, accepted requests finish, exit 0).
import t from 'tap'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const serverPath = fileURLToPath(new URL('../src/server.ts', import.meta.url))

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

interface Running { child: ChildProcess, output: () => string, exit: Promise<[number | null, string | null]> }

function startServer (env: Record<string, string>): Running {
  // process.execArgv carries tap's TypeScript loader, so the child runs src/server.ts directly
  const child = spawn(process.execPath, [...process.execArgv, serverPath], {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exit = once(child, 'exit') as Promise<[number | null, string | null]>
  return { child, output: () => output, exit }
}

async function waitFor (condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

t.test('a bad environment stops the start with a clear message', async (t) => {
  const server = startServer({ PORT: 'eighty' })
  const [code] = await server.exit
  t.equal(code, 1)
  t.match(server.output(), 'sizing-service: invalid configuration: env/PORT must be integer')
})

t.test('serves the API and metrics on separate ports; SIGTERM drains and exits 0', async (t) => {
  const [port, metricsPort] = [await freePort(), await freePort()]
  const server = startServer({ PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '700' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  await waitFor(() => server.output().includes('sizing-service ready'))
  const api = `http://127.0.0.1:${port}`
  // as a load balancer would: wait for readiness (starting up can read as event-loop pressure)
  let ready = false
  while (!ready) {
    ready = (await fetch(`${api}/readyz`)).status === 200
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100))
  }

  t.same(await (await fetch(`${api}/healthz`)).json(), { status: 'ok' })
  const estimate = await fetch(`${api}/estimate/engram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"expectedNodes": 2000000}' })
  t.equal(estimate.status, 200)
  t.equal(((await estimate.json()) as { tiers: { hotNodes: number } }).tiers.hotNodes, 200_000)
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
  t.match(metrics, 'http_request_duration_seconds_count{method="POST",route="/estimate/engram",status_code="200"} 1')
  t.notMatch(server.output(), '"url":"/healthz"', 'no per-request log lines at info')

  // a steady load: every request the server accepts must complete with 200
  const statuses: number[] = []
  let refused = 0
  const control = { loading: true }
  const load = (async () => {
    while (control.loading) {
      try {
        const response = await fetch(`${api}/estimate/engram?expectedNodes=${1000 + statuses.length}`)
        await response.arrayBuffer()
        statuses.push(response.status)
      } catch {
        refused++ // the listener has closed: the request was never accepted
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }
  })()
  await waitFor(() => statuses.length > 20)
  const signalledAt = Date.now()
  server.child.kill('SIGTERM')
  await waitFor(() => server.output().includes('readiness is 503'))
  const readiness = await fetch(`${api}/readyz`)
  t.equal(readiness.status, 503, 'readiness turns 503 first')
  t.equal((await fetch(`${api}/healthz`)).status, 200, 'while requests are still served')
  const [code, signal] = await server.exit
  const shutdownMs = Date.now() - signalledAt
  control.loading = false
  await load
  t.equal(code, 0, `exit code 0 (signal ${signal})`)
  t.ok(shutdownMs >= 700 && shutdownMs < 700 + 10_000, `exited ${shutdownMs} ms after SIGTERM: after the 700 ms drain, within the grace period`)
  t.ok(statuses.length > 20)
  t.same(statuses.filter((status) => status !== 200), [], `${statuses.length} accepted requests, all 200`)
  t.match(server.output(), '"msg":"shut down"')
  t.ok(refused >= 0)
})
