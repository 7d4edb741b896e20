import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse, stringify } from 'yaml'
import { buildApp } from '../../src/app.js'
import { tierValues, tierValuesText } from '../../src/models/aeterna/tiers.js'

const app = await buildApp()
t.teardown(() => app.close())
const yamlHeaders = { 'content-type': 'application/yaml' }

t.test('GET /tiers lists the three tiers', async (t) => {
  const response = await app.inject('/tiers')
  t.equal(response.statusCode, 200)
  t.same(response.json().tiers.map((tier: { name: string, memoryCount: { label: string }, nodes: { min: number } }) => [tier.name, tier.memoryCount.label, tier.nodes.min]), [['small', '< 1,000', 1], ['medium', '1,000 - 100,000', 3], ['large', '> 100,000', 5]])
  t.match((await app.inject('/tiers?format=text')).body, 'Aeterna Sizing Tiers')
})

t.test('GET /tiers/{name}: the whole tier, or exactly the values file', async (t) => {
  const medium = await app.inject('/tiers/medium')
  t.equal(medium.statusCode, 200)
  t.match(medium.json(), { name: 'medium', infrastructure: { nodes: { min: 3, max: 5 }, availabilityZones: 2, haReady: true }, autoscaling: { minReplicas: 3, maxReplicas: 8 }, costUsdPerMonth: { min: 600, max: 1000 }, alerts: { p99LatencyMs: 200 } })
  t.same(medium.json().valuesFile, tierValues('medium'))
  for (const name of ['small', 'medium', 'large']) {
    for (const request of [{ url: `/tiers/${name}`, headers: { accept: 'application/yaml' } }, { url: `/tiers/${name}?format=yaml` }]) {
      const file = await app.inject(request)
      t.equal(file.statusCode, 200)
      t.equal(file.body, tierValuesText(name as 'small'), `values-${name}.yaml byte for byte`)
      t.equal(file.headers['content-disposition'], `attachment; filename=values-${name}.yaml`)
      t.match(file.headers['content-type'], /^application\/yaml/)
    }
  }
  t.match((await app.inject({ url: '/tiers/large', headers: { accept: 'text/plain' } })).body, 'availabilityZones: 3')
  t.equal((await app.inject({ url: '/tiers/large', headers: { accept: 'image/png' } })).statusCode, 406)
})

t.test('an unknown tier is a 404 listing the valid names', async (t) => {
  for (const name of ['huge', 'Medium', 'constructor', '__proto__']) {
    const response = await app.inject(`/tiers/${name}`)
    t.equal(response.statusCode, 404)
    t.same(response.json(), { statusCode: 404, error: 'Not Found', code: 'TIER_NOT_FOUND', message: `Tier "${name}" not found: valid tiers are small, medium, large` })
  }
})

t.test('/estimate/aeterna through POST and GET', async (t) => {
  const post = await app.inject({ method: 'POST', url: '/estimate/aeterna', payload: { memoryCount: 100_001, concurrentUsers: 20 } })
  t.equal(post.statusCode, 200)
  t.match(post.json(), { tier: 'large', storage: { postgresql: { requiredGiB: 500 }, qdrant: { requiredGiB: 1000 } }, resources: { requests: { cpuCores: 23 } } })
  t.same(post.json().valuesFile, tierValues('large'))
  const viaGet = await app.inject('/estimate/aeterna?memoryCount=100001&concurrentUsers=20')
  t.same(viaGet.json(), post.json())
  t.equal((await app.inject('/estimate/aeterna?memoryCount=999')).json().tier, 'small')
  t.equal((await app.inject('/estimate/aeterna?memoryCount=999&requireHA=true')).json().tier, 'medium')
  t.match((await app.inject('/estimate/aeterna?memoryCount=5&format=text')).body, 'Aeterna Tier Recommendation: small')
  const cases: Array<[unknown, string]> = [
    [{}, 'body/memoryCount is required'],
    [{ memoryCount: -1 }, 'body/memoryCount must be >= 0'],
    [{ memoryCount: 10, requireHA: 'yes' }, 'body/requireHA must be boolean'],
    [{ memoryCount: 10, cpuUtilizationPercent: 101 }, 'body/cpuUtilizationPercent must be <= 100'],
    [{ memoryCount: 10, tenants: 3 }, 'body/tenants is not a known field (unknown fields are rejected)']
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/estimate/aeterna', payload: payload as object })
    t.equal(response.statusCode, 400)
    t.equal(response.json().message, message)
  }
  t.equal((await app.inject('/estimate/aeterna')).json().message, 'querystring/memoryCount is required')
})

