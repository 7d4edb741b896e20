// Every documented example is executed (issue 26): each command of the ```console blocks of README.md
// and docs/*.md, and each <details> example, runs in bash as a user types it in a checkout (curl, jq,
// npx sizing), against a real server, and its output is compared with the document under the elision
// convention of test/doc-examples/examples.ts (also at the top of docs/examples.md), and nothing else.
//
// How the examples run:
// - The server: src/server.ts in a child process (as test/server.test.ts starts it: the code `npm
//   start` builds into dist/, without rebuilding dist/ under the other tests), on two free loopback
//   ports. The documents say `localhost:8080` (API) and `localhost:9090` (metrics): those two, and the
//   demo's example URL `http://127.0.0.1:38693`, are rewritten to the real ports and URL in the
//   commands, in their expected output and in the files below. That is the only rewriting.
// - Background commands (ending with `&`): `npm run calibration-demo &` is run as written (once for
//   the whole file, from its start; it prints its URL); `[VAR=value ...] npm start &` starts a server
//   with those variables (one per set of variables), which serves the rest of that document.
// - The examples needing Prometheus (a block with `calibration-demo`, `PROMETHEUS_URL=`,
//   `--prometheus` or `/calibrate/`) skip, with the demo's own reason, where Debian's prometheus is
//   missing.
// - Each document's commands run in order (a command may read a file an earlier one wrote), in a
//   scratch directory of its own that links to every top-level entry of the checkout (`data/`,
//   `test/`, `node_modules/`, `package.json`, ...), so `npx sizing` and the relative paths work and
//   the files the examples write (plan.json, values.yaml, ...) stay out of the checkout. The shell
//   has the user's environment: no tap or coverage variables, no node_modules/.bin on the PATH.
// - A command must exit 0 (an example that shows a failing exit code says `; echo "exit $?"`).
// - Fenced blocks with `file=<name>` after the language (docs/api.md's client) are written to <name>
//   in the document's scratch directory, in document order, before its commands run.
// - Each ```sh block is either listed below with why it is not run, or fails the test.
// The generated pictures docs/*.svg are written again by the command each document names and must be
// byte-equal to the committed files (WRITE_DOC_PICTURES=1 rewrites them). The PNG screenshots
// (docs/page-*.png, `WRITE_SCREENSHOTS=1 npx tap test/browser/page.test.ts --disable-coverage`) are
// not compared: Chromium's pixels differ between its builds.
// Nothing here measures time: a slow, busy machine only takes longer.
import t, { type Test } from 'tap'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Block, type Example, matchOutput, outputLines, parseExamples, shellBlocks } from './doc-examples/examples.js'
import { freePort } from './free-port.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Every document; DOC_EXAMPLES=docs/cli.md (comma-separated) runs only those, while editing them. */
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]
  .filter((doc) => process.env.DOC_EXAMPLES === undefined || process.env.DOC_EXAMPLES.split(',').includes(doc))
/** Generous: a CLI call rebuilding its bundle, tsc over the generated client, on a loaded 2-core machine. */
const COMMAND_TIMEOUT_MS = 180_000

/** The ```sh blocks that are not examples to run, by document and first line, and why. */
const SHELL_BLOCKS_NOT_RUN: Record<string, string> = {
  'README.md npm ci && npm start     # builds (tsc, bundles) and serves the API on :8080, metrics on :9090':
    'the set-up this suite itself runs under (npm ci would reinstall the shared node_modules)',
  'docs/cli.md npx sizing estimate engram --expected-nodes 2e6 --format yaml':
    'a synopsis of every command with placeholder files (workload.yaml, before.json, http://prometheus:9090); the console examples and test/cli run each command',
  'docs/deployment.md docker build -t sizing-service:0.4.0 .':
    'a registry and a cluster: scripts/image-check.sh builds and runs this Dockerfile with podman (CI runs it), test/chart.test.ts renders and validates the chart with a real Helm',
  'docs/api.md npm install openapi-fetch @types/node':
    "the installs of the typed-client recipe: the checkout's devDependencies already pin the same packages (checked below), and the test must not change node_modules"
}

/** The pictures in docs/ and the example that writes each, by the command's start. */
const PICTURES: Record<string, { doc: string, command: string }> = {
  'docs/sweep-example.svg': { doc: 'docs/analyses.md', command: 'npx sizing sweep engram --vary opsPerSec=1000..20000:20' },
  'docs/forecast-example.svg': { doc: 'docs/examples.md', command: "curl -s -X POST 'localhost:8080/forecast/engram?format=svg'" }
}

