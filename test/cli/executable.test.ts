// The real `sizing` executable (bin/sizing.js, as npx and package managers run it): each command's
// output and exit code through a child process, and --url against a listening service.
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { type Finished, runNode } from './node-process.js'

const root = new URL('../../', import.meta.url)
const bin = new URL('bin/sizing.js', root).pathname
const dir = mkdtempSync(join(tmpdir(), 'sizing-bin-'))
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}

/**
 * Runs the executable. By default with process.execArgv, which carries tap's TypeScript loader: the
 * launcher uses the loader it finds, so the child's coverage maps onto the same compiled sources as
 * this process's. `asNpx` runs it as npx does, plain node (the launcher runs the bundle), with
 * coverage collection off: two transforms of one source file cannot be merged. The loader costs
 * seconds of CPU per child (it compiles the CLI's sources again), so only the calls whose paths no
 * other test reaches go through it; the rest (the commands' outputs) run as npx runs them.
 */
async function sizing (args: string[], stdin = '', asNpx = false): Promise<Finished> {
  return await runNode(asNpx ? [bin, ...args] : [...process.execArgv, bin, ...args], { stdin, coverage: !asNpx, cwd: dir })
}

const app = await buildApp()
t.teardown(() => app.close())

t.test('package.json names the executable; it is executable with a node shebang', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { bin: Record<string, string>, version: string }
  t.same(pkg.bin, { sizing: 'bin/sizing.js' })
  t.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  t.ok((statSync(bin).mode & 0o111) !== 0, 'mode has x bits')
  const version = await sizing(['--version'])
  t.same(version, { code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  const [plainVersion, plainEstimate] = await Promise.all([
    sizing(['--version'], '', true),
    sizing(['estimate', 'engram', '--expected-nodes', '2e6', '--fail-on', 'memory>2'], '', true)
  ])
  t.same(plainVersion, version, 'as npx runs it: plain node, the bundle')
  t.equal(plainEstimate.code, 1)
  // 2M nodes: 1,532.76 MiB of tiers + 0.39 + 500 = 2,033.15 MiB under 60%: 2,033.15 / 614.4 = 3.31 -> 4 GiB
  t.equal(JSON.parse(plainEstimate.stdout).recommendations.memoryGiB, 4)
  t.equal(plainEstimate.stderr, 'sizing: gate failed: memory>2 (recommendations.memoryGiB = 4)\n')
})

t.test('estimate, tiers and validate through the executable', async (t) => {
  const [estimate, tiers, good, bad, help] = await Promise.all([
    sizing(['estimate', 'engram', '--expected-nodes', '2e6', '--format', 'yaml']),
    sizing(['tiers', 'medium', '--format', 'yaml'], '', true),
    sizing(['validate', 'aeterna', new URL('test/fixtures/aeterna/values-ha-complete.yaml', root).pathname], '', true),
    sizing(['validate', 'aeterna', '-'], readFileSync(new URL('data/aeterna/values-small.yaml', root), 'utf8')),
    sizing(['estimate', '--help'], '', true)
  ])
  t.equal(estimate.code, 0)
  t.equal(estimate.stdout, (await app.inject({ method: 'POST', url: '/estimate/engram?format=yaml', payload: { expectedNodes: 2e6 } })).body)
  t.equal(tiers.code, 0)
  t.equal(tiers.stdout, readFileSync(new URL('data/aeterna/values-medium.yaml', root), 'utf8'), 'sizing tiers medium --format yaml > values.yaml')
  t.equal(good.code, 0)
  t.equal(JSON.parse(good.stdout).ok, true)
  t.equal(bad.code, 1, 'an error-severity finding is a failed gate')
  t.match(bad.stderr, 'sizing: validation failed:')
  t.equal(help.code, 0)
  t.match(help.stdout, 'Usage: sizing estimate <model>')
})

t.test('diff, sweep and sensitivity through the executable', async (t) => {
  const before = file('before.json', '{}')
  const after = file('after.yaml', 'expectedNodes: 50000000\n')
  const [same, gated, csv, sensitivity] = await Promise.all([
    sizing(['diff', before, before, '--model', 'engram'], '', true),
    sizing(['diff', before, after, '--model', 'engram', '--fail-on', 'memory>32'], '', true),
    sizing(['sweep', 'engram', '--vary', 'expectedNodes=1e6..3e6:3', '--output', 'recommendations.memoryGiB', '--format', 'csv'], '', true),
    sizing(['sensitivity', 'engram', '--output', 'storage.totalGiB', '--format', 'text'], '', true)
  ])
  t.equal(same.code, 0)
  t.equal(JSON.parse(same.stdout).identical, true)
  t.equal(gated.code, 1)
  t.equal(gated.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 64)\n')
  t.equal(csv.code, 0)
  t.equal(csv.stdout, 'expectedNodes,recommendations.memoryGiB,warnings\r\n1000000,3,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE SEED_INCONSISTENCY WAL_ABOVE_SEED_TRIGGER\r\n2000000,4,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE SEED_INCONSISTENCY WAL_ABOVE_SEED_TRIGGER\r\n3000000,5,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE SEED_INCONSISTENCY WAL_ABOVE_SEED_TRIGGER\r\n')
  t.equal(sensitivity.code, 0)
  // WAL of writes moves with opsPerSec, writeRatio and retentionDays alike: 869.74 -/+ 10% of 865.17 GiB
  t.match(sensitivity.stdout, /^(writeRatio|opsPerSec|retentionDays)\s+[\d,.]+\s+783\.2202\s+956\.2549/m)
})

t.test('bad usage exits 2 with the reason on stderr; stdin scenarios; gates', async (t) => {
  const [unknown, tooMany, stdin, gate] = await Promise.all([
    sizing(['estimate', 'engram', '--expected-nodez', '3']),
    sizing(['sweep', 'engram', '--vary', 'opsPerSec=1..2:200', '--vary', 'retentionDays=1..2:200']),
    sizing(['estimate', 'aurora', '-f', '-', '--format', 'text'], 'agents: 2000\n'),
    sizing(['estimate', 'aurora', '--fail-on', 'cost>1500'])
  ])
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, 'sizing: unknown option --expected-nodez for model engram')
  t.equal(unknown.stdout, '')
  t.equal(tooMany.code, 2)
  t.equal(tooMany.stderr, 'sizing: body/vary: 200 x 200 = 40000 points, more than 10000\n')
  t.equal(stdin.code, 0)
  t.match(stdin.stdout, 'MisterSmith Aurora Serverless v2 Estimate')
  t.match(stdin.stdout, 'agents: 2,000')
  t.equal(gate.code, 0, 'the seed\'s $1,261.70 passes cost>1500')
})

