import t from 'tap'
import { auroraCost, estimateAurora, resolveAuroraInput, seedStorageGrowth, tableVolume } from '../../../src/models/mistersmith/aurora.js'
import { SEED_TABLES } from '../../../src/models/mistersmith/constants.js'

t.test('the seed\'s worked figures come out exactly', async (t) => {
  const estimate = estimateAurora()
  t.same(estimate.storageGrowth.seedFunction, { initialGB: 10, monthlyGrowthGB: 407.4, totalAfterMonthsGB: 4898.8, recommendedProvisionGB: 7348.2 })
  t.equal(estimate.capacity.totalConnections, 390)
  t.equal(estimate.capacity.acuByConnections, 13)
  t.equal(estimate.capacity.requiredAcu, 13)
  t.equal(estimate.capacity.connectionsAtMaxAcu, 960)
  t.equal(estimate.iops.totalIops, 2500)
  t.same(estimate.cost, {
    averageAcu: 12,
    storageGB: 500,
    computeUsdPerMonth: 1051.2,
    storageUsdPerMonth: 50,
    backupUsdPerMonth: 10.5,
    rdsProxyUsdPerMonth: 50,
    dataTransferUsdPerMonth: 100,
    totalUsdPerMonth: 1261.7,
    oneYearCommitmentUsdPerMonth: 883.19,
    threeYearCommitmentUsdPerMonth: 693.94
  })
  t.same(estimate.backupRecovery, {
    rpoMinutes: 5,
    rtoMinutes: 30,
    globalDatabaseRtoMinutes: 1,
    automatedBackupRetentionDays: 7,
    backupWindowUtc: '03:00-04:00',
    pointInTimeRecoveryDays: 7,
    snapshotFrequency: 'daily',
    snapshotRetention: { daily: 7, weekly: 4, monthly: 3 },
    crossRegion: { enabled: true, targetRegion: 'us-east-1' }
  })
})

t.test('the seed\'s development and staging compute costs', async (t) => {
  t.equal(estimateAurora({ environment: 'development' }).cost.computeUsdPerMonth, 87.6)
  t.equal(estimateAurora({ environment: 'staging' }).cost.computeUsdPerMonth, 262.8)
  t.equal(estimateAurora({ environment: 'staging' }).cost.storageGB, 50)
  t.equal(estimateAurora({ environment: 'development' }).cost.storageGB, 10)
})

t.test('the table volumes of the seed\'s profile', async (t) => {
  const volumes = estimateAurora().dataVolume
  const byName = new Map(volumes.tables.map((table) => [table.name, table]))
  t.match(byName.get('agent_states'), { monthlyWriteGB: 43.2, retainedGB: 43.2 }, '1 KB x 60/h x 720 h x 1000')
  t.match(byName.get('discovery_events'), { monthlyWriteGB: 14.4, retainedGB: 43.2 }, '43.2 GB is the 90-day volume')
  t.match(byName.get('task_history'), { monthlyWriteGB: 15, retainedGB: 3.5 }, 'the seed\'s 3.5 GB at 7 days')
  t.match(byName.get('metrics'), { monthlyWriteGB: 216, retainedGB: 216 }, 'the seed\'s 216 GB/month')
  t.equal(volumes.retainedGB, 305.9)
})

t.test('retention-aware projection is reported beside the seed function and used for the recommendation', async (t) => {
  const { storageGrowth, recommendations } = estimateAurora()
  t.same(storageGrowth.retentionAware, { initialGB: 10, steadyStateGB: 315.9, atHorizonGB: 315.9, recommendedProvisionGB: 473.85 })
  t.equal(storageGrowth.recommendation.basis, 'retention-aware')
  t.equal(storageGrowth.recommendation.storageGB, 474)
  t.equal(recommendations.storageGB, 474)
})

