import { deepStrictEqual } from 'node:assert/strict'
import t from 'tap'
import fc from 'fast-check'
import fastJson from 'fast-json-stringify'
import {
  AETERNA_PRICES, AETERNA_PRICE_MAXIMA, AETERNA_PRICE_NAMES, AETERNA_PRICE_SOURCES, type AeternaCostPlan, type AeternaPrices, INSTANCE_TYPES,
  MAX_PLAN_QUANTITY, agreesWithSeed, aeternaCost, mbpsToGiBPerMonth, seedCostComparison, seedUsdRange
} from '../../../src/models/aeterna/cost.js'
import { createBodyAjv } from '../../../src/plugins/validation.js'
import { AeternaCostSchema, AeternaPricesSchema } from '../../../src/schemas/aeterna-cost.js'

const EMPTY: AeternaCostPlan = { nodes: 0, instanceType: 'm5.xlarge', volumes: [], backupGiB: 0, offsiteBackupGiB: 0, loadBalancers: 0, lcuPerHour: 0, crossAzGiBPerMonth: 0 }
const plan = (part: Partial<AeternaCostPlan>): AeternaCostPlan => ({ ...EMPTY, ...part })
const usdOf = (p: AeternaCostPlan, overrides?: Partial<AeternaPrices>) => aeternaCost(p, overrides).lines.map((l) => l.usdPerMonth)

t.test('default prices, each with a source and a date', async (t) => {
  t.same(AETERNA_PRICES, {
    hoursPerMonth: 730,
    m5LargeUsdPerHour: 0.096,
    m5XlargeUsdPerHour: 0.192,
    m5TwoXlargeUsdPerHour: 0.384,
    gp3UsdPerGiBMonth: 0.08,
    gp3UsdPerIopsMonth: 0.005,
    gp3UsdPerMiBpsMonth: 0.04,
    io2UsdPerGiBMonth: 0.125,
    io2UsdPerIopsMonth: 0.065,
    snapshotUsdPerGiBMonth: 0.05,
    s3StandardUsdPerGiBMonth: 0.023,
    albUsdPerHour: 0.0225,
    albUsdPerLcuHour: 0.008,
    crossAzUsdPerGiBEachDirection: 0.01
  })
  for (const name of AETERNA_PRICE_NAMES.filter((n) => n !== 'hoursPerMonth')) t.match(AETERNA_PRICE_SOURCES[name], /^AWS .*checked 2026-12-07 \(search corpus\)$/, name)
  t.match(AETERNA_PRICE_SOURCES.hoursPerMonth, /8,760 h \/ 12/)
})

t.test('EC2: nodes x 730 h x the hourly price', async (t) => {
  // 3 x 0.192 x 730 = 420.48 (seed 000's medium tier)
  t.same(aeternaCost(plan({ nodes: 3, instanceType: 'm5.xlarge' })).lines, [{ item: 'EC2 m5.xlarge nodes', quantity: 2190, unit: 'instance-hours', usdPerMonth: 420.48, price: '3 nodes x 730 h x $0.192 per hour' }])
  // 7 x 0.384 x 730 = 1,962.24 (large); 2 x 0.096 x 730 = 140.16 (small: 2 vCPU / 8 GiB nodes)
  t.same(usdOf(plan({ nodes: 7, instanceType: 'm5.2xlarge' })), [1962.24])
  t.same(usdOf(plan({ nodes: 2, instanceType: 'm5.large' })), [140.16])
})

