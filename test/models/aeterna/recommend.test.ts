import t from 'tap'
import { estimateAeterna, resourceWarnings, storageNeed, tierDocument } from '../../../src/models/aeterna/recommend.js'
import { TIERS } from '../../../src/models/aeterna/tiers.js'

const tierOf = (input: Parameters<typeof estimateAeterna>[0]) => estimateAeterna(input).tier

t.test('memory-count boundaries', async (t) => {
  t.same([0, 999, 1000, 1001, 100_000, 100_001].map((memoryCount) => tierOf({ memoryCount })), ['small', 'small', 'medium', 'medium', 'medium', 'large'])
  t.match(estimateAeterna({ memoryCount: 500 }).reasons, [{ tier: 'small', trigger: 'no scale-up trigger met' }])
})

t.test('user and metric boundaries, each a reason', async (t) => {
  t.equal(tierOf({ memoryCount: 10, concurrentUsers: 9 }), 'small')
  t.equal(tierOf({ memoryCount: 10, concurrentUsers: 10 }), 'medium')
  t.equal(tierOf({ memoryCount: 10, concurrentUsers: 99 }), 'medium')
  t.equal(tierOf({ memoryCount: 10, concurrentUsers: 100 }), 'large')
  t.equal(tierOf({ memoryCount: 10, cpuUtilizationPercent: 75 }), 'small', 'CPU 75% is not above 75%')
  t.equal(tierOf({ memoryCount: 10, cpuUtilizationPercent: 75.1 }), 'medium')
  t.equal(tierOf({ memoryCount: 10, memoryUtilizationPercent: 80 }), 'small')
  t.equal(tierOf({ memoryCount: 10, memoryUtilizationPercent: 80.5 }), 'medium')
  t.equal(tierOf({ memoryCount: 10, requireHA: true }), 'medium')
  // a load signal moves a deployment one step from the tier it belongs to, whichever list it is on
  t.equal(tierOf({ memoryCount: 10, p99LatencyMs: 200 }), 'small')
  t.equal(tierOf({ memoryCount: 10, p99LatencyMs: 201 }), 'medium', 'a small deployment with a latency trigger goes to medium')
  t.equal(tierOf({ memoryCount: 10, storageUsedPercent: 70 }), 'small')
  t.equal(tierOf({ memoryCount: 10, storageUsedPercent: 71 }), 'medium')
  t.equal(tierOf({ memoryCount: 5000, p99LatencyMs: 201 }), 'large', 'medium -> large on medium\'s trigger')
  t.equal(tierOf({ memoryCount: 5000, cpuUtilizationPercent: 76 }), 'medium', 'small\'s triggers do not move medium')
  t.equal(tierOf({ memoryCount: 500, requireHA: true, cpuUtilizationPercent: 90 }), 'medium')
  t.match(estimateAeterna({ memoryCount: 5000, cpuUtilizationPercent: 90 }).reasons.at(-1)?.trigger, 'only medium\'s triggers move medium to large')
  t.equal(tierOf({ memoryCount: 500_000, cpuUtilizationPercent: 76 }), 'large', 'large is the last tier')
  t.equal(tierOf({ memoryCount: 10, multiTenant: true }), 'large')
  t.match(estimateAeterna({ memoryCount: 10, p99LatencyMs: 300 }).reasons, [{ tier: 'medium', trigger: 'query latency p99 > 200ms (a medium -> large trigger; from small the next tier is medium)', observed: 300 }])
  const reasons = estimateAeterna({ memoryCount: 200_000, concurrentUsers: 150, requireHA: true, cpuUtilizationPercent: 90 }).reasons
  t.same(reasons.map((r) => [r.tier, r.trigger]), [
    ['medium', 'need for HA/multi-replica'],
    ['large', '> 100,000 memory objects'],
    ['large', '100+ concurrent users'],
    ['large', 'CPU consistently > 75% (a small -> medium trigger; the deployment is already large: scale out within large)']
  ])
  t.match(reasons[1], { observed: 200_000, threshold: '> 100,000 memories', seedReference: 'seed 000, When to Scale Up' })
})

