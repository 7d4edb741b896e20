// Issue 28, "one Engram answer per question": for one deployment (50M memories, the seed's other
// defaults) the estimate, the scaling matrices, the forecast and a calibration whose measurements
// match the model exactly give the same memory, and the seed's own matrix stays quiet on it.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { ENGRAM_METRICS } from '../../src/models/engram/calibrate.js'

const app = await buildApp()
t.teardown(() => app.close())

const post = async (url: string, payload: object) => {
  const response = await app.inject({ method: 'POST', url, payload })
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json()
}

const MiB = 2 ** 20
// seed 004's formulas at 50,000,000 nodes, activeRatio 0.1, 50 edges, 5,000 ops/s:
// hot 5M x (3,072 + 64) + 250M edges x 32, x 1.5 = 3.552e10 B; warm 15M x 3,072 x 0.1 = 4.608e9 B;
// cold 30M x (10 / 8 + 64 / 128) = 5.25e7 B; activation 5,000 x 0.01 x 8,192 = 409,600 B; runtime 500 MiB
const HOT_BYTES = 3.552e10
const WARM_BYTES = 4.608e9
const COLD_BYTES = 5.25e7
const NEED_MIB = (HOT_BYTES + WARM_BYTES + COLD_BYTES + 409_600) / MiB + 500 // 38,819.50 MiB
// the smallest whole GiB with the need under 60%: 38,819.50 / 614.4 = 63.18 -> 64 GiB (59.23% used)
const MEMORY_GIB = 64

t.test('estimate, scaling, forecast and calibration: one memory for 50M memories', async (t) => {
  t.equal(Math.floor(NEED_MIB / (0.6 * 1024)) + 1, MEMORY_GIB)
  const estimate = await post('/estimate/engram', { expectedNodes: 50_000_000 })
  t.ok(Math.abs(estimate.memory.totalMiB - NEED_MIB) < 1e-6, `need ${estimate.memory.totalMiB} MiB`)
  t.equal(estimate.recommendations.memoryGiB, MEMORY_GIB, 'the estimate')
  t.equal(estimate.recommendations.instances, 1)
  t.ok(estimate.perInstance.memoryPressurePercent.today < 60)
  t.equal(estimate.seedScript.memoryGiB, 48, 'the script\'s x1.25 is kept as the seed\'s, not recommended')

  // the seed's memory matrix on the plan: under 60% and balanced, row 1, no action; on the script's 48 GiB: row 3, Scale RAM
  const quiet = await post('/scaling/engram', { memoryPressurePercent: estimate.perInstance.memoryPressurePercent.today, currentMemoryGiB: MEMORY_GIB, tierDistribution: 'balanced' })
  t.match(quiet.memory, { row: 1, action: 'No action' })
  t.notOk('newMemoryGiB' in quiet.memory, 'the matrix keeps the plan\'s memory')
  const script = await post('/scaling/engram', { memoryPressurePercent: 100 * NEED_MIB / (48 * 1024), currentMemoryGiB: 48, tierDistribution: 'balanced' })
  t.match(script.memory, { row: 3, action: 'Scale RAM', newMemoryGiB: 72 }, 'what the seed\'s 1.25x would have triggered on day 0')

  // the forecast with no growth provisions the same plan and crosses nothing; with the plan posted, the same
  const forecast = await post('/forecast/engram', { currentNodes: 50_000_000, dailyGrowthRate: 0 })
  t.equal(forecast.provisioned.memoryGiB, MEMORY_GIB, 'the forecast')
  t.same(forecast.crossings.map((c: { day: number | null }) => c.day), [null, null, null])
  const posted = await post('/forecast/engram', { plan: estimate, dailyGrowthRate: 0 })
  t.equal(posted.provisioned.memoryGiB, MEMORY_GIB)
  // with growth, the estimate sized through the same horizon is the forecast's plan
  const growing = await post('/forecast/engram', { currentNodes: 50_000_000, dailyGrowthRate: 0.01, horizonDays: 60 })
  const sizedForGrowth = await post('/estimate/engram', { expectedNodes: 50_000_000, dailyGrowthRate: 0.01, horizonDays: 60 })
  t.equal(growing.provisioned.memoryGiB, sizedForGrowth.recommendations.memoryGiB)
  t.equal(growing.crossings.find((c: { resource: string }) => c.resource === 'memory').day, null, 'the memory holds through the horizon')
  t.ok(sizedForGrowth.perInstance.memoryPressurePercent.atHorizon < 60)

  // a calibration whose measurements are the model's, over 8 days (so the measured size is trusted)
  const days = 8
  const points = (value: number) => Array.from({ length: days * 2 + 1 }, (_, i): [number, string] => [1_735_689_600 + i * 43_200, String(value)])
  const pod = { instance: 'engram-0:9100', job: 'engram' }
  const series = {
    [ENGRAM_METRICS.memoryUsage]: [
      { metric: { ...pod, tier: 'hot' }, values: points(HOT_BYTES) },
      { metric: { ...pod, tier: 'warm' }, values: points(WARM_BYTES) },
      { metric: { ...pod, tier: 'cold' }, values: points(COLD_BYTES) }
    ],
    [ENGRAM_METRICS.storageUsage]: [
      // warm 15M x 3,136 x 1.3 and cold 30M x 3,072 x 0.4 bytes: the nodes are inferred from them
      { metric: { ...pod, tier: 'warm' }, values: points(15e6 * 3136 * 1.3) },
      { metric: { ...pod, tier: 'cold' }, values: points(30e6 * 3072 * 0.4) }
    ],
    [ENGRAM_METRICS.operations]: [{ metric: { ...pod, operation: 'recall' }, values: points(3000) }, { metric: { ...pod, operation: 'store' }, values: points(2000) }]
  }
  const calibration = await post('/calibrate/engram', { series })
  t.equal(calibration.workload.nodes.value, 50_000_000)
  const memory = calibration.rightSizing.find((r: { resource: string }) => r.resource === 'memory')
  t.equal(memory.measured.binding, 'peakOverQuietPressure')
  t.equal(memory.measured.size, MEMORY_GIB, 'the calibration sizes what the estimate does')
  t.equal(memory.model.plan, MEMORY_GIB)
  t.match(memory.trust, { use: 'measured', value: MEMORY_GIB })
})