t.test('POST /validate/aeterna takes YAML or JSON', async (t) => {
  const small = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: tierValuesText('small'), headers: yamlHeaders })
  t.equal(small.statusCode, 200)
  t.match(small.json(), { ok: false, strictOk: false, mode: 'strict', tier: 'small', summary: { notAssessable: 5 }, cluster: { nodes: 5, zones: 3 } })
  t.equal(small.json().notice, undefined, 'strict, the default, needs no notice')
  for (const name of ['medium', 'large'] as const) {
    // the seed's tier files lack seed 002's HA settings: they pass only the opt-in lenient mode, which says so
    const response = await app.inject({ method: 'POST', url: '/validate/aeterna?mode=lenient', payload: tierValuesText(name), headers: { 'content-type': 'application/x-yaml' } })
    t.match(response.json(), { ok: true, strictOk: false, mode: 'lenient', notice: /does not mean the file survives the loss of a node/, tier: name, tierBasis: 'document' })
    const strict = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: tierValuesText(name), headers: { 'content-type': 'application/x-yaml' } })
    t.match(strict.json(), { ok: false, mode: 'strict' })
  }
  const onThreeNodes = await app.inject({ method: 'POST', url: '/validate/aeterna?nodes=3&zones=3', payload: readFileSync(new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url), 'utf8'), headers: yamlHeaders })
  t.match(onThreeNodes.json(), { ok: false, cluster: { nodes: 3, zones: 3 } })
  t.ok(onThreeNodes.json().findings.some((f: { id: string, passed: boolean, path: string }) => f.id === 'SCHEDULING' && !f.passed && f.path === 'autoscaling.maxReplicas'), 'the HPA\'s 5 pods on 3 nodes')
  t.equal((await app.inject({ method: 'POST', url: '/validate/aeterna?nodes=0', payload: {} })).json().message, 'querystring/nodes must be >= 1')
  const complete = readFileSync(new URL('../fixtures/aeterna/values-ha-complete.yaml', import.meta.url), 'utf8')
  const asJson = await app.inject({ method: 'POST', url: '/validate/aeterna?memoryCount=50000', payload: parse(complete) })
  t.match(asJson.json(), { ok: true, tier: 'medium', tierBasis: 'memoryCount', summary: { errors: 0, warnings: 0 } })
  const needsLarge = await app.inject({ method: 'POST', url: '/validate/aeterna?memoryCount=500000', payload: complete, headers: { 'content-type': 'text/yaml' } })
  t.match(needsLarge.json(), { ok: false, tier: 'large' })
  const report = await app.inject({ method: 'POST', url: '/validate/aeterna?format=text', payload: tierValuesText('small'), headers: yamlHeaders })
  t.match(report.body, 'Aeterna HA validation: FAILED')
  const passing = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: complete, headers: { ...yamlHeaders, accept: 'text/plain' } })
  t.match(passing.body, 'Aeterna HA validation: ok')
  const finding = small.json().findings[0]
  t.same(Object.keys(finding), ['id', 'checklistItem', 'seedReference', 'status', 'severity', 'passed', 'path', 'found', 'expected', 'message', 'fix'])
})

t.test('strict mode, the HA overlay and the small tier', async (t) => {
  const strictMedium = await app.inject({ method: 'POST', url: '/validate/aeterna?mode=strict', payload: tierValuesText('medium'), headers: yamlHeaders })
  t.match(strictMedium.json(), { ok: false, mode: 'strict', summary: { warnings: 0 } })
  t.ok(strictMedium.json().summary.errors > 10, 'every absent HA setting is an error')
  const pdb = strictMedium.json().findings.find((f: { id: string }) => f.id === 'AETERNA_PDB')
  t.match(pdb, { status: 'absent', severity: 'error', checklistItem: 'PDB policies configured for all components', path: 'aeterna.pdb' })
  t.equal(pdb.fix, 'aeterna:\n  pdb:\n    enabled: true\n    minAvailable: 2\n')
  for (const name of ['medium', 'large'] as const) {
    const ha = await app.inject(`/tiers/${name}?ha=true&format=yaml`)
    t.equal(ha.statusCode, 200)
    t.equal(ha.headers['content-disposition'], `attachment; filename=values-${name}-ha.yaml`)
    const strict = await app.inject({ method: 'POST', url: '/validate/aeterna?mode=strict', payload: ha.body, headers: yamlHeaders })
    t.match(strict.json(), { ok: true, summary: { errors: 0, warnings: 0 } }, `${name} with the overlay passes strict`)
    const json = (await app.inject(`/tiers/${name}?ha=true`)).json()
    t.same(json.valuesFile, parse(ha.body))
    t.ok(json.haChanges.length > 20)
  }
  t.equal((await app.inject('/tiers/medium')).json().haChanges, undefined, 'without ?ha, the seed\'s file')
  t.match((await app.inject('/tiers/medium?ha=true&format=text')).body, 'Aeterna medium tier (HA)')
  const badShape = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: 'aeterna: 5\n', headers: yamlHeaders })
  t.equal(badShape.statusCode, 400)
  t.match(badShape.json(), { code: 'FST_ERR_VALIDATION', message: /^body\/aeterna must be a mapping/ })
  const small = await app.inject('/tiers/small?ha=true')
  t.equal(small.statusCode, 409)
  t.match(small.json(), { code: 'TIER_NOT_HA', message: /small tier cannot be highly available.*GET \/tiers\/medium\?ha=true/ })
  t.equal((await app.inject('/validate/aeterna?mode=paranoid')).statusCode, 405, 'GET is not a method of this path')
  t.equal((await app.inject({ method: 'POST', url: '/validate/aeterna?mode=paranoid', payload: {} })).json().message, 'querystring/mode must be one of: strict, lenient')
})

