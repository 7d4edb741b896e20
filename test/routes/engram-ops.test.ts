import t from 'tap'
import fc from 'fast-check'
import { parse } from 'yaml'
import { buildApp } from '../../src/app.js'
import { decideScaling } from '../../src/models/engram/scaling.js'
import { predictPerformance } from '../../src/models/engram/performance.js'
import { badFigures } from '../helpers.js'

const app = await buildApp()
t.teardown(() => app.close())

t.test('/scaling/engram through POST and GET', async (t) => {
  const body = { cpuUtilizationPercent: 75, p99LatencyMs: 30, currentCores: 4, memoryPressurePercent: 80, currentMemoryGiB: 16, diskUtilizationPercent: 75, currentStorageGiB: 500 }
  const post = await app.inject({ method: 'POST', url: '/scaling/engram', payload: body })
  t.equal(post.statusCode, 200)
  t.same(post.json(), JSON.parse(JSON.stringify(decideScaling(body))))
  t.match(post.json(), { cpu: { row: 3, newCores: 8 }, memory: { row: 3, newMemoryGiB: 24 }, storage: [{ triggered: true, newSizeGiB: 1000 }] })
  const viaGet = await app.inject(`/scaling/engram?${new URLSearchParams(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])))}`)
  t.same(viaGet.json(), post.json())
  t.match((await app.inject('/scaling/engram?cpuUtilizationPercent=90&format=text')).body, 'Engram Scaling Decision')
  t.equal((await app.inject({ method: 'POST', url: '/scaling/engram', payload: { cpuUtilizationPercent: 101 } })).json().message, 'body/cpuUtilizationPercent must be <= 100')
  t.equal((await app.inject({ method: 'POST', url: '/scaling/engram', payload: { tierDistribution: 'lopsided' } })).json().message, 'body/tierDistribution must be one of: balanced, hot-heavy, cold-heavy')
  t.equal((await app.inject({ method: 'POST', url: '/scaling/engram', payload: { currentCores: 0 } })).json().message, 'body/currentCores must be >= 1')
})

t.test('/models/engram', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/models/engram', payload: { cores: 8, nodesActivated: 10_000 } })
  t.equal(response.statusCode, 200)
  t.same(response.json(), JSON.parse(JSON.stringify(predictPerformance({ cores: 8, nodesActivated: 10_000 }))))
  t.match(response.json(), { throughput: { opsPerSec: 13_000, efficiency: 0.65 }, latency: { hotMs: 0.2, warmMs: 2, coldMs: 20 } })
  t.match((await app.inject('/models/engram?cores=1')).json(), { throughput: { opsPerSec: 2500 } })
  t.equal((await app.inject('/models/engram?cores=0')).json().message, 'querystring/cores must be >= 1')
  t.match((await app.inject('/models/engram?format=text')).body, 'Engram Performance Models')
})