/** The environment a user's shell has: none of tap's or coverage's variables, no node_modules/.bin on the PATH. */
function userEnvironment (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TAP|_TAP|NODE_OPTIONS$|NODE_V8_COVERAGE$|npm_|NYC|C8)/i.test(key)) continue
    env[key] = value
  }
  env.PATH = (process.env.PATH ?? '').split(':').filter((entry) => !entry.includes('node_modules/.bin')).join(':')
  // npm's notice of a newer npm comes and goes with the registry, not with the documents
  env.npm_config_update_notifier = 'false'
  // below package.json's engines (the README asks for Node 22 or 24; the suite still runs on 20),
  // every npx and npm run warns EBADENGINE first: the documents show a supported Node's output
  const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  const minimum = Number(/>=\s*(\d+)/.exec(engines.node)?.[1] ?? 0)
  if (Number(process.versions.node.split('.')[0]) < minimum) env.npm_config_loglevel = 'error'
  return env
}
const USER_ENV = userEnvironment()

/** exited: the process ended; closed: its standard output and error are read to the end as well. */
interface Process { child: ChildProcess, output: () => string, exited: Promise<unknown>, closed: Promise<unknown> }

/** A process in a group of its own, its standard output and error in one string. */
function start (command: string, args: string[], options: { cwd: string, env: NodeJS.ProcessEnv }): Process {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = once(child, 'exit').catch(() => undefined)
  const closed = once(child, 'close').catch(() => undefined)
  return { child, output: () => output, exited, closed }
}

/** Ends a process group we started: SIGTERM, then SIGKILL after a while. */
async function stopGroup (process_: Process | undefined): Promise<void> {
  if (process_ === undefined || process_.child.pid === undefined) return
  const pid = process_.child.pid
  if (process_.child.exitCode === null && process_.child.signalCode === null) {
    try { process.kill(-pid, 'SIGTERM') } catch {}
    const killer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL') } catch {} }, 20_000)
    await process_.exited
    clearTimeout(killer)
  }
  // anything the group left behind (npm run's children)
  try { process.kill(-pid, 'SIGKILL') } catch {}
}

async function waitFor<T> (what: string, poll: () => Promise<T | undefined>, failed: () => string | undefined): Promise<T> {
  const deadline = Date.now() + 240_000
  for (;;) {
    const value = await poll()
    if (value !== undefined) return value
    const failure = failed()
    if (failure !== undefined) throw new Error(`${what}: ${failure}`)
    if (Date.now() > deadline) throw new Error(`${what}: not within 240 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// --- the calibration demo and the servers ---

interface Server { process: Process, apiPort: number, metricsPort: number, env: Record<string, string> }

let demo: Process | undefined
/** The demo's URL, or why there is none (Debian's prometheus missing). */
let demoReady: Promise<{ url: string } | { missing: string }> | undefined
const servers = new Map<string, Promise<Server>>()

/** `npm run calibration-demo`, as docs/calibration.md and the README run it: once, from the first test on. */
function startDemo (): void {
  demo = start('npm', ['run', 'calibration-demo'], { cwd: ROOT, env: USER_ENV })
  const demoProcess = demo
  demoReady = waitFor('npm run calibration-demo', async () => {
    const url = /with the generated week at (http:\/\/\S+)/.exec(demoProcess.output())?.[1]
    if (url !== undefined) return { url }
    if (demoProcess.child.exitCode === null) return undefined
    // the demo exits 1 naming what is missing (Debian's prometheus); any other failure fails the test
    const reason = (/calibration-demo: (.*)/.exec(demoProcess.output())?.[1] ?? demoProcess.output()).trim()
    if (/missing tool|\bno \/\S*prom/i.test(reason)) return { missing: `${reason} (npm run calibration-demo)` }
    throw new Error(`npm run calibration-demo failed: ${demoProcess.output()}`)
  }, () => undefined)
  demoReady.catch(() => {})
}

/** The service (src/server.ts, as test/server.test.ts runs it) with these variables, on free ports; one per set of variables. */
async function serverWith (env: Record<string, string>): Promise<Server> {
  const key = JSON.stringify(env)
  let server = servers.get(key)
  if (server === undefined) {
    server = (async () => {
      const [apiPort, metricsPort] = [await freePort(), await freePort()]
      // process.execArgv carries tap's TypeScript loader, so the child runs src/server.ts directly
      const child = start(process.execPath, [...process.execArgv, join(ROOT, 'src/server.ts')], {
        cwd: ROOT,
        // load shedding off and a generous worker budget: the documents show answers on an idle
        // machine, and on a loaded one (CI, a CPU hog beside the suite) the service would rightly
        // answer some of them 503 (seen: /estimate/aurora shed under a busy run). An example's own
        // variables still win
        env: { ...process.env, HOST: '127.0.0.1', WORKER_THREADS: '1', MAX_EVENT_LOOP_UTILIZATION: '0', MAX_EVENT_LOOP_DELAY_MS: '0', WORKER_TASK_TIMEOUT_MS: '240000', ...env, PORT: String(apiPort), METRICS_PORT: String(metricsPort) }
      })
      const started: Server = { process: child, apiPort, metricsPort, env }
      startedServers.push(started)
      await waitFor('the server', async () => {
        const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`).then((answer) => answer.status === 200, () => false)
        return ready ? true : undefined
      }, () => child.child.exitCode === null ? undefined : `exited: ${child.output()}`)
      return started
    })()
    servers.set(key, server)
  }
  return await server
}
const startedServers: Server[] = []

