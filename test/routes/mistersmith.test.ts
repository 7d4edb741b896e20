import t from 'tap'
import fc from 'fast-check'
import { parse } from 'yaml'
import { buildApp } from '../../src/app.js'
import { estimateAurora } from '../../src/models/mistersmith/aurora.js'
import { estimateServices } from '../../src/models/mistersmith/services.js'
import { auroraInputArbitrary, servicesInputArbitrary } from '../arbitraries.js'
import { badFigures } from '../helpers.js'

const app = await buildApp()
t.teardown(() => app.close())

const SEED_001 = {
  connectionPools: [{ name: 'supervisor', maxConnections: 20, instances: 2 }, { name: 'worker', maxConnections: 10, instances: 20 }, { name: 'gateway', maxConnections: 30, instances: 5 }],
  averageAcu: 12,
  storageGB: 500,
  environment: 'production'
}

t.test('POST /estimate/aurora stating seed 001\'s assumptions reproduces its figures', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/estimate/aurora', payload: SEED_001 })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.same(body, JSON.parse(JSON.stringify(estimateAurora(SEED_001 as Parameters<typeof estimateAurora>[0]))))
  t.match(body.cost.seedEstimate, { computeUsdPerMonth: 1051.2, totalUsdPerMonth: 1261.7, oneYearCommitmentUsdPerMonth: 883.19 })
  t.notOk('threeYearCommitmentUsdPerMonth' in body.cost, 'no 3-year figure: nothing sells it')
  t.match(body.storageGrowth.seedFunction, { monthlyGrowthGB: 407.4, totalAfterMonthsGB: 4898.8, recommendedProvisionGB: 7348.2 })
  t.match(body.capacity, { totalConnections: 390, requiredAcu: 13, connectionsAtMaxAcu: 960, awsDefaultMaxConnections: 5000 })
})

t.test('the plan follows the workload: 100, 1,000, 10,000 agents', async (t) => {
  const figures: number[][] = []
  for (const agents of [100, 1000, 10_000, 10_000_000]) {
    const body = (await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { agents } })).json()
    figures.push([body.capacity.totalConnections, body.capacity.requiredAcu, body.cost.totalUsdPerMonth, body.recommendations.plannedIops])
  }
  t.same(figures.map((row) => row.slice(0, 2)), [[170, 6], [730, 24.5], [6680, 223], [6_625_040, 220_835]])
  t.ok(figures.every((row, i) => i === 0 || (row[2] > figures[i - 1][2] && row[3] >= figures[i - 1][3])), 'cost and IOPS grow')
  t.equal(figures[3][3], 25_000_000, 'the IOPS provision covers 25,000,000')
})

t.test('over HTTP, development and staging are not billed production\'s proxy and transfer', async (t) => {
  for (const environment of ['development', 'staging']) {
    const body = (await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { agents: 5, environment } })).json()
    t.match(body.cost, { rdsProxyUsdPerMonth: 0, seedEstimate: { rdsProxyUsdPerMonth: 0, dataTransferUsdPerMonth: 0 } }, environment)
    t.equal(body.capacity.rdsProxy.enabled, false)
    t.same((await app.inject(`/estimate/aurora?agents=5&environment=${environment}`)).json().cost, body.cost, 'GET alike')
  }
  // development, 5 agents, Aurora Standard: 2 ACU peak, scale points 0.5/1/2 -> 1.1667 x 730 x 0.12 = 102.20; 10 + 5 x 0.3059 = 11.53 GB -> 1.15;
  // I/O 12.5/s x 2,628,000 = 32,850,000 -> 6.57; backup 5 x 0.2886 / 30 x 7 = 0.34 GB -> 0.01; transfer 3.5 GB x 50% x 0.02 = 0.035 -> 0.04
  t.match((await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { agents: 5, environment: 'development' } })).json().cost, { configuration: 'standard', computeUsdPerMonth: 102.2, storageUsdPerMonth: 1.15, ioUsdPerMonth: 6.57, totalUsdPerMonth: 109.97 })
  t.equal((await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { environment: 'staging', rdsProxyUsdPerMonth: 60 } })).statusCode, 400, 'the flat proxy price is gone: the proxy bills per ACU-hour')
  t.equal((await app.inject({ method: 'POST', url: '/estimate/aurora', payload: {} })).json().cost.seedEstimate.rdsProxyUsdPerMonth, 50, 'production: the seed\'s 50 in its estimate')
})

