// Part "fuzz" (issue 29's outside attack, scripted): every operation of openapi/openapi.json, with
// bodies and queries built from the document (defaults, enums, bounds: valid ones) and then mutated
// (wrong types, huge numbers, NaN-like text and raw NaN tokens, deep nesting, __proto__ keys, unicode,
// strings near the body limit, missing and unknown fields, odd content types). Targets: no 5xx,
// every 4xx the service's JSON error shape with a message, no NaN, infinity or negative size in a 2xx,
// the service alive after.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { errorShapeProblem, request } from './http.js'
import { count, info, judged, type PartResult } from './report.js'
import { startService } from './service.js'

const REQUESTS = Number(process.env.CHAOS_FUZZ_REQUESTS ?? 3000)
const SEED = Number(process.env.CHAOS_SEED ?? 29)
/** Requests in flight: below one worker's queue (1 + 4), so a 503 WORKERS_BUSY is not the fuzzer's own doing. */
const CONCURRENCY = 4
/** The part stops sending after this long whatever the count (a slow service must not hold the suite). */
const TIME_CAP_MS = 150_000
const REQUEST_TIMEOUT_MS = 30_000
/** Just under the default BODY_LIMIT_BYTES (1 MiB), JSON quotes and the rest of the body included. */
const HUGE_STRING_CHARS = 1_000_000
const DEEP_LEVELS = 10_000

interface Schema {
  type?: string
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  maxItems?: number
  minLength?: number
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  $ref?: string
}

interface Operation {
  method: string
  path: string
  query: Array<{ name: string, schema: Schema, required: boolean }>
  pathParams: Array<{ name: string, schema: Schema }>
  body?: Schema
  yaml: boolean
}

/** mulberry32: a small seeded generator, so a run can be repeated (CHAOS_SEED). */
function random (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
let rand = random(SEED)
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]

function operations (): { operations: Operation[], resolve: (schema: Schema) => Schema } {
  const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref !== undefined) return resolve(document.components.schemas[schema.$ref.split('/').at(-1) as string])
    if (schema.anyOf !== undefined) return resolve(schema.anyOf[0])
    return schema
  }
  const found: Operation[] = []
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post'].includes(method)) continue
      const parameters = (operation.parameters ?? []) as Array<{ name: string, in: string, schema: Schema, required?: boolean }>
      const content = operation.requestBody?.content ?? {}
      found.push({
        method: method.toUpperCase(),
        path,
        query: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => ({ name: parameter.name, schema: parameter.schema, required: parameter.required === true })),
        pathParams: parameters.filter((parameter) => parameter.in === 'path').map((parameter) => ({ name: parameter.name, schema: parameter.schema })),
        body: content['application/json']?.schema,
        yaml: content['application/yaml'] !== undefined
      })
    }
  }
  return { operations: found, resolve }
}

/** Valid starting points the schema alone cannot give (an input the model must know, a required field). */
const BASES: Record<string, unknown> = {
  '/sweep': { model: 'engram', vary: [{ input: 'expectedNodes', from: 100_000, to: 1_000_000, points: 11, scale: 'linear' }] },
  '/diff': { model: 'engram', before: {}, after: { expectedNodes: 2_000_000 } },
  '/sensitivity': { model: 'engram' },
  '/estimate/aeterna': { memoryCount: 100_000, concurrentUsers: 20 }
}
const PATH_VALUES: Record<string, string[]> = { '/presets/engram/{name}': ['small', 'medium', 'large'], '/tiers/{name}': ['small', 'medium', 'large'] }

