// /estimate/aeterna with requireHA at 3M, 1e10 and 1e12 memories, held against what a real cluster
// accepts: the cluster it sizes, the volumes against gp3's limits, the bill, and the same plan's
// values through the strict gate on that cluster. Figures by hand in the comments.
import t from 'tap'
import { validateAeterna } from '../../../src/models/aeterna/ha.js'
import { tierWithHa } from '../../../src/models/aeterna/overlay.js'
import { estimateAeterna } from '../../../src/models/aeterna/recommend.js'
import { keysNotRead } from '../../../src/models/aeterna/upstream.js'
import { knownLayout } from '../../../src/models/aeterna/values-files.js'
import { GP3_LIMITS } from '../../../src/models/aeterna/volumes.js'

const GIB = 2 ** 30

t.test('3M memories with HA: the large tier on 10 nodes in 3 zones, priced line by line', async (t) => {
  const plan = estimateAeterna({ memoryCount: 3e6, requireHA: true })
  t.equal(plan.tier, 'large')
  t.match(plan.cluster, { nodes: 10, zones: 3 })
  t.same(plan.cluster, tierWithHa('large').cluster, 'one answer: the cluster GET /tiers/large?ha=true plans')
  // PostgreSQL: 3e6 x 1 KiB = 2.86 GiB x 1.5 < the tier's 500 GiB, on 5 instances
  t.match(plan.storage.postgresql, { requiredGiB: 500, volumes: 5, copies: 5, provisionedGiB: 2500 })
  // Qdrant in cluster mode: 3e6 x 2 KiB = 5.72 GiB, 3 copies over 5 peers x 1.5 = 5.15 GiB a peer < the tier's 1000 GiB
  t.match(plan.storage.qdrant, { requiredGiB: 1000, volumes: 5, copies: 3, provisionedGiB: 5000 })
  t.equal(plan.storage.totalGiB, 7500)
  const line = (item: RegExp) => plan.cost.lines.find((l) => item.test(l.item))?.usdPerMonth
  t.equal(line(/^EC2/), 2803.2, '10 x $0.384 x 730 h')
  t.equal(line(/storage \(PostgreSQL\)/), 200, '5 x 500 GiB x $0.08')
  t.equal(line(/IOPS above 3,000 \(PostgreSQL\)/), 50, '5 x (5,000 - 3,000) x $0.005: seed 000\'s "iops: 5000"')
  t.equal(line(/storage \(Qdrant\)/), 400, '5 x 1,000 GiB x $0.08')
  t.equal(line(/storage \(Dragonfly\)/), 12, '3 x 50 GiB x $0.08 (seed 002\'s persistence)')
  // offsite backup: 2 x (500 + ceil(5.72 x 1.5) = 9) = 1,018 GiB x $0.023 = $23.414
  t.equal(line(/S3/), 23.41)
  t.equal(line(/Application Load Balancers/), 16.43, '730 h x $0.0225 = $16.425, half up')
  t.equal(line(/capacity units/), 5.84, '730 h x 1 LCU x $0.008')
  // seed 000's 200 Mbps of cross-zone sync: 200e6 / 8 x 730 x 3600 / 2^30 = 61,187.9 GiB x $0.02
  t.equal(line(/between availability zones/), 1223.76)
  t.equal(plan.cost.totalUsdPerMonth, 4734.64)
  t.ok(plan.cost.totalUsdPerMonth >= 3000 && plan.cost.totalUsdPerMonth <= 5000, 'within seed 000\'s $3,000-5,000 for the large tier')
  // seed 000's EBS line assumes 2 TB of io2; the plan provisions 7,650 GiB of gp3 (7,500 + Dragonfly's 150)
  const ebs = plan.cost.seedComparison.find((row) => row.seedLine.startsWith('EBS'))
  t.match(ebs, { agrees: false, computedUsdPerMonth: 256 })
  t.match(ebs?.note, '2,048 GiB io2')
  const prices = estimateAeterna({ memoryCount: 3e6, requireHA: true, prices: { m5TwoXlargeUsdPerHour: 0.2 } })
  t.equal(prices.cost.lines[0].usdPerMonth, 1460, 'an override: 10 x $0.2 x 730 h')
  t.equal(prices.cost.prices.m5TwoXlargeUsdPerHour, 0.2)
  t.same(prices.inputs, plan.inputs, 'prices are not workload inputs')
})

t.test('every plan\'s values pass the strict gate on the plan\'s own cluster', async (t) => {
  for (const memoryCount of [50_000, 3e6, 1e10, 1e12]) {
    const plan = estimateAeterna({ memoryCount, requireHA: true })
    const gate = validateAeterna(plan.valuesFile, memoryCount, 'strict', plan.cluster)
    t.same(gate.findings.filter((f) => f.severity === 'error' && !f.passed && f.status !== 'not assessable').map((f) => `${f.id}: ${f.message}`), [], `${memoryCount}: nothing the gate rejects`)
    t.ok(plan.placements.every((p) => p.fits && p.drainReschedules), `${memoryCount}: every pod placed, every drain reschedules`)
    t.same(keysNotRead(plan.valuesFile, 'seed', knownLayout()), [], `${memoryCount}: every key one the seed layout reads`)
    t.notOk(JSON.stringify(plan.valuesFile).includes('synchronous_standby_names'), 'never the parameter CloudNativePG manages')
  }
})