t.test('storage from per-memory sizes, never below the tier volume, one volume per replica', async (t) => {
  t.same(storageNeed(1000, 1024, 10, 1), { dataGiB: 1000 * 1024 / 2 ** 30, withHeadroomGiB: Number((1000 * 1024 / 2 ** 30 * 1.5).toPrecision(15)), tierVolumeGiB: 10, requiredGiB: 10, volumes: 1, copies: 1, provisionedGiB: 10 })
  // 1e9 memories: 1e9 x 1 KiB = 953.67 GiB, x 1.5 = 1430.5 -> 1431; 2 KiB: 1907.35, x 1.5 = 2861.02 -> 2862;
  // large runs 5 PostgreSQL instances and 5 Qdrant replicas, each with its own volume
  const huge = estimateAeterna({ memoryCount: 1e9 })
  t.match(huge.storage.postgresql, { requiredGiB: 1431, volumes: 5, provisionedGiB: 7155 })
  t.match(huge.storage.qdrant, { requiredGiB: 2862, volumes: 5, provisionedGiB: 14_310 })
  t.equal(huge.storage.totalGiB, 21_465)
  t.equal(huge.storage.dataGiB, Number((1e9 * 3072 / 2 ** 30).toPrecision(15)))
  // the values file in the same answer holds it
  t.equal((huge.valuesFile as any).postgresql.cloudnativepg.storage.size, '1431Gi')
  t.equal((huge.valuesFile as any).qdrant.persistence.size, '2862Gi')
  t.same(huge.valuesChanges.map((c) => [c.path, c.from, c.to]), [['postgresql.cloudnativepg.storage.size', '500Gi', '1431Gi'], ['qdrant.persistence.size', '1000Gi', '2862Gi']])
  t.match(huge.valuesChanges[0].reason, "each PostgreSQL instance's volume holds the workload's data x 1.5 headroom (1431 GiB)")
  const medium = estimateAeterna({ memoryCount: 100_000 })
  t.same([medium.storage.postgresql.requiredGiB, medium.storage.qdrant.requiredGiB], [100, 200], 'the tier volumes win')
  t.same(medium.valuesChanges, [], 'the tier\'s file as it is')
  // the figures: medium 3 x 100 + 3 x 200 = 900 GiB, large 5 x 500 + 5 x 1000 = 7,500 GiB
  t.equal(medium.storage.totalGiB, 900)
  t.equal(estimateAeterna({ memoryCount: 200_000 }).storage.totalGiB, 7500)
  const ha = estimateAeterna({ memoryCount: 5000, requireHA: true })
  t.ok(ha.valuesChanges.some((c) => c.path === 'aeterna.pdb.enabled' && /seed 002's HA setting/.test(c.reason)), 'HA required: seed 002\'s settings in the values file')
  t.ok(ha.valuesChanges.some((c) => c.path === 'postgresql.cloudnativepg.postgresql.synchronous.number' && /webhook rejects/.test(c.reason)), 'with the reasons GET /tiers/{name}?ha=true gives')
  const messages = medium.warnings.filter((w) => w.code === 'SEED_INCONSISTENCY').map((w) => w.message)
  t.ok(messages.some((m) => m.includes('100KB per memory')))
  t.ok(messages.some((m) => m.includes('100M vectors')))
})

t.test('requests and limits of each tier against its minimum cluster (hand-added)', async (t) => {
  const small = estimateAeterna({ memoryCount: 1 }).resources
  t.same([small.requests, small.limits, small.clusterCapacity], [{ cpuCores: 0.9, memoryGiB: 2 }, { cpuCores: 4, memoryGiB: 5 }, { nodes: 1, cpuCores: 2, memoryGiB: 8 }])
  t.same([small.requestsFit, small.limitsFit], [true, false])
  t.match(small.components.find((c) => c.component === 'dragonfly'), { replicas: 1, replicasStated: false })
  const medium = estimateAeterna({ memoryCount: 5000 }).resources
  t.same([medium.requests, medium.limits, medium.requestsAtAutoscalingMax], [{ cpuCores: 5.5, memoryGiB: 11 }, { cpuCores: 22, memoryGiB: 27 }, { cpuCores: 8, memoryGiB: 16 }])
  t.same(medium.clusterCapacity, { nodes: 3, cpuCores: 12, memoryGiB: 48 })
  const large = estimateAeterna({ memoryCount: 500_000 }).resources
  t.same([large.requests, large.limits, large.requestsAtAutoscalingMax], [{ cpuCores: 23, memoryGiB: 57.5 }, { cpuCores: 69, memoryGiB: 115 }, { cpuCores: 38, memoryGiB: 87.5 }])
  t.same([large.requestsFit, large.limitsFit], [true, false])
  const codes = estimateAeterna({ memoryCount: 500_000 }).warnings.map((w) => w.code)
  t.ok(codes.includes('LIMITS_EXCEED_CLUSTER'))
  t.notOk(codes.includes('REQUESTS_EXCEED_CLUSTER'))
})

t.test('the small tier is said not to be highly available', async (t) => {
  const small = estimateAeterna({ memoryCount: 10 })
  t.match(small.warnings.find((w) => w.code === 'NOT_HIGHLY_AVAILABLE'), { severity: 'warning', message: /fails the HA requirements of seed 002/ })
  t.notOk(estimateAeterna({ memoryCount: 5000 }).warnings.some((w) => w.code === 'NOT_HIGHLY_AVAILABLE'))
  const document = tierDocument('small')
  t.equal(document.infrastructure.haReady, false)
  t.ok(document.warnings.some((w) => w.code === 'NOT_HIGHLY_AVAILABLE'))
  t.ok(document.warnings.some((w) => w.message.includes('1 node of 8 GB has 8 GB')))
  t.same(tierDocument('large').valuesFile.aeterna, { replicaCount: 5, resources: { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '4000m', memory: '4Gi' } } })
})

t.test('a tier whose requests do not fit its cluster is critical', async (t) => {
  const resources = { ...estimateAeterna({ memoryCount: 5000 }).resources, requestsFit: false, limitsFit: true }
  const warnings = resourceWarnings(TIERS.medium, resources)
  t.same(warnings.map((w) => [w.code, w.severity]), [['REQUESTS_EXCEED_CLUSTER', 'critical']])
  t.match(warnings[0].message, 'more than the cluster (3 x 4 cores / 16 GiB = 12 cores, 48 GiB)')
})