t.test('/estimate/mistersmith and /estimate/aurora answer the same deployment for the same workload', async (t) => {
  const workloads = [
    {},
    { agents: 5, environment: 'development' },
    { agents: 100, environment: 'staging', workerProfile: 'performance' },
    { agents: 2500, agentsPerWorkerTask: 32, concurrentConnections: 4000, poolMaxConnections: { worker: 4 } },
    { agents: 10_000, supervisorInstances: 3, gatewayMinTasks: 4 }
  ]
  for (const workload of workloads) {
    const aurora = (await app.inject({ method: 'POST', url: '/estimate/aurora', payload: workload })).json()
    const services = (await app.inject({ method: 'POST', url: '/estimate/mistersmith', payload: workload })).json()
    t.same(aurora.deployment, services.deployment, JSON.stringify(workload))
    t.equal(aurora.capacity.totalConnections, services.deployment.totalConnections)
    t.equal(services.worker.tasks, aurora.deployment.worker.tasks)
    t.equal(services.gateway.autoscaled.tasks, aurora.deployment.gateway.tasks)
  }
  const viaGet = (await app.inject('/estimate/aurora?agents=300&environment=staging')).json()
  const servicesViaGet = (await app.inject('/estimate/mistersmith?agents=300&environment=staging')).json()
  t.same(viaGet.deployment, servicesViaGet.deployment)
})

t.test('GET /estimate/aurora equals POST; tables and pools through POST', async (t) => {
  const viaGet = await app.inject('/estimate/aurora?agents=500&months=6&environment=staging&averageAcu=2.5&storageGB=1200')
  const viaPost = await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { agents: 500, months: 6, environment: 'staging', averageAcu: 2.5, storageGB: 1200 } })
  t.equal(viaGet.statusCode, 200)
  t.same(viaGet.json(), viaPost.json())
  t.equal(viaGet.json().storageGrowth.seedFunction.totalAfterMonthsGB, 1232.2)
  const custom = await app.inject({ method: 'POST', url: '/estimate/aurora', payload: { tables: [{ name: 'events', rowBytes: 1000, rowsPerAgent: 1, period: 'day', retentionDays: 30 }], connectionPools: [{ name: 'api', maxConnections: 45, instances: 2 }], usageProfile: [{ fractionOfPeak: 1, hoursShare: 3 }, { fractionOfPeak: 0.5, hoursShare: 1 }] } })
  t.equal(custom.json().dataVolume.retainedGB, 0.03, '1000 B x 1/day x 30 days x 1000 agents = 3e7 B')
  t.equal(custom.json().capacity.requiredAcu, 3)
  t.equal(custom.json().cost.averageAcu, 2.75, '3 ACU for 3 parts of the time, 1.5 -> 2 (the minimum) for one')
  const text = await app.inject('/estimate/aurora?format=text')
  t.match(text.body, 'MisterSmith Aurora Serverless v2 Estimate')
  t.match(text.body, 'totalUsdPerMonth: 1,046.7')
  t.match(text.body, '⚠ SEED_INCONSISTENCY (info)')
  t.match(text.body, 'acuConnections = 30 connections per ACU')
  const yaml = await app.inject({ url: '/estimate/aurora', headers: { accept: 'application/yaml' } })
  t.same(parse(yaml.body), JSON.parse(JSON.stringify(estimateAurora())))
})

t.test('POST and GET /estimate/mistersmith', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/estimate/mistersmith', payload: { agents: 1000, workerProfile: 'standard' } })
  t.equal(response.statusCode, 200)
  t.same(response.json(), JSON.parse(JSON.stringify(estimateServices())))
  t.match(response.json().worker, { totalVCpu: 500, totalMemoryGiB: 1000, tasks: 63 })
  const viaGet = await app.inject('/estimate/mistersmith?agents=10&concurrentConnections=10001&workerProfile=performance')
  t.match(viaGet.json(), { supervisor: { scale: '10x' }, gateway: { tasksOfTableRow: 2 }, worker: { totalVCpu: 10 } })
  const text = await app.inject({ url: '/estimate/mistersmith?agentsPerWorkerTask=1', headers: { accept: 'text/plain' } })
  t.match(text.body, 'MisterSmith ECS Services Estimate')
  t.match(text.body, '⚠ WORKER_TASKS_ABOVE_AUTOSCALING_MAX')
})

