// The CLI bundled into one file (bin/bundle.js): the same answers as the service's from a checkout's
// cache and from a package's dist/, and a stamp that notices any change to its inputs.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { type Finished, runNode } from './node-process.js'

interface BundleModule {
  bundleCli: (root: URL, outfile: URL, esbuild: object, options?: { now?: () => number }) => Promise<void>
  bundleIsCurrent: (bundle: URL, root: URL) => boolean
  fileStamp: (path: string) => string | undefined
  main: (args: string[], root?: URL, esbuild?: () => Promise<object>) => Promise<void>
  UNSETTLED_MS: number
}
const { bundleCli, bundleIsCurrent, fileStamp, main, UNSETTLED_MS } = await import('../../bin/bundle.js' as string) as BundleModule

const root = new URL('../../', import.meta.url)
const scratch = mkdtempSync(join(tmpdir(), 'sizing-bundle-'))
t.teardown(() => { rmSync(scratch, { recursive: true, force: true }) })

/** Plain node; coverage collection off unless asked (bin/bundle.js is plain JavaScript, so its coverage merges). */
const node = async (args: string[], { coverage = false, stdin = '' } = {}): Promise<Finished> => await runNode(args, { coverage, stdin })

const app = await buildApp()
t.teardown(() => app.close())
const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version
const valuesMedium = readFileSync(new URL('data/aeterna/values-medium.yaml', root), 'utf8')