t.test('/forecast/engram: JSON, a plan, observations, SVG', async (t) => {
  const forecast = await app.inject({ method: 'POST', url: '/forecast/engram', payload: { currentNodes: 1_000_000, dailyGrowthRate: 0.02, horizonDays: 90 } })
  t.equal(forecast.statusCode, 200)
  t.equal(forecast.json().projections[1].nodes, 1_811_362)
  t.same(badFigures(forecast.json().projections), [])
  const plan = (await app.inject('/estimate/engram?expectedNodes=2000000&opsPerSec=2000')).json()
  const fromPlan = await app.inject({ method: 'POST', url: '/forecast/engram', payload: { plan, horizonDays: 60 } })
  t.match(fromPlan.json(), { inputs: { currentNodes: 2_000_000, workload: { opsPerSec: 2000 } }, provisioned: { cores: plan.recommendations.totalCores, storageGiB: plan.recommendations.storageGiB, source: 'request' } })
  // the layout's cores are what is provisioned: 20,000 ops/s recommend 20 cores as 3 instances of 8
  const layoutPlan = (await app.inject('/estimate/engram?opsPerSec=20000')).json()
  t.match(layoutPlan.recommendations, { cores: 20, totalCores: 24 })
  t.equal((await app.inject({ method: 'POST', url: '/forecast/engram', payload: { plan: layoutPlan } })).json().provisioned.cores, 24)
  t.equal((await app.inject({ method: 'POST', url: '/forecast/engram', payload: { plan: { recommendations: { cores: 4, memoryGiB: 2, storageGiB: 3 } } } })).json().provisioned.cores, 4, 'a plan without totalCores: its cores')
  // 0 nodes stay 0 however fast they "grow": 0 x (1 + 1)^3650 would be NaN
  const none = await app.inject({ method: 'POST', url: '/forecast/engram', payload: { currentNodes: 0, dailyGrowthRate: 1, horizonDays: 3650 } })
  t.equal(none.statusCode, 200)
  t.equal(none.json().projections.at(-1).nodes, 0)
  const fitted = await app.inject({ method: 'POST', url: '/forecast/engram', payload: { observations: [{ day: -20, nodes: 800_000 }, { day: -10, nodes: 900_000 }, { day: 0, nodes: 1_000_000 }] } })
  t.match(fitted.json().model, { mode: 'linear-fit', nodesPerDay: 10_000, intercept: 1_000_000 })
  for (const request of [{ headers: { accept: 'image/svg+xml' }, url: '/forecast/engram' }, { url: '/forecast/engram?format=svg' }]) {
    const svg = await app.inject({ method: 'POST', payload: {}, ...request })
    t.equal(svg.statusCode, 200)
    t.match(svg.headers['content-type'], /^image\/svg\+xml/)
    t.match(svg.body, /^<svg /)
  }
  const noChart = await app.inject({ url: '/estimate/engram?format=svg' })
  t.equal(noChart.statusCode, 400, 'only forecasts draw charts: ?format lists what the route answers')
  t.equal(noChart.json().message, 'querystring/format must be one of: json, yaml, text')
  t.equal((await app.inject({ url: '/estimate/engram', headers: { accept: 'image/svg+xml' } })).statusCode, 406, 'and Accept: image/svg+xml is not acceptable there')
  t.match((await app.inject({ method: 'POST', url: '/forecast/engram?format=text', payload: {} })).body, 'Engram Capacity Forecast')
  const cases: Array<[unknown, string]> = [
    [{ dailyGrowthRate: 2 }, 'body/dailyGrowthRate must be <= 1'],
    [{ horizonDays: 0 }, 'body/horizonDays must be >= 1'],
    [{ observations: [{ day: 0 }] }, 'body/observations/0/nodes is required'],
    [{ provisioned: { cores: 0, memoryGiB: 1, storageGiB: 1 } }, 'body/provisioned/cores must be > 0'],
    [{ plan: { recommendations: { cores: 4 } } }, 'body/plan/recommendations/memoryGiB is required'],
    [{ plan: { inputs: { expectedNodes: -1 }, recommendations: { cores: 4, memoryGiB: 2, storageGiB: 3 } } }, 'body/plan/inputs/expectedNodes must be >= 0'],
    [{ workload: { expectedNodes: 5 } }, 'body/workload/expectedNodes is not a known field (unknown fields are rejected)']
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/forecast/engram', payload: payload as object })
    t.equal(response.statusCode, 400, JSON.stringify(payload))
    t.equal(response.json().message, message)
  }
})

t.test('/presets/engram', async (t) => {
  const list = await app.inject('/presets/engram')
  t.equal(list.json().presets.length, 7)
  const llm = await app.inject('/presets/engram/llm-memory-augmentation')
  t.equal(llm.statusCode, 200)
  t.match(llm.json(), { name: 'llm-memory-augmentation', estimate: { tiers: { hotNodes: 100_000_000 }, cpu: { spreadingCores: 40 } }, seedFigures: [{ figure: 'Hot tier' }] })
  t.match((await app.inject({ url: '/presets/engram/mixed', headers: { accept: 'text/plain' } })).body, 'Engram preset: Mixed workload')
  t.match((await app.inject('/presets/engram?format=text')).body, 'Engram Presets')
  const missing = await app.inject('/presets/engram/huge')
  t.equal(missing.statusCode, 404)
  t.match(missing.json().message, 'valid presets are write-heavy, read-heavy')
})