t.test('bad input is a 400 naming the field and the rule', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['/estimate/aurora', { agents: -1 }, 'body/agents must be >= 0'],
    ['/estimate/aurora', { agents: 10_000_001 }, 'body/agents must be <= 10000000'],
    ['/estimate/aurora', { months: 121 }, 'body/months must be <= 120'],
    ['/estimate/aurora', { months: 1.5 }, 'body/months must be integer'],
    ['/estimate/aurora', { environment: 'prod' }, 'body/environment must be one of: development, staging, production'],
    ['/estimate/aurora', { averageAcu: 0.4 }, 'body/averageAcu must be >= 0.5'],
    ['/estimate/aurora', { averageAcu: 1_000_000_001 }, 'body/averageAcu must be <= 1000000000'],
    ['/estimate/aurora', { tables: [] }, 'body/tables must NOT have fewer than 1 items'],
    ['/estimate/aurora', { tables: [{ name: 'x', rowBytes: 0, rowsPerAgent: 1, period: 'day', retentionDays: 1 }] }, 'body/tables/0/rowBytes must be >= 1'],
    ['/estimate/aurora', { tables: [{ name: 'x', rowBytes: 1, rowsPerAgent: 1, period: 'week', retentionDays: 1 }] }, 'body/tables/0/period must be one of: minute, hour, day'],
    ['/estimate/aurora', { tables: [{ name: 'x', rowBytes: 1, rowsPerAgent: 1, period: 'day' }] }, 'body/tables/0/retentionDays is required'],
    ['/estimate/aurora', { connectionPools: [{ name: '1bad', maxConnections: 1, instances: 1 }] }, 'body/connectionPools/0/name must match pattern "^[A-Za-z][A-Za-z0-9_-]*$"'],
    ['/estimate/aurora', { storageGB: '500' }, 'body/storageGB must be number'],
    ['/estimate/aurora', { reservedDiscount1YearPercent: 101 }, 'body/reservedDiscount1YearPercent must be <= 100'],
    ['/estimate/aurora', { storageGb: 5 }, 'body/storageGb is not a known field (unknown fields are rejected)'],
    ['/estimate/mistersmith', { workerProfile: 'huge' }, 'body/workerProfile must be one of: base, standard, performance'],
    ['/estimate/mistersmith', { agentsPerWorkerTask: 0 }, 'body/agentsPerWorkerTask must be >= 1'],
    ['/estimate/mistersmith', { concurrentConnections: 1e30 }, 'body/concurrentConnections must be <= 10000000'],
    ['/estimate/mistersmith', { agent: 10 }, 'body/agent is not a known field (unknown fields are rejected)'],
    ['/estimate/mistersmith', { poolMaxConnections: { workers: 5 } }, 'body/poolMaxConnections/workers is not a known field (unknown fields are rejected)'],
    ['/estimate/aurora', { usageProfile: [{ fractionOfPeak: 1.5, hoursShare: 1 }] }, 'body/usageProfile/0/fractionOfPeak must be <= 1'],
    ['/estimate/aurora', { usageProfile: [{ fractionOfPeak: 1, hoursShare: 0 }] }, 'body/usageProfile/0/hoursShare must be >= 0.001'],
    ['/estimate/aurora', { usageProfile: [] }, 'body/usageProfile must NOT have fewer than 1 items'],
    ['/estimate/aurora', { rdsProxy: 'yes' }, 'body/rdsProxy must be boolean'],
    ['/estimate/aurora', { savingsPlanDiscountPercent: -5 }, 'body/savingsPlanDiscountPercent must be >= 0'],
    ['/estimate/aurora', { messagesPerSec: 5 }, 'body/messagesPerSec is not a known field (unknown fields are rejected)']
  ]
  for (const [url, payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url, payload: payload as object })
    t.equal(response.statusCode, 400, `${url} ${JSON.stringify(payload)}`)
    t.equal(response.json().message, message)
  }
  const query = await app.inject('/estimate/aurora?tables=x')
  t.equal(query.statusCode, 400)
  t.equal(query.json().message, 'querystring/tables is not a known field (unknown fields are rejected)', 'arrays only through POST')
})