t.test('malformed, hostile and oversized documents are 4xx, quickly', async (t) => {
  const started = Date.now()
  const cases: Array<[string, string, number, RegExp]> = [
    ['a: [1, 2', 'application/yaml', 400, /not a valid YAML document/],
    ['aeterna: {replicaCount: &c [*c]}', 'application/yaml', 400, /a value cannot contain itself/],
    ['aeterna: {pdb: &p {enabled: true, minAvailable: *p}}', 'application/yaml', 400, /a value cannot contain itself/],
    ['a: 1\na: 2', 'application/yaml', 400, /unique/],
    ['- just\n- a list', 'application/yaml', 400, /^body must be object$/],
    ['plain text', 'application/yaml', 400, /^body must be object$/],
    ['{"a": ', 'application/json', 400, /not valid JSON/],
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/yaml', 400, /nested deeper than 64 levels/],
    [['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)].join('\n'), 'application/yaml', 400, /alias/i],
    ['aeterna:\n  replicaCount: 3\n', 'application/xml', 415, /Unsupported Media Type/],
    [`pad: "${'x'.repeat(1_100_000)}"`, 'application/yaml', 413, /too large/]
  ]
  for (const [payload, contentType, statusCode, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/validate/aeterna', payload, headers: { 'content-type': contentType } })
    t.equal(response.statusCode, statusCode, `${contentType} ${payload.slice(0, 30)}`)
    t.match(response.json().message, message)
  }
  t.ok(Date.now() - started < 5000, `rejected in ${Date.now() - started} ms`)
  const polluted = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: '__proto__:\n  polluted: true\naeterna:\n  replicaCount: 3\n', headers: yamlHeaders })
  t.equal(polluted.statusCode, 200)
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
  const jsonProto = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: '{"__proto__": {"polluted": true}}', headers: { 'content-type': 'application/json' } })
  t.equal(jsonProto.statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: '/validate/aeterna?memoryCount=-5', payload: {} })).json().message, 'querystring/memoryCount must be >= 0')
  const deep = await app.inject({ method: 'POST', url: '/validate/aeterna', payload: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, headers: { 'content-type': 'application/json' } })
  t.equal(deep.statusCode, 400)
  t.equal(deep.json().message, 'body is nested deeper than 64 levels')
})

t.test('GET /ha/aeterna serves the checklist and alert rules as JSON or YAML', async (t) => {
  const json = await app.inject('/ha/aeterna')
  t.equal(json.statusCode, 200)
  t.ok(json.json().checklist.length >= 20)
  t.match(json.json().alerts[0], { alert: 'AeternaPodsBelowMinReplicas', for: '5m' })
  const yaml = await app.inject({ url: '/ha/aeterna', headers: { accept: 'application/yaml' } })
  t.same(parse(yaml.body), json.json())
  t.equal(stringify(parse(yaml.body)), yaml.body)
})