/** A value the schema accepts: its default, an enum member, or a number within its bounds (random when `randomly`). */
function validValue (schema: Schema, resolve: (schema: Schema) => Schema, randomly: boolean, depth = 0): unknown {
  const resolved = resolve(schema)
  if (!randomly && resolved.default !== undefined) return resolved.default
  if (resolved.enum !== undefined) return randomly ? pick(resolved.enum) : resolved.enum[0]
  const low = resolved.minimum ?? (resolved.exclusiveMinimum === undefined ? 0 : resolved.exclusiveMinimum + 1)
  // bounded so that random inputs stay cheap: heavy requests are the "sweeps" part's business
  const high = Math.min(resolved.maximum ?? low + 1000, low + 1000)
  switch (resolved.type) {
    case 'integer': return randomly ? Math.floor(low + rand() * (high - low)) : Math.max(low, Math.min(1, high))
    case 'number': return randomly ? low + rand() * (high - low) : Math.max(low, Math.min(1, high))
    case 'boolean': return randomly ? rand() < 0.5 : false
    case 'string': return 'x'.repeat(resolved.minLength ?? 1)
    case 'array': return depth > 4 ? [] : Array.from({ length: resolved.minItems ?? 0 }, () => validValue(resolved.items ?? {}, resolve, randomly, depth + 1))
    case 'object': {
      const entries = Object.entries(resolved.properties ?? {}).filter(([name, child]) => (resolved.required ?? []).includes(name) || (randomly && rand() < 0.5 && resolve(child).type !== 'object' && resolve(child).type !== 'array'))
      return Object.fromEntries(entries.map(([name, child]) => [name, validValue(child, resolve, randomly, depth + 1)]))
    }
    default: return 1
  }
}

const RAW = '@@raw@@'
/** Replacements for one value; a string starting with RAW is written into the JSON text as is (NaN, 1e999, deep nesting). */
const MUTANTS: Array<() => unknown> = [
  () => 'abc', () => true, () => null, () => [], () => ({}), () => -1, () => 0, () => 1e308, () => -1e308, () => `${RAW}9007199254740993`, () => 5e-324,
  () => 'NaN', () => 'Infinity', () => '-Infinity', () => '1e999', () => '0x10', () => ' 12 ', () => '12abc', () => '',
  () => `${RAW}NaN`, () => `${RAW}Infinity`, () => `${RAW}-Infinity`, () => `${RAW}0x10`, () => `${RAW}1e999`, () => `${RAW}-0`, () => `${RAW}01`,
  () => `${RAW}${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`, () => `${RAW}${'{"a":'.repeat(DEEP_LEVELS)}1${'}'.repeat(DEEP_LEVELS)}`,
  () => JSON.parse('{"__proto__":{"polluted":1}}'), () => ({ constructor: { prototype: { polluted: 1 } } }),
  () => '\u0000', () => '\ud800', () => '💥🧨', () => '\u202eevil', () => 'e\u0301'.repeat(1000), () => 'x'.repeat(HUGE_STRING_CHARS)
]

/** Every path to a value inside `value` (objects and arrays), the root included. */
function paths (value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [at]
  return [at, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...at, Array.isArray(value) ? Number(key) : key]))]
}

function setAt (root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) }
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), value)
  return copy
}

/** The JSON text of a body, RAW values written as they are. */
function jsonText (value: unknown): string {
  return JSON.stringify(value).replace(/"@@raw@@((?:[^"\\]|\\.)*)"/g, (_, raw: string) => JSON.parse(`"${raw}"`))
}

/** A mutated body (JSON text) from a valid one. */
function mutatedBody (valid: unknown): string {
  const kind = rand()
  if (kind < 0.6) return jsonText(setAt(valid, pick(paths(valid)), pick(MUTANTS)()))
  if (kind < 0.7) return jsonText({ ...(valid as object), unknownField: pick(MUTANTS)() })
  if (kind < 0.75) return `{"__proto__":{"polluted":1},${JSON.stringify(valid).slice(1)}`
  if (kind < 0.8) {
    const keys = Object.keys(valid as object)
    return keys.length === 0 ? '{"a":1,"a":2}' : JSON.stringify(Object.fromEntries(Object.entries(valid as object).filter(([key]) => key !== pick(keys))))
  }
  if (kind < 0.85) { const text = JSON.stringify(valid); return text.slice(0, Math.floor(text.length / 2)) }
  return pick(['', 'null', '[]', '"text"', '1', '{', '{"a":1,"a":2}', `{"${'\ud800'}":1}`, '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}'])
}