t.test('random valid requests give 200 with finite, non-negative figures; junk never a 5xx', async (t) => {
  await fc.assert(fc.asyncProperty(auroraInputArbitrary, servicesInputArbitrary, async (aurora, services) => {
    for (const [url, payload] of [['/estimate/aurora', aurora], ['/estimate/mistersmith', services]] as const) {
      const response = await app.inject({ method: 'POST', url, payload })
      if (response.statusCode !== 200) throw new Error(`${url} ${response.statusCode} ${response.body}`)
      const bad = badFigures(response.json())
      if (bad.length > 0) throw new Error(`${url}: ${bad.join(', ')}`)
    }
  }), { numRuns: 150 })
  await fc.assert(fc.asyncProperty(fc.constantFrom('/estimate/aurora', '/estimate/mistersmith'), fc.anything(), async (url, payload) => {
    const response = await app.inject({ method: 'POST', url, payload: JSON.stringify(payload) ?? 'null', headers: { 'content-type': 'application/json' } })
    if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${JSON.stringify(payload)}`)
  }), { numRuns: 200 })
  t.pass('valid requests 200, junk 4xx')
})

t.test('GET /estimate/aurora takes back the storage it recommends, beyond one cluster\'s 256 TiB too, and says so', async (t) => {
  const recommended = (await app.inject('/estimate/aurora?agents=316228')).json().recommendations.storageGB
  t.equal(recommended, 145_117)
  const again = await app.inject(`/estimate/aurora?agents=316228&storageGB=${recommended}`)
  t.equal(again.statusCode, 200, 'was refused while the input stopped at 140,000 GB')
  // stated storage above one cluster's volume is priced, with the clusters it needs: 281,476 GB / 281,474.98 -> 2
  const beyond = (await app.inject('/estimate/aurora?agents=1&storageGB=281476')).json()
  t.match(beyond.warnings.find((w: { code: string }) => w.code === 'AURORA_VOLUME_ABOVE_LIMIT'), { severity: 'critical', message: /^281,476 GB to provision.*at least 2 clusters/ })
  t.equal((await app.inject('/estimate/aurora?agents=1&storageGB=1000000000000001')).json().message, 'querystring/storageGB must be <= 1000000000000000')
})

t.test('every figure the plans recommend, fed back as an input, is accepted and gives the same plan (issue 28)', async (t) => {
  const post = async (url: string, payload: object) => {
    const response = await app.inject({ method: 'POST', url, payload })
    if (response.statusCode !== 200) throw new Error(`${url} ${JSON.stringify(payload)}: ${response.statusCode} ${response.body}`)
    return response.json()
  }
  const feedBack = async (workload: { agents?: number, environment?: string }) => {
    const first = await post('/estimate/aurora', workload)
    const { recommendations, capacity } = first
    // AWS's settings: 0.5 ACU steps, at most 256 ACU an instance
    for (const acu of [recommendations.minAcu, recommendations.maxAcu, capacity.acuPerInstance]) {
      if (!Number.isInteger(acu * 2) || acu > 256) throw new Error(`${acu} ACU is not an Aurora Serverless v2 setting`)
    }
    // storage and average ACU the plan recommends and prices, stated back: the same recommendations and bill
    const again = await post('/estimate/aurora', { ...workload, storageGB: recommendations.storageGB, averageAcu: first.cost.averageAcu })
    t.same(again.recommendations, recommendations)
    t.same(again.capacity, capacity)
    // the priced storage and average fed back: the same lines, but RDS Proxy's: a stated average has no hours to weigh,
    // so the proxy bills max(8, it) where the usage profile bills max(8, each point's ACU)
    const priced = (await post('/estimate/aurora', { ...workload, storageGB: first.cost.storageGB, averageAcu: first.cost.averageAcu })).cost
    const lines = (bill: Record<string, number>) => ['computeUsdPerMonth', 'storageUsdPerMonth', 'ioUsdPerMonth', 'backupUsdPerMonth', 'dataTransferUsdPerMonth'].map((line) => bill[line])
    t.same([lines(priced.standard), lines(priced.ioOptimized), priced.seedEstimate], [lines(first.cost.standard), lines(first.cost.ioOptimized), first.cost.seedEstimate], 'the same bill but the proxy')
    t.equal(priced.rdsProxyAcu, first.capacity.rdsProxy.enabled ? Math.max(8, first.cost.averageAcu) : 0)
    // the services plan's own inputs, fed back (tasks, connections, messages, brokers follow from them)
    const services = await post('/estimate/mistersmith', workload)
    const { poolMaxConnections, ...scalars } = services.inputs
    const servicesAgain = await post('/estimate/mistersmith', { ...scalars, poolMaxConnections, agentsPerWorkerTask: services.worker.agentsPerTask, gatewayMinTasks: services.gateway.autoscaled.minTasks })
    t.same(servicesAgain, services)
  }
  // the agent counts
  for (const agents of [100, 2500, 316_228]) await feedBack({ agents })
  const big = await post('/estimate/aurora', { agents: 316_228 })
  t.equal(big.recommendations.storageGB, 145_117, 'the issue\'s storage, accepted back above')
  t.equal(big.cost.averageAcu, 2707.2, 'an average above 256 ACU (28 instances), accepted back above')
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom('development', 'staging', 'production'), async (agents, environment) => {
    await feedBack({ agents, environment })
  }), { numRuns: 40 })
})
