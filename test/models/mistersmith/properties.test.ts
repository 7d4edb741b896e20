// Properties of both MisterSmith models over their whole input space.
import t from 'tap'
import fc from 'fast-check'
import { estimateAurora } from '../../../src/models/mistersmith/aurora.js'
import { estimateServices } from '../../../src/models/mistersmith/services.js'
import { auroraInputArbitrary, servicesInputArbitrary } from '../../arbitraries.js'
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

t.test('Aurora storage, IOPS and ACUs never fall as agents or months grow', async (t) => {
  fc.assert(fc.property(auroraInputArbitrary, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 120 }), (input, moreAgents, moreMonths) => {
    const smaller = estimateAurora(input)
    const larger = estimateAurora({ ...input, agents: Math.min(10_000_000, smaller.inputs.agents + moreAgents), months: Math.min(120, smaller.inputs.months + moreMonths) })
    return larger.storageGrowth.seedFunction.totalAfterMonthsGB >= smaller.storageGrowth.seedFunction.totalAfterMonthsGB &&
      larger.storageGrowth.retentionAware.atHorizonGB >= smaller.storageGrowth.retentionAware.atHorizonGB &&
      larger.recommendations.storageGB >= smaller.recommendations.storageGB &&
      larger.iops.totalIops >= smaller.iops.totalIops &&
      larger.capacity.requiredAcu >= smaller.capacity.requiredAcu
  }), { numRuns: 1000 })
  t.pass('monotone in agents and months')
})

t.test('services never shrink as agents or connections grow', async (t) => {
  fc.assert(fc.property(servicesInputArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (input, more) => {
    const smaller = estimateServices(input)
    const larger = estimateServices({ ...input, agents: Math.min(10_000_000, smaller.inputs.agents + more), concurrentConnections: Math.min(10_000_000, smaller.inputs.concurrentConnections + more) })
    return larger.worker.totalVCpu >= smaller.worker.totalVCpu && larger.worker.tasks >= smaller.worker.tasks &&
      larger.supervisor.task.vCpu >= smaller.supervisor.task.vCpu &&
      larger.gateway.autoscaled.tasks >= smaller.gateway.autoscaled.tasks &&
      larger.gateway.tableRow.vCpu * larger.gateway.tasksOfTableRow >= smaller.gateway.tableRow.vCpu * smaller.gateway.tasksOfTableRow &&
      larger.network.monthlyGB >= smaller.network.monthlyGB
  }), { numRuns: 1000 })
  t.pass('monotone in agents and connections')
})

t.test('the maximum inputs stay finite', async (t) => {
  const aurora = estimateAurora({ agents: 10_000_000, months: 120, tables: [{ name: 'huge', rowBytes: 100_000_000, rowsPerAgent: 1_000_000, period: 'minute', retentionDays: 3650 }], workingSetGiB: 65_536, storageGB: 140_000, acuHourUsd: 100, averageAcu: 256 })
  t.same(badFigures(JSON.parse(JSON.stringify(aurora))), [])
  t.ok(aurora.storageGrowth.retentionAware.atHorizonGB > 1e18)
  const services = estimateServices({ agents: 10_000_000, concurrentConnections: 10_000_000, messagesPerSec: 10_000_000, brokerConnections: 1_000_000 })
  t.same(badFigures(JSON.parse(JSON.stringify(services))), [])
  t.equal(services.broker.amazonMq.brokers, 200)
  const zero = estimateAurora({ agents: 0 })
  t.equal(zero.iops.totalIops, 0)
  t.equal(zero.storageGrowth.retentionAware.atHorizonGB, 10)
  t.equal(estimateServices({ agents: 0 }).worker.tasks, 0)
})
