import t, { type Test } from 'tap'
import Fastify from 'fastify'
import {
  MAX_ALIASES, MAX_DOCUMENT_NODES, MAX_DOCUMENT_TOKENS, MAX_NESTING, describePlace, documentShapeProblem, lineAndColumn, nestedDeeperThan,
  parseYamlDocument, registerYamlBodies, yamlDocumentProblem, yamlFailureMessage
} from '../../src/plugins/yaml-body.js'
import { MEGABYTE_CASES, aliasRecount, aliasScan, billionLaughs, flatKeys, flowNesting } from '../fixtures/yaml-worst-cases.js'

// Before the limits, 40,000 keys took 62 s and 80,000 over 180 s: what each worst document is
// answered is asserted here; how long it takes is `npm run bench`'s (no test asserts a time)
const refusal = (source: string): string => {
  try {
    parseYamlDocument(source)
  } catch (error) {
    return (error as Error).message
  }
  return 'accepted'
}
/** What the routes rely on: an accepted document keeps the limits as a value, aliases expanded. */
const keepsTheLimits = (t: Test, source: string): void => {
  const value = parseYamlDocument(source)
  t.equal(documentShapeProblem(value), undefined, 'the value keeps the limits')
  t.equal(nestedDeeperThan(value, MAX_NESTING), false)
}

t.test('flat documents of 40,000 and 80,000 keys are refused before the whole document is parsed', async (t) => {
  t.equal(MAX_DOCUMENT_NODES, 20_000)
  t.equal(Object.keys(parseYamlDocument(flatKeys(2000)) as object).length, 2000, 'warm-up')
  for (const count of [40_000, 80_000, 130_000]) {
    const result = refusal(flatKeys(count))
    t.equal(result, 'body is not a valid YAML document: more than 20000 values', `${count} keys`)
  }
  const result = parseYamlDocument(flatKeys(MAX_DOCUMENT_NODES)) as Record<string, number>
  t.equal(Object.keys(result).length, MAX_DOCUMENT_NODES, '20,000 keys: at the limit, parsed')
  t.equal(result.k19999, 1)
})

t.test('a megabyte is answered, whatever it holds', async (t) => {
  for (const [name, source, expected] of MEGABYTE_CASES) {
    const result = refusal(source())
    t.match(result, expected, name)
  }
  t.equal(MAX_DOCUMENT_TOKENS, 250_000)
})

t.test('duplicate keys are refused, naming the key and where', async (t) => {
  t.throws(() => parseYamlDocument('a: 1\na: 2'), { code: 'INVALID_YAML', message: 'body is not a valid YAML document: duplicate key "a" at the top level: keys must be unique' })
  t.equal(refusal('spec:\n  x:\n    a: 1\n    b: 2\n    a: 3\n'), 'body is not a valid YAML document: duplicate key "a" at spec.x: keys must be unique')
  t.match(refusal('list:\n  - name: a\n    name: b\n'), /duplicate key "name" at list\[0\]:/)
  t.match(refusal('1: a\n"1": b'), /duplicate key "1" at the top level/, 'one key in a plain object')
  t.match(refusal('? ~\n: a\n"": b'), /duplicate key "" at the top level/, 'null is the empty key')
  t.match(refusal('a: &k x\nx: 1\n*k : 2'), /duplicate key "x"/, 'an alias key is the key it names')
  t.match(refusal('labels:\n  app.kubernetes.io/name: a\n  app.kubernetes.io/name: b\n'), /duplicate key "app.kubernetes.io\/name" at labels:/)
  t.match(refusal(`${'k'.repeat(1000)}: 1\n${'k'.repeat(1000)}: 2`), /duplicate key "k{40}…" at the top level/, 'a long key is cut')
  t.same(parseYamlDocument('a: {x: 1}\nb: {x: 1}\nc: [{x: 1}, {x: 2}]'), { a: { x: 1 }, b: { x: 1 }, c: [{ x: 1 }, { x: 2 }] }, 'one key in several mappings')
  t.same(parseYamlDocument('? [a]\n: 1\n? [a]\n: 2\n'), { '[ a ]': 2 }, 'mappings as keys are not compared')
  // the YAML 1.1 tags are not resolved (issue 29, finding 4: a megabyte of !!binary took 268 bytes a body byte): the text as written
  t.same(parseYamlDocument('? !!binary aGVsbG8=\n: 1\n'), { 'aGVsbG8=': 1 }, '!!binary is the base64 text')
  t.same(parseYamlDocument('a: !!omap [x: 1, y: 2]'), { a: [{ x: 1 }, { y: 2 }] }, '!!omap is the sequence written')
  t.same(parseYamlDocument('a: !!timestamp 2001-12-14\nb: !!set {x: null}'), { a: '2001-12-14', b: { x: null } })
  const nearly = refusal(`${flatKeys(MAX_DOCUMENT_NODES - 1)}\nk0: 2`)
  t.match(nearly, /duplicate key "k0" at the top level/, '19,999 keys and a duplicate')
  const over = refusal(`${flatKeys(MAX_DOCUMENT_NODES)}\nk0: 2`)
  t.match(over, /more than 20000 values$/, '20,000 keys and a duplicate: the count is reached first')
})