t.test('--url: the executable asks a running service and prints its bytes', async (t) => {
  const server = await buildApp()
  t.teardown(() => server.close())
  const address = await server.listen({ port: 0, host: '127.0.0.1' })
  const [remote, local] = await Promise.all([
    sizing(['estimate', 'mistersmith', '--agents', '250', '--format', 'text', '--url', address]),
    sizing(['estimate', 'mistersmith', '--agents', '250', '--format', 'text'])
  ])
  t.equal(remote.code, 0)
  t.equal(remote.stdout, local.stdout)
  await server.close()
  const down = await sizing(['models', '--url', address])
  t.equal(down.code, 3, 'an unreachable service is not a usage error')
  t.match(down.stderr, `sizing: cannot reach ${address}: ECONNREFUSED`)
})

t.test('needsTypeScriptLoader: Node 20\'s refusal of .ts and Node 24\'s type stripping without .js -> .ts', async (t) => {
  const { needsTypeScriptLoader } = await import('../../bin/launch.js' as string) as { needsTypeScriptLoader: (error: unknown, source: URL) => boolean }
  const source = new URL('file:///repo/src/cli/main.ts')
  t.equal(needsTypeScriptLoader({ code: 'ERR_UNKNOWN_FILE_EXTENSION' }, source), true, 'Node 20')
  t.equal(needsTypeScriptLoader({ code: 'ERR_MODULE_NOT_FOUND', url: 'file:///repo/src/cli/cli.js' }, source), true, 'Node 24: ./cli.js of the sources')
  t.equal(needsTypeScriptLoader({ code: 'ERR_MODULE_NOT_FOUND', url: 'file:///repo/node_modules/x/index.js' }, source), false, 'a missing dependency is a real error')
  t.equal(needsTypeScriptLoader({ code: 'ERR_MODULE_NOT_FOUND', url: 'file:///repo/src/cli/data.json' }, source), false)
  t.equal(needsTypeScriptLoader({ code: 'ERR_MODULE_NOT_FOUND' }, source), false)
  t.equal(needsTypeScriptLoader(new SyntaxError('broken'), source), false)
  t.equal(needsTypeScriptLoader(undefined, source), false)
})