t.before(() => {
  startDemo()
  // `npm start`: the server most examples run against, started while the demo backfills
  serverWith({}).catch(() => {})
})

t.teardown(async () => {
  await Promise.all(startedServers.map(async (server) => { await stopGroup(server.process) }))
  await stopGroup(demo)
})

/** Where a block's commands are: its server, and the demo's URL. */
interface Context { server: Server, prometheusUrl?: string }

/** The only rewriting: the documents' ports and the demo's example URL to the real ones. */
function rewrite (text: string, context: Context): string {
  let rewritten = text.replaceAll('localhost:8080', `localhost:${context.server.apiPort}`).replaceAll('localhost:9090', `localhost:${context.server.metricsPort}`)
  if (context.prometheusUrl !== undefined) rewritten = rewritten.replaceAll('http://127.0.0.1:38693', context.prometheusUrl)
  return rewritten
}

/** A scratch directory linking to every top-level entry of the checkout. */
function scratchDirectory (t: Test, name: string): string {
  const directory = mkdtempSync(join(tmpdir(), `sizing-doc-${name.replace(/\W+/g, '-')}-`))
  for (const entry of readdirSync(ROOT)) {
    if (entry === '.git') continue
    symlinkSync(join(ROOT, entry), join(directory, entry))
  }
  t.teardown(() => { rmSync(directory, { recursive: true, force: true }) })
  return directory
}

/** Runs one command in bash, standard output and error as one stream, as a terminal shows them. */
async function run (command: string, cwd: string): Promise<{ code: number | null, signal: string | null, output: string }> {
  const shell = start('bash', ['-c', `{\n${command}\n} 2>&1`], { cwd, env: USER_ENV })
  const timer = setTimeout(() => { stopGroup(shell).catch(() => {}) }, COMMAND_TIMEOUT_MS)
  await shell.exited
  clearTimeout(timer)
  // anything the command left in the background
  try { process.kill(-(shell.child.pid as number), 'SIGKILL') } catch {}
  // 'exit' may come before the last of the output has been read from the pipes (seen on a busy
  // machine: a curl's whole answer missing): wait for them to close, a few seconds at most
  await Promise.race([shell.closed, new Promise((resolve) => setTimeout(resolve, 5000))])
  return { code: shell.child.exitCode, signal: shell.child.signalCode, output: shell.output() }
}

const NEEDS_PROMETHEUS = /calibration-demo|PROMETHEUS_URL=|--prometheus|\/calibrate\//

