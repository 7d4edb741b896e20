import t from 'tap'
import { cpuUtilizationBand, decideScaling, latencyBand, memoryPressureBand, newCoreCount, storageTriggers } from '../../../src/models/engram/scaling.js'

const cpuRow = (cpuUtilizationPercent: number, p99LatencyMs?: number) => decideScaling({ cpuUtilizationPercent, ...(p99LatencyMs === undefined ? {} : { p99LatencyMs }) }).cpu?.row

t.test('CPU matrix rows and their boundaries on both sides', async (t) => {
  t.same([0, 49.9, 50, 69.9, 70, 85, 85.1, 100].map(cpuUtilizationBand), ['low', 'low', 'moderate', 'moderate', 'high', 'high', 'saturated', 'saturated'])
  t.same([0, 9.9, 10, 50, 50.1].map(latencyBand), ['fast', 'fast', 'slow', 'slow', 'very slow'])
  t.equal(cpuRow(49.9, 9.9), 1)
  t.equal(cpuRow(50, 9.9), 2)
  t.equal(cpuRow(69.9, 9.9), 2)
  t.equal(cpuRow(70, 10), 3)
  t.equal(cpuRow(85, 50), 3)
  t.equal(cpuRow(85, 50.1), 4)
  t.equal(cpuRow(70, 51), 4)
  t.equal(cpuRow(85.1, 1), 5)
  t.equal(cpuRow(100, 1000), 5)
  const row3 = decideScaling({ cpuUtilizationPercent: 75, p99LatencyMs: 30 }).cpu
  t.match(row3, { action: 'Scale immediately', implementation: 'Add 2x cores (up to 8)', urgency: 'immediate', condition: '70-85% and p99 10-50ms' })
})

t.test('gaps of the CPU matrix: which row and why', async (t) => {
  const moderateSlow = decideScaling({ cpuUtilizationPercent: 60, p99LatencyMs: 20 })
  t.match(moderateSlow.cpu, { row: 2, rule: /Gap: the matrix has no 50-70% row with p99 of 10 ms or more\. Row 2 applies/ })
  t.ok(moderateSlow.warnings.some((w) => w.code === 'LATENCY_NOT_CPU_BOUND'))
  const lowSlow = decideScaling({ cpuUtilizationPercent: 30, p99LatencyMs: 200 })
  t.match(lowSlow.cpu, { row: 1, rule: /Gap/ })
  t.ok(lowSlow.warnings.some((w) => w.code === 'LATENCY_NOT_CPU_BOUND'))
  t.match(decideScaling({ cpuUtilizationPercent: 80, p99LatencyMs: 5 }).cpu, { row: 3, rule: /Gap: the matrix has no 70-85% row with p99 under 10 ms/ })
  t.match(decideScaling({ cpuUtilizationPercent: 80 }).cpu, { row: 3, rule: /p99 not given: read as under 10 ms/ })
  t.same(decideScaling({ cpuUtilizationPercent: 40, p99LatencyMs: 5 }).warnings, [])
})

t.test('the concrete new core count', async (t) => {
  t.same([1, 2, 4, 6, 8, 12].map((cores) => newCoreCount(3, cores)), [2, 4, 8, 8, 8, 12], 'double, up to 8, never fewer')
  t.same([1, 2, 4, 8, 16, 20].map((cores) => newCoreCount(4, cores)), [4, 8, 16, 16, 16, 20], 'x4, up to 16')
  t.same([4, 40].map((cores) => newCoreCount(5, cores)), [32, 40], 'the 32 useful cores')
  t.equal(newCoreCount(1, 4), undefined)
  t.equal(newCoreCount(2, 4), undefined)
  t.equal(decideScaling({ cpuUtilizationPercent: 75, p99LatencyMs: 20, currentCores: 2 }).cpu?.newCores, 4)
  const capped = decideScaling({ cpuUtilizationPercent: 75, p99LatencyMs: 20, currentCores: 8 })
  t.equal(capped.cpu?.newCores, 8)
  t.match(capped.warnings, [{ code: 'CPU_CAP_REACHED', severity: 'critical' }])
  t.equal(decideScaling({ cpuUtilizationPercent: 40, currentCores: 8 }).cpu?.newCores, undefined)
})

t.test('memory matrix rows, boundaries and gaps', async (t) => {
  t.same([0, 59.9, 60, 74.9, 75, 85, 85.1].map(memoryPressureBand), ['low', 'low', 'elevated', 'elevated', 'high', 'high', 'critical'])
  const row = (memoryPressurePercent: number, tierDistribution?: 'balanced' | 'hot-heavy' | 'cold-heavy', hotTierPercent?: number) =>
    decideScaling({ memoryPressurePercent, ...(tierDistribution === undefined ? {} : { tierDistribution }), ...(hotTierPercent === undefined ? {} : { hotTierPercent }) }).memory
  t.match(row(59.9), { row: 1, tierDistribution: 'balanced' })
  t.match(row(60, 'hot-heavy'), { row: 2, action: 'Optimize' })
  t.match(row(60, undefined, 51), { row: 2, tierDistribution: 'hot-heavy' }, 'above 50% hot is hot-heavy')
  t.match(row(60, undefined, 50), { row: 1, tierDistribution: 'balanced', rule: /Gap/ })
  t.match(row(75, 'balanced'), { row: 3, action: 'Scale RAM' })
  t.match(row(85, 'cold-heavy'), { row: 4, action: 'Migrate' })
  t.match(row(80, 'hot-heavy'), { row: 3, rule: /Gap: the matrix has no 75-85% hot-heavy row/ })
  t.match(row(85.1, 'cold-heavy'), { row: 5, action: 'Emergency' })
  t.match(row(30, 'cold-heavy'), { row: 1, rule: /Gap/ })
  t.equal(decideScaling({ memoryPressurePercent: 80, currentMemoryGiB: 16 }).memory?.newMemoryGiB, 24, 'add 50%')
  t.equal(decideScaling({ memoryPressurePercent: 90, currentMemoryGiB: 16 }).memory?.newMemoryGiB, 32, 'double')
  t.equal(decideScaling({ memoryPressurePercent: 80, tierDistribution: 'cold-heavy', currentMemoryGiB: 16 }).memory?.newMemoryGiB, undefined)
})

t.test('storage triggers on both sides of each threshold', async (t) => {
  const triggered = (input: Parameters<typeof storageTriggers>[0]) => storageTriggers(input).map((trigger) => trigger.triggered)
  t.same(triggered({ diskUtilizationPercent: 70, walSizeGiB: 10, iopsUtilizationPercent: 80, snapshotCount: 10 }), [false, false, false, false])
  t.same(triggered({ diskUtilizationPercent: 70.1, walSizeGiB: 10.01, iopsUtilizationPercent: 80.1, snapshotCount: 11 }), [true, true, true, true])
  t.match(storageTriggers({ diskUtilizationPercent: 75, currentStorageGiB: 500 })[0], { action: 'Expand volume', newSizeGiB: 1000 })
  t.equal(storageTriggers({ diskUtilizationPercent: 60, currentStorageGiB: 500 })[0].newSizeGiB, undefined)
  t.match(storageTriggers({ snapshotCount: 12 })[0], { procedure: 'Keep only last 5 + weekly archives' })
  t.match(decideScaling({}).warnings, [{ code: 'NO_METRICS' }])
})