t.test('200,000 ops/s: what an instance is, and each one\'s memory covers its runtime', async (t) => {
  const estimate = await post('/estimate/engram', { opsPerSec: 200_000 })
  const { recommendations, perInstance } = estimate
  // 200,000 x 1.5 headroom = 300,000 ops/s over 13,000 an instance (8 cores): 24 instances
  t.equal(recommendations.instances, 24)
  t.same(recommendations.layout, { role: 'shard', replicationFactor: 0, copies: 1, dataShare: 0.0416666666666667 })
  // each holds 1/24 of the 766.38 MiB of tiers, 1/24 of the 15.63 MiB activation pool, and a whole 500 MiB runtime
  const needMiB = 766.382217407227 / 24 + 200_000 * 0.01 * 8192 / MiB / 24 + 500
  t.ok(Math.abs(perInstance.today.memoryNeedMiB - needMiB) < 1e-9)
  t.equal(recommendations.memoryGiBPerInstance, 1, '532 MiB under 60% of 1 GiB')
  t.equal(recommendations.memoryGiB, 24, '24 x 1 GiB, never the single process\'s 2')
  t.ok(estimate.warnings.some((w: { code: string }) => w.code === 'UNREPLICATED_SHARDS'))
  // upstream's cluster: replication factor 2, 3 copies, each on its own instance
  const replicated = await post('/estimate/engram', { opsPerSec: 200_000, replicationFactor: 2 })
  t.same(replicated.recommendations.layout, { role: 'shard', replicationFactor: 2, copies: 3, dataShare: 0.125 })
  t.notOk(replicated.warnings.some((w: { code: string }) => w.code === 'UNREPLICATED_SHARDS'))
  const small = await post('/estimate/engram', { replicationFactor: 2 })
  t.equal(small.recommendations.instances, 3, 'one instance per copy')
  t.equal(small.recommendations.layout.role, 'replica')
  t.equal(small.recommendations.memoryGiBPerInstance, 3, 'each replica holds everything: 1,266.77 MiB -> 3 GiB')
})

