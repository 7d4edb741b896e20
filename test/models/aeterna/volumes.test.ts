import t from 'tap'
import fc from 'fast-check'
import { GP3_LIMITS, qdrantPeerPlan, volumeLimitCheck } from '../../../src/models/aeterna/volumes.js'

const GiB = 2 ** 30
const QDRANT_BYTES_PER_VECTOR = 2048 // seed 000: ~2KB per vector
const POSTGRES_BYTES_PER_MEMORY = 1024 // seed 000: ~1KB per memory

t.test('gp3 limits: the September 2025 figures, not the seed\'s 16 TiB', async (t) => {
  // 64 TiB = 64 x 1,024 GiB = 65,536 GiB
  t.same(GP3_LIMITS, { maxSizeGiB: 64 * 1024, maxIops: 80_000, maxThroughputMiBps: 2_000, baselineIops: 3_000, baselineThroughputMiBps: 125, source: GP3_LIMITS.source })
  t.match(GP3_LIMITS.source, /Sept 2025.*checked 2026-12-07/)
})

t.test('Qdrant peers for 1e10 memories: the large tier\'s 5 peers suffice', async (t) => {
  // 1e10 x 2,048 B / 2^30 = 19,073.486328125 GiB; x 2 copies x 1.5 headroom = 57,220.458984375 GiB
  // 57,220.46 / 65,536 = 0.87 -> 1 peer for size; max(5 peers, 1, 2 copies) = 5, odd
  // 57,220.458984375 / 5 = 11,444.091796875 -> 11,445 GiB a peer; 5 x 11,445 = 57,225 GiB
  const plan = qdrantPeerPlan({ dataGiB: 1e10 * QDRANT_BYTES_PER_VECTOR / GiB, headroom: 1.5, replicationFactor: 2, minPeers: 5, maxVolumeGiB: GP3_LIMITS.maxSizeGiB })
  t.same(plan, {
    peers: 5,
    shardNumber: 5,
    replicationFactor: 2,
    totalGiB: 57_220.458984375,
    perPeerGiB: 11_444.091796875,
    perPeerVolumeGiB: 11_445,
    provisionedGiB: 57_225,
    peersRaised: false,
    explanation: '5 peers x 11,445 GiB (shard_number 5, replication_factor 2): 57,220 GiB fits 5 peers.',
    warnings: []
  })
})

t.test('Qdrant peers for 1e12 memories: 89 peers of 64,293 GiB', async (t) => {
  // 1e12 x 2,048 / 2^30 = 1,907,348.6328125 GiB; x 2 x 1.5 = 5,722,045.8984375 GiB
  // / 65,536 = 87.31 -> 88 peers for size; 88 is even -> 89
  // 5,722,045.8984375 / 89 = 64,292.65 -> 64,293 GiB a peer (<= 65,536); 89 x 64,293 = 5,722,077
  const input = { dataGiB: 1e12 * QDRANT_BYTES_PER_VECTOR / GiB, headroom: 1.5, replicationFactor: 2, minPeers: 5, maxVolumeGiB: GP3_LIMITS.maxSizeGiB }
  const plan = qdrantPeerPlan(input)
  t.match(plan, { peers: 89, shardNumber: 89, totalGiB: 5_722_045.8984375, perPeerVolumeGiB: 64_293, provisionedGiB: 89 * 64_293, peersRaised: true })
  t.equal(plan.explanation, 'Raised from 5 to 89 peers x 64,293 GiB (shard_number 89, replication_factor 2): 5,722,046 GiB in volumes of at most 65,536 GiB needs 88 peers; 88 is even: 89 keeps the count odd, so the Raft majority tolerates one more failure.')
  t.same(plan.warnings.map((w) => [w.code, w.severity]), [['QDRANT_PEERS_RAISED', 'warning']])
  t.match(plan.warnings[0].message, /^Qdrant needs 89 peers, not 5: .* Set qdrant\.replicaCount to 89 and create the collection with shard_number 89\.$/)
  // the old 16 TiB limit: 5,722,045.9 / 16,384 = 349.25 -> 350, even -> 351 peers
  t.equal(qdrantPeerPlan({ ...input, maxVolumeGiB: 16 * 1024 }).peers, 351)
})

t.test('peers grow for the replication factor and to an odd count', async (t) => {
  // 3 copies need 3 peers although the tier runs 1; 3 is odd
  const copies = qdrantPeerPlan({ dataGiB: 1, headroom: 1.5, replicationFactor: 3, minPeers: 1, maxVolumeGiB: 100 })
  t.match(copies, { peers: 3, totalGiB: 4.5, perPeerGiB: 1.5, perPeerVolumeGiB: 2, peersRaised: true })
  t.equal(copies.explanation, 'Raised from 1 to 3 peers x 2 GiB (shard_number 3, replication_factor 3): replication factor 3 needs a peer per copy.')
  // 4 peers, 2 copies: an even count goes to 5
  const even = qdrantPeerPlan({ dataGiB: 10, headroom: 1, replicationFactor: 2, minPeers: 4, maxVolumeGiB: 100 })
  t.match(even, { peers: 5, totalGiB: 20, perPeerGiB: 4, perPeerVolumeGiB: 4, peersRaised: true })
  t.match(even.explanation, /: 4 is even: 5 keeps the count odd/)
  // 4 copies with 3 peers: 4 for the copies, then 5 to be odd
  t.match(qdrantPeerPlan({ dataGiB: 10, headroom: 1, replicationFactor: 4, minPeers: 3, maxVolumeGiB: 100 }).explanation, /replication factor 4 needs a peer per copy; 4 is even: 5/)
})

