import t from 'tap'
import fc from 'fast-check'
import { PEAK_THROUGHPUT, coresForThroughput, efficiency, latencyMs, predictPerformance, recoveryTime, rtoRow, sizeFactor, storageThroughput, throughputOpsPerSec, PERFORMANCE_DEFAULTS } from '../../../src/models/engram/performance.js'

t.test('the seed\'s throughput examples', async (t) => {
  t.equal(throughputOpsPerSec(1), 2500)
  t.equal(throughputOpsPerSec(4), 8500)
  t.equal(throughputOpsPerSec(8), 13_000)
  t.same([1, 4, 8].map(efficiency), [1, 0.85, 0.65])
})

t.test('past its peak the curve is held, and efficiency never goes below zero', async (t) => {
  t.equal(PEAK_THROUGHPUT, 13_750)
  t.equal(throughputOpsPerSec(11), 13_750)
  t.equal(throughputOpsPerSec(64), 13_750)
  t.equal(efficiency(21), 0)
  t.equal(efficiency(40), 0)
  const extrapolated = predictPerformance({ cores: 16 })
  t.match(extrapolated.warnings, [{ code: 'MODEL_EXTRAPOLATED', severity: 'warning' }])
  t.equal(extrapolated.throughput.withinValidatedRange, false)
  t.match(predictPerformance({ cores: 9 }).warnings, [{ code: 'MODEL_EXTRAPOLATED', severity: 'info' }])
  t.same(predictPerformance({ cores: 8 }).warnings.filter((w) => w.code === 'MODEL_EXTRAPOLATED'), [])
  fc.assert(fc.property(fc.integer({ min: 1, max: 1023 }), (cores) => throughputOpsPerSec(cores + 1) >= throughputOpsPerSec(cores) && efficiency(cores) >= 0))
})

t.test('the inverse: cores for a throughput', async (t) => {
  t.same([0, 2500, 2501, 8500, 8501, 13_000, 13_750].map(coresForThroughput), [1, 1, 2, 4, 5, 8, 10])
  t.equal(coresForThroughput(13_751), undefined)
  t.match(predictPerformance({ targetOpsPerSec: 100_000 }).coresForTarget, { instances: 8, coresPerInstance: 8, cores: 64 }, '100K / 13,000 per 8-core instance')
  t.ok(predictPerformance({ targetOpsPerSec: 100_000 }).warnings.some((w) => w.code === 'TARGET_ABOVE_SINGLE_INSTANCE'))
  fc.assert(fc.property(fc.double({ min: 0, max: 13_750, noNaN: true }), (target) => {
    const cores = coresForThroughput(target) as number
    return throughputOpsPerSec(cores) >= target && (cores === 1 || throughputOpsPerSec(cores - 1) < target)
  }))
})

t.test('the seed\'s latency example and its floor', async (t) => {
  t.same([latencyMs('hot', 10_000), latencyMs('warm', 10_000), latencyMs('cold', 10_000)], [0.2, 2, 20])
  t.equal(sizeFactor(1000), 1)
  t.equal(sizeFactor(100_000), 3)
  t.equal(sizeFactor(100), 1, 'the seed\'s factor would be 0')
  t.equal(sizeFactor(0), 1, 'log10(0) would be -Infinity')
  t.ok(predictPerformance({ nodesActivated: 10 }).warnings.some((w) => w.code === 'LATENCY_FLOORED'))
  fc.assert(fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.double({ min: 0, max: 1e12, noNaN: true }), (a, b) => {
    const [low, high] = a < b ? [a, b] : [b, a]
    return latencyMs('cold', high) >= latencyMs('cold', low) && latencyMs('hot', low) >= 0.1
  }))
})

t.test('storage throughput: the smallest limit wins', async (t) => {
  t.match(storageThroughput(PERFORMANCE_DEFAULTS), { writeMBps: 3000 * 4 / 1024, writeLimit: 'iops', readMBps: 3000 * 4 / 1024, readLimit: 'iops', cacheBlendMBps: 9012.5 })
  t.match(storageThroughput({ ...PERFORMANCE_DEFAULTS, diskIops: 1e6 }), { writeMBps: 125, writeLimit: 'bandwidth', readLimit: 'bandwidth' })
  t.match(storageThroughput({ ...PERFORMANCE_DEFAULTS, diskIops: 1e6, diskBandwidthMBps: 1e5, walFlushIntervalMs: 1000 }), { writeLimit: 'walBuffer', writeMBps: 10_000 * 256 / 1_048_576 })
  t.match(storageThroughput({ ...PERFORMANCE_DEFAULTS, diskIops: 1e7, avgReadSizeKB: 8, diskBandwidthMBps: 1e5, cacheHitRate: 0.5, memoryBandwidthMBps: 0 }), { readLimit: 'cacheBlend', readMBps: 5e4 }, 'a cache that is slower than the disk')
})

t.test('recovery time and the RTO table', async (t) => {
  t.same(recoveryTime({ ...PERFORMANCE_DEFAULTS, walSizeGiB: 10, nodes: 1_000_000, cores: 4, memoryGiB: 16 }), { walReplaySeconds: 102.4, indexRebuildSeconds: 5, memoryWarmupSeconds: 16, coldStartSeconds: 123.4 })
  t.same([0.5, 1, 1.1, 10, 100, 1024, 1025].map((size) => rtoRow(size).dataSize), ['<1GB', '<1GB', '1-10GB', '1-10GB', '10-100GB', '100GB-1TB', '>1TB'])
  const slow = predictPerformance({ dataSizeGiB: 5, walSizeGiB: 50 })
  t.equal(slow.recovery.withinColdStartObjective, false)
  t.ok(slow.warnings.some((w) => w.code === 'RTO_EXCEEDED' && w.message.includes('2 minutes')))
  t.same(predictPerformance().recovery.rto, { dataSize: '1-10GB', coldStart: '2 minutes', coldStartSeconds: 120, warmStart: '30 seconds', hotStandby: '<5 seconds' })
})