t.test('gp3: storage, IOPS above 3,000 and throughput above 125 MiB/s, per volume', async (t) => {
  // 500 GiB x 0.08 = 40; IOPS 5,000 -> 2,000 x 0.005 = 10; 250 MiB/s -> 125 x 0.04 = 5
  const one = aeternaCost(plan({ volumes: [{ component: 'postgresql', count: 1, sizeGiB: 500, iops: 5000, throughputMiBps: 250 }] }))
  t.same(one.lines, [
    { item: 'EBS gp3 storage (postgresql)', quantity: 500, unit: 'GiB-month', usdPerMonth: 40, price: '1 volumes x 500 GiB x $0.08 per GiB-month' },
    { item: 'EBS gp3 IOPS above 3,000 (postgresql)', quantity: 2000, unit: 'IOPS-month', usdPerMonth: 10, price: '1 volumes x (5,000 - 3,000 included) IOPS x $0.005 per IOPS-month' },
    { item: 'EBS gp3 throughput above 125 MiB/s (postgresql)', quantity: 125, unit: 'MiB/s-month', usdPerMonth: 5, price: '1 volumes x (250 - 125 included) MiB/s x $0.04 per MiB/s-month' }
  ])
  t.equal(one.totalUsdPerMonth, 55)
  // 3 volumes of 200 GiB at the baseline: 600 x 0.08 = 48, no IOPS or throughput lines
  t.same(aeternaCost(plan({ volumes: [{ component: 'qdrant', count: 3, sizeGiB: 200, iops: 3000, throughputMiBps: 125 }] })).lines.map((l) => [l.item, l.usdPerMonth]), [['EBS gp3 storage (qdrant)', 48]])
  // IOPS below the baseline are not a discount
  t.same(usdOf(plan({ volumes: [{ component: 'qdrant', count: 1, sizeGiB: 10, iops: 100, throughputMiBps: 50 }] })), [0.8])
})

t.test('backups, load balancers and transfer between zones', async (t) => {
  const full = aeternaCost(plan({
    nodes: 3,
    volumes: [{ component: 'postgresql', count: 3, sizeGiB: 100, iops: 5000, throughputMiBps: 250 }],
    backupGiB: 100,
    offsiteBackupGiB: 450,
    loadBalancers: 1,
    lcuPerHour: 2,
    crossAzGiBPerMonth: 600
  }))
  t.same(full.lines.map((l) => [l.item, l.usdPerMonth]), [
    ['EC2 m5.xlarge nodes', 420.48], // 3 x 0.192 x 730
    ['EBS gp3 storage (postgresql)', 24], // 300 x 0.08
    ['EBS gp3 IOPS above 3,000 (postgresql)', 30], // 3 x 2,000 x 0.005
    ['EBS gp3 throughput above 125 MiB/s (postgresql)', 15], // 3 x 125 x 0.04
    ['EBS snapshots (standard tier)', 5], // 100 x 0.05
    ['S3 Standard (offsite backup)', 10.35], // 450 x 0.023
    ['Application Load Balancers', 16.43], // 730 x 0.0225 = 16.425, half up
    ['Load balancer capacity units', 11.68], // 2 x 730 x 0.008
    ['Data transfer between availability zones', 12] // 600 x (0.01 + 0.01)
  ])
  // 420.48 + 24 + 30 + 15 + 5 + 10.35 + 16.43 + 11.68 + 12 = 544.94
  t.equal(full.totalUsdPerMonth, 544.94)
  t.equal(full.lines.at(-1)?.price, '600 GiB x ($0.01 out + $0.01 in) per GiB')
  t.same(full.prices, AETERNA_PRICES)
})

t.test('cents: each line rounded once, the total their exact sum', async (t) => {
  // 1 GiB of S3: 0.023 -> 0.02; three such lines and 0.1 + 0.2 style noise must not leak into the total
  const lines = aeternaCost(plan({ offsiteBackupGiB: 1, backupGiB: 0.1, crossAzGiBPerMonth: 10 })).lines
  t.same(lines.map((l) => l.usdPerMonth), [0.01, 0.02, 0.2]) // 0.1 x 0.05 = 0.005 -> 0.01; 0.023 -> 0.02; 10 x 0.02
  t.equal(aeternaCost(plan({ offsiteBackupGiB: 1, backupGiB: 0.1, crossAzGiBPerMonth: 10 })).totalUsdPerMonth, 0.23)
  t.same(aeternaCost(EMPTY), { lines: [], totalUsdPerMonth: 0, prices: AETERNA_PRICES })
})

