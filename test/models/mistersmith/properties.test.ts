// Properties of both MisterSmith models over their whole input space.
import t from 'tap'
import fc from 'fast-check'
import { estimateAurora } from '../../../src/models/mistersmith/aurora.js'
import { estimateServices } from '../../../src/models/mistersmith/services.js'
import { auroraInputArbitrary, servicesInputArbitrary, workloadArbitrary } from '../../arbitraries.js'
import { badFigures } from '../../helpers.js'

t.test('every Aurora figure is finite and non-negative', async (t) => {
  fc.assert(fc.property(auroraInputArbitrary, (input) => {
    const bad = badFigures(JSON.parse(JSON.stringify(estimateAurora(input))))
    if (bad.length > 0) throw new Error(`${bad.join(', ')} for ${JSON.stringify(input)}`)
  }), { numRuns: 1000 })
  t.pass('1000 random inputs')
})

t.test('every services figure is finite and non-negative, and every task a valid Fargate size', async (t) => {
  fc.assert(fc.property(servicesInputArbitrary, (input) => {
    const estimate = estimateServices(input)
    const bad = badFigures(JSON.parse(JSON.stringify(estimate)))
    if (bad.length > 0) throw new Error(`${bad.join(', ')} for ${JSON.stringify(input)}`)
    const { task } = estimate.worker
    return task.vCpu >= task.requestedVCpu && task.memoryGiB >= task.requestedMemoryGiB &&
      estimate.worker.provisionedVCpu >= estimate.worker.totalVCpu - 1e-9 * estimate.worker.totalVCpu
  }), { numRuns: 1000 })
  t.pass('1000 random inputs')
})

t.test('Aurora storage, IOPS, connections, ACUs and cost never fall as agents or months grow, in every environment', async (t) => {
  for (const environment of ['development', 'staging', 'production'] as const) {
    fc.assert(fc.property(auroraInputArbitrary, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 120 }), (input, moreAgents, moreMonths) => {
      const smaller = estimateAurora({ ...input, environment })
      const larger = estimateAurora({ ...input, environment, agents: Math.min(10_000_000, smaller.inputs.agents + moreAgents), months: Math.min(120, smaller.inputs.months + moreMonths) })
      const grows = (figure: (estimate: typeof smaller) => number) => figure(larger) >= figure(smaller)
      return grows((e) => e.storageGrowth.seedFunction.totalAfterMonthsGB) && grows((e) => e.storageGrowth.retentionAware.atHorizonGB) &&
        grows((e) => e.recommendations.storageGB) && grows((e) => e.iops.totalIops) && grows((e) => e.recommendations.plannedIops) &&
        grows((e) => e.capacity.totalConnections) && grows((e) => e.capacity.requiredAcu) && grows((e) => e.recommendations.maxAcu * e.recommendations.instances) &&
        grows((e) => e.cost.averageAcu) && grows((e) => e.cost.totalUsdPerMonth) && grows((e) => e.cost.standard.totalUsdPerMonth) && grows((e) => e.cost.ioOptimized.totalUsdPerMonth)
    }), { numRuns: 400 })
  }
  t.pass('monotone in agents and months')
})

t.test('agents alone: ACU, connections, IOPS and cost never fall, agent by agent, with every default', async (t) => {
  for (const environment of ['development', 'staging', 'production'] as const) {
    let previous = estimateAurora({ environment, agents: 0 })
    for (let agents = 1; agents <= 3000; agents++) {
      const current = estimateAurora({ environment, agents })
      const fell = (['capacity.requiredAcu', 'capacity.totalConnections', 'iops.totalIops', 'cost.totalUsdPerMonth'] as const).filter((path) => {
        const [section, figure] = path.split('.') as [keyof typeof current, string]
        return (current[section] as Record<string, number>)[figure] < (previous[section] as Record<string, number>)[figure]
      })
      if (fell.length > 0) t.fail(`${environment}, ${agents} agents: ${fell.join(', ')} fell`)
      previous = current
    }
  }
  t.pass('0 to 3,000 agents in each environment')
})