t.test('brackets in strings and comments, and indentation, are not nesting', async (t) => {
  t.same(parseYamlDocument(`a: "${'['.repeat(100)}"`), { a: '['.repeat(100) })
  t.same(parseYamlDocument(`# ${'{'.repeat(100)}\nb: 1`), { b: 1 })
  t.same(parseYamlDocument(`a: '${'{'.repeat(100)}'\nb: x${'['.repeat(5)}`), { a: '{'.repeat(100), b: 'x[[[[[' })
  t.same(parseYamlDocument(`${' '.repeat(200)}a: 1`), { a: 1 })
  t.same(parseYamlDocument(`a: |\n  ${'- '.repeat(100)}\n`), { a: `${'- '.repeat(100)}\n` }, 'a block scalar')
})

t.test('at most 64 levels, block or flow', async (t) => {
  t.equal(MAX_NESTING, 64)
  const blockSequence = (levels: number): string => `${'- '.repeat(levels)}1`
  t.equal(refusal(blockSequence(70)), 'body is not a valid YAML document: nested deeper than 64 levels at line 1, column 129')
  t.equal(refusal(blockSequence(65)), 'body is not a valid YAML document: nested deeper than 64 levels at line 1, column 129')
  keepsTheLimits(t, blockSequence(64))
  keepsTheLimits(t, blockSequence(60))
  t.equal(refusal(flowNesting(65)), 'body is not a valid YAML document: nested deeper than 64 levels at line 1, column 65')
  keepsTheLimits(t, flowNesting(64))
  t.match(refusal(`top:\n  a: ${flowNesting(63)}`), /nested deeper than 64 levels at line 2, column 68$/)
  keepsTheLimits(t, `top:\n  ${flowNesting(63)}`)
  const indented = Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')
  t.match(refusal(indented), /nested deeper than 64 levels at line 65,/)
  // [a: [a: ...]]: each flow pair is a mapping of its own, twice the levels the tokens show
  const flowPairs = (levels: number): string => `${'[a: '.repeat(levels)}1${']'.repeat(levels)}`
  t.match(refusal(flowPairs(33)), /^body is not a valid YAML document: nested deeper than 64 levels at \[0\]\.a\[0\]\.a/)
  keepsTheLimits(t, flowPairs(32))
  t.throws(() => parseYamlDocument('['.repeat(100_000)), { code: 'INVALID_YAML', message: /nested deeper than 64 levels/ })
  t.notMatch(refusal('['.repeat(100_000)), /stack/i, 'no internals')
  t.notMatch(refusal(blockSequence(500_000)), /stack/i)
})