t.test('/generate/engram/alerts and /generate/engram/hpa: YAML by default, JSON on request', async (t) => {
  const plan = (await app.inject('/estimate/engram')).json()
  const rules = await app.inject({ method: 'POST', url: '/generate/engram/alerts', payload: { plan } })
  t.equal(rules.statusCode, 200)
  t.match(rules.headers['content-type'], /^application\/yaml/)
  const document = parse(rules.body)
  t.equal(document.groups[0].rules.length, 3)
  t.match(document.groups[0].rules[1].expr, `/ ${3 * 2 ** 30})`)
  t.match(rules.body, /^# Prometheus rules generated by sizing-service/)
  const asJson = await app.inject({ method: 'POST', url: '/generate/engram/alerts', payload: { cpuThresholdPercent: 65 }, headers: { accept: 'application/json' } })
  t.match(asJson.json(), { document: { groups: [{ name: 'engram-scaling' }] }, warnings: [{ code: 'SEED_INCONSISTENCY' }, { code: 'LIMIT_METRICS_REQUIRED' }] })
  t.same(parse(asJson.json().yaml), asJson.json().document)
  t.equal((await app.inject({ method: 'POST', url: '/generate/engram/alerts', payload: { cpuFor: '10 minutes' } })).json().message, 'body/cpuFor must match pattern "^[0-9]+(ms|s|m|h|d|w|y)$"')
  const hpa = await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload: { minReplicas: 3, maxReplicas: 12, namespace: 'engram' } })
  t.match(parse(hpa.body), { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { namespace: 'engram' }, spec: { minReplicas: 3, maxReplicas: 12 } })
  t.match((await app.inject({ method: 'POST', url: '/generate/engram/hpa?format=text', payload: {} })).body, 'kind: HorizontalPodAutoscaler')
  t.match((await app.inject({ method: 'POST', url: '/generate/engram/alerts?format=text', payload: {} })).body, 'alert: ScaleUpCPURequired')
  const inverted = await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload: { minReplicas: 5, maxReplicas: 4 } })
  t.equal(inverted.statusCode, 400)
  t.equal(inverted.json().message, 'body/maxReplicas must be >= minReplicas (4 < 5)')
  t.equal((await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload: { name: 'Engram_HPA' } })).statusCode, 400)
})

t.test('random requests never give a 5xx', async (t) => {
  await fc.assert(fc.asyncProperty(fc.constantFrom('/scaling/engram', '/models/engram', '/forecast/engram', '/generate/engram/alerts', '/generate/engram/hpa'), fc.anything(), async (url, payload) => {
    const response = await app.inject({ method: 'POST', url, payload: JSON.stringify(payload) ?? 'null', headers: { 'content-type': 'application/json' } })
    if (response.statusCode >= 500) throw new Error(`${url}: ${response.statusCode} for ${JSON.stringify(payload)}`)
  }), { numRuns: 200 })
  await fc.assert(fc.asyncProperty(fc.record({
    cores: fc.integer({ min: 1, max: 1024 }),
    targetOpsPerSec: fc.double({ min: 0, max: 1e9, noNaN: true }),
    nodesActivated: fc.double({ min: 0, max: 1e12, noNaN: true }),
    walFlushIntervalMs: fc.double({ min: 0.001, max: 3_600_000, noNaN: true }),
    cacheHitRate: fc.double({ min: 0, max: 1, noNaN: true }),
    dataSizeGiB: fc.double({ min: 0, max: 1e9, noNaN: true })
  }, { requiredKeys: [] }), async (payload) => {
    const response = await app.inject({ method: 'POST', url: '/models/engram', payload })
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`)
    const bad = badFigures(response.json())
    if (bad.length > 0) throw new Error(bad.join(', '))
  }), { numRuns: 200 })
  t.pass('no 5xx; valid model inputs give finite, non-negative figures')
})