t.test('the launcher: in a checkout the sources or the bundle, in a package the build; never dist/ older than the sources', async (t) => {
  // @ts-expect-error -- plain JavaScript next to the executable, no declarations
  const { launch } = await import('../../bin/launch.js') as { launch: (url: string, deps: object) => Promise<unknown> }
  const binUrl = 'file:///app/bin/sizing.js'
  const bundleUrl = new URL('file:///app/node_modules/.cache/sizing-cli/main.mjs')
  // loadable: what the runtime can import before tsx (a .ts only with a loader already active)
  const run = async (present: string[], { tsx = async () => {}, loaderActive = false, bundle = async () => undefined as URL | undefined, stale = () => undefined as string | undefined } = {}) => {
    const loaded: string[] = []
    let stderr = ''
    let exitCode: number | undefined
    let tsxOn = loaderActive
    await launch(binUrl, {
      exists: (url: URL) => present.includes(url.pathname),
      tsx: async () => { await tsx(); tsxOn = true },
      bundle,
      stale,
      load: async (url: URL) => {
        if (url.pathname.endsWith('.ts') && !tsxOn) throw Object.assign(new TypeError('Unknown file extension ".ts"'), { code: 'ERR_UNKNOWN_FILE_EXTENSION' })
        loaded.push(`${url.pathname}${url.search}`)
      },
      stderr: (text: string) => { stderr += text },
      setExitCode: (code: number) => { exitCode = code }
    })
    return { loaded, stderr, exitCode }
  }
  const checkout = ['/app/src/cli/main.ts', '/app/dist/cli/main.js']
  const never = async (): Promise<never> => { throw new Error('not needed') }
  const noTsx = async () => { throw Object.assign(new Error('Cannot find package tsx'), { code: 'ERR_MODULE_NOT_FOUND' }) }
  const ok = (loaded: string) => ({ loaded: [loaded], stderr: '', exitCode: undefined })
  t.same(await run(checkout, { tsx: never, bundle: never, loaderActive: true }), ok('/app/src/cli/main.ts'), 'a checkout: the sources, through the loader the runtime has')
  t.same(await run(checkout, { tsx: never, bundle: async () => bundleUrl }), ok(bundleUrl.pathname), 'or the bundle, current with the sources')
  t.same(await run(checkout), ok('/app/src/cli/main.ts?tsx'), 'or without esbuild, the sources through tsx')
  await t.rejects(launch(binUrl, { exists: () => true, load: async () => { throw new SyntaxError('broken source') } }), { message: 'broken source' }, 'a broken source is not hidden behind the build')
  await t.rejects(run(checkout, { tsx: async () => { throw new Error('tsx broke') } }), { message: 'tsx broke' }, 'a broken tsx is not hidden')
  t.same(await run(checkout, { tsx: noTsx }), ok('/app/dist/cli/main.js'), 'without the dev dependencies, the build when no source is newer')
  t.same(await run(checkout, { tsx: noTsx, stale: () => 'src/cli/cli.ts' }), { loaded: [], stderr: 'sizing: dist/ is older than src/cli/cli.ts: run "npm run build" (or install the dev dependencies)\n', exitCode: 2 }, 'never an older build')
  const missing = { loaded: [], stderr: 'sizing: dist/ is missing: run "npm run build" first (or install the dev dependencies)\n', exitCode: 2 }
  t.same(await run(['/app/src/cli/main.ts'], { tsx: noTsx }), missing)
  t.same(await run(['/app/dist/cli/sizing.mjs', '/app/dist/cli/main.js'], { tsx: never, bundle: never }), ok('/app/dist/cli/sizing.mjs'), 'a package or the image: the build\'s bundle')
  t.same(await run(['/app/dist/cli/main.js'], { tsx: never, bundle: never }), ok('/app/dist/cli/main.js'), 'or the compiled modules')
  t.same(await run([]), missing)
  const { registerTsx } = await import('../../bin/launch.js' as string) as { registerTsx: (api?: string) => Promise<void> }
  await registerTsx('data:text/javascript,globalThis.sizingTsxProbe = 0; export const register = () => { globalThis.sizingTsxProbe = 1 }')
  t.equal((globalThis as { sizingTsxProbe?: number }).sizingTsxProbe, 1, 'registerTsx calls the API\'s register')
  // the real defaults, where nothing exists: the reason on this process's stderr, exit code 2
  const previous = process.exitCode
  await launch('file:///nonexistent/bin/sizing.js', {})
  t.equal(process.exitCode, 2)
  process.exitCode = previous
})

