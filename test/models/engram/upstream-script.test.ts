import { readFileSync } from 'node:fs'
import t from 'tap'
import { WORKLOAD_PROFILES, WORKLOAD_TYPES, upstreamScriptEstimate, type UpstreamScriptEstimate } from '../../../src/models/engram/upstream-script.js'
import { bcNumber, close } from '../../helpers.js'

interface UpstreamCase {
  args: [number, number, number, number, number, number] | [number, number, number, number, number, number, string]
  exitCode: number
  raw: Record<string, string>
  stdout: string
  stderr: string
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/engram-upstream-script.json', import.meta.url), 'utf8')) as {
  command: string
  upstream: { repository: string, commit: string, date: string, path: string }
  cases: UpstreamCase[]
}

type Figure = (e: UpstreamScriptEstimate) => number
const SCRIPT_FIGURES: Record<string, Figure> = {
  HOT_NODES: (e) => e.tiers.hotNodes,
  WARM_NODES: (e) => e.tiers.warmNodes,
  COLD_NODES: (e) => e.tiers.coldNodes,
  TOTAL_EDGES: (e) => e.tiers.totalEdges,
  HOT_EDGES: (e) => e.tiers.hotEdges,
  HOT_MEMORY: (e) => e.memory.hotTierMiB,
  WARM_MEMORY: (e) => e.memory.warmTierMiB,
  COLD_MEMORY: (e) => e.memory.coldTierMiB,
  ACTIVATION_POOL: (e) => e.memory.activationPoolMiB,
  TOTAL_MEMORY: (e) => e.memory.totalMiB,
  SPREADING_CORES: (e) => e.cpu.spreadingCores,
  CONSOLIDATION_CORES: (e) => e.cpu.consolidationCores,
  API_CORES: (e) => e.cpu.apiCores,
  TOTAL_CORES: (e) => e.cpu.totalCores,
  RECOMMENDED_CORES: (e) => e.recommended.cores,
  NUMA_CORES: (e) => e.recommended.numaAlignedCores,
  WARM_STORAGE: (e) => e.storage.warmTierGiB,
  COLD_STORAGE: (e) => e.storage.coldTierGiB,
  WAL_STORAGE: (e) => e.storage.walGiB,
  SNAPSHOT_STORAGE: (e) => e.storage.snapshotsGiB,
  TEMP_SPACE: (e) => e.storage.tempSpaceGiB,
  TOTAL_STORAGE: (e) => e.storage.totalGiB,
  WRITE_IOPS: (e) => e.iops.write,
  READ_IOPS: (e) => e.iops.read,
  TOTAL_IOPS: (e) => e.iops.total,
  CLIENT_BANDWIDTH: (e) => e.network.clientMiBps,
  BACKUP_BANDWIDTH: (e) => e.network.backupMiBps,
  PEAK_BANDWIDTH: (e) => e.network.peakMiBps,
  MEMORY_GB: (e) => e.recommended.memoryGiB,
  STORAGE_GB: (e) => e.recommended.storageGiB,
  WRITE_RATIO: (e) => e.ratios.write,
  READ_RATIO: (e) => e.ratios.read,
  WAL_MULTIPLIER: (e) => e.ratios.walMultiplier,
  CPU_MULTIPLIER: (e) => e.ratios.cpuMultiplier,
  MEMORY_MULTIPLIER: (e) => e.ratios.memoryMultiplier
}

// Empty in the script when below 1 (cut -d. -f1 of ".15") without harm: bash's $((...)) counts
// empty IOPS as 0, and the total of edges is used by nothing.
const EMPTY_IS_ZERO = new Set(['TOTAL_EDGES', 'WRITE_IOPS', 'READ_IOPS'])
const scriptValue = (c: UpstreamCase, name: string): number =>
  c.raw[name] === '' && EMPTY_IS_ZERO.has(name) ? 0 : bcNumber(c.raw[name])
/** The script's arithmetic held: every figure it computed is a number. */
const sound = (c: UpstreamCase): boolean => c.exitCode === 0 && Object.keys(SCRIPT_FIGURES).every((name) => Number.isFinite(scriptValue(c, name)))

function estimateFor (c: UpstreamCase): UpstreamScriptEstimate {
  const [expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec, workloadType] = c.args
  return upstreamScriptEstimate({ expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec, ...(workloadType === undefined ? {} : { workloadType }) })
}

