// Schemas compiled ahead of time (generated/): up to date with the route schemas, complete, and the
// same answers as the functions compiled at start, byte for byte.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { pathToFileURL } from 'node:url'
import { buildApp } from '../src/app.js'
import { GENERATED_DIRECTORY, loadCompiledSchemas } from '../src/compiled-schemas.js'
import { routeRequests } from './helpers.js'
import { renderCompiledSchemas } from '../scripts/compile-schemas-code.js'

const nodeMajor = Number.parseInt(process.versions.node, 10)
/** fast-json-stringify bakes per-Node array cutoffs into standalone code: Node 20's differ from 22's and 24's. */
const withoutCutoffs = (code: string): string => code.replaceAll(/arrayLength >= \d+/g, 'arrayLength >= N')

t.test('generated/ is what the schemas compile to (run `npm run compile-schemas` on Node 22 or later)', async (t) => {
  for (const [name, content] of Object.entries(await renderCompiledSchemas())) {
    const committed = readFileSync(new URL(name, GENERATED_DIRECTORY), 'utf8')
    // older than Node 22 the array cutoffs differ (the answers do not): compare the rest
    if (nodeMajor < 22) t.equal(withoutCutoffs(committed), withoutCutoffs(content), `${name} (array cutoffs aside, Node ${nodeMajor})`)
    else t.equal(committed, content, name)
  }
})

t.test('every schema the app compiles has its function in generated/', async (t) => {
  const compiled = loadCompiledSchemas()
  const missing: string[] = []
  const app = await buildApp({
    compiled,
    recorder: {
      validator: (key) => { if (!compiled.validators.has(key)) missing.push(key) },
      serializer: (key) => { if (!compiled.serializers.has(key)) missing.push(key) }
    }
  })
  await app.ready()
  await app.close()
  t.same(missing, [])
  t.ok(compiled.validators.size > 40 && compiled.serializers.size > 300, `${compiled.validators.size} validators, ${compiled.serializers.size} serializers`)
})

t.test('without generated/ every schema is compiled as before', async (t) => {
  const empty = loadCompiledSchemas(pathToFileURL(`${tmpdir()}/`))
  t.equal(empty.validators.size, 0)
  t.equal(empty.serializers.size, 0)
})

/** Every route's warm-up request in JSON and as text, and requests each validator refuses. */
async function answers (app: Awaited<ReturnType<typeof buildApp>>): Promise<string[]> {
  await app.ready()
  const requests = routeRequests(app, [undefined, 'text/plain'])
  const refused = [
    { method: 'POST' as const, url: '/estimate/engram', payload: { expectedNodez: 1 } },
    { method: 'GET' as const, url: '/estimate/aurora?agents=-1' },
    { method: 'GET' as const, url: '/tiers/medium?format=svg' },
    { method: 'POST' as const, url: '/sweep', payload: { model: 'engram', vary: [{ input: 'expectedNodes', from: 1, to: 2, points: 2 }], scenario: { activeRatio: 2 } } }
  ]
  const results: string[] = []
  for (const request of [...requests, ...refused]) {
    const response = await app.inject(request)
    results.push(`${request.method} ${request.url} ${response.statusCode} ${response.headers['content-type']}\n${response.body}`)
  }
  await app.close()
  return results
}

t.test('the same answers, byte for byte, as validators and serializers compiled at start or on first use', async (t) => {
  const none = { validators: new Map(), serializers: new Map() }
  const ahead = await answers(await buildApp())
  t.ok(ahead.length > 60, `${ahead.length} answers`)
  t.same(await answers(await buildApp({ compiled: none })), ahead, 'compiled at start')
  t.same(await answers(await buildApp({ compiled: none, lazyCompilation: true })), ahead, 'compiled on first use (the CLI without generated/)')
})