t.test('node bin/bundle.js <outfile>: the CLI in one file, answering as the service does', async (t) => {
  const outfile = join(scratch, 'cli', 'main.mjs')
  const built = await node([new URL('bin/bundle.js', root).pathname, outfile], { coverage: true })
  t.same(built, { code: 0, stdout: '', stderr: '' })
  t.equal(bundleIsCurrent(pathToFileURL(outfile), root), true, 'current: nothing changed since')
  const text = readFileSync(outfile, 'utf8')
  t.match(text, /^\/\/ sizing-cli-bundle \{"inputs":\{/, 'the stamp first')
  t.match(text, /"src\/cli\/main\.ts":/)
  t.notMatch(text, /^#!/m, 'no #! line after the stamp')
  t.match(text, './plugins/docs.js is the service\'s: the CLI\'s bundle builds a one-shot app', 'the service\'s modules are stand-ins')
  t.notMatch(text, 'swagger-ui', 'Swagger UI is not bundled')
  const [estimate, tier, catalogue, validation, versionLine] = await Promise.all([
    node([outfile, 'estimate', 'engram', '--expected-nodes', '2e6', '--format', 'yaml']),
    node([outfile, 'tiers', 'medium', '--format', 'yaml']),
    node([outfile, 'models', '--format', 'text']),
    node([outfile, 'validate', 'aeterna', '-'], { stdin: readFileSync(new URL('data/aeterna/values-small.yaml', root), 'utf8') }),
    node([outfile, '--version'])
  ])
  t.same(estimate, { code: 0, stdout: (await app.inject({ method: 'POST', url: '/estimate/engram?format=yaml', payload: { expectedNodes: 2e6 } })).body, stderr: '' })
  t.same(tier, { code: 0, stdout: valuesMedium, stderr: '' }, 'the values file, read from data/ beside the sources')
  t.same(catalogue, { code: 0, stdout: (await app.inject({ method: 'GET', url: '/estimates?format=text' })).body, stderr: '' })
  t.equal(validation.code, 1)
  t.match(validation.stderr, 'sizing: validation failed:')
  t.same(versionLine, { code: 0, stdout: `${version}\n`, stderr: '' }, 'package.json, read beside the sources')
})

t.test('a package: bin/, the build\'s dist/ (npm run build, then node bin/bundle.js), data/, generated/, no src/', async (t) => {
  // a checkout of its own, so that its bundle goes where a build puts it: dist/cli/sizing.mjs
  const checkout = join(scratch, 'checkout')
  for (const path of ['src', 'web', 'bin', 'data', 'generated', 'package.json', 'tsconfig.json']) cpSync(new URL(path, root), join(checkout, path), { recursive: true })
  symlinkSync(new URL('node_modules', root), join(checkout, 'node_modules'))
  t.same(await node([join(checkout, 'bin', 'bundle.js')]), { code: 0, stdout: '', stderr: '' })
  t.ok(['index.html', 'app.js', 'app.css'].every((name) => existsSync(join(checkout, 'dist', 'web', name))), 'and the page in dist/web/')
  const pkg = join(scratch, 'package')
  for (const path of ['bin', 'dist', 'data', 'generated', 'package.json']) cpSync(join(checkout, path), join(pkg, path), { recursive: true })
  symlinkSync(new URL('node_modules', root), join(pkg, 'node_modules'))
  const sizing = join(pkg, 'bin', 'sizing.js')
  const [estimate, tier, gate] = await Promise.all([
    node([sizing, 'estimate', 'engram', '--expected-nodes', '2e6', '--format', 'text']),
    node([sizing, 'tiers', 'medium', '--format', 'yaml']),
    node([sizing, 'estimate', 'engram', '--expected-nodes', '2e6', '--fail-on', 'memory>2'])
  ])
  t.same(estimate, { code: 0, stdout: (await app.inject({ method: 'POST', url: '/estimate/engram?format=text', payload: { expectedNodes: 2e6 } })).body, stderr: '' })
  t.same(tier, { code: 0, stdout: valuesMedium, stderr: '' }, 'data/ of the package')
  t.equal(gate.code, 1)
  t.same(JSON.parse(gate.stdout), JSON.parse((await app.inject({ method: 'POST', url: '/estimate/engram', payload: { expectedNodes: 2e6 } })).body))
  t.equal(gate.stderr, 'sizing: gate failed: memory>2 (recommendations.memoryGiB = 4)\n')
})

t.test('the stamp: any change to an input, or an input gone, makes the bundle old', async (t) => {
  const at = join(scratch, 'stamped')
  const rootUrl = pathToFileURL(`${at}/`)
  const write = (path: string, text: string) => {
    mkdirSync(join(at, path, '..'), { recursive: true })
    writeFileSync(join(at, path), text)
  }
  write('src/cli/main.ts', 'import { x } from \'./x.js\'\n')
  write('src/cli/x.ts', 'export const x = 1\n')
  write('tsconfig.json', '{}\n')
  // esbuild's answer for such a checkout: the inputs read (a stand-in's under its namespace) and the code
  const esbuild = {
    build: async (options: { absWorkingDir: string, entryPoints: string[] }) => {
      t.equal(options.absWorkingDir, `${at}/`)
      t.same(options.entryPoints, ['src/cli/main.ts'])
      return {
        metafile: { inputs: { 'src/cli/main.ts': {}, 'src/cli/x.ts': {}, 'service-only:./plugins/docs.js': {} } },
        outputFiles: [{ text: '#!/usr/bin/env node\nconsole.log(1)\n' }]
      }
    }
  }
  const bundle = new URL('node_modules/.cache/sizing-cli/main.mjs', rootUrl)
  // a file written just before the build may change again unseen: it is not trusted
  await bundleCli(rootUrl, bundle, esbuild)
  t.equal(bundleIsCurrent(bundle, rootUrl), false, 'inputs written just now')
  t.match(readFileSync(bundle, 'utf8'), '"src/cli/x.ts":"changed while bundling"')
  const later = () => Date.now() + UNSETTLED_MS + 1000
  await bundleCli(rootUrl, bundle, esbuild, { now: later })
  t.equal(bundleIsCurrent(bundle, rootUrl), true)
  const [stamp, code] = readFileSync(bundle, 'utf8').split('\n')
  t.equal(code, 'console.log(1)', 'the #! line goes: only a first line may be one')
  const inputs = Object.keys((JSON.parse(stamp.replace('// sizing-cli-bundle ', '')) as { inputs: object }).inputs)
  t.same(inputs, ['src/cli/main.ts', 'src/cli/x.ts', 'tsconfig.json', relative(at, new URL('bin/bundle.js', root).pathname)], 'each input read, the compiler settings and the recipe; no stand-in')
  write('src/cli/x.ts', 'export const x = 2\n')
  t.equal(bundleIsCurrent(bundle, rootUrl), false, 'a changed source')
  await bundleCli(rootUrl, bundle, esbuild, { now: later })
  t.equal(bundleIsCurrent(bundle, rootUrl), true)
  const stampBefore = fileStamp(join(at, 'tsconfig.json'))
  writeFileSync(join(at, 'tsconfig.json'), '{}\n')
  t.not(fileStamp(join(at, 'tsconfig.json')), stampBefore, 'the same bytes written again')
  t.equal(bundleIsCurrent(bundle, rootUrl), false)
  await bundleCli(rootUrl, bundle, esbuild, { now: later })
  rmSync(join(at, 'src/cli/x.ts'))
  t.equal(bundleIsCurrent(bundle, rootUrl), false, 'a source gone')
  t.equal(fileStamp(join(at, 'src/cli/x.ts')), undefined)
  t.equal(bundleIsCurrent(new URL('missing.mjs', rootUrl), rootUrl), false, 'no bundle')
  write('other.mjs', 'console.log(1)\n')
  t.equal(bundleIsCurrent(new URL('other.mjs', rootUrl), rootUrl), false, 'not a bundle')
  write('broken.mjs', '// sizing-cli-bundle {"inputs":')
  t.equal(bundleIsCurrent(new URL('broken.mjs', rootUrl), rootUrl), false, 'a stamp cut short')
})

t.test('main: dist/cli/sizing.mjs, dist/service/ and dist/web/ unless told where, esbuild stopped after', async (t) => {
  const at = join(scratch, 'main')
  mkdirSync(join(at, 'web'), { recursive: true })
  writeFileSync(join(at, 'web/index.html'), '<!doctype html>\n')
  const built: string[] = []
  let stopped = 0
  const esbuild = async () => ({
    build: async (options: { outfile?: string, outdir?: string }) => {
      built.push(options.outfile ?? options.outdir as string)
      return { metafile: { inputs: {} }, outputFiles: [{ text: 'export {}\n' }] }
    },
    stop: async () => { stopped++ }
  })
  await main([], pathToFileURL(`${at}/`), esbuild)
  await main([join(at, 'elsewhere.mjs')], pathToFileURL(`${at}/`), esbuild)
  t.same(built, [join(at, 'dist/cli/sizing.mjs'), join(at, 'dist/service/'), join(at, 'dist/web/'), join(at, 'elsewhere.mjs')], 'the CLI, the service and the page; with an outfile, the CLI alone')
  t.equal(readFileSync(join(at, 'dist/web/index.html'), 'utf8'), '<!doctype html>\n', 'the page\'s index.html as written')
  t.equal(stopped, 2)
  t.match(readFileSync(join(at, 'dist/cli/sizing.mjs'), 'utf8'), /"tsconfig\.json":"changed while bundling"/, 'an input that is not there is never current')
})
