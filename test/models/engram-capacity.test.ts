import t from 'tap'
import { estimateEngram } from '../../src/models/engram/capacity.js'
import { argsToInput, bcNumber, close, scriptFixture } from '../helpers.js'

const SCRIPT_FIGURES = {
  HOT_NODES: (e: ReturnType<typeof estimateEngram>) => e.tiers.hotNodes,
  WARM_NODES: (e: ReturnType<typeof estimateEngram>) => e.tiers.warmNodes,
  COLD_NODES: (e: ReturnType<typeof estimateEngram>) => e.tiers.coldNodes,
  TOTAL_EDGES: (e: ReturnType<typeof estimateEngram>) => e.tiers.totalEdges,
  HOT_EDGES: (e: ReturnType<typeof estimateEngram>) => e.tiers.hotEdges,
  HOT_MEMORY: (e: ReturnType<typeof estimateEngram>) => e.memory.hotTierMiB,
  WARM_MEMORY: (e: ReturnType<typeof estimateEngram>) => e.memory.warmTierMiB,
  COLD_MEMORY: (e: ReturnType<typeof estimateEngram>) => e.memory.coldTierMiB,
  ACTIVATION_POOL: (e: ReturnType<typeof estimateEngram>) => e.memory.activationPoolMiB,
  RUNTIME_OVERHEAD: (e: ReturnType<typeof estimateEngram>) => e.memory.runtimeMiB,
  TOTAL_MEMORY: (e: ReturnType<typeof estimateEngram>) => e.memory.totalMiB,
  SPREADING_CORES: (e: ReturnType<typeof estimateEngram>) => e.cpu.spreadingCores,
  CONSOLIDATION_CORES: (e: ReturnType<typeof estimateEngram>) => e.cpu.consolidationCores,
  API_CORES: (e: ReturnType<typeof estimateEngram>) => e.cpu.apiCores,
  TOTAL_CORES: (e: ReturnType<typeof estimateEngram>) => e.cpu.totalCores,
  WARM_STORAGE: (e: ReturnType<typeof estimateEngram>) => e.storage.warmTierGiB,
  COLD_STORAGE: (e: ReturnType<typeof estimateEngram>) => e.storage.coldTierGiB,
  // the script logs every operation: its WAL and total are kept as seedScript's (the plan logs writes)
  WAL_STORAGE: (e: ReturnType<typeof estimateEngram>) => e.seedScript.walGiB,
  SNAPSHOT_STORAGE: (e: ReturnType<typeof estimateEngram>) => e.storage.snapshotsGiB,
  TOTAL_STORAGE: (e: ReturnType<typeof estimateEngram>) => e.seedScript.storageTotalGiB
}

t.test('the seed\'s worked example (script defaults)', async (t) => {
  const estimate = estimateEngram()
  t.same(estimate.tiers, { hotNodes: 100_000, warmNodes: 300_000, coldNodes: 600_000, totalEdges: 50_000_000, hotEdges: 5_000_000 })
  t.equal(estimate.cpu.totalCores.toFixed(4), '4.0067')
  t.equal(estimate.memory.totalMiB.toFixed(2), '1266.77')
  t.equal(estimate.seedScript.storageTotalGiB.toFixed(2), '2167.50')
  t.equal(estimate.cpu.spreadingCores, 2)
  t.equal(estimate.cpu.apiCores, 1)
  t.equal(estimate.cpu.systemCores, 1)
  t.equal(estimate.memory.hotTierMiB, 677.490234375)
  t.equal(estimate.memory.warmTierMiB, 87.890625)
  t.equal(estimate.memory.activationPoolMiB, 0.390625)
  t.equal(estimate.seedScript.walGiB, 2162.933349609375, 'the script: 5,000 ops/s x 86,400 x 30 x 256 B x 0.7 / 2^30')
  // the script's recommendations rounded up, not truncated: 1583.5 MiB -> 2 GiB, 3251.2 GiB -> 3252
  t.same({ memoryGiB: estimate.seedScript.memoryGiB, storageGiB: estimate.seedScript.storageGiB }, { memoryGiB: 2, storageGiB: 3252 })
  // 1266.77 MiB / 2,048 MiB: 61.9%, above the memory matrix's 60% "no action" row
  t.equal(estimate.seedScript.memoryPressurePercent.toFixed(1), '61.9')
  // the plan's WAL logs writes: 5,000 x 0.4 x 86,400 x 30 x 256 x 0.7 / 2^30 = 865.17333984375 GiB
  t.equal(estimate.storage.walGiB, 865.17333984375)
  const storageNeed = 1.1390447616577148 + 0.6866455078125 + 865.17333984375 + 2.738535404205322
  t.equal(Math.ceil(storageNeed * 1.5), 1305)
  // memory: the smallest whole GiB with 1266.77 MiB under 60%: 1266.77 / 614.4 = 2.06 -> 3 GiB (41.2%)
  t.same(estimate.recommendations, {
    cores: 8,
    memoryGiB: 3,
    storageGiB: 1305,
    instances: 1,
    coresPerInstance: 8,
    totalCores: 8,
    memoryGiBPerInstance: 3,
    storageGiBPerInstance: 1305,
    layout: { role: 'single', replicationFactor: 0, copies: 1, dataShare: 1 }
  })
  t.equal(estimate.perInstance.memoryPressurePercent.today.toFixed(1), '41.2')
  t.ok(estimate.warnings.some((w) => w.code === 'SEED_INCONSISTENCY' && w.message.includes('logs every operation')), 'the WAL slip is stated')
  t.ok(estimate.warnings.some((w) => w.code === 'SEED_INCONSISTENCY' && w.message.includes('Optimize')), 'the memory headroom slip is stated')
})

