import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { cpuCores, memoryGiB } from '../../../src/models/aeterna/quantities.js'
import { TIERS, TIER_NAMES, tierForMemoryCount, tierValues, tierValuesText, valueAt } from '../../../src/models/aeterna/tiers.js'

const seedCopy = new URL('../../fixtures/seeds/000_4009c6ec034aaff8.txt', import.meta.url)
const sharedSeeds = new URL('../../../../shared/seeds/', import.meta.url)

t.test('the committed seed copies are byte for byte the shared seeds', { skip: !existsSync(sharedSeeds) && 'no ../shared/seeds beside this checkout' }, async (t) => {
  for (const name of ['000_4009c6ec034aaff8.txt', '002_ad5c5a84b95a0e13.txt']) {
    t.equal(readFileSync(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8'), readFileSync(new URL(name, sharedSeeds), 'utf8'), name)
  }
})

/** The fenced yaml block of seed 000 that starts with "# values-<tier>.yaml". */
function seedBlock (tier: string): string {
  const lines = readFileSync(seedCopy, 'utf8').split('\n')
  const start = lines.indexOf(`# values-${tier}.yaml`)
  const end = lines.indexOf('```', start)
  return `${lines.slice(start, end).join('\n')}\n`
}

t.test('each values file is exactly the seed\'s block and parses to the same document', async (t) => {
  for (const tier of TIER_NAMES) {
    t.equal(tierValuesText(tier), seedBlock(tier), `values-${tier}.yaml text`)
    t.same(tierValues(tier), parse(seedBlock(tier)), `values-${tier}.yaml document`)
  }
  t.equal(valueAt(tierValues('large'), ['postgresql', 'cloudnativepg', 'instances']), 5)
  t.equal(valueAt(tierValues('small'), ['qdrant', 'persistence', 'size']), '20Gi')
  t.equal(valueAt(tierValues('small'), ['dragonfly', 'replicaCount']), undefined, 'the small tier gives dragonfly no replica count')
  t.equal(valueAt(tierValues('small'), ['aeterna', 'replicaCount', 'deeper']), undefined)
})

t.test('tier bounds from the tier table', async (t) => {
  t.same([0, 999, 1000, 1001, 100_000, 100_001, 1e12].map(tierForMemoryCount), ['small', 'small', 'medium', 'medium', 'medium', 'large', 'large'])
  t.same(TIERS.large.alerts, { cpuPercent: 65, memoryPercent: 75, diskIops: 5000, storageUsedPercent: 70, p99LatencyMs: 100, replicationLagMs: 10 })
  t.same(TIERS.small.alerts, { cpuPercent: 80, memoryPercent: 85, diskIops: 500, storageUsedPercent: 80, p99LatencyMs: 500, replicationLagMs: 100 })
  t.match(TIERS.medium.costUsdPerMonth, { min: 600, max: 1000 })
  t.match(TIERS.large.infrastructure, { nodes: { min: 5 }, nodeCpuCores: 8, nodeMemoryGiB: 32, availabilityZones: 3, totalCpuCores: { min: 40 }, totalMemoryGiB: { min: 160 } })
})

t.test('Kubernetes quantities', async (t) => {
  t.same(['200m', '1000m', '2', '0.5', 2, ' 250m '].map(cpuCores), [0.2, 1, 2, 0.5, 2, 0.25])
  t.same(['2Gi', 'abc', '1Mi', -1, Number.NaN, null].map(cpuCores), [undefined, undefined, undefined, undefined, undefined, undefined])
  t.same(['512Mi', '1Gi', '1Ti', '1024Ki', 2 ** 30, '1G'].map(memoryGiB), [0.5, 1, 1024, 2 ** -10, 1, 1e9 / 2 ** 30])
  t.same(['1Xi', 'lots', -5, {}].map(memoryGiB), [undefined, undefined, undefined, undefined])
})
