import t from 'tap'
import fc from 'fast-check'
import { parse } from 'yaml'
import { buildApp } from '../../src/app.js'
import { estimateEngram } from '../../src/models/engram/capacity.js'
import { engramInputArbitrary } from '../arbitraries.js'
import { badFigures } from '../helpers.js'

const app = await buildApp()
t.teardown(() => app.close())

const post = async (payload: unknown, headers: Record<string, string> = {}, url = '/estimate/engram') =>
  await app.inject({ method: 'POST', url, payload: payload as string, headers })

t.test('POST with the seed script\'s defaults', async (t) => {
  for (const response of [await post({}), await app.inject({ method: 'POST', url: '/estimate/engram' })]) {
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/json/)
    const body = response.json()
    t.same(body, JSON.parse(JSON.stringify(estimateEngram())))
    t.same([body.tiers.hotNodes, body.tiers.warmNodes, body.tiers.coldNodes], [100_000, 300_000, 600_000])
    t.equal(body.cpu.totalCores.toFixed(4), '4.0067')
    t.equal(body.memory.totalMiB.toFixed(2), '1266.77')
    t.equal(body.seedScript.storageTotalGiB.toFixed(2), '2167.50', 'the script\'s, WAL of every operation')
    t.equal(body.storage.totalGiB.toFixed(2), '869.74', 'WAL of the writes: 2,167.50 - 2,162.93 x 0.6')
    t.same(body.recommendations, { cores: 8, memoryGiB: 3, storageGiB: 1305, instances: 1, coresPerInstance: 8, totalCores: 8, memoryGiBPerInstance: 3, storageGiBPerInstance: 1305, layout: { role: 'single', replicationFactor: 0, copies: 1, dataShare: 1 } })
    t.equal(body.inputs.expectedNodes, 1_000_000)
    t.ok(body.assumptions.length > 20)
  }
})

t.test('GET with a query string equals POST with the same body', async (t) => {
  const fields = { expectedNodes: 12_345_678, activeRatio: 0.123, edgesPerNode: 37, opsPerSec: 7777, retentionDays: 45, consolidationIntervalSec: 900, gpuFallbackRatio: 0.2, replicationFactor: 2 }
  const query = new URLSearchParams(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))).toString()
  const viaGet = await app.inject({ method: 'GET', url: `/estimate/engram?${query}` })
  const viaPost = await post(fields)
  t.equal(viaGet.statusCode, 200)
  t.same(viaGet.json(), viaPost.json())
  t.equal(viaGet.json().tiers.hotNodes, 1_518_518)
})

t.test('YAML and text formats', async (t) => {
  const json = (await post({ expectedNodes: 2e6 })).json()
  const byAccept = await post({ expectedNodes: 2e6 }, { accept: 'application/yaml' })
  t.equal(byAccept.statusCode, 200)
  t.match(byAccept.headers['content-type'], /^application\/yaml/)
  t.same(parse(byAccept.body), json)
  const byQuery = await app.inject({ method: 'GET', url: '/estimate/engram?expectedNodes=2000000&format=yaml' })
  t.same(parse(byQuery.body), json)

  const text = await app.inject({ method: 'GET', url: '/estimate/engram', headers: { accept: 'text/plain' } })
  t.equal(text.statusCode, 200)
  t.match(text.headers['content-type'], /^text\/plain/)
  t.match(text.body, 'Engram Capacity Planning Estimate')
  t.match(text.body, '  Memory: 1266.8 MB')
  t.match(text.body, '    - Recommended: 3 GB: 1 x 3 GB, 41.2% used on day 90 (under 60%; the script\'s x1.25: 2 GB)')
  const textByQuery = await post({}, {}, '/estimate/engram?format=text')
  t.equal(textByQuery.body, text.body)

  const preferred = await post({}, { accept: 'text/html;q=0.9, application/yaml;q=0.5, */*;q=0.1' })
  t.match(preferred.headers['content-type'], /^application\/yaml/, 'the best supported type wins')
  const wildcard = await post({}, { accept: '*/*' })
  t.match(wildcard.headers['content-type'], /^application\/json/)
  t.equal(wildcard.headers.vary, 'Accept')
})