t.test('WAL from writes; the seed\'s every-operation figure kept and named', async (t) => {
  const estimate = await post('/estimate/engram', { expectedNodes: 1, opsPerSec: 100_000, retentionDays: 365 })
  // the case: the script gives 100,000 x 86,400 x 365 x 256 x 0.7 / 2^30 = 526,313.78 GiB (789,471 recommended)
  t.ok(Math.abs(estimate.seedScript.walGiB - 100_000 * 86_400 * 365 * 256 * 0.7 / 2 ** 30) < 1e-6)
  t.equal(estimate.seedScript.storageGiB, 789_471)
  // the plan: 40% writes, 210,525.51 GiB
  t.ok(Math.abs(estimate.storage.walGiB - 40_000 * 86_400 * 365 * 256 * 0.7 / 2 ** 30) < 1e-6)
  t.ok(estimate.warnings.some((w: { code: string, message: string }) => w.code === 'SEED_INCONSISTENCY' && w.message.includes('logs every operation')))
  // 12 instances (100,000 x 1.5 / 13,000), each its 1/12 of the WAL: 26,315.69 GiB x 1.5 = 39,473.5 -> 39,474 GiB, under a 64 TiB volume
  t.equal(estimate.recommendations.instances, 12)
  t.equal(estimate.recommendations.storageGiBPerInstance, Math.ceil(40_000 * 86_400 * 365 * 256 * 0.7 / 2 ** 30 / 12 * 1.5))
  // ten times the retention cannot fit 12 volumes: the data is split over more shards, and said so
  const split = await post('/estimate/engram', { expectedNodes: 1, opsPerSec: 100_000, retentionDays: 3650 })
  t.ok(split.recommendations.storageGiBPerInstance <= 65_536)
  t.ok(split.recommendations.instances > 12)
  t.ok(split.warnings.some((w: { code: string }) => w.code === 'STORAGE_SPLIT_FOR_VOLUME_LIMIT'))
})

t.test('upstream\'s workload types: the headline uses the type\'s figures, upstreamScript the script\'s', async (t) => {
  const seed = await post('/estimate/engram', {})
  t.notOk('upstreamScript' in seed, 'no type: the seed\'s script, as before')
  const heavy = await post('/estimate/engram', { workloadType: 'write-heavy' })
  t.equal(heavy.inputs.writeRatio, 0.8)
  // (5,000 x 0.2 / 2,500 + 100,000 x 0.8 / 300 / 50,000 + 5,000 / 5,000) x 0.9 + 1 = 2.2648 cores
  t.ok(Math.abs(heavy.cpu.totalCores - ((5000 * 0.2 / 2500 + 100_000 * 0.8 / 300 / 50_000 + 1) * 0.9 + 1)) < 1e-12)
  t.equal(heavy.upstreamScript.totalCores, heavy.cpu.totalCores)
  // 1,266.77 MiB x 1.2
  t.ok(Math.abs(heavy.memory.totalMiB - 1266.77284240722656 * 1.2) < 1e-9)
  t.equal(heavy.upstreamScript.totalMemoryMiB, heavy.memory.totalMiB)
  // WAL: 5,000 x 0.8 x 86,400 x 30 x 256 x 0.7 x 1.5 / 2^30
  t.ok(Math.abs(heavy.storage.walGiB - 5000 * 0.8 * 86_400 * 30 * 256 * 0.7 * 1.5 / 2 ** 30) < 1e-9)
  t.equal(heavy.upstreamScript.walGiB, heavy.storage.walGiB)
  // upstream's rounding: round(2.2648 x 1.5) = 3 -> 4 vCPUs NUMA-aligned
  t.same([heavy.upstreamScript.recommendedCores, heavy.upstreamScript.numaAlignedCores], [3, 4])
  const stated = await post('/estimate/engram', { workloadType: 'analytical', writeRatio: 0.3 })
  t.equal(stated.inputs.writeRatio, 0.3, 'a stated writeRatio wins over the type\'s')
  t.equal(stated.upstreamScript.writeRatio, 0.1, 'upstream\'s script has its own')
  const bad = await app.inject({ method: 'POST', url: '/estimate/engram', payload: { workloadType: 'batch' } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().message, 'workloadType')
})

t.test('every figure the plan recommends is accepted back: forecast, alerts, HPA and scaling take it', async (t) => {
  for (const input of [{ expectedNodes: 50_000_000 }, { opsPerSec: 200_000, replicationFactor: 2 }]) {
    const estimate = await post('/estimate/engram', input)
    const { recommendations } = estimate
    const forecast = await post('/forecast/engram', { plan: estimate, dailyGrowthRate: 0 })
    t.same(forecast.provisioned, { cores: recommendations.totalCores, memoryGiB: recommendations.memoryGiB, storageGiB: recommendations.storageGiB, source: 'request' })
    const hpa = await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload: { plan: estimate }, headers: { accept: 'application/json' } })
    t.equal(hpa.statusCode, 200)
    t.equal(hpa.json().document.spec.minReplicas, recommendations.instances)
    const alerts = await app.inject({ method: 'POST', url: '/generate/engram/alerts', payload: { plan: estimate }, headers: { accept: 'application/json' } })
    t.equal(alerts.statusCode, 200)
    t.match(alerts.json().document.groups[0].rules[1].expr, `/ ${recommendations.memoryGiBPerInstance * 2 ** 30})`)
    const scaling = await post('/scaling/engram', { currentMemoryGiB: recommendations.memoryGiBPerInstance, memoryPressurePercent: estimate.perInstance.memoryPressurePercent.atHorizon, currentStorageGiB: recommendations.storageGiBPerInstance, diskUtilizationPercent: estimate.perInstance.diskUtilizationPercent.atHorizon, currentCores: recommendations.coresPerInstance })
    t.equal(scaling.memory.row, 1, 'the memory matrix stays quiet on the plan')
    t.notOk(scaling.storage[0].triggered, 'so does the disk trigger (under 70%)')
  }
})