// Cases where the script's arithmetic is sound: every figure equals the script's bc value.
const soundCases = scriptFixture.cases.filter((c) => c.args[1] <= 0.25 && c.stderr === '')
t.ok(soundCases.length >= 13, 'the worked example and at least 12 other inputs agree with the script')

for (const scriptCase of soundCases) {
  t.test(`parity with estimate_capacity.sh ${scriptCase.args.join(' ')}`, async (t) => {
    t.equal(scriptCase.exitCode, 0)
    const estimate = estimateEngram(argsToInput(scriptCase.args))
    for (const [name, figure] of Object.entries(SCRIPT_FIGURES)) {
      const expected = bcNumber(scriptCase.raw[name])
      const actual = figure(estimate)
      t.ok(close(actual, expected), `${name}: ${actual} equals the script's ${scriptCase.raw[name]}`)
    }
  })
}

t.test('activeRatio above 0.25: the script goes negative, the service caps the warm tier', async (t) => {
  for (const ratio of [0.5, 1]) {
    const scriptCase = scriptFixture.cases.find((c) => c.args[1] === ratio && c.args[0] === 1_000_000)
    t.ok(scriptCase !== undefined)
    t.ok(bcNumber(scriptCase?.raw.COLD_NODES) < 0, `the script's cold tier is ${scriptCase?.raw.COLD_NODES}`)
    t.ok(bcNumber(scriptCase?.raw.COLD_MEMORY) < 0, 'and its cold memory is negative')
    const estimate = estimateEngram({ activeRatio: ratio })
    t.equal(estimate.tiers.hotNodes, 1_000_000 * ratio)
    t.equal(estimate.tiers.warmNodes, 1_000_000 - 1_000_000 * ratio)
    t.equal(estimate.tiers.coldNodes, 0)
    t.equal(estimate.memory.coldTierMiB, 0)
    t.equal(estimate.storage.coldTierGiB, 0)
    t.equal(String(estimate.tiers.hotNodes), scriptCase?.raw.HOT_NODES, 'the hot tier still equals the script')
    const warning = estimate.warnings.find((w) => w.code === 'WARM_TIER_CAPPED')
    t.ok(warning, 'the deviation is reported')
    t.match(warning?.message, new RegExp(`would report ${(-Number(scriptCase?.raw.COLD_NODES)).toLocaleString('en-US').replace(/,/g, ',')}`.replace('report ', 'report -')))
  }
  const edge = estimateEngram({ activeRatio: 0.25 })
  t.same([edge.tiers.hotNodes, edge.tiers.warmNodes, edge.tiers.coldNodes], [250_000, 750_000, 0])
  t.notOk(edge.warnings.some((w) => w.code === 'WARM_TIER_CAPPED'), '0.25 still fits: no cap')
})