/** A query value, valid or not. */
function queryValue (schema: Schema, resolve: (schema: Schema) => Schema, mutate: boolean): string {
  if (!mutate) return String(validValue(schema, resolve, true))
  return pick(['abc', '-1', '1e308', '1e999', 'NaN', 'Infinity', '0x10', '', ' ', '%00', '💥', 'x'.repeat(8000), '1,2', 'true', '[]', '__proto__'])
}

interface Fuzzed {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  label: string
}

function fuzzed (operation: Operation, resolve: (schema: Schema) => Schema): Fuzzed {
  const mutate = rand() < 0.7
  const path = operation.path.replace(/\{(\w+)\}/g, () => mutate && rand() < 0.3 ? encodeURIComponent(pick(['..%2f..', 'x'.repeat(300), '💥', '__proto__', 'constructor', '%00', ''])) : pick(PATH_VALUES[operation.path] ?? ['x']))
  const query = new URLSearchParams()
  for (const parameter of operation.query) {
    if (parameter.name === 'format' ? rand() < 0.7 : !parameter.required && rand() < 0.6) continue
    query.append(parameter.name, queryValue(parameter.schema, resolve, mutate && rand() < 0.4))
  }
  if (mutate && rand() < 0.15) query.append(pick(['__proto__[polluted]', 'constructor[prototype][x]', 'unknown', operation.query[0]?.name ?? 'x']), pick(['1', 'abc']))
  const url = `${path}${query.size > 0 ? `?${query.toString()}` : ''}`
  if (operation.method === 'GET') return { method: 'GET', url, headers: {}, label: `GET ${operation.path}` }
  const valid = BASES[operation.path] ?? validValue(operation.body ?? { type: 'object' }, resolve, rand() < 0.5)
  const body = mutate ? mutatedBody(valid) : JSON.stringify(valid)
  let contentType = 'application/json'
  if (mutate && rand() < 0.1) contentType = pick(['text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'])
  if (operation.yaml && rand() < 0.15) contentType = 'application/yaml'
  return { method: 'POST', url, headers: { 'content-type': contentType }, body, label: `POST ${operation.path}` }
}

/** Keys whose figures are sizes or counts: never negative in an answer. */
const SIZE_KEY = /(bytes|gib|mib|kib|tib|gb|mb|kb|cores|replicas|nodes|count|iops|size|memory|storage|instances|shards|volumes?)$/i
/** Keys whose figures may be negative: differences, errors, slopes. */
const SIGNED_KEY = /(delta|change|diff|error|slope|elasticity|trend|growth|offset|before|after)/i
/** Helm values documents inside an answer: the chart's numbers, not figures (as test/helpers.ts' badFigures). */
const VALUES_DOCUMENTS = new Set(['valuesFile', 'upstreamValues'])

/** Paths in a JSON answer holding NaN or infinity as text, or a negative size. */
export function badNumbers (value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return /^[-+]?(NaN|Infinity|inf)$/i.test(value) ? [`${path.join('/')} = ${value}`] : []
  if (typeof value === 'number') {
    const key = path.at(-1) ?? ''
    const signed = path.some((part) => SIGNED_KEY.test(part))
    return value < 0 && SIZE_KEY.test(key) && !signed ? [`${path.join('/')} = ${value}`] : []
  }
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).filter(([key]) => !VALUES_DOCUMENTS.has(key)).flatMap(([key, child]) => badNumbers(child, [...path, key]))
}