t.test('1e10 memories with HA: every volume within gp3\'s 64 TiB', async (t) => {
  const plan = estimateAeterna({ memoryCount: 1e10, requireHA: true })
  // PostgreSQL: 1e10 x 1024 / 2^30 = 9,536.74 GiB x 1.5 = 14,305.1 -> 14,306 GiB per instance
  t.equal(plan.storage.postgresql.requiredGiB, 14_306)
  // Qdrant: 1e10 x 2048 / 2^30 = 19,073.49 GiB x 3 copies / 5 peers x 1.5 = 17,166.1 -> 17,167 GiB per peer
  // (the 28,611 GiB was every replica holding everything)
  t.equal(plan.storage.qdrant.requiredGiB, 17_167)
  t.equal(plan.storage.qdrant.volumes, 5)
  t.ok(plan.storage.postgresql.requiredGiB <= GP3_LIMITS.maxSizeGiB && plan.storage.qdrant.requiredGiB <= GP3_LIMITS.maxSizeGiB)
  t.notOk(plan.warnings.some((w) => w.code === 'VOLUME_ABOVE_LIMIT'))
  t.equal((plan.valuesFile as any).qdrant.persistence.size, '17167Gi')
  t.equal(GP3_LIMITS.maxSizeGiB, 64 * 1024, 'gp3 holds 64 TiB since September 2025 (the issue\'s 16 TiB is the old limit)')
})

t.test('1e12 memories: Qdrant grows peers, PostgreSQL cannot: a critical warning with the figure', async (t) => {
  const plan = estimateAeterna({ memoryCount: 1e12, requireHA: true })
  // PostgreSQL: 1e12 x 1024 / 2^30 x 1.5 = 1,430,511.5 -> 1,430,512 GiB on one volume per instance
  const volume = plan.warnings.find((w) => w.code === 'VOLUME_ABOVE_LIMIT')
  t.match(volume, { severity: 'critical', message: /PostgreSQL needs 1,430,512 GiB per instance; a gp3 volume holds at most 65,536 GiB/ })
  // Qdrant: 1e12 x 2048 / 2^30 = 1,907,348.6 GiB x 3 x 1.5 = 8,583,068.8 GiB; / 65,536 = 130.97 -> 131 peers (odd)
  t.match(plan.storage.qdrant, { volumes: 131, copies: 3 })
  t.ok(plan.storage.qdrant.requiredGiB <= GP3_LIMITS.maxSizeGiB)
  t.match((plan.valuesFile as any).qdrant, { replicaCount: 131, pdb: { minAvailable: 66 } })
  t.ok(plan.warnings.some((w) => w.code === 'QDRANT_PEERS_RAISED' && /Qdrant needs 131 peers, not 5/.test(w.message)))
  t.ok(plan.warnings.some((w) => w.code === 'QDRANT_PEERS_RAISED' && /does not place copies by zone/.test(w.message)), 'up to 44 peers a zone, 3 copies')
  t.equal(plan.cluster.nodes, 132, 'one node per Qdrant peer and one for a drain')
  t.ok(plan.warnings.some((w) => w.code === 'CLUSTER_ABOVE_TIER' && /132 nodes/.test(w.message)))
  t.ok(plan.valuesChanges.some((c) => c.path === 'qdrant.replicaCount' && c.to === 131 && /gp3 volume/.test(c.reason)))
  // without HA every Qdrant replica holds every vector: 1,907,348.6 x 1.5 -> 2,861,023 GiB, above the limit too
  const plain = estimateAeterna({ memoryCount: 1e12 })
  t.equal(plain.warnings.filter((w) => w.code === 'VOLUME_ABOVE_LIMIT' && w.severity === 'critical').length, 2)
  t.equal(plain.storage.qdrant.requiredGiB, Math.ceil(1e12 * 2048 / GIB * 1.5))
})

t.test('the answer names its chart layout, and translates to today\'s charts when asked', async (t) => {
  const plan = estimateAeterna({ memoryCount: 3e6, requireHA: true })
  t.match(plan.chartLayout, { name: 'seed' })
  t.equal(plan.upstreamValues, undefined)
  const upstream = estimateAeterna({ memoryCount: 1e10, requireHA: true, upstreamValues: true })
  t.match(upstream.upstreamValues?.prereqs, { postgresql: { instances: 5, storage: { size: '14306Gi' } }, qdrant: { replicaCount: 5, persistence: { size: '17167Gi' } } })
  t.match(upstream.upstreamValues?.app, { aeterna: { autoscaling: { maxReplicas: 10 } }, postgresql: { host: /cnpg-rw$/ } })
  t.ok(upstream.chartLayout.notExpressible?.some((n) => n.seedPath === 'postgresql.cloudnativepg.postgresql.synchronous'), 'the synchronous stanza has no key upstream: said, with the patch to make')
  t.same(keysNotRead(upstream.upstreamValues!.app, 'upstream-app', knownLayout()), [])
  t.same(keysNotRead(upstream.upstreamValues!.prereqs, 'upstream-prereqs', knownLayout()), [])
})