t.test('5 nodes: the script breaks (empty hot tier string, 0 cores, 7 nodes from 5); the service floors', async (t) => {
  const scriptCase = scriptFixture.cases.find((c) => c.args[0] === 5)
  t.match(scriptCase?.stderr, /syntax error/)
  t.equal(scriptCase?.raw.HOT_NODES, '')
  t.equal(scriptCase?.raw.COLD_NODES, '6', 'the script counts 1 warm + 6 cold nodes out of 5')
  const estimate = estimateEngram({ expectedNodes: 5 })
  t.same([estimate.tiers.hotNodes, estimate.tiers.warmNodes, estimate.tiers.coldNodes], [0, 1, 4])
  t.equal(estimate.cpu.totalCores, 4, 'spreading 2 + API 1 + system 1, where the script prints 0.0')
  t.ok(estimate.memory.totalMiB > 500, 'memory includes the runtime, where the script prints 0.0')
  t.equal(estimate.recommendations.cores, 6)
})

t.test('edge cases', async (t) => {
  const empty = estimateEngram({ expectedNodes: 0 })
  t.same(empty.tiers, { hotNodes: 0, warmNodes: 0, coldNodes: 0, totalEdges: 0, hotEdges: 0 })
  t.equal(empty.memory.totalMiB, 500.390625)
  t.equal(empty.storage.snapshotsGiB, 0)

  const huge = estimateEngram({ expectedNodes: 100_000_000_000 })
  t.equal(huge.tiers.hotNodes, 10_000_000_000)
  const codes = huge.warnings.map((w) => w.code)
  t.ok(codes.includes('SHARD_HOT_TIER'))
  t.ok(codes.includes('NUMA_AWARE_ALLOCATION'))
  t.ok(codes.includes('HORIZONTAL_SCALING'), `${huge.cpu.totalCores} cores`)
  t.ok(codes.includes('MAX_USEFUL_CORES_EXCEEDED'))
  t.equal(huge.warnings.find((w) => w.code === 'MAX_USEFUL_CORES_EXCEEDED')?.severity, 'warning', 'not critical: the layout already splits the cores')
  t.notOk(huge.warnings.some((w) => w.severity === 'critical'))
  t.ok(huge.recommendations.instances >= Math.ceil(huge.recommendations.cores / 32))
  t.ok(huge.recommendations.totalCores >= huge.recommendations.cores)
  t.ok(huge.recommendations.coresPerInstance <= 32)

  const idle = estimateEngram({ opsPerSec: 0 })
  t.equal(idle.cpu.spreadingCores, 0)
  t.equal(idle.storage.walGiB, 0)
  t.equal(idle.memory.activationPoolMiB, 0)
  t.equal(idle.network.clientMbps, 0)
  t.notOk(idle.warnings.some((w) => w.code === 'WAL_DOMINATES_STORAGE'))

  const nothing = estimateEngram({ expectedNodes: 0, opsPerSec: 0 })
  t.equal(nothing.storage.totalGiB, 0)
  t.equal(nothing.recommendations.storageGiB, 0)
  t.equal(nothing.recommendations.cores, 2, 'the system core with headroom, made even')
})

t.test('decimal-exact floors, as bc with the typed number', async (t) => {
  // 0.29 x 100 is 28.999999999999996 in binary floating point
  t.equal(estimateEngram({ expectedNodes: 100, activeRatio: 0.29 }).tiers.hotNodes, 29)
  t.equal(estimateEngram({ expectedNodes: 12_345_678, activeRatio: 0.123 }).tiers.warmNodes, 4_555_555)
  t.equal(estimateEngram({ expectedNodes: 10, activeRatio: 1e-7 }).tiers.hotNodes, 0)
  t.equal(estimateEngram({ expectedNodes: 1e12, activeRatio: 1e-7 }).tiers.hotNodes, 100_000)
  t.equal(estimateEngram({ expectedNodes: 3, edgesPerNode: 2.5, activeRatio: 1 }).tiers.hotEdges, 7)
})