/** The integers the script prints (LC_ALL=C: no thousands separators). */
function printed (stdout: string) {
  const one = (pattern: RegExp): number => Number(pattern.exec(stdout)?.[1])
  const iops = /IOPS Required: (\d+) IOPS \((\d*) write \/ (\d*) read\)/.exec(stdout)
  return {
    numaAlignedCores: one(/Recommended: (\d+) vCPUs \(NUMA-aligned\)/),
    memoryGiB: one(/Recommended: (\d+) GB \(25% headroom\)/),
    storageGiB: one(/Recommended: (\d+) GB \(50% growth buffer\)/),
    linkGbps: one(/Recommended: (\d+) Gbps link/),
    iops: { total: Number(iops?.[1]), write: Number(iops?.[2]), read: Number(iops?.[3]) },
    tiers: [one(/Hot Tier: +(-?\d+) nodes/), one(/Warm Tier: +(-?\d+) nodes/), one(/Cold Tier: +(-?\d+) nodes/)],
    profile: /Workload Profile: (.*)/.exec(stdout)?.[1],
    ratios: /Write\/Read Ratio: (.*)/.exec(stdout)?.[1]
  }
}

t.test('the fixture: upstream\'s script at the pinned commit, every workload type and none', async (t) => {
  t.same(fixture.upstream, { repository: 'orchard9/engram', commit: 'be5818abe69984ad82292aeb1b4b3f85853130d5', date: '2025-10-29', path: 'scripts/estimate_capacity.sh' })
  const types = new Set(fixture.cases.map((c) => c.args[6]))
  for (const type of [...WORKLOAD_TYPES, 'batch', undefined]) t.ok(types.has(type), `a case with workload type ${type}`)
  t.ok(fixture.cases.filter(sound).length >= 60, 'at least 60 inputs where the script\'s arithmetic holds')
  t.ok(fixture.cases.some((c) => !sound(c)), 'and some where it does not')
})

for (const scriptCase of fixture.cases) {
  t.test(`estimate_capacity.sh ${scriptCase.args.join(' ')}`, async (t) => {
    const estimate = estimateFor(scriptCase)
    t.equal(estimate.issues.some((issue) => issue.stderr), scriptCase.stderr !== '', `errors on stderr: ${JSON.stringify(scriptCase.stderr.slice(0, 80))}`)
    if (!sound(scriptCase)) {
      t.notOk(estimate.valid, `invalid: ${estimate.issues.map((issue) => issue.code).join(', ')}`)
      return
    }
    t.ok(estimate.valid)
    for (const [name, figure] of Object.entries(SCRIPT_FIGURES)) {
      const actual = figure(estimate)
      t.ok(close(actual, scriptValue(scriptCase, name), 1e-12), `${name}: ${actual} equals the script's ${scriptCase.raw[name]}`)
    }
    const shown = printed(scriptCase.stdout)
    t.same({ numaAlignedCores: shown.numaAlignedCores, memoryGiB: shown.memoryGiB, storageGiB: shown.storageGiB, linkGbps: shown.linkGbps },
      { numaAlignedCores: estimate.recommended.numaAlignedCores, memoryGiB: estimate.recommended.memoryGiB, storageGiB: estimate.recommended.storageGiB, linkGbps: estimate.recommended.linkGbps })
    t.same(shown.iops, estimate.iops)
    t.same(shown.tiers, [estimate.tiers.hotNodes, estimate.tiers.warmNodes, estimate.tiers.coldNodes])
    t.equal(shown.profile, scriptCase.args[6] ?? 'mixed')
    t.equal(shown.ratios, `${WORKLOAD_PROFILES[estimate.profile].writeRatio.literal}/${WORKLOAD_PROFILES[estimate.profile].readRatio.literal}`)
    t.equal(estimate.issues.some((issue) => issue.code === 'NEGATIVE_COLD_TIER'), estimate.tiers.coldNodes < 0)
  })
}