t.test('overrides replace defaults by name', async (t) => {
  // 3 x 0.2 x 730 = 438
  t.same(usdOf(plan({ nodes: 3 }), { m5XlargeUsdPerHour: 0.2 }), [438])
  // 744 h: 3 x 0.192 x 744 = 428.544 -> 428.54
  t.same(usdOf(plan({ nodes: 3 }), { hoursPerMonth: 744 }), [428.54])
  // gp3 at 0.1: 500 x 0.1 = 50; a price stated as undefined keeps the default
  t.same(usdOf(plan({ volumes: [{ component: 'postgresql', count: 1, sizeGiB: 500, iops: 3000, throughputMiBps: 125 }] }), { gp3UsdPerGiBMonth: 0.1, m5XlargeUsdPerHour: undefined }), [50])
  t.equal(aeternaCost(plan({ nodes: 1 }), { m5XlargeUsdPerHour: 0 }).totalUsdPerMonth, 0, 'a free price is a price')
  t.equal(aeternaCost(EMPTY, { albUsdPerHour: 0.03 }).prices.albUsdPerHour, 0.03)
})

t.test('what is not a plan or a price is rejected', async (t) => {
  t.throws(() => aeternaCost(plan({ nodes: -1 })), /nodes must be a number from 0 to 1000000000000, got -1/)
  t.throws(() => aeternaCost(plan({ lcuPerHour: Number.NaN })), RangeError)
  t.throws(() => aeternaCost(plan({ crossAzGiBPerMonth: Number.POSITIVE_INFINITY })), RangeError)
  t.throws(() => aeternaCost(plan({ backupGiB: MAX_PLAN_QUANTITY * 2 })), RangeError)
  t.throws(() => aeternaCost(plan({ volumes: [{ component: 'x', count: 1, sizeGiB: -5, iops: 3000, throughputMiBps: 125 }] })), /volumes\[0\]\.sizeGiB/)
  t.throws(() => aeternaCost(plan({ instanceType: 't3.micro' as never })), /instanceType must be one of m5\.large, m5\.xlarge, m5\.2xlarge, got t3\.micro/)
  t.throws(() => aeternaCost(EMPTY, { gp3UsdPerGiBMonth: -0.01 }), /prices\.gp3UsdPerGiBMonth/)
  t.throws(() => aeternaCost(EMPTY, { hoursPerMonth: 745 }), RangeError)
})

const arbitraryPlan = fc.record({
  nodes: fc.integer({ min: 0, max: 10_000 }),
  instanceType: fc.constantFrom(...INSTANCE_TYPES),
  volumes: fc.array(fc.record({
    component: fc.constantFrom('postgresql', 'qdrant', 'dragonfly'),
    count: fc.integer({ min: 0, max: 1000 }),
    sizeGiB: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true }),
    iops: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true }),
    throughputMiBps: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true })
  }), { maxLength: 4 }),
  backupGiB: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true }),
  offsiteBackupGiB: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true }),
  loadBalancers: fc.integer({ min: 0, max: 100 }),
  lcuPerHour: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true }),
  crossAzGiBPerMonth: fc.double({ min: 0, max: MAX_PLAN_QUANTITY, noNaN: true })
})
const arbitraryOverrides = fc.record(
  Object.fromEntries(AETERNA_PRICE_NAMES.map((name) => [name, fc.double({ min: 0, max: AETERNA_PRICE_MAXIMA[name], noNaN: true })])) as Record<keyof AeternaPrices, fc.Arbitrary<number>>,
  { requiredKeys: [] }
)