t.test('no recommendation below its need', async (t) => {
  fc.assert(fc.property(auroraInputArbitrary, (input) => {
    const { capacity, iops, recommendations, storageGrowth, cost } = estimateAurora(input)
    return recommendations.plannedIops >= iops.totalIops &&
      recommendations.maxAcu * recommendations.instances >= capacity.requiredAcu &&
      capacity.acuPerInstance * capacity.instances >= capacity.requiredAcu && capacity.acuPerInstance <= 256 &&
      // every ACU figure configured is an AWS setting: 0.5 steps, at most 256 an instance
      recommendations.maxAcu <= 256 && [recommendations.minAcu, recommendations.maxAcu, capacity.acuPerInstance, capacity.requiredAcu].every((acu) => Number.isInteger(acu * 2)) &&
      capacity.requiredAcu >= capacity.acuByConnections && capacity.requiredAcu >= capacity.acuByMemory && capacity.requiredAcu >= capacity.acuByIo &&
      recommendations.storageGB >= storageGrowth.retentionAware.recommendedProvisionGB &&
      cost.usageProfile.every((point) => point.acu <= capacity.requiredAcu && point.acu >= recommendations.minAcu)
  }), { numRuns: 1000 })
  t.pass('1000 random inputs')
})

t.test('/estimate/aurora and /estimate/mistersmith compute the same deployment for the same workload', async (t) => {
  fc.assert(fc.property(fc.record(workloadArbitrary, { requiredKeys: [] }), (workload) => {
    t.same(estimateAurora(workload).deployment, estimateServices(workload).deployment)
    return true
  }), { numRuns: 300 })
})

t.test('services never shrink as agents or connections grow', async (t) => {
  fc.assert(fc.property(servicesInputArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (input, more) => {
    const smaller = estimateServices(input)
    const larger = estimateServices({ ...input, agents: Math.min(10_000_000, smaller.inputs.agents + more), concurrentConnections: Math.min(10_000_000, smaller.inputs.concurrentConnections + more) })
    return larger.worker.totalVCpu >= smaller.worker.totalVCpu && larger.worker.tasks >= smaller.worker.tasks &&
      larger.supervisor.task.vCpu >= smaller.supervisor.task.vCpu &&
      larger.gateway.autoscaled.tasks >= smaller.gateway.autoscaled.tasks && larger.deployment.totalConnections >= smaller.deployment.totalConnections &&
      larger.broker.amazonMq.storageGB >= smaller.broker.amazonMq.storageGB &&
      larger.gateway.tableRow.vCpu * larger.gateway.tasksOfTableRow >= smaller.gateway.tableRow.vCpu * smaller.gateway.tasksOfTableRow &&
      larger.network.monthlyGB >= smaller.network.monthlyGB
  }), { numRuns: 1000 })
  t.pass('monotone in agents and connections')
})

t.test('the maximum inputs stay finite', async (t) => {
  const aurora = estimateAurora({ agents: 10_000_000, months: 120, tables: [{ name: 'huge', rowBytes: 100_000_000, rowsPerAgent: 1_000_000, period: 'minute', retentionDays: 3650 }], workingSetGiB: 65_536, acuHourUsd: 100, workerProfile: 'base', agentsPerWorkerTask: 1, poolMaxConnections: { supervisor: 10_000, worker: 10_000, gateway: 10_000 } })
  t.same(badFigures(JSON.parse(JSON.stringify(aurora))), [])
  t.ok(aurora.storageGrowth.retentionAware.atHorizonGB > 1e18)
  t.ok(aurora.cost.totalUsdPerMonth > 1e17, 'the projection is priced')
  const services = estimateServices({ agents: 10_000_000, concurrentConnections: 10_000_000, messagesPerSec: 10_000_000, brokerConnections: 1_000_000, messageSizeKB: 102_400, messageRetentionHours: 8760 })
  t.same(badFigures(JSON.parse(JSON.stringify(services))), [])
  // 10M msg/s x 102,400 KB x 8,760 h = 3.23e13 GB / 200 GB a broker
  t.equal(services.broker.amazonMq.brokers, Math.ceil(10_000_000 * 102_400 * 1000 * 8760 * 3600 / 1e9 / 200))
  const zero = estimateAurora({ agents: 0 })
  t.equal(zero.iops.totalIops, 0)
  t.equal(zero.storageGrowth.retentionAware.atHorizonGB, 10)
  t.equal(estimateServices({ agents: 0 }).worker.tasks, 0)
})