t.test('by hand: the help\'s large analytical workload, 100000000 0.15 75 10000 90 300 analytical', async (t) => {
  const e = upstreamScriptEstimate({ expectedNodes: 100_000_000, activeRatio: 0.15, edgesPerNode: 75, opsPerSec: 10_000, retentionDays: 90, consolidationIntervalSec: 300, workloadType: 'analytical' })
  t.same(e.tiers, { hotNodes: 15_000_000, warmNodes: 45_000_000, coldNodes: 40_000_000, totalEdges: 7_500_000_000, hotEdges: 1_125_000_000 })
  const hotMiB = (15_000_000 * (3072 + 64) + 1_125_000_000 * 32) * 1.5 / 1_048_576
  const warmMiB = 45_000_000 * 3072 * 0.1 / 1_048_576
  const coldMiB = (40_000_000 * 10 / 8 + 40_000_000 * 64 / 128) / 1_048_576
  const poolMiB = 10_000 * 0.01 * 8192 / 1_048_576
  t.ok(close(e.memory.totalMiB, (hotMiB + warmMiB + coldMiB + poolMiB + 500) * 1.5), 'memory x 1.5 for analytical')
  t.same([e.cpu.spreadingCores, e.cpu.consolidationCores, e.cpu.apiCores], [3.6, 0.1, 2], 'reads 9,000/2,500; 15M x 0.1 / 300 / 50,000; 10,000/5,000')
  t.ok(close(e.cpu.totalCores, (3.6 + 0.1 + 2) * 1.8 + 1))
  t.equal(e.recommended.cores, 17, '11.26 x 1.5 = 16.89, rounded')
  t.equal(e.recommended.numaAlignedCores, 32)
  t.ok(close(e.storage.walGiB, 10_000 * 0.1 * 86_400 * 90 * 256 * 0.7 * 0.3 / 2 ** 30), 'WAL from writes only, x 0.3')
  const dataGiB = (45_000_000 * 3136 * 1.3 + 40_000_000 * 3072 * 0.4) / 2 ** 30
  t.ok(close(e.storage.tempSpaceGiB, dataGiB * 0.1))
  t.ok(close(e.storage.totalGiB, dataGiB * (1 + 1.5 + 0.1) + e.storage.walGiB))
  t.same(e.iops, { write: 1500, read: 2700, total: 4200 }, '1,000 writes x 1.5, 9,000 reads x 0.3')
  t.ok(close(e.network.clientMiBps, (512 + 4096) * 10_000 / 1_048_576))
  t.ok(close(e.network.peakMiBps, e.network.clientMiBps * 1.5 + e.storage.totalGiB * 1024 / 14_400))
  t.equal(e.recommended.memoryGiB, Math.trunc(e.memory.totalMiB * 1.25 / 1024))
  t.equal(e.recommended.storageGiB, Math.round(e.storage.totalGiB * 1.5))
})

t.test('by hand: the defaults are the mixed profile; memory is truncated, not rounded', async (t) => {
  const e = upstreamScriptEstimate()
  t.equal(e.profile, 'mixed')
  t.equal(e.inputs.workloadType, 'mixed')
  t.same(e.ratios, { write: 0.4, read: 0.6, walMultiplier: 1, cpuMultiplier: 1, memoryMultiplier: 1 })
  t.equal(e.cpu.spreadingCores, 5000 * 0.6 / 2500)
  t.ok(close(e.cpu.totalCores, 1.2 + 100_000 * 0.4 / 300 / 50_000 + 1 + 1))
  t.equal(e.recommended.cores, 5, '3.2027 x 1.5 + 0.5 = 5.30')
  t.equal(e.recommended.numaAlignedCores, 8)
  t.ok(e.memory.totalMiB * 1.25 / 1024 > 1.5, '1,266.8 MiB x 1.25 is 1.55 GiB')
  t.equal(e.recommended.memoryGiB, 1, 'bc truncates the division at scale 0 before adding 0.5')
  t.same(upstreamScriptEstimate({ workloadType: 'batch' }).recommended, e.recommended, 'an unknown type is mixed')
  t.equal(upstreamScriptEstimate({ workloadType: 'batch' }).inputs.workloadType, 'batch', 'and printed as typed')
})

t.test('by hand: total cores 5/3 is 1.66666666666666666666 in bc, so 2 cores where floats give 3', async (t) => {
  const e = upstreamScriptEstimate({ expectedNodes: 100_000_000, activeRatio: 0.25, opsPerSec: 0 })
  t.equal(Math.floor((25_000_000 * 0.4 / 300 / 50_000 + 1) * 1.5 + 0.5), 3, 'binary floating point')
  t.equal(e.recommended.cores, 2, 'bc, as the fixture shows')
  t.equal(e.tiers.coldNodes, 0)
  t.same(e.issues, [])
})