t.test('review fixes: the seed\'s WAL trigger, the matrix rows named right, a plan forecast for other growth', async (t) => {
  const defaults = await post('/estimate/engram', {})
  // 865.17 GiB of WAL on one instance, above the seed's "WAL size >10GB: increase compaction"
  t.match(defaults.warnings.find((w: { code: string }) => w.code === 'WAL_ABOVE_SEED_TRIGGER'), { severity: 'info', message: /865\.2 GiB of WAL/ })
  const shortRetention = await post('/estimate/engram', { retentionDays: 0.3 })
  // 5,000 x 0.4 x 86,400 x 0.3 x 256 x 0.7 / 2^30 = 8.65 GiB: under the trigger
  t.notOk(shortRetention.warnings.some((w: { code: string }) => w.code === 'WAL_ABOVE_SEED_TRIGGER'))
  // the script's 2 GiB is 61.9% used: the matrix's 60-75% row, not "Scale RAM"
  t.match(defaults.warnings.find((w: { code: string, message: string }) => w.message.startsWith('Memory: the script')).message, /61\.9% used, which the seed's own memory matrix answers with "Optimize" when hot-heavy \(60-75%\)/)
  const fifty = await post('/estimate/engram', { expectedNodes: 50_000_000 })
  t.match(fifty.warnings.find((w: { code: string, message: string }) => w.message.startsWith('Memory: the script')).message, /79\.0% used, which the seed's own memory matrix answers with "Scale RAM" \(75-85%\)/)
  // the plan was sized for no growth; a forecast at the seed's 2% a day says what that plan meets, and how to size for it
  const forecast = await post('/forecast/engram', { plan: fifty })
  t.match(forecast.warnings.find((w: { code: string }) => w.code === 'PLAN_SIZED_FOR_OTHER_GROWTH'), { severity: 'warning', message: /sized for 0 a day over 90 days; this forecast grows 0\.02 a day over 90 days/ })
  t.ok(forecast.crossings.some((c: { day: number | null }) => c.day !== null), 'and it meets crossings')
  const same = await post('/forecast/engram', { plan: fifty, dailyGrowthRate: 0 })
  t.notOk(same.warnings.some((w: { code: string }) => w.code === 'PLAN_SIZED_FOR_OTHER_GROWTH'), 'the growth it was sized for: nothing to say')
  const fitted = await post('/forecast/engram', { plan: fifty, observations: [{ day: -10, nodes: 45_000_000 }, { day: 0, nodes: 50_000_000 }] })
  t.match(fitted.warnings.find((w: { code: string }) => w.code === 'PLAN_SIZED_FOR_OTHER_GROWTH')?.message, /the fitted 500000 nodes a day/)
})