t.test('aliases: shared is fine, a bomb or a cycle is not', async (t) => {
  t.same(parseYamlDocument('a: &x [1]\nb: *x\nc: [*x, *x]'), { a: [1], b: [1], c: [[1], [1]] }, 'shared aliases are fine')
  t.same(parseYamlDocument('a: &x 1\nb: *x\nc: &x 2\nd: *x'), { a: 1, b: 1, c: 2, d: 2 }, 'an alias names the last anchor before it')
  const billion = refusal(billionLaughs)
  t.equal(billion, 'body is not a valid YAML document: more than 20000 values once aliases are expanded')
  const thousand = Array.from({ length: 1000 }, (_, i) => `k${i}`).join(', ')
  t.match(refusal(`a: &a {${thousand}}\nb: *a\nc: {${Array.from({ length: MAX_DOCUMENT_NODES - 1000 }, (_, i) => `m${i}`).join(', ')}}`), /more than 20000 values once aliases are expanded$/)
  t.match(refusal(`a: {${Array.from({ length: MAX_DOCUMENT_NODES + 1 }, (_, i) => `m${i}`).join(', ')}}`), /more than 20000 values$/, 'a flow mapping of keys alone: counted once composed')
  t.throws(() => parseYamlDocument('a: &x [*x]'), { code: 'INVALID_YAML', message: /the alias at a\[0\] refers to a node that contains it: a value cannot contain itself/ })
  t.match(refusal('aeterna: {pdb: &p {enabled: true, minAvailable: *p}}'), /at aeterna\.pdb\.minAvailable .*contain itself/)
  t.match(refusal('&r {a: 1, b: [*r]}'), /contain itself/)
  t.match(refusal('a: &x 1\nb: &x [*x]'), /contain itself/, 'the later anchor of the name')
  t.equal(refusal('a: *nope'), 'body is not a valid YAML document: Unresolved alias (the anchor must be set before the alias): nope')
  // as values the aliases expand: their levels count where they are used
  const deep = `a: &a ${flowNesting(40)}\nb: `
  keepsTheLimits(t, `${deep}${'['.repeat(23)}*a${']'.repeat(23)}`)
  t.match(refusal(`${deep}${'['.repeat(24)}*a${']'.repeat(24)}`), /nested deeper than 64 levels at b(\[0\]){24} once aliases are expanded$/)
  const manyAliases = `a: &a 1\nb: [${Array(MAX_ALIASES).fill('*a').join(', ')}]`
  keepsTheLimits(t, manyAliases)
  t.equal(refusal(`${manyAliases}\nc: *a`), 'body is not a valid YAML document: more than 100 aliases')
  // toJS finds an alias's anchor by a scan of all anchors: 6,000 of each took a second
  const scan = refusal(aliasScan())
  t.match(scan, /more than 100 aliases/)
  // the library's own alias count re-walks the document for every alias inside an anchor: this took 15 s
  const counted = parseYamlDocument(aliasRecount()) as Record<string, unknown>
  t.equal(Object.keys(counted).length, 15_062)
})

t.test('other documents', async (t) => {
  t.same(parseYamlDocument('a: 1'), { a: 1 })
  t.equal(parseYamlDocument(''), null, 'an empty body is an empty document')
  t.same(parseYamlDocument('- [1, 2]\n- {a: 1, b: [3]}\n- ? x\n'), [[1, 2], { a: 1, b: [3] }, { x: null }])
  t.same(parseYamlDocument('__proto__:\n  polluted: true\n'), JSON.parse('{"__proto__": {"polluted": true}}'))
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
  t.equal(refusal('a: 1\n---\nb: 2'), 'body is not a valid YAML document: more than one document: a body is one YAML document')
  t.equal(refusal('a: [1, 2'), 'body is not a valid YAML document: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 9')
  t.equal(refusal('a: 1\n  b: 2'), 'body is not a valid YAML document: Nested mappings are not allowed in compact mappings at line 1, column 4')
})