t.test('property: no NaN, Infinity or negative money for any plan, and the total is the lines\' sum', async (t) => {
  const counterexample = { nodes: 0, instanceType: 'm5.large' as const, volumes: [{ component: 'postgresql', count: 77, sizeGiB: 0.23295454545454466, iops: 0, throughputMiBps: 0 }, { component: 'postgresql', count: 880, sizeGiB: 999694143719.8259, iops: 0, throughputMiBps: 0 }], backupGiB: 0, offsiteBackupGiB: 0, loadBalancers: 0, lcuPerHour: 0, crossAzGiBPerMonth: 0 }
  t.ok(Number.isFinite(aeternaCost(counterexample).totalUsdPerMonth), 'CI\'s counterexample (7 x 10^15 cents) is a finite bill')
  fc.assert(fc.property(arbitraryPlan, arbitraryOverrides, (p, overrides) => {
    const cost = aeternaCost(p, overrides)
    const money = [...cost.lines.map((l) => l.usdPerMonth), cost.totalUsdPerMonth]
    const cents = cost.lines.reduce((sum, l) => sum + Math.round(l.usdPerMonth * 100), 0)
    return money.every((usd) => Number.isFinite(usd) && usd >= 0) && cost.lines.every((l) => l.quantity > 0) &&
      // exact to the cent while cents and their USD quotient stay exact in a double: past 2^50 cents
      // ($11 trillion a month) dividing by 100 and multiplying back can move the last cent (CI met
      // 880 volumes of 10^12 GiB: 7 x 10^15 cents, one cent apart)
      (cents > 2 ** 50 || Math.round(cost.totalUsdPerMonth * 100) === cents)
  }), { numRuns: 500 })
})

// ---------------------------------------------------------------------------------------------
// Seed 000's cost lines

t.test('seed 000, medium: EC2 and transfer hold, EBS is gp2\'s price', async (t) => {
  const rows = seedCostComparison('medium')
  t.same(rows.map((r) => [r.seedLine, r.computedUsdPerMonth, r.computedHighUsdPerMonth, r.agrees]), [
    ['EC2 nodes ~$400-600/month (3 m5.xlarge)', 420.48, 420.48, true], // 3 x 0.192 x 730
    ['EBS ~$50/month (500GB provisioned)', 40, 40, false], // 500 x 0.08; 20% under ~$50
    // 20% of 10-50 Mbps = 2-10 Mbps; 2 Mbps: 2e6 / 8 x 730 x 3,600 / 2^30 = 611.887 GiB x 0.02 = 12.24;
    // 10 Mbps: 3,059.435 GiB x 0.02 = 61.19; overlaps $20-50
    ['Data transfer ~$20-50/month', 12.24, 61.19, true],
    ['RDS/managed DB (optional) +$100-200/month', undefined, undefined, undefined] // not priced: left out
  ])
  t.same(rows[0].seedUsdPerMonth, { min: 400, max: 600 })
  t.equal(rows[1].note, 'Does not agree with the seed: 20% below its $50.00. 500 GiB gp3 x $0.08 = $40.00; at gp2\'s $0.10 it is $50.00, the seed\'s figure. The tier\'s own volumes add up to 900 GiB ($72.00 on gp3), not the 500 the line prices.')
  t.match(rows[2].note, /^Agrees with the seed\. Seed: cross-AZ ~20% of the 10-50 Mbps baseline\. 2-10 Mbps sustained is 612-3,059 GiB a month/)
  t.match(rows[3].note, /^Not reproducible/)
})

