// A typed client generated from the committed OpenAPI document, as its users build one:
// openapi-typescript writes `paths`, openapi-fetch's createClient<paths> calls three operations with
// no type assertion. The calls compile under strict TypeScript, deliberate mistakes do not, and the
// compiled calls run against a real server that wants a bearer token.
import t from 'tap'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

const root = new URL('..', import.meta.url).pathname
// inside the repository (its node_modules resolve) but outside node_modules (tsx transforms it)
const directory = join(root, '.tap', `openapi-client-${process.pid}`)
mkdirSync(directory, { recursive: true })
t.teardown(() => { rmSync(directory, { recursive: true, force: true }) })

const types = astToString(await openapiTS(new URL('../openapi/openapi.json', import.meta.url)))
writeFileSync(join(directory, 'schema.d.ts'), types)

/**
 * The client, written as openapi-fetch's documentation shows. Every operation answers several media
 * types (JSON, YAML, text, ...), so openapi-fetch's second type parameter picks the JSON answers; the
 * Helm values file is read as text through a client for all media types.
 */
const CLIENT = `
import createClient from 'openapi-fetch'
import type { paths } from './schema.js'

export async function capacityReview (baseUrl: string, token: string) {
  const headers = { Authorization: \`Bearer \${token}\` }
  const client = createClient<paths, 'application/json'>({ baseUrl, headers })

  const { data: engram, error } = await client.POST('/estimate/engram', {
    body: { expectedNodes: 10_000_000, opsPerSec: 20_000 }
  })
  if (error) throw new Error(error.message)
  const memoryGiB: number = engram.recommendations.memoryGiB
  const warnings: string[] = engram.warnings.map((warning) => warning.code)

  const { data: aurora } = await client.GET('/estimate/aurora', { params: { query: { agents: 250 } } })
  const requiredAcu = aurora?.capacity.requiredAcu

  const { data: tier } = await client.GET('/tiers/{name}', { params: { path: { name: 'medium' } } })
  const tierName: 'small' | 'medium' | 'large' | undefined = tier?.name

  const files = createClient<paths>({ baseUrl, headers })
  const { data: valuesFile } = await files.GET('/tiers/{name}', {
    params: { path: { name: 'medium' }, query: { format: 'yaml' } },
    parseAs: 'text'
  })

  return { memoryGiB, warnings, requiredAcu, tierName, valuesFile }
}
`

/** Each mistake a typed client must catch, and a piece of the message TypeScript gives. */
const MISTAKES: Record<string, { code: string, message: RegExp }> = {
  // openapi-fetch infers the init argument, so an object literal written inside the call escapes
  // TypeScript's excess-property check (openapi-ts/openapi-typescript#1769): a body typed as the
  // operation's request body, as openapi-typescript's docs index it, gets the check
  'an unknown body field': {
    code: 'const body: operations[\'estimateEngram\'][\'requestBody\'][\'content\'][\'application/json\'] = { expectedNodes: 1, expectedNodez: 1 }\n  await client.POST(\'/estimate/engram\', { body })',
    message: /expectedNodez/
  },
  'a body field of the wrong type': {
    code: 'await client.POST(\'/estimate/engram\', { body: { expectedNodes: \'ten million\' } })',
    message: /Type 'string' is not assignable to type 'number'/
  },
  'a tier name outside the enum': {
    code: 'await client.GET(\'/tiers/{name}\', { params: { path: { name: \'huge\' } } })',
    message: /"huge"/
  },
  'a format the operation does not answer': {
    code: 'await client.GET(\'/estimate/engram\', { params: { query: { format: \'svg\' } } })',
    message: /"svg"/
  },
  'a figure the answer does not have': {
    code: 'const { data } = await client.POST(\'/estimate/engram\', { body: {} })\n  if (data) console.log(data.recommendations.memoryGB)',
    message: /memoryGB/
  },
  'a warning code that does not exist': {
    code: 'const { data } = await client.POST(\'/estimate/engram\', { body: {} })\n  if (data) console.log(data.warnings.some((warning) => warning.code === \'HORIZONTAL_SCALIN\'))',
    message: /HORIZONTAL_SCALIN/
  }
}

const mistakeSource = (code: string): string => `
import createClient from 'openapi-fetch'
import type { operations, paths } from './schema.js'

export async function mistake () {
  const client = createClient<paths, 'application/json'>({ baseUrl: 'http://localhost:8080' })
  ${code}
}
`

/** The diagnostics of one file under strict settings, as a user's project would compile it. */
function diagnostics (file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true
  })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

const clientFile = join(directory, 'client.ts')
writeFileSync(clientFile, CLIENT)

t.test('openapi-typescript generates the paths of every operation', async (t) => {
  t.match(types, /"\/estimate\/engram": \{/)
  t.match(types, /"application\/yaml": string;/)
  t.match(types, /name: "small" \| "medium" \| "large";/)
})

t.test('createClient<paths> calls to three operations compile with no type assertion', async (t) => {
  t.notMatch(CLIENT, / as [A-Z{]|<[A-Z]\w*>\(|!\./, 'no type assertion, no non-null assertion')
  t.same(diagnostics(clientFile), [])
})

t.test('deliberate mistakes do not compile', async (t) => {
  for (const [name, { code, message }] of Object.entries(MISTAKES)) {
    const file = join(directory, `mistake-${name.replaceAll(' ', '-')}.ts`)
    writeFileSync(file, mistakeSource(code))
    const found = diagnostics(file)
    t.ok(found.some((text) => message.test(text)), `${name}: ${found.join(' | ') || 'compiled'}`)
    t.comment(`${name}: ${found.join(' | ')}`)
  }
})

t.test('the compiled client runs against a server that wants a bearer token', async (t) => {
  const token = 'client-test-token'
  const app = await buildApp({ config: { ...loadConfig({}), API_TOKEN: token } })
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const { capacityReview } = await import(pathToFileURL(clientFile).href) as { capacityReview: (baseUrl: string, token: string) => Promise<Record<string, unknown>> }
  const review = await capacityReview(address, token)
  const engram = (await app.inject({ method: 'POST', url: '/estimate/engram', headers: { authorization: `Bearer ${token}` }, payload: { expectedNodes: 10_000_000, opsPerSec: 20_000 } })).json()
  t.equal(review.memoryGiB, engram.recommendations.memoryGiB)
  t.same(review.warnings, engram.warnings.map((warning: { code: string }) => warning.code))
  t.equal(review.tierName, 'medium')
  t.equal(typeof review.requiredAcu, 'number')
  t.match(review.valuesFile, /^# values-medium\.yaml/)
  await t.rejects(capacityReview(address, 'wrong-token'), { message: 'the bearer token is not valid' })
})