t.test('warnings follow the script\'s thresholds', async (t) => {
  const codes = (input: Parameters<typeof estimateEngram>[0]) => estimateEngram(input).warnings.map((w) => w.code)
  t.notOk(codes({}).includes('HORIZONTAL_SCALING'))
  t.ok(codes({}).includes('WAL_DOMINATES_STORAGE'))
  t.ok(codes({}).includes('EVEN_CORE_COUNT'), '7 cores with headroom become 8')
  t.ok(codes({ opsPerSec: 12_500 }).includes('HORIZONTAL_SCALING'), '5 + 2.5 + 0.0067 + 1 > 8 cores')
  t.notOk(codes({ opsPerSec: 8_000, expectedNodes: 0 }).includes('HORIZONTAL_SCALING'), 'exactly 3.2 + 1.6 + 1 = 5.8')
  // spreading 4 + consolidation 15,000,000 / 300 / 50,000 = 1 + API 2 + system 1 = exactly 8
  const atEight = estimateEngram({ opsPerSec: 10_000, expectedNodes: 150_000_000 })
  t.equal(atEight.cpu.totalCores, 8)
  t.ok(codes({ opsPerSec: 10_000, expectedNodes: 150_000_010 }).includes('HORIZONTAL_SCALING'), 'just above 8')
  t.notOk(atEight.warnings.some((w) => w.code === 'HORIZONTAL_SCALING'), '8 cores is not more than 8')
  t.notOk(codes({ expectedNodes: 100_000_000 }).includes('SHARD_HOT_TIER'), '10,000,000 hot nodes is not more than 10M')
  t.ok(codes({ expectedNodes: 100_000_010 }).includes('SHARD_HOT_TIER'))
  t.notOk(codes({}).includes('COMPACTION_OVER_ONE_CORE'))
  t.notOk(codes({ compactionsPerHour: 1, segmentSizeMiB: 360_000, compactionThroughputMiBPerSec: 100 }).includes('COMPACTION_OVER_ONE_CORE'), 'exactly 1 core')
  t.ok(codes({ compactionsPerHour: 1000, segmentSizeMiB: 1024 }).includes('COMPACTION_OVER_ONE_CORE'))
})

t.test('documented formulas beyond the script', async (t) => {
  const gpu = estimateEngram({ gpuFallbackRatio: 1 })
  t.equal(gpu.cpu.spreadingCores, 3, '2 cores x (1 + 1 x 0.5)')
  const grpc = estimateEngram({ grpcRequestRatio: 1 })
  t.equal(grpc.cpu.apiCores, 0.625, '5,000 gRPC requests / 8,000')
  const mixed = estimateEngram({ grpcRequestRatio: 0.5 })
  t.equal(mixed.cpu.apiCores, 2500 / 5000 + 2500 / 8000)
  const compaction = estimateEngram({ compactionsPerHour: 12, segmentSizeMiB: 300, compactionThroughputMiBPerSec: 50 })
  t.equal(compaction.cpu.compactionCores, 12 * 300 / (50 * 3600))
  t.ok(close(compaction.cpu.totalCores, estimateEngram().cpu.totalCores + 0.02))

  const net = estimateEngram({ replicationFactor: 2 })
  t.equal(net.network.clientMbps, 8192 * 5000 * 8 / 1e6, '(4 KiB + 4 KiB) x 5,000/s')
  t.equal(net.network.replicationMbps, 5000 * 0.4 * 256 * 2 * 8 / 1e6)
  const dataBytes = (net.storage.warmTierGiB + net.storage.coldTierGiB) * 1_073_741_824
  t.ok(close(net.network.backupMbps, dataBytes / (4 * 3600) * 8 / 1e6))
  t.equal(net.network.peakMbps, Math.max(net.network.replicationMbps, net.network.backupMbps) + net.network.clientMbps * 1.5)
})

t.test('assumptions name every constant with its seed reference', async (t) => {
  const { assumptions } = estimateEngram()
  const byName = new Map(assumptions.map((a) => [a.name, a]))
  t.equal(byName.get('embeddingBytes')?.value, 3072)
  t.match(byName.get('walSizeFactor')?.note, /SEED_INCONSISTENCY/)
  t.match(byName.get('systemCores')?.note, /documented TOTAL_CPU formula/)
  t.equal(byName.get('walBufferMiB')?.value, 0)
  for (const assumption of assumptions) t.match(assumption.source, /seed 00[0-4]|SERVICE|orchard9\/engram/, assumption.name)
})

t.test('assumptions chosen by the service show the value used and where it came from', async (t) => {
  const byName = (input: Parameters<typeof estimateEngram>[0]) => new Map(estimateEngram(input).assumptions.map((a) => [a.name, a]))
  t.match(byName({}).get('segmentSizeMiB'), { value: 256, source: /^SERVICE/ })
  t.match(byName({ segmentSizeMiB: 64 }).get('segmentSizeMiB'), { value: 64, source: 'request' })
  t.match(byName({}).get('writeRatio'), { value: 0.4, source: /Mixed Workload/ })
})