t.test('seed 000, large: EC2 just under, io2 above, S3 holds, transfer far above', async (t) => {
  const rows = seedCostComparison('large')
  t.same(rows.map((r) => [r.computedUsdPerMonth, r.agrees]), [
    [1962.24, false], // 7 x 0.384 x 730, 1.9% under $2,000
    [256, false], // 2 TiB = 2,048 GiB x 0.125 = 256 before any IOPS, 28% over ~$200
    [47.1, true], // 2,048 x 0.023 = 47.104, within 10% of ~$50
    [1223.76, false], // 200 Mbps: 2.5e7 B/s x 2,628,000 s / 2^30 = 61,187.94 GiB x 0.02 = 1,223.76
    [undefined, undefined]
  ])
  t.match(rows[0].note, /^Does not agree with the seed: 1\.9% below its \$2,000\.00\. 7 nodes x 730 h x \$0\.384 per hour = \$1,962\.24\.$/)
  // io2 has no included IOPS: 5,000 x 0.065 = 325 a volume; gp3 for 2,048 GiB = 163.84; the tier's volumes 5 x 500 + 5 x 1,000
  t.match(rows[1].note, /adds \$325\.00 per volume\. The same size on gp3 is \$163\.84\. The tier's own volumes add up to 7,500 GiB \(\$600\.00 on gp3\)/)
  t.match(rows[3].note, /205\.9% above its \$400\.00/)
  t.same(seedCostComparison('small'), [], 'the small tier states no cost')
})

t.test('seed comparison with overrides, and its rules', async (t) => {
  // 7 x 0.40 x 730 = 2,044: within $2,000-3,000
  t.match(seedCostComparison('large', { m5TwoXlargeUsdPerHour: 0.4 })[0], { computedUsdPerMonth: 2044, agrees: true })
  t.same(seedUsdRange('EC2 nodes ~$2,000-3,000/month (7 m5.2xlarge)'), { min: 2000, max: 3000 })
  t.same(seedUsdRange('EBS ~$50/month'), { min: 50, max: 50 })
  t.throws(() => seedUsdRange('no figure'), RangeError)
  // a single ~$50 holds from 45 to 55; a range must overlap
  t.same([45, 44.99, 55, 55.01].map((usd) => agreesWithSeed({ min: 50, max: 50 }, usd, usd)), [true, false, true, false])
  t.same([agreesWithSeed({ min: 20, max: 50 }, 10, 19.99), agreesWithSeed({ min: 20, max: 50 }, 10, 20)], [false, true])
  // 8 Mbps = 1e6 B/s x 2,628,000 s / 2^30 = 2,447.55 GiB
  t.equal(mbpsToGiBPerMonth(8, 730), 1e6 * 2_628_000 / 2 ** 30)
})

// ---------------------------------------------------------------------------------------------
// Schemas

type FastJsonSchema = Parameters<typeof fastJson>[0]
const ajv = createBodyAjv()
const validateCost = ajv.compile(AeternaCostSchema)
const validatePrices = ajv.compile(AeternaPricesSchema)
const serialize = fastJson(AeternaCostSchema as unknown as FastJsonSchema)

/** Throws unless the answer validates unchanged and serializes whole. */
function checkAnswer (answer: object): void {
  const copy = structuredClone(answer)
  if (validateCost(copy) !== true) throw new Error(ajv.errorsText(validateCost.errors))
  deepStrictEqual(copy, structuredClone(answer))
  deepStrictEqual(JSON.parse(serialize(answer)), JSON.parse(JSON.stringify(answer)))
}

t.test('answers validate against AeternaCostSchema and serialize whole', async (t) => {
  for (const tier of ['small', 'medium', 'large'] as const) {
    checkAnswer({ ...aeternaCost(plan({ nodes: 3, volumes: [{ component: 'qdrant', count: 3, sizeGiB: 200, iops: 6000, throughputMiBps: 300 }], crossAzGiBPerMonth: 10 })), seedComparison: seedCostComparison(tier) })
  }
  fc.assert(fc.property(arbitraryPlan, arbitraryOverrides, (p, overrides) => checkAnswer(aeternaCost(p, overrides))), { numRuns: 100 })
  t.equal(validateCost({ ...aeternaCost(EMPTY), extra: 1 }), false, 'no unknown properties')
})

t.test('AeternaPricesSchema: every price optional, bounded, no defaults added', async (t) => {
  const empty = {}
  t.equal(validatePrices(empty), true)
  t.same(empty, {}, 'validation adds no defaults')
  t.equal(validatePrices({ gp3UsdPerGiBMonth: 0.1, hoursPerMonth: 744 }), true)
  t.equal(validatePrices({ gp3UsdPerGiBMonth: -1 }), false)
  t.equal(validatePrices({ hoursPerMonth: 745 }), false)
  t.equal(validatePrices({ gp2UsdPerGiBMonth: 0.1 }), false, 'unknown names are rejected')
  const properties = (AeternaPricesSchema as unknown as { properties: Record<string, { maximum: number, description: string }> }).properties
  t.same(Object.keys(properties), AETERNA_PRICE_NAMES)
  t.match(properties.m5XlargeUsdPerHour, { maximum: 1000, description: /Unit: USD per instance-hour\. Range: 0 to 1000\. Default: 0\.192 \(AWS EC2 On-Demand/ })
})