/** A background command: the test provides it; `npm start` with variables makes the block's server one with them. */
async function background (t: Test, example: Example, context: Context): Promise<void> {
  const command = example.command.replace(/\s+#.*$/, '').replace(/&$/, '').trim()
  if (command === 'npm run calibration-demo') {
    t.ok(context.prometheusUrl, `the demo runs at ${context.prometheusUrl ?? '?'} (started with the first test)`)
    return
  }
  const npmStart = /^((?:[A-Z_]+=\S+\s+)*)npm start$/.exec(command)
  if (npmStart === null) {
    t.fail(`unknown background command: ${example.command} (the test provides npm start and npm run calibration-demo only)`)
    return
  }
  const env = Object.fromEntries((npmStart[1] ?? '').trim().split(/\s+/).filter(Boolean).map((pair) => {
    const [key, ...value] = pair.split('=')
    return [key as string, rewrite(value.join('='), context)]
  }))
  context.server = await serverWith(env)
  t.pass(`src/server.ts with ${JSON.stringify(env)} on port ${context.server.apiPort}, metrics ${context.server.metricsPort} (npm start would rebuild dist/ under the other tests)`)
}

function describe (example: Example): string {
  const first = example.command.split('\n')[0] as string
  return `${example.doc}:${example.line} ${first.length > 100 ? first.slice(0, 97) + '...' : first}`
}

async function runExample (t: Test, example: Example, cwd: string, context: Context): Promise<void> {
  if (example.background) {
    await background(t, example, context)
    return
  }
  const result = await run(rewrite(example.command, context), cwd)
  t.equal(result.code, 0, `exit 0 (signal ${result.signal ?? 'none'})`)
  const expected = example.expected.map((line) => rewrite(line, context))
  const { ok, matchedLines } = matchOutput(expected, result.output)
  if (ok) {
    t.pass(`${outputLines(result.output).length} line(s) as documented`)
  } else {
    // tap's diff of the two texts, and where the document stops matching
    t.equal(outputLines(result.output).join('\n'), expected.join('\n'),
      `the output as documented: ${example.doc} line ${example.line + example.command.split('\n').length + matchedLines} is the first that cannot match (elisions: ... lines, "... words ..." and <...>)`)
  }
}

/** The fenced blocks with `file=<name>`, written to the scratch directory. */
function writeFiles (doc: string, text: string, directory: string, context: Context): string[] {
  const written: string[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```\w+\s+file=(\S+)\s*$/.exec(lines[index] as string)
    if (fence === null) continue
    const name = fence[1] as string
    let close = index + 1
    while (lines[close] !== '```') close++
    const body = lines.slice(index + 1, close).join('\n') + '\n'
    if (written.includes(name)) appendFileSync(join(directory, name), rewrite(body, context))
    else writeFileSync(join(directory, name), rewrite(body, context))
    written.push(name)
    index = close
  }
  if (written.length > 0) t.comment(`${doc}: wrote ${[...new Set(written)].join(', ')}`)
  return written
}

// two documents at a time (each in its own scratch directory; the metrics example counts only its own
// request): a CLI call is mostly waiting on one core
t.jobs = 2

for (const doc of DOCUMENTS) {
  const text = readFileSync(join(ROOT, doc), 'utf8')
  const blocks: Block[] = parseExamples(doc, text)
  const shell = shellBlocks(text)
  if (blocks.length === 0 && shell.length === 0) continue
  t.test(doc, { buffered: true }, async (t) => {
    for (const block of shell) {
      const key = `${doc} ${block.text.split('\n')[0] ?? ''}`
      t.test(`${doc}:${block.line} (sh block)`, async (t) => {
        const reason = SHELL_BLOCKS_NOT_RUN[key]
        if (reason === undefined) t.fail(`a sh block that is neither run nor listed: make it a console example, or list it in SHELL_BLOCKS_NOT_RUN with why (${key})`)
        else t.pass(`not run: ${reason}`)
      })
    }
    if (blocks.length === 0) return
    const directory = scratchDirectory(t, doc)
    const shared = await serverWith({})
    writeFiles(doc, text, directory, { server: shared })
    // one terminal session per document: a server a block starts serves the blocks after it
    const context: Context = { server: shared }
    for (const block of blocks) {
      let skip: string | undefined
      if (block.examples.some((example) => NEEDS_PROMETHEUS.test(example.command))) {
        const demo = await (demoReady as NonNullable<typeof demoReady>)
        if ('url' in demo) context.prometheusUrl = demo.url
        else skip = demo.missing
      }
      for (const example of block.examples) {
        await t.test(describe(example), { skip }, async (t) => { await runExample(t, example, directory, context) })
      }
    }
  })
}

t.test('the typed-client recipe (docs/api.md) installs what the checkout pins', async (t) => {
  const api = readFileSync(join(ROOT, 'docs/api.md'), 'utf8')
  const install = shellBlocks(api).map((block) => block.text).join('\n')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  t.match(install, 'typescript@~5.9', 'the recipe pins TypeScript 5 (openapi-typescript 7 does not run with TypeScript 6 or 7)')
  t.equal(pkg.devDependencies.typescript, '~5.9', 'the checkout runs it with the same TypeScript')
  for (const name of ['openapi-fetch', 'openapi-typescript', '@types/node']) {
    t.match(install, name, `the recipe installs ${name}`)
    t.ok(pkg.devDependencies[name], `the checkout has ${name}`)
  }
})

t.test('the pictures in docs/ are what their documented commands write', { buffered: true }, async (t) => {
  for (const [picture, { doc, command }] of Object.entries(PICTURES)) {
    t.test(picture, async (t) => {
      const text = readFileSync(join(ROOT, doc), 'utf8')
      const example = parseExamples(doc, text).flatMap((block) => block.examples).find((candidate) => candidate.command.startsWith(command))
      if (example === undefined) {
        t.fail(`${doc} has no example starting with ${command}`)
        return
      }
      const directory = scratchDirectory(t, picture)
      const result = await run(rewrite(example.command.replace(/\s*>\s*\S+$/, ''), { server: await serverWith({}) }), directory)
      t.equal(result.code, 0, `${describe(example)} exits 0`)
      const committed = readFileSync(join(ROOT, picture), 'utf8')
      if (process.env.WRITE_DOC_PICTURES === '1' && result.code === 0 && result.output !== committed) {
        writeFileSync(join(ROOT, picture), result.output)
        t.comment(`rewrote ${picture}`)
        return
      }
      t.equal(result.output, committed, `${picture} is byte for byte what ${doc}:${example.line} writes (WRITE_DOC_PICTURES=1 rewrites it)`)
    })
  }
})