t.test('whole-GiB volumes: a fractional limit is floored, an empty store still gets 1 GiB', async (t) => {
  // 20 GiB in volumes of at most floor(10.5) = 10 GiB: 2 peers, odd -> 3; 20 / 3 = 6.67 -> 7 GiB
  t.match(qdrantPeerPlan({ dataGiB: 20, headroom: 1, replicationFactor: 1, minPeers: 1, maxVolumeGiB: 10.5 }), { peers: 3, perPeerVolumeGiB: 7, provisionedGiB: 21 })
  t.match(qdrantPeerPlan({ dataGiB: 0, headroom: 1.5, replicationFactor: 2, minPeers: 3, maxVolumeGiB: 100 }), { peers: 3, totalGiB: 0, perPeerGiB: 0, perPeerVolumeGiB: 1, peersRaised: false })
})

t.test('qdrantPeerPlan rejects what is not a plan', async (t) => {
  const base = { dataGiB: 1, headroom: 1.5, replicationFactor: 2, minPeers: 3, maxVolumeGiB: 100 }
  t.throws(() => qdrantPeerPlan({ ...base, dataGiB: Number.NaN }), RangeError)
  t.throws(() => qdrantPeerPlan({ ...base, dataGiB: -1 }), RangeError)
  t.throws(() => qdrantPeerPlan({ ...base, headroom: 0.5 }), /headroom must be a finite number >= 1/)
  t.throws(() => qdrantPeerPlan({ ...base, replicationFactor: 1.5 }), /replicationFactor must be a finite whole number >= 1, got 1.5/)
  t.throws(() => qdrantPeerPlan({ ...base, minPeers: 0 }), RangeError)
  t.throws(() => qdrantPeerPlan({ ...base, maxVolumeGiB: Number.POSITIVE_INFINITY }), RangeError)
})

t.test('property: every peer plan fits its volumes, is odd and holds every copy', async () => {
  const input = fc.record({
    dataGiB: fc.double({ min: 0, max: 1e9, noNaN: true }),
    headroom: fc.double({ min: 1, max: 5, noNaN: true }),
    replicationFactor: fc.integer({ min: 1, max: 10 }),
    minPeers: fc.integer({ min: 1, max: 100 }),
    maxVolumeGiB: fc.double({ min: 1, max: 1e6, noNaN: true })
  })
  fc.assert(fc.property(input, (i) => {
    const plan = qdrantPeerPlan(i)
    return plan.peers % 2 === 1 && plan.peers >= i.minPeers && plan.peers >= i.replicationFactor && plan.shardNumber === plan.peers &&
      plan.perPeerVolumeGiB <= Math.floor(i.maxVolumeGiB) && plan.perPeerVolumeGiB >= 1 &&
      plan.provisionedGiB >= plan.totalGiB && plan.peersRaised === (plan.peers > i.minPeers) && plan.warnings.length === (plan.peersRaised ? 1 : 0)
  }), { numRuns: 500 })
})

t.test('PostgreSQL at 1e12 memories: critical, it cannot shard', async (t) => {
  // 1e12 x 1,024 B / 2^30 = 953,674.31640625 GiB; x 1.5 = 1,430,511.474609375 -> 1,430,512 GiB
  // / 65,536 = 21.83 -> at least 22 volumes
  const volumeGiB = 1e12 * POSTGRES_BYTES_PER_MEMORY / GiB * 1.5
  const [warning, ...rest] = volumeLimitCheck({ component: 'PostgreSQL', volumeGiB, maxVolumeGiB: GP3_LIMITS.maxSizeGiB, canShard: false, volumeType: 'gp3' })
  t.same(rest, [])
  t.match(warning, { code: 'VOLUME_ABOVE_LIMIT', severity: 'critical' })
  t.equal(warning.message, 'PostgreSQL needs 1,430,512 GiB per instance; a gp3 volume holds at most 65,536 GiB, so the data needs at least 22 volumes. One primary holds all the data, so more instances do not help: partition it across several clusters (e.g. by tenant), spread tables over tablespaces on more volumes, or use storage without this per-volume limit.')
})

t.test('a component that shards is told to spread; a volume that fits passes', async (t) => {
  // 200,000 / 65,536 = 3.05 -> 4 volumes
  t.same(volumeLimitCheck({ component: 'Qdrant', volumeGiB: 200_000, maxVolumeGiB: 65_536, canShard: true }), [{
    code: 'VOLUME_ABOVE_LIMIT',
    severity: 'warning',
    message: 'Qdrant needs 200,000 GiB per instance; a volume holds at most 65,536 GiB, so the data needs at least 4 volumes. Spread it over at least 4 peers (shards) so each volume fits.'
  }])
  t.same(volumeLimitCheck({ component: 'PostgreSQL', volumeGiB: 65_536, maxVolumeGiB: 65_536, canShard: false }), [], 'exactly the limit fits')
  t.same(volumeLimitCheck({ component: 'PostgreSQL', volumeGiB: 0, maxVolumeGiB: 65_536, canShard: false }), [])
  t.throws(() => volumeLimitCheck({ component: 'PostgreSQL', volumeGiB: -1, maxVolumeGiB: 65_536, canShard: false }), RangeError)
  t.throws(() => volumeLimitCheck({ component: 'PostgreSQL', volumeGiB: 1, maxVolumeGiB: 0, canShard: false }), RangeError)
})
