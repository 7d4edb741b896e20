// The service as npm start and the image run it: one bundle (bin/bundle.js bundleService), its
// worker threads from the worker bundle beside it, reading data/, generated/ and the packages' own
// files where they are. Its answers are the in-process app's, byte for byte.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { freePort } from './free-port.js'

interface Output { imports: Array<{ path: string, external?: boolean }> }
interface BundleModule { bundleService: (root: URL, outDir: URL, esbuild: object) => Promise<{ metafile: { outputs: Record<string, Output> } }> }
const { bundleService } = await import('../bin/bundle.js' as string) as BundleModule

const root = new URL('../', import.meta.url)
const outDir = mkdtempSync(join(tmpdir(), 'sizing-service-bundle-'))
t.teardown(() => { rmSync(outDir, { recursive: true, force: true }) })

const esbuild = await import('esbuild')
t.teardown(async () => { await esbuild.stop() })
const { metafile } = await bundleService(root, pathToFileURL(`${outDir}/`), esbuild)

t.test('two bundles, nothing imported from node_modules at run time', async (t) => {
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.js'))
  t.same(outputs.map(([path]) => path.split('/').at(-1)).sort(), ['request-worker.js', 'server.js'])
  for (const [path, { imports }] of outputs) {
    t.same(imports.filter((entry) => entry.external === true && !isBuiltin(entry.path)).map((entry) => entry.path), [], `${path} imports Node's own modules only`)
    t.ok(imports.some((entry) => entry.path === 'node:worker_threads'), 'which the metafile lists')
    t.match(readFileSync(join(outDir, path.split('/').at(-1) as string), 'utf8'), /\/\/# sourceMappingURL=(server|request-worker)\.js\.map/, 'with its source map')
  }
  const server = readFileSync(join(outDir, 'server.js'), 'utf8')
  t.match(server, /var __dirname\s*=\s*__require\("node:path"\)\.join\(sizingBundleDirectory,\s*"[./]*\/[^"]*node_modules\/piscina\/dist"\)/, 'Piscina finds its worker in node_modules')
  t.match(server, /filename:\s*workerModule\(import\.meta\.url\)/, 'the pool starts the worker beside the bundle (request-worker.js), not the sources')
})

t.test('the bundled service answers as the app does, offloaded answers included, and stops on SIGTERM', async (t) => {
  const [port, metricsPort] = [await freePort(), await freePort()]
  const child: ChildProcess = spawn(process.execPath, [join(outDir, 'server.js')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', WORKER_THREADS: '1', SHUTDOWN_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = once(child, 'exit')
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const api = `http://127.0.0.1:${port}`
  // ready means warm: every route run once here and in the worker (generous: a busy machine)
  const deadline = Date.now() + 60_000
  for (;;) {
    const status = await fetch(`${api}/readyz`).then((response) => response.status, () => 0)
    if (status === 200) break
    if (Date.now() > deadline || child.exitCode !== null) t.fail(`not ready: ${output}`)
    if (Date.now() > deadline || child.exitCode !== null) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const app = await buildApp()
  t.teardown(() => app.close())
  const sweep = { model: 'engram', vary: [{ input: 'expectedNodes', from: 1000, to: 2_000_000, points: 50 }] }
  const cases = [
    { method: 'POST', url: '/estimate/engram', body: { expectedNodes: 2e6 }, accept: 'application/json' },
    { method: 'GET', url: '/tiers/medium?format=yaml', accept: '*/*' },
    { method: 'POST', url: '/sweep', body: sweep, accept: 'text/csv' },
    { method: 'POST', url: '/estimate/aeterna', body: { memoryCount: 50_000 }, accept: 'text/plain' }
  ]
  for (const { method, url, body, accept } of cases) {
    const response = await fetch(`${api}${url}`, { method, headers: { accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
    const expected = await app.inject({ method: method as 'GET', url, headers: { accept }, ...(body === undefined ? {} : { payload: body }) })
    t.equal(response.status, expected.statusCode, `${method} ${url}`)
    t.equal(await response.text(), expected.body, `${method} ${url} as ${accept}: the same bytes`)
  }
  const asset = await fetch(`${api}/docs/static/swagger-ui-bundle.js`)
  t.equal(asset.status, 200, 'Swagger UI finds its assets in node_modules')
  t.equal((await asset.arrayBuffer()).byteLength, readFileSync(new URL('node_modules/@fastify/swagger-ui/static/swagger-ui-bundle.js', root)).length)
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
  t.match(metrics, /^sizing_worker_threads 1$/m, 'the metrics listener, with the pool')
  child.kill('SIGTERM')
  t.same(await exited, [0, null], 'a graceful stop')
})
