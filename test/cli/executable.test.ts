// The real `sizing` executable (bin/sizing.js, as npx and package managers run it): each command's
// output and exit code through a child process, and --url against a listening service.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'

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
 * this process's. `asNpx` runs it as npx does, plain node (the launcher registers tsx), with
 * coverage collection off: two transforms of one source file cannot be merged.
 */
async function sizing (args: string[], stdin = '', asNpx = false): Promise<{ code: number | null, stdout: string, stderr: string }> {
  // tap's processinfo instruments every child it spawns; _TAPJS_PROCESSINFO_COVERAGE_=0 is its opt-out
  const child = asNpx
    ? spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', SIZING_URL: '', SIZING_API_TOKEN: '' } })
    : spawn(process.execPath, [...process.execArgv, bin, ...args], { cwd: dir, env: { ...process.env, SIZING_URL: '', SIZING_API_TOKEN: '' } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.end(stdin)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
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
  t.same(plainVersion, version, 'as npx runs it: plain node, tsx registered by the launcher')
  t.equal(plainEstimate.code, 1)
  t.equal(JSON.parse(plainEstimate.stdout).recommendations.memoryGiB, 3)
  t.equal(plainEstimate.stderr, 'sizing: gate failed: memory>2 (recommendations.memoryGiB = 3)\n')
})

t.test('estimate, tiers and validate through the executable', async (t) => {
  const [estimate, tiers, good, bad, help] = await Promise.all([
    sizing(['estimate', 'engram', '--expected-nodes', '2e6', '--format', 'yaml']),
    sizing(['tiers', 'medium', '--format', 'yaml']),
    sizing(['validate', 'aeterna', new URL('test/fixtures/aeterna/values-ha-complete.yaml', root).pathname]),
    sizing(['validate', 'aeterna', '-'], readFileSync(new URL('data/aeterna/values-small.yaml', root), 'utf8')),
    sizing(['estimate', '--help'])
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
    sizing(['diff', before, before, '--model', 'engram']),
    sizing(['diff', before, after, '--model', 'engram', '--fail-on', 'memory>32']),
    sizing(['sweep', 'engram', '--vary', 'expectedNodes=1e6..3e6:3', '--output', 'recommendations.memoryGiB', '--format', 'csv']),
    sizing(['sensitivity', 'engram', '--output', 'storage.totalGiB', '--format', 'text'])
  ])
  t.equal(same.code, 0)
  t.equal(JSON.parse(same.stdout).identical, true)
  t.equal(gated.code, 1)
  t.equal(gated.stderr, 'sizing: gate failed: memory>32 (recommendations.memoryGiB = 48)\n')
  t.equal(csv.code, 0)
  t.equal(csv.stdout, 'expectedNodes,recommendations.memoryGiB,warnings\r\n1000000,2,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE\r\n2000000,3,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE\r\n3000000,4,EVEN_CORE_COUNT WAL_DOMINATES_STORAGE\r\n')
  t.equal(sensitivity.code, 0)
  t.match(sensitivity.stdout, /^(opsPerSec|retentionDays)\s+[\d,]+\s+1,951\.2042\s+2,383\.7909/m)
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

t.test('the launcher: sources through tsx in a checkout, the build without them, a reason without either', async (t) => {
  // @ts-expect-error -- plain JavaScript next to the executable, no declarations
  const { launch } = await import('../../bin/launch.js') as { launch: (url: string, deps: object) => Promise<unknown> }
  const binUrl = 'file:///app/bin/sizing.js'
  // loadable: what the runtime can import before tsx (a .ts only with a loader already active)
  const run = async (present: string[], tsx: () => Promise<void>, loaderActive = false) => {
    const loaded: string[] = []
    let stderr = ''
    let exitCode: number | undefined
    let tsxOn = loaderActive
    await launch(binUrl, {
      exists: (url: URL) => present.includes(url.pathname),
      tsx: async () => { await tsx(); tsxOn = true },
      load: async (url: URL) => {
        if (url.pathname.endsWith('.ts') && !tsxOn) throw Object.assign(new TypeError('Unknown file extension ".ts"'), { code: 'ERR_UNKNOWN_FILE_EXTENSION' })
        loaded.push(`${url.pathname}${url.search}`)
      },
      stderr: (text: string) => { stderr += text },
      setExitCode: (code: number) => { exitCode = code }
    })
    return { loaded, stderr, exitCode }
  }
  const both = ['/app/src/cli/main.ts', '/app/dist/cli/main.js']
  const noTsx = async () => { throw Object.assign(new Error('Cannot find package tsx'), { code: 'ERR_MODULE_NOT_FOUND' }) }
  t.same(await run(both, async () => {}), { loaded: ['/app/src/cli/main.ts?tsx'], stderr: '', exitCode: undefined }, 'a checkout runs the sources through tsx')
  t.same(await run(both, async () => { throw new Error('not needed') }, true), { loaded: ['/app/src/cli/main.ts'], stderr: '', exitCode: undefined }, 'or through the loader the runtime has')
  await t.rejects(launch(binUrl, { exists: () => true, load: async () => { throw new SyntaxError('broken source') } }), { message: 'broken source' }, 'a broken source is not hidden behind the build')
  t.same(await run(both, noTsx), { loaded: ['/app/dist/cli/main.js'], stderr: '', exitCode: undefined }, 'without tsx, the build')
  t.same(await run(['/app/dist/cli/main.js'], async () => {}), { loaded: ['/app/dist/cli/main.js'], stderr: '', exitCode: undefined }, 'the image: no sources')
  t.same(await run([], async () => {}), { loaded: [], stderr: 'sizing: dist/ is missing: run "npm run build" first (or install the dev dependencies)\n', exitCode: 2 })
  await t.rejects(run(both, async () => { throw new Error('tsx broke') }), { message: 'tsx broke' }, 'a broken tsx is not hidden')
  const { registerTsx } = await import('../../bin/launch.js' as string) as { registerTsx: (api?: string) => Promise<void> }
  await registerTsx('data:text/javascript,globalThis.sizingTsxProbe = 0; export const register = () => { globalThis.sizingTsxProbe = 1 }')
  t.equal((globalThis as { sizingTsxProbe?: number }).sizingTsxProbe, 1, 'registerTsx calls the API\'s register')
  // the real defaults, where nothing exists: the reason on this process's stderr, exit code 2
  const previous = process.exitCode
  await launch('file:///nonexistent/bin/sizing.js', {})
  t.equal(process.exitCode, 2)
  process.exitCode = previous
})