/** NaN or infinity written in a text answer (CSV, YAML, text, SVG). */
const TEXT_NON_FINITE = /(^|[\s,:;[(=>"'])([-+]?(NaN|Infinity)|[-+]?\.(nan|inf))(?=$|[\s,;\])<"'])/im

export async function fuzz (): Promise<PartResult> {
  rand = random(SEED)
  const service = await startService()
  const { operations: found, resolve } = operations()
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const tally = { sent: 0, byClass: {} as Record<string, number>, fiveXx: 0, fiveOhThree: 0, badShape: 0, badNumbers: 0, failed: 0 }
  const examples: Record<string, string[]> = { fiveXx: [], badShape: [], badNumbers: [], failed: [] }
  const remember = (kind: string, text: string): void => { if (examples[kind].length < 3) examples[kind].push(text.slice(0, 240)) }
  const started = performance.now()
  const one = async (): Promise<void> => {
    const call = fuzzed(pick(found), resolve)
    tally.sent++
    try {
      const answer = await request(`${service.url}${call.url}`, { method: call.method, headers: call.headers, body: call.body, timeoutMs: REQUEST_TIMEOUT_MS, agent })
      const klass = `${Math.floor(answer.status / 100)}xx`
      tally.byClass[klass] = (tally.byClass[klass] ?? 0) + 1
      const what = `${call.label} ${call.url.slice(0, 80)} ${(call.body ?? '').slice(0, 80)} -> ${answer.status} ${answer.body.toString().slice(0, 120)}`
      if (answer.status === 503) tally.fiveOhThree++
      if (answer.status >= 500) { tally.fiveXx++; remember('fiveXx', what) }
      if (answer.status >= 400 && answer.status < 500) {
        const problem = errorShapeProblem(answer.status, answer.headers['content-type'], answer.body.toString())
        if (problem !== undefined) { tally.badShape++; remember('badShape', `${problem}: ${what}`) }
      }
      if (answer.status >= 200 && answer.status < 300) {
        const text = answer.body.toString()
        const bad = (answer.headers['content-type'] ?? '').includes('json') ? badNumbers(JSON.parse(text)) : (TEXT_NON_FINITE.test(text) ? ['NaN or infinity in the text'] : [])
        if (bad.length > 0) { tally.badNumbers++; remember('badNumbers', `${bad.slice(0, 3).join(', ')}: ${what}`) }
      }
    } catch (error) {
      tally.failed++
      remember('failed', `${(error as Error & { code?: string }).code ?? ''} ${(error as Error).message}: ${call.label} ${call.url.slice(0, 80)}`)
    }
  }
  const worker = async (): Promise<void> => {
    while (tally.sent < REQUESTS && performance.now() - started < TIME_CAP_MS && !service.exited()) await one()
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  const alive = !service.exited() && (await request(`${service.url}/healthz`, { timeoutMs: 5000 }).catch(() => undefined))?.status === 200
  const logTail = service.logTail()
  await service.stop()
  const notes = Object.entries(examples).flatMap(([kind, list]) => list.map((example) => `${kind}: ${example}`))
  if (!alive) notes.push(`service log: ${logTail.join(' | ')}`)
  return {
    part: 'fuzz',
    figures: [
      info(`requests (seed ${SEED}, ${found.length} operations, ${CONCURRENCY} at a time)`, `${count(tally.sent)} in ${seconds.toFixed(0)} s: ${Object.entries(tally.byClass).sort().map(([klass, n]) => `${klass} ${count(n)}`).join(', ')}`),
      judged('5xx answers', `${count(tally.fiveXx)} (503: ${count(tally.fiveOhThree)})`, '0', tally.fiveXx === 0),
      judged('4xx not in the error shape (JSON statusCode/error/code/message)', count(tally.badShape), '0', tally.badShape === 0),
      judged('2xx with NaN, infinity or a negative size', count(tally.badNumbers), '0', tally.badNumbers === 0),
      judged('calls that failed (reset, timeout, cut)', count(tally.failed), '0', tally.failed === 0),
      judged('service alive after (/healthz 200)', alive ? 'yes' : 'no', 'yes', alive)
    ],
    notes
  }
}