t.test('checkoutBundle: the cached bundle when current, else built now; none without esbuild or a writable cache', async (t) => {
  const { checkoutBundle } = await import('../../bin/launch.js' as string) as { checkoutBundle: (root: URL, deps?: object) => Promise<URL | undefined> }
  const root = new URL('file:///app/')
  const cached = 'file:///app/node_modules/.cache/sizing-cli/main.mjs'
  const attempt = async ({ current = false, build = async () => {}, esbuild = async () => ({ stop: async () => { stopped++ } }) as object } = {}) => {
    const built: string[] = []
    const result = await checkoutBundle(root, {
      bundler: async () => ({
        bundleIsCurrent: (bundle: URL, at: URL) => current && bundle.href === cached && at === root,
        bundleCli: async (at: URL, bundle: URL, builder: object) => { built.push(`${at.href} -> ${bundle.href}`); t.ok('stop' in builder); await build() }
      }),
      esbuild
    })
    return { url: result?.href, built }
  }
  let stopped = 0
  t.same(await attempt({ current: true, esbuild: async () => { throw new Error('not needed') } }), { url: cached, built: [] }, 'current: no esbuild')
  t.same(await attempt(), { url: cached, built: [`file:///app/ -> ${cached}`] }, 'built now')
  t.equal(stopped, 1, 'esbuild\'s service is stopped after the build')
  t.same(await attempt({ esbuild: async () => { throw Object.assign(new Error('Cannot find package esbuild'), { code: 'ERR_MODULE_NOT_FOUND' }) } }), { url: undefined, built: [] }, 'no esbuild: no bundle')
  await t.rejects(attempt({ esbuild: async () => { throw new Error('esbuild broke') } }), { message: 'esbuild broke' })
  for (const code of ['EACCES', 'EROFS', 'EPERM']) {
    t.same((await attempt({ build: async () => { throw Object.assign(new Error(code), { code }) } })).url, undefined, `${code}: a read-only checkout runs the sources`)
  }
  await t.rejects(attempt({ build: async () => { throw new Error('Build failed with 1 error: src/cli/cli.ts:1:1: ERROR: Unexpected "}"') } }), { message: /Build failed/ }, 'a source esbuild cannot read is an error, not the build')
  t.equal(stopped, 5, 'and stopped whatever the build did')
  // the real bundler, on this checkout; the real esbuild, handed to a bundler that finds the bundle old
  const checkoutRoot = new URL('../../', import.meta.url)
  t.equal((await checkoutBundle(checkoutRoot))?.href, new URL('node_modules/.cache/sizing-cli/main.mjs', checkoutRoot).href)
  const handed: string[] = []
  await checkoutBundle(checkoutRoot, { bundler: async () => ({ bundleIsCurrent: () => false, bundleCli: async (_at: URL, _bundle: URL, builder: { build: unknown }) => { handed.push(typeof builder.build) } }) })
  t.same(handed, ['function'], 'esbuild\'s API')
})

t.test('staleSource: the first source newer than its compiled module, or without one', async (t) => {
  const { staleSource } = await import('../../bin/launch.js' as string) as { staleSource: (root: URL) => string | undefined }
  const root = pathToFileURL(`${mkdtempSync(join(tmpdir(), 'sizing-stale-'))}/`)
  const write = (path: string, seconds: number) => {
    mkdirSync(new URL('.', new URL(path, root)), { recursive: true })
    writeFileSync(new URL(path, root), '')
    utimesSync(new URL(path, root), seconds, seconds)
  }
  write('src/app.ts', 100)
  write('src/cli/cli.ts', 100)
  write('src/data.json', 500)
  write('dist/app.js', 200)
  write('dist/cli/cli.js', 200)
  t.equal(staleSource(root), undefined, 'every source compiled after its last change')
  write('src/cli/cli.ts', 300)
  t.equal(staleSource(root), 'src/cli/cli.ts')
  write('src/cli/cli.ts', 100)
  write('src/cli/args.ts', 100)
  t.equal(staleSource(root), 'src/cli/args.ts', 'a source never compiled')
})

t.test('enableCompileCache: Node 22.1+ caches compiled code, except under coverage', async (t) => {
  const { enableCompileCache } = await import('../../bin/launch.js' as string) as { enableCompileCache: (env?: object, module?: object) => boolean }
  let enabled = 0
  const module = { enableCompileCache: () => { enabled++ } }
  t.equal(enableCompileCache({}, module), true)
  t.equal(enableCompileCache({ NODE_V8_COVERAGE: '/tmp/coverage' }, module), false)
  t.equal(enableCompileCache({}, {}), false, 'Node 20 has none')
  t.equal(enabled, 1)
  t.type(enableCompileCache(), 'boolean', 'this process: enabled on Node 22.1+ unless under coverage')
})