t.test('other agent counts and months, by hand', async (t) => {
  // 0.4074 GB x 500 = 203.7 GB/month; 10 + 203.7 x 6 = 1232.2; x 1.5 = 1848.3
  t.same(seedStorageGrowth(500, 6), { initialGB: 10, monthlyGrowthGB: 203.7, totalAfterMonthsGB: 1232.2, recommendedProvisionGB: 1848.3 })
  // after one month (30 days), each table holds min(retention, 30) days at 500 agents:
  // agent_states 1000 x 1440 x 30 x 500 = 21.6 GB; discovery 2000 x 240 x 30 x 500 = 7.2 GB;
  // task_history 5000 x 100 x 7 x 500 = 1.75 GB; metrics 500 x 14400 x 30 x 500 = 108 GB
  const oneMonth = estimateAurora({ agents: 500, months: 1 })
  t.same(oneMonth.dataVolume.tables.map((table) => table.retainedAtHorizonGB), [21.6, 7.2, 1.75, 108])
  t.equal(oneMonth.storageGrowth.retentionAware.atHorizonGB, 148.55)
  t.equal(oneMonth.storageGrowth.retentionAware.steadyStateGB, 10 + 21.6 + 21.6 + 1.75 + 108)
  // 2,000 agents, 24 months: 814.8 GB/month; 10 + 814.8 x 24 = 19565.2
  t.equal(seedStorageGrowth(2000, 24).totalAfterMonthsGB, 19_565.2)
  t.same(seedStorageGrowth(0, 12), { initialGB: 10, monthlyGrowthGB: 0, totalAfterMonthsGB: 10, recommendedProvisionGB: 15 })
  t.equal(tableVolume(SEED_TABLES[1], 1000, 0).retainedAtHorizonGB, 0, 'nothing kept after 0 months')
})

t.test('cost in cents, discounts on the rounded total', async (t) => {
  // 0.5 x 730 x 0.12 = 43.80; 10 GB: 1.00 + 0.21; total 195.01; x 0.70 = 136.507; x 0.55 = 107.2555
  const development = auroraCost(resolveAuroraInput({ environment: 'development', averageAcu: 0.5 }))
  t.match(development, { computeUsdPerMonth: 43.8, storageUsdPerMonth: 1, backupUsdPerMonth: 0.21, totalUsdPerMonth: 195.01, oneYearCommitmentUsdPerMonth: 136.51, threeYearCommitmentUsdPerMonth: 107.26 })
  const priced = auroraCost(resolveAuroraInput({ storageGB: 4898.8 }))
  t.equal(priced.storageUsdPerMonth, 489.88)
  t.equal(priced.backupUsdPerMonth, 102.87, '4898.8 x 0.021 = 102.8748')
  const free = auroraCost(resolveAuroraInput({ acuHourUsd: 0, storageGB: 0, rdsProxyUsdPerMonth: 0, dataTransferUsdPerMonth: 0 }))
  t.equal(free.totalUsdPerMonth, 0)
})

t.test('ACU sizing and its limits', async (t) => {
  const pools = (total: number) => [{ name: 'all', maxConnections: total, instances: 1 }]
  t.equal(estimateAurora({ connectionPools: pools(960) }).capacity.requiredAcu, 32)
  const codes = (input: Parameters<typeof estimateAurora>[0]) => estimateAurora(input).warnings.map((w) => w.code)
  t.notOk(codes({ connectionPools: pools(960) }).includes('ACU_ABOVE_ENVIRONMENT_MAX'), '960 connections fit 32 ACU')
  t.ok(codes({ connectionPools: pools(960) }).includes('CONNECTIONS_ABOVE_RDS_PROXY_SHARE'), 'but exceed the proxy\'s 768')
  t.notOk(codes({ connectionPools: pools(768) }).includes('CONNECTIONS_ABOVE_RDS_PROXY_SHARE'))
  t.ok(codes({ connectionPools: pools(769) }).includes('CONNECTIONS_ABOVE_RDS_PROXY_SHARE'))
  const over = estimateAurora({ connectionPools: pools(961) })
  t.equal(over.capacity.requiredAcu, 32.5, '961 / 30 = 32.03, up to the next 0.5 step')
  t.same(over.warnings.slice(0, 2).map((w) => w.code), ['ACU_ABOVE_ENVIRONMENT_MAX', 'CONNECTIONS_ABOVE_MAX_ACU'])
  t.equal(over.recommendations.maxAcu, 32.5, 'the recommendation raises max_acu')
  t.equal(estimateAurora({ connectionPools: [] }).capacity.requiredAcu, 2, 'never below the environment minimum')
  t.equal(estimateAurora({ workingSetGiB: 100 }).capacity.acuByMemory, 50)
  t.equal(estimateAurora({ workingSetGiB: 100 }).capacity.requiredAcu, 50)
  t.equal(estimateAurora({ workingSetGiB: 1000 }).capacity.requiredAcu, 500)
  t.ok(codes({ workingSetGiB: 1000 }).includes('ACU_ABOVE_AWS_LIMIT'))
  t.equal(estimateAurora({ workingSetGiB: 1000 }).recommendations.maxAcu, 256)
  t.equal(estimateAurora({ environment: 'development' }).capacity.requiredAcu, 13)
  t.ok(codes({ environment: 'development' }).includes('ACU_ABOVE_ENVIRONMENT_MAX'), '390 connections do not fit development\'s 2 ACU')
  t.ok(codes({ averageAcu: 40 }).includes('AVERAGE_ACU_OUTSIDE_RANGE'))
  t.ok(codes({ averageAcu: 1 }).includes('AVERAGE_ACU_OUTSIDE_RANGE'))
  t.notOk(codes({}).includes('AVERAGE_ACU_OUTSIDE_RANGE'))
})