t.test('NUMA ladder: 2, 4, 8, 16, 32, then multiples of 32', async (t) => {
  // nodes 0, mixed: recommended = trunc(2 + 0.00066 x ops)
  const numa = (opsPerSec: number) => upstreamScriptEstimate({ expectedNodes: 0, opsPerSec }).recommended
  t.same(numa(0), { ...numa(0), cores: 2, numaAlignedCores: 2 })
  t.same([numa(4000).cores, numa(4000).numaAlignedCores, numa(4546).cores, numa(4546).numaAlignedCores], [4, 4, 5, 8])
  t.same([numa(46_000).numaAlignedCores, numa(46_970).cores, numa(46_970).numaAlignedCores], [32, 33, 64])
  t.same([numa(94_000).numaAlignedCores, numa(95_455).cores, numa(95_455).numaAlignedCores], [64, 65, 96])
})

t.test('what the script cannot compute is reported invalid', async (t) => {
  const codes = (e: UpstreamScriptEstimate) => e.issues.map((issue) => issue.code)
  const tiny = upstreamScriptEstimate({ expectedNodes: 5 })
  t.notOk(tiny.valid)
  t.same(codes(tiny), ['EMPTY_TRUNCATION'])
  t.match(tiny.issues[0].message, /^hot nodes between 0 and 1: bc prints/)
  t.equal(tiny.tiers.hotNodes, 0)
  const noInterval = upstreamScriptEstimate({ consolidationIntervalSec: 0 })
  t.same(codes(noInterval), ['DIVISION_BY_ZERO'])
  t.equal(noInterval.cpu.consolidationCores, 0)
  t.notOk(noInterval.valid)
  const oneNode = upstreamScriptEstimate({ expectedNodes: 1, activeRatio: 1, edgesPerNode: 0.5 })
  t.same([oneNode.tiers.totalEdges, oneNode.tiers.hotEdges], [0, 0], '0.5 edges, empty in the script')
  t.same(codes(oneNode), ['EMPTY_TRUNCATION', 'NEGATIVE_COLD_TIER'])
  const negative = upstreamScriptEstimate({ activeRatio: 0.5 })
  t.ok(negative.valid, 'a negative cold tier is the script\'s own figure')
  t.equal(negative.tiers.coldNodes, -1_000_000)
  t.ok(negative.memory.coldTierMiB < 0 && negative.storage.coldTierGiB < 0)
  t.same(codes(upstreamScriptEstimate({ expectedNodes: 1000.5, opsPerSec: 2500.5 })), ['NOT_AN_INTEGER'])
  t.match(upstreamScriptEstimate({ expectedNodes: 1000.5 }).issues[0].message, /^expectedNodes not whole/)
  for (const bad of [{ opsPerSec: -1 }, { activeRatio: Number.NaN }, { retentionDays: Number.POSITIVE_INFINITY }]) {
    t.throws(() => upstreamScriptEstimate(bad), RangeError)
  }
})

t.test('numbers as bc reads them: exponents and many digits', async (t) => {
  t.equal(upstreamScriptEstimate({ expectedNodes: 1e21 }).tiers.hotNodes, 1e20)
  t.equal(upstreamScriptEstimate({ expectedNodes: 1e12, activeRatio: 1e-7 }).tiers.hotNodes, 100_000)
  t.equal(upstreamScriptEstimate({ expectedNodes: 100, activeRatio: 0.29 }).tiers.hotNodes, 29, 'not 28, as 0.29 x 100 in floats')
})

t.test('every profile constant names its source', async (t) => {
  for (const type of WORKLOAD_TYPES) {
    const profile = WORKLOAD_PROFILES[type]
    t.equal(profile.writeRatio.value + profile.readRatio.value, 1, `${type}: writes + reads`)
    for (const c of Object.values(profile)) {
      t.equal(c.source, 'orchard9/engram scripts/estimate_capacity.sh @ be5818a (2025-10-29), workload_type')
      t.equal(c.value, Number(c.literal))
    }
  }
})