t.test('documentShapeProblem: the same limits for a parsed (JSON) body', async (t) => {
  let deep: unknown = 1
  for (let level = 0; level < 100_000; level++) deep = level % 2 === 0 ? [deep] : { next: deep }
  t.match(documentShapeProblem(deep), /^nested deeper than 64 levels at next\[0\](\.next\[0\])+$/, '100,000 levels: an answer, not an overflow')
  let levels: unknown = 1
  for (let level = 0; level < MAX_NESTING; level++) levels = [levels]
  t.equal(documentShapeProblem(levels), undefined, '64 levels')
  t.equal(documentShapeProblem([levels]), 'nested deeper than 64 levels at [0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]')
  t.equal(documentShapeProblem(Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]))), 'more than 20000 values')
  t.equal(documentShapeProblem({ a: Array(MAX_DOCUMENT_NODES - 1).fill(0) }), undefined, '20,000 values')
  t.equal(documentShapeProblem({ a: Array(MAX_DOCUMENT_NODES).fill(0) }), 'more than 20000 values')
  t.equal(documentShapeProblem({ aeterna: { replicaCount: 3, pdb: { enabled: true } }, list: [1, 'two', null] }), undefined)
  t.equal(documentShapeProblem('text'), undefined)
  t.equal(documentShapeProblem(null), undefined)
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  t.match(documentShapeProblem(cyclic), /^nested deeper than 64 levels at self\.self/, 'a cycle ends at the limit')
  t.equal(nestedDeeperThan({ a: { b: [1] } }, 3), false)
  t.equal(nestedDeeperThan({ a: { b: [[1]] } }, 3), true)
  t.equal(yamlDocumentProblem(null), undefined, 'nothing to walk')
})

t.test('messages: where, and nothing internal', async (t) => {
  t.equal(describePlace(undefined), 'the top level')
  t.equal(describePlace({ up: { up: { up: undefined, segment: 'spec' }, segment: 'containers' }, segment: 0 }), 'spec.containers[0]')
  t.equal(describePlace({ up: { up: undefined, segment: 3 }, segment: 'a b' }), '[3]["a b"]')
  t.equal(describePlace({ up: undefined, segment: 'x'.repeat(41) }), `["${'x'.repeat(40)}…"]`)
  let long = { up: undefined, segment: 'start' } as Parameters<typeof describePlace>[0]
  for (let i = 0; i < 100; i++) long = { up: long, segment: 'segment' }
  t.equal(describePlace(long).length, 301, 'a long path is cut')
  t.equal(lineAndColumn('a\nbc\nd', 4), 'line 2, column 3')
  t.equal(lineAndColumn('abc', 0), 'line 1, column 1')
  t.equal(yamlFailureMessage(new RangeError('Maximum call stack size exceeded'), ''), 'nested too deeply to parse: at most 64 levels')
  t.equal(yamlFailureMessage(new Error('first line\n  at internals (file.js:1:1)'), ''), 'first line')
  t.equal(yamlFailureMessage('thrown text', ''), 'thrown text')
  t.equal(yamlFailureMessage(new Error('x'.repeat(1000)), '').length, 301, 'a long message is cut')
})

t.test('registerYamlBodies parses the YAML media types', async (t) => {
  const app = Fastify({ logger: false })
  registerYamlBodies(app)
  app.post('/echo', async (request) => request.body)
  for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml']) {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: 'a: [1, {b: 2}]\n', headers: { 'content-type': type } })
    t.same(response.json(), { a: [1, { b: 2 }] }, type)
  }
  const refused = await app.inject({ method: 'POST', url: '/echo', payload: 'a: 1\na: 2', headers: { 'content-type': 'application/yaml' } })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), { code: 'INVALID_YAML', message: /duplicate key "a"/ })
  await app.close()
})