t.test('every values file names its chart layout; today\'s upstream charts on request', async (t) => {
  const seedFile = await app.inject('/tiers/large?format=yaml')
  t.equal(seedFile.headers['x-chart-layout'], 'seed')
  const ha = await app.inject('/tiers/large?ha=true&format=yaml')
  t.match(ha.body, /^# values-large-ha\.yaml[^\n]*\n(# [^\n]*\n)*# Chart layout: seed \(aeterna \(the seeds' single chart\)\)\./)
  t.notOk(JSON.stringify(parse(ha.body)).includes('synchronous_standby_names'), 'never the parameter CloudNativePG manages')
  const json = (await app.inject('/tiers/large?ha=true')).json()
  t.match(json, { chartLayout: { name: 'seed' }, haCluster: { nodes: 10, zones: 3 } })
  t.ok(json.placements.every((p: { fits: boolean, drainReschedules: boolean }) => p.fits && p.drainReschedules), 'every pod placed on the planned cluster, every drain reschedules')
  t.match(json.valuesFile.postgresql.cloudnativepg.postgresql, { parameters: { synchronous_commit: 'on' }, synchronous: { method: 'any', number: 2, dataDurability: 'required' } })
  t.match(json.valuesFile.qdrant.config.storage.collection, { replication_factor: 3, write_consistency_factor: 1 })
  for (const layout of ['upstream-app', 'upstream-prereqs'] as const) {
    const file = await app.inject(`/tiers/large?ha=true&layout=${layout}&format=yaml`)
    t.equal(file.headers['x-chart-layout'], layout)
    t.equal(file.headers['content-disposition'], `attachment; filename=values-large-ha-${layout}.yaml`)
    t.match(file.body, /# Follows https:\/\/github\.com\/kikokikok\/aeterna at f3d2d4db217ed0cc8a49f89d3f971c310fedc61c/)
    const answer = (await app.inject(`/tiers/large?ha=true&layout=${layout}`)).json()
    t.same(answer.valuesFile, parse(file.body))
    t.match(answer.chartLayout, { name: layout, commit: { sha: 'f3d2d4db217ed0cc8a49f89d3f971c310fedc61c' } })
    t.ok(answer.chartLayout.notExpressible.some((n: { seedPath: string }) => n.seedPath === 'postgresql.cloudnativepg.postgresql.synchronous'))
    // the file passes the layout check of its own chart
    const gate = (await app.inject({ method: 'POST', url: `/validate/aeterna?layout=${layout}`, payload: file.body, headers: yamlHeaders })).json()
    t.match(gate, { ok: true, chartLayout: { name: layout } }, `${layout}: every key one the chart reads`)
  }
  // the prereqs file handed to the app chart: each key and where it belongs
  const prereqs = (await app.inject('/tiers/large?ha=true&layout=upstream-prereqs')).json().valuesFile
  const misplaced = (await app.inject({ method: 'POST', url: '/validate/aeterna?layout=upstream-app', payload: prereqs })).json()
  t.equal(misplaced.ok, false)
  t.match(misplaced.findings.find((f: { path: string }) => f.path === 'postgresql.instances'), { id: 'UNKNOWN_KEYS', message: 'postgresql.instances is not read by charts/aeterna: ignored. It belongs in the upstream-prereqs file (charts/aeterna-prereqs) at postgresql.instances.' })
  t.match(misplaced.findings[0], { id: 'HA_CHECKLIST_LAYOUT', status: 'not assessable' })
  // a seed-layout file with today's keys in it
  const mixed = (await app.inject({ method: 'POST', url: '/validate/aeterna', payload: { ...tierValues('medium'), vectorStore: { host: 'qdrant' } } })).json()
  t.match(mixed.findings.find((f: { path: string }) => f.path === 'vectorStore'), { message: /It belongs in the upstream-app file \(charts\/aeterna\) at vectorStore\.host: validate it there with \?layout=upstream-app/ })
  t.equal((await app.inject('/tiers/large?layout=helm2')).json().message, 'querystring/layout must be one of: seed, upstream-app, upstream-prereqs')
  // the estimate: its layout, and the translation when asked for
  const estimate = (await app.inject({ method: 'POST', url: '/estimate/aeterna', payload: { memoryCount: 3e6, requireHA: true, upstreamValues: true, prices: { gp3UsdPerGiBMonth: 0.1 } } })).json()
  t.match(estimate, { chartLayout: { name: 'seed' }, upstreamValues: { prereqs: { qdrant: { replicaCount: 5 } } }, cluster: { nodes: 10 } })
  t.equal(estimate.cost.lines.find((l: { item: string }) => l.item === 'EBS gp3 storage (PostgreSQL)').usdPerMonth, 250, 'an overridden price: 5 x 500 GiB x $0.10')
  t.equal((await app.inject({ method: 'POST', url: '/estimate/aeterna', payload: { memoryCount: 1, prices: { gp3UsdPerGiBMonth: -1 } } })).json().message, 'body/prices/gp3UsdPerGiBMonth must be >= 0')
  t.equal((await app.inject('/estimate/aeterna?memoryCount=1&upstreamValues=true')).json().upstreamValues.app.aeterna.replicaCount, 1)
})

t.test('a tier without HA for an upstream chart', async (t) => {
  const file = await app.inject('/tiers/medium?layout=upstream-app&format=yaml')
  t.equal(file.headers['content-disposition'], 'attachment; filename=values-medium-upstream-app.yaml')
  t.match(file.body, /^# values-medium-upstream-app\.yaml: GET \/tiers\/medium for today's upstream chart/)
  t.match(parse(file.body), { aeterna: { replicaCount: 3, autoscaling: { enabled: false }, pdb: { enabled: false } } })
})
