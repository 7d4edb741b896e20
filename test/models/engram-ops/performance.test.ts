import t from 'tap'
import fc from 'fast-check'
import { PEAK_THROUGHPUT, VALIDATED_INSTANCE_OPS_PER_SEC, efficiency, instanceLayout, latencyMs, predictPerformance, recoveryTime, rtoRow, sizeFactor, storageThroughput, throughputOpsPerSec, PERFORMANCE_DEFAULTS } from '../../../src/models/engram/performance.js'

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

t.test('the layout: fewest instances, then fewest even cores, within 8 cores for throughput and 32 for CPU', async (t) => {
  t.equal(VALIDATED_INSTANCE_OPS_PER_SEC, 13_000)
  const layout = (required: number, minimumCores = 0) => {
    const { instances, coresPerInstance, totalCores, opsPerSec } = instanceLayout(required, minimumCores)
    return [instances, coresPerInstance, totalCores, opsPerSec]
  }
  // by hand: 2 cores 4,750 ops/s, 4 cores 8,500, 6 cores 2,500 x 6 x 0.75 = 11,250, 8 cores 13,000
  t.same(layout(0), [1, 2, 2, 4750])
  t.same(layout(4750), [1, 2, 2, 4750])
  t.same(layout(4751), [1, 4, 4, 8500])
  t.same(layout(8501), [1, 6, 6, 11_250])
  t.same(layout(11_251), [1, 8, 8, 13_000])
  t.same(layout(13_000), [1, 8, 8, 13_000])
  t.same(layout(13_001), [2, 4, 8, 17_000], 'two instances of 4 cores, not one of 10 (extrapolated)')
  t.same(layout(20_000), [2, 6, 12, 22_500])
  t.same(layout(30_000), [3, 6, 18, 33_750])
  t.same(layout(100_000), [8, 8, 64, 104_000], '100K / 13,000 per 8-core instance')
  t.same(layout(7500, 8), [1, 8, 8, 13_000], 'the default estimate: the CPU need sets the cores')
  t.same(layout(0, 40), [2, 20, 40, 27_500], '40 cores need two instances of at most 32; 20 cores deliver the 10-core peak')
  t.same(layout(0, 33), [2, 18, 36, 27_500], '33 / 2 = 16.5, up to an even 18')
  t.same(layout(30_000, 20), [3, 8, 24, 39_000], '20,000 ops/s with headroom and the estimate\'s 20 cores')
  t.match(predictPerformance({ targetOpsPerSec: 100_000 }).coresForTarget, { instances: 8, coresPerInstance: 8, cores: 64, opsPerSec: 104_000 })
  t.ok(predictPerformance({ targetOpsPerSec: 100_000 }).warnings.some((w) => w.code === 'TARGET_ABOVE_SINGLE_INSTANCE'))
  t.match(predictPerformance({ targetOpsPerSec: 0, minimumTotalCores: 40 }).warnings, [{ code: 'TARGET_ABOVE_SINGLE_INSTANCE', message: /with 40 cores/ }])
  t.notOk(predictPerformance({ targetOpsPerSec: 13_000 }).warnings.some((w) => w.code === 'TARGET_ABOVE_SINGLE_INSTANCE'))
  fc.assert(fc.property(fc.double({ min: 0, max: 2.25e9, noNaN: true }), fc.integer({ min: 0, max: 1e7 }), (required, minimumCores) => {
    const l = instanceLayout(required, minimumCores)
    const fewerInstancesFail = l.instances === 1 || (l.instances - 1) * VALIDATED_INSTANCE_OPS_PER_SEC < required || (l.instances - 1) * 32 < minimumCores
    const fewerThroughputCoresFail = l.throughputCoresPerInstance === 2 || l.instances * throughputOpsPerSec(l.throughputCoresPerInstance - 2) < required
    const fewerCpuCoresFail = l.cpuCoresPerInstance === 2 || l.instances * (l.cpuCoresPerInstance - 2) < minimumCores
    const cores = l.coresPerInstance === Math.max(l.throughputCoresPerInstance, l.cpuCoresPerInstance) && l.throughputCoresPerInstance <= 8
    return l.opsPerSec >= required && l.totalCores >= minimumCores && l.coresPerInstance % 2 === 0 && l.coresPerInstance <= 32 &&
      l.opsPerSec === l.instances * throughputOpsPerSec(l.coresPerInstance) && fewerInstancesFail && fewerThroughputCoresFail && fewerCpuCoresFail && cores
  }), { numRuns: 3000 })
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
  // one boundary rule: "<1GB" and ">1TB" exclude their bound; 10 and 100 GiB, shared by two rows, take the higher one
  const below = (x: number) => x * (1 - 1e-12)
  const above = (x: number) => x * (1 + 1e-12)
  t.same([0, below(1), 1, above(1), below(10), 10, above(10), below(100), 100, above(100), below(1024), 1024, above(1024), 1e9].map((size) => rtoRow(size).dataSize),
    ['<1GB', '<1GB', '1-10GB', '1-10GB', '1-10GB', '10-100GB', '10-100GB', '10-100GB', '100GB-1TB', '100GB-1TB', '100GB-1TB', '100GB-1TB', '>1TB', '>1TB'])
  t.equal(predictPerformance({ dataSizeGiB: 1 }).recovery.rto.coldStart, '2 minutes', '1 GiB is not "<1GB"')
  t.match(predictPerformance().assumptions.find((a) => a.name === 'rtoDataSizeUnit'), { value: 1024, note: /GiB/ })
  const slow = predictPerformance({ dataSizeGiB: 5, walSizeGiB: 50 })
  t.equal(slow.recovery.withinColdStartObjective, false)
  t.ok(slow.warnings.some((w) => w.code === 'RTO_EXCEEDED' && w.message.includes('2 minutes')))
  t.same(predictPerformance().recovery.rto, { dataSize: '10-100GB', coldStart: '10 minutes', coldStartSeconds: 600, warmStart: '2 minutes', hotStandby: '<30 seconds' }, 'the default 10 GiB is on the shared 10 GB end: the higher row')
})