t.test('IOPS: the seed\'s cluster totals and the provisioning thresholds', async (t) => {
  t.equal(estimateAurora({ agents: 100 }).iops.totalIops, 250)
  t.equal(estimateAurora({ agents: 500 }).iops.totalIops, 1250)
  t.match(estimateAurora({ agents: 1000 }).iops, { writesPerSec: 500, readsPerSec: 2000, totalIops: 2500, readPercent: 80, seedReadPercent: 70, baselineIops: 3000, burstIops: 10_000 })
  const codes = (agents: number) => estimateAurora({ agents }).warnings.map((w) => w.code)
  t.notOk(codes(1200).includes('IOPS_ABOVE_BASELINE'), '3,000 is not above 3,000')
  t.ok(codes(1201).includes('IOPS_ABOVE_BASELINE'))
  t.equal(estimateAurora({ agents: 1201 }).recommendations.provisionedIops, 10_000)
  t.notOk(codes(4000).includes('IOPS_ABOVE_BURST'))
  t.ok(codes(4001).includes('IOPS_ABOVE_BURST'))
  t.ok(codes(99).includes('AGENTS_OUTSIDE_ENVIRONMENT'))
  t.notOk(codes(100).includes('AGENTS_OUTSIDE_ENVIRONMENT'))
})

t.test('every seed contradiction the numbers touch is said', async (t) => {
  const messages = estimateAurora().warnings.filter((w) => w.code === 'SEED_INCONSISTENCY').map((w) => w.message)
  for (const topic of [/ignoring retention/, /discovery_events.*14\.4 GB/, /task_history.*3\.5 GB/, /agent_states has agent_id as its primary key/, /10 GB\/month.*407\.4 GB\/month/, /70:30.*80:20/, /priced at 500 GB.*315\.9 GB retention-aware and 4,898\.8 GB/]) {
    t.ok(messages.some((message) => topic.test(message)), String(topic))
  }
  const priced = estimateAurora({ storageGB: 5000 }).warnings.map((w) => w.message)
  t.notOk(priced.some((message) => message.startsWith('Cost: storage is priced')), 'no cost warning once storage covers the projection')
  const custom = estimateAurora({ tables: [{ name: 'events', rowBytes: 100, rowsPerAgent: 1, period: 'day', retentionDays: 10 }] }).warnings.map((w) => w.message)
  t.notOk(custom.some((message) => message.startsWith('agent_states')), 'no agent_states note without that table')
  const assumptions = new Map(estimateAurora().assumptions.map((a) => [a.name, a]))
  t.match(assumptions.get('productionAcuRange')?.note, /SEED_INCONSISTENCY.*2-16 ACU/)
  t.match(assumptions.get('acuVCpu')?.note, /seed's own assumption/)
  t.match(assumptions.get('reservedDiscountScope')?.note, /whole bill/)
})