t.test('bad input is a 400 naming the field and the rule', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ expectedNodes: -1 }, /^body\/expectedNodes must be >= 0$/],
    [{ activeRatio: 1.5 }, /^body\/activeRatio must be <= 1$/],
    [{ expectedNodes: '1000' }, /^body\/expectedNodes must be integer$/],
    [{ opsPerSec: '5000' }, /^body\/opsPerSec must be number$/],
    [{ expectedNodes: 1.5 }, /^body\/expectedNodes must be integer$/],
    [{ expectedNodez: 1000 }, /^body\/expectedNodez is not a known field/],
    [{ expectedNodes: 1e30 }, /^body\/expectedNodes must be <= 1000000000000$/],
    [{ consolidationIntervalSec: 0 }, /^body\/consolidationIntervalSec must be >= 0.001$/],
    [{ segmentSizeMiB: 0 }, /^body\/segmentSizeMiB must be > 0$/],
    [{ retentionDays: null }, /^body\/retentionDays must be number$/],
    [{ activeRatio: true }, /^body\/activeRatio must be number$/],
    [[], /^body must be object$/],
    [{ __proto__: { expectedNodes: 1 }, constructor: 1 }, /^body\/constructor is not a known field/]
  ]
  for (const [payload, message] of cases) {
    const response = await post(payload)
    t.equal(response.statusCode, 400, JSON.stringify(payload))
    const body = response.json()
    t.match(body, { statusCode: 400, error: 'Bad Request', code: 'FST_ERR_VALIDATION' })
    t.match(body.message, message)
  }
  const overflow = await post('{"opsPerSec": 1e400}', { 'content-type': 'application/json' })
  t.equal(overflow.statusCode, 400, '1e400 parses as Infinity and is rejected')
  t.equal(overflow.json().message, 'body/opsPerSec must be <= 1000000000')
  const nul = await post('null', { 'content-type': 'application/json' })
  t.equal(nul.statusCode, 400)
})

t.test('bad query strings', async (t) => {
  const cases: Array<[string, string]> = [
    ['expectedNodes=abc', 'querystring/expectedNodes must be integer'],
    ['expectedNodes=', 'querystring/expectedNodes must not be empty'],
    ['activeRatio=2', 'querystring/activeRatio must be <= 1'],
    ['bogus=1', 'querystring/bogus is not a known field (unknown fields are rejected)'],
    ['format=xml', 'querystring/format must be one of: json, yaml, text'],
    ['expectedNodes=1&expectedNodes=2', 'querystring/expectedNodes must be integer']
  ]
  for (const [query, message] of cases) {
    const response = await app.inject({ method: 'GET', url: `/estimate/engram?${query}` })
    t.equal(response.statusCode, 400, query)
    t.equal(response.json().message, message)
  }
  const postQuery = await post({}, {}, '/estimate/engram?expectedNodes=5')
  t.equal(postQuery.statusCode, 400, 'POST takes its fields from the body only')
})

t.test('malformed, oversized, wrong type, unknown route, unacceptable', async (t) => {
  const malformed = await post('{"expectedNodes":', { 'content-type': 'application/json' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
  const big = await post(JSON.stringify({ expectedNodes: 1, pad: 'x'.repeat(1_100_000) }), { 'content-type': 'application/json' })
  t.equal(big.statusCode, 413)
  t.same(Object.keys(big.json()).sort(), ['code', 'error', 'message', 'statusCode'])
  const form = await post('expectedNodes=1', { 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(form.statusCode, 415)
  const missing = await app.inject({ method: 'GET', url: '/estimate/nothing?x=1' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'Route GET /estimate/nothing not found' })
  const png = await post({}, { accept: 'image/png' })
  t.equal(png.statusCode, 406)
  t.match(png.json(), { code: 'NOT_ACCEPTABLE', message: 'Accept header image/png: this route answers application/json, application/yaml, text/plain' })
})

t.test('edge inputs through HTTP', async (t) => {
  for (const payload of [{ expectedNodes: 0 }, { expectedNodes: 100_000_000_000 }, { expectedNodes: 5 }, { activeRatio: 0.5 }, { activeRatio: 1 }, { opsPerSec: 0 }, { expectedNodes: 1e12, edgesPerNode: 1e6, opsPerSec: 1e9, retentionDays: 36_500, consolidationIntervalSec: 0.001 }]) {
    const response = await post(payload)
    t.equal(response.statusCode, 200, JSON.stringify(payload))
    t.same(badFigures(response.json()), [], 'no null (Infinity), NaN or negative figure')
  }
})

t.test('random valid inputs always give 200 with finite, non-negative figures', async (t) => {
  await fc.assert(fc.asyncProperty(engramInputArbitrary, async (input) => {
    const response = await post(input)
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`)
    const bad = badFigures(response.json())
    if (bad.length > 0) throw new Error(`${bad.join(', ')} for ${JSON.stringify(input)}`)
  }), { numRuns: 300 })
  t.pass('300 random requests')
})

t.test('random invalid bodies never give a 5xx', async (t) => {
  const junk = fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything()),
    fc.record({ expectedNodes: fc.oneof(fc.double(), fc.string(), fc.constant(null)) }))
  await fc.assert(fc.asyncProperty(junk, async (payload) => {
    const response = await post(JSON.stringify(payload) ?? 'undefined', { 'content-type': 'application/json' })
    if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${JSON.stringify(payload)}`)
  }), { numRuns: 300 })
  t.pass('300 random bodies')
})
