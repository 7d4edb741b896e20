// Monthly AWS cost of an Aeterna plan (issue 27, point 6): us-east-1, on-demand, Linux. Named prices
// with their sources, one line per billed item (money rounded to cents at the end of each line, the
// total the exact sum of the lines), and seed 000's per-tier cost lines recomputed from its own inputs.
import { formatNumber, roundCents } from '../common.js'
import { TIERS, type TierName, tierValues, valueAt } from './tiers.js'
import { GP3_LIMITS } from './volumes.js'

interface PriceEntry {
  usd: number
  unit: string
  /** the largest override accepted */
  maximum: number
  description: string
  source: string
}

const EC2 = 'AWS EC2 On-Demand pricing, us-east-1, Linux (aws.amazon.com/ec2/pricing/on-demand/)'
const EC2_SEEN = 'the same m5 rates appear in a 2019-07-21 snapshot of that page and in 2026 pricing guides; checked 2026-12-07 (search corpus)'
const EBS = 'AWS EBS pricing, us-east-1 (aws.amazon.com/ebs/pricing/)'

// Every default price: the value, its unit, the largest override, and where it comes from.
const PRICE_TABLE = {
  // AWS Pricing Calculator convention, 8,760 h / 12; seed 001 uses the same (monthly_costs.hours)
  hoursPerMonth: { usd: 730, unit: 'h', maximum: 744, description: 'Billed hours in a month (not a price: instance-, ALB- and LCU-hours are this times the count).', source: 'AWS Pricing Calculator (8,760 h / 12); seed 001 monthly_costs.hours' },
  // EC2 On-Demand pricing page, m5.large 2 vCPU / 8 GiB: $0.096 per hour; checked 2026-12-07 (search corpus)
  m5LargeUsdPerHour: { usd: 0.096, unit: 'USD per instance-hour', maximum: 1000, description: 'EC2 m5.large (2 vCPU, 8 GiB: the small tier\'s node).', source: `${EC2}: $0.096/h; ${EC2_SEEN}` },
  // EC2 On-Demand pricing page, m5.xlarge 4 vCPU / 16 GiB: $0.192 per hour; checked 2026-12-07 (search corpus)
  m5XlargeUsdPerHour: { usd: 0.192, unit: 'USD per instance-hour', maximum: 1000, description: 'EC2 m5.xlarge (4 vCPU, 16 GiB: the medium tier\'s node, seed 000).', source: `${EC2}: $0.192/h; ${EC2_SEEN}` },
  // EC2 On-Demand pricing page, m5.2xlarge 8 vCPU / 32 GiB: $0.384 per hour; checked 2026-12-07 (search corpus)
  m5TwoXlargeUsdPerHour: { usd: 0.384, unit: 'USD per instance-hour', maximum: 1000, description: 'EC2 m5.2xlarge (8 vCPU, 32 GiB: the large tier\'s node, seed 000).', source: `${EC2}: $0.384/h; ${EC2_SEEN}` },
  // EBS pricing page, gp3 storage $0.08/GB-month, unchanged since gp3 launched (AWS News Blog, 2020-12-01); checked 2026-12-07 (search corpus)
  gp3UsdPerGiBMonth: { usd: 0.08, unit: 'USD per GiB-month', maximum: 100, description: 'EBS gp3 storage, per provisioned GiB.', source: `${EBS}: gp3 $0.08/GB-month (unchanged since launch, AWS News Blog 2020-12-01); checked 2026-12-07 (search corpus)` },
  // EBS pricing page, gp3 IOPS $0.005 per provisioned IOPS-month above the 3,000 included; checked 2026-12-07 (search corpus)
  gp3UsdPerIopsMonth: { usd: 0.005, unit: 'USD per IOPS-month', maximum: 100, description: 'EBS gp3 IOPS provisioned above the 3,000 included, per volume.', source: `${EBS}: 3,000 IOPS free and $0.005/provisioned IOPS-month over 3,000; checked 2026-12-07 (search corpus)` },
  // EBS pricing page, gp3 throughput $0.040 per provisioned MB/s-month above the 125 included; checked 2026-12-07 (search corpus)
  gp3UsdPerMiBpsMonth: { usd: 0.04, unit: 'USD per MiB/s-month', maximum: 100, description: 'EBS gp3 throughput provisioned above the 125 MiB/s included, per volume.', source: `${EBS}: 125 MB/s free and $0.040/provisioned MB/s-month over 125 (AWS prices "MB/s"; volumes are provisioned in MiB/s); checked 2026-12-07 (search corpus)` },
  // EBS pricing page, io2 $0.125/GB-month; checked 2026-12-07 (search corpus)
  io2UsdPerGiBMonth: { usd: 0.125, unit: 'USD per GiB-month', maximum: 100, description: 'EBS io2 storage, per provisioned GiB (the seed comparison only: seed 000\'s large tier names io2; plans price gp3).', source: `${EBS}: io2 $0.125/GB-month; checked 2026-12-07 (search corpus)` },
  // EBS pricing page, io2 $0.065 per provisioned IOPS-month up to 32,000 IOPS (cheaper tiers above); checked 2026-12-07 (search corpus)
  io2UsdPerIopsMonth: { usd: 0.065, unit: 'USD per IOPS-month', maximum: 100, description: 'EBS io2 IOPS, every provisioned IOPS (none included), first 32,000 per volume (the seed comparison only).', source: `${EBS}: io2 $0.065/provisioned IOPS-month up to 32,000; checked 2026-12-07 (search corpus)` },
  // EBS pricing page, snapshots (standard tier) $0.05/GB-month of data stored; checked 2026-12-07 (search corpus)
  snapshotUsdPerGiBMonth: { usd: 0.05, unit: 'USD per GiB-month', maximum: 100, description: 'EBS snapshots, standard tier, per GiB stored (incremental: changed blocks only).', source: `${EBS}: snapshots standard $0.05/GB-month; checked 2026-12-07 (search corpus)` },
  // S3 pricing page, S3 Standard first 50 TB/month $0.023/GB; checked 2026-12-07 (search corpus)
  s3StandardUsdPerGiBMonth: { usd: 0.023, unit: 'USD per GiB-month', maximum: 100, description: 'S3 Standard, first 50 TB a month, per GiB stored (the offsite backup).', source: 'AWS S3 pricing, us-east-1 (aws.amazon.com/s3/pricing/): S3 Standard first 50 TB $0.023/GB-month (quoted for March and June 2026); checked 2026-12-07 (search corpus)' },
  // Elastic Load Balancing pricing page, $0.0225 per ALB-hour; checked 2026-12-07 (search corpus)
  albUsdPerHour: { usd: 0.0225, unit: 'USD per ALB-hour', maximum: 1000, description: 'Application Load Balancer, per load balancer and hour.', source: 'AWS Elastic Load Balancing pricing, us-east-1 (aws.amazon.com/elasticloadbalancing/pricing/): $0.0225 per ALB-hour (quoted May 2026); checked 2026-12-07 (search corpus)' },
  // Elastic Load Balancing pricing page, $0.008 per LCU-hour; checked 2026-12-07 (search corpus)
  albUsdPerLcuHour: { usd: 0.008, unit: 'USD per LCU-hour', maximum: 1000, description: 'Application Load Balancer capacity units, per LCU-hour.', source: 'AWS Elastic Load Balancing pricing, us-east-1: $0.008 per LCU-hour (quoted May 2026); checked 2026-12-07 (search corpus)' },
  // EC2 On-Demand pricing page, Data Transfer within the region: $0.01/GB in each direction across AZs; checked 2026-12-07 (search corpus)
  crossAzUsdPerGiBEachDirection: { usd: 0.01, unit: 'USD per GiB, each direction', maximum: 100, description: 'Data crossing availability zones: billed out of one zone and into the other, so a GiB costs twice this.', source: `${EC2}, Data Transfer: $0.01/GB in each direction between AZs; checked 2026-12-07 (search corpus)` }
} as const satisfies Record<string, PriceEntry>

export type AeternaPriceName = keyof typeof PRICE_TABLE
export type AeternaPrices = Record<AeternaPriceName, number>

export const AETERNA_PRICE_NAMES = Object.keys(PRICE_TABLE) as AeternaPriceName[]
const pick = <K extends keyof PriceEntry>(key: K): Readonly<Record<AeternaPriceName, PriceEntry[K]>> =>
  Object.fromEntries(AETERNA_PRICE_NAMES.map((name) => [name, (PRICE_TABLE[name] as PriceEntry)[key]])) as Record<AeternaPriceName, PriceEntry[K]>

/** The default prices (and hours per month), by name; the unit is in the name. */
export const AETERNA_PRICES: Readonly<AeternaPrices> = pick('usd')
/** Where each default comes from, with the date it was checked. */
export const AETERNA_PRICE_SOURCES = pick('source')
export const AETERNA_PRICE_UNITS = pick('unit')
export const AETERNA_PRICE_MAXIMA = pick('maximum')
export const AETERNA_PRICE_DESCRIPTIONS = pick('description')

export const INSTANCE_TYPES = ['m5.large', 'm5.xlarge', 'm5.2xlarge'] as const
export type InstanceType = typeof INSTANCE_TYPES[number]
const INSTANCE_PRICE: Readonly<Record<InstanceType, AeternaPriceName>> = { 'm5.large': 'm5LargeUsdPerHour', 'm5.xlarge': 'm5XlargeUsdPerHour', 'm5.2xlarge': 'm5TwoXlargeUsdPerHour' }

/** gp3 volumes of one component, all alike. */
export interface VolumeGroup {
  component: string
  count: number
  sizeGiB: number
  iops: number
  throughputMiBps: number
}

export interface AeternaCostPlan {
  nodes: number
  instanceType: InstanceType
  /** EBS gp3 volumes */
  volumes: VolumeGroup[]
  /** EBS snapshots stored (standard tier) */
  backupGiB: number
  /** offsite backup in S3 Standard */
  offsiteBackupGiB: number
  /** Application Load Balancers */
  loadBalancers: number
  /** average LCUs consumed per hour, all load balancers together */
  lcuPerHour: number
  /** data crossing availability zones in a month (each GiB is billed out and in) */
  crossAzGiBPerMonth: number
}

export interface CostLine {
  item: string
  quantity: number
  unit: string
  usdPerMonth: number
  /** how the figure is computed */
  price: string
}

export interface AeternaCost {
  lines: CostLine[]
  totalUsdPerMonth: number
  prices: AeternaPrices
}

/** The largest count, size or volume a plan may state: keeps every product finite. */
export const MAX_PLAN_QUANTITY = 1e12

function assertQuantity (name: string, value: number, maximum: number): void {
  if (!Number.isFinite(value) || value < 0 || value > maximum) {
    throw new RangeError(`${name} must be a number from 0 to ${maximum}, got ${value}`)
  }
}

/** The defaults with the stated overrides; every price from 0 to its maximum. */
export function resolveAeternaPrices (overrides: Partial<AeternaPrices> = {}): AeternaPrices {
  const prices = { ...AETERNA_PRICES }
  for (const name of AETERNA_PRICE_NAMES) {
    const value = overrides[name]
    if (value === undefined) continue
    assertQuantity(`prices.${name}`, value, AETERNA_PRICE_MAXIMA[name])
    prices[name] = value
  }
  return prices
}

function assertPlan (plan: AeternaCostPlan): void {
  if (!Object.hasOwn(INSTANCE_PRICE, plan.instanceType)) throw new RangeError(`instanceType must be one of ${INSTANCE_TYPES.join(', ')}, got ${String(plan.instanceType)}`)
  const scalars = ['nodes', 'backupGiB', 'offsiteBackupGiB', 'loadBalancers', 'lcuPerHour', 'crossAzGiBPerMonth'] as const
  for (const name of scalars) assertQuantity(name, plan[name], MAX_PLAN_QUANTITY)
  plan.volumes.forEach((group, index) => {
    for (const name of ['count', 'sizeGiB', 'iops', 'throughputMiBps'] as const) assertQuantity(`volumes[${index}].${name}`, group[name], MAX_PLAN_QUANTITY)
  })
}

const num = (value: number): string => formatNumber(value, 6)
const usd = (price: number): string => `$${price}`

/** A line, its money rounded to cents here and only here. */
function line (item: string, quantity: number, unit: string, usdPerMonth: number, price: string): CostLine {
  return { item, quantity, unit, usdPerMonth: roundCents(usdPerMonth), price }
}

/** Instance-hours of the nodes. */
export function ec2Line (nodes: number, instanceType: InstanceType, prices: AeternaPrices): CostLine {
  const rate = prices[INSTANCE_PRICE[instanceType]]
  const hours = nodes * prices.hoursPerMonth
  return line(`EC2 ${instanceType} nodes`, hours, 'instance-hours', hours * rate, `${num(nodes)} nodes x ${num(prices.hoursPerMonth)} h x ${usd(rate)} per hour`)
}

/** Storage, IOPS above 3,000 and throughput above 125 MiB/s, each volume alike. */
export function gp3Lines (group: VolumeGroup, prices: AeternaPrices): CostLine[] {
  const storageGiB = group.count * group.sizeGiB
  const extraIops = Math.max(0, group.iops - GP3_LIMITS.baselineIops)
  const extraMiBps = Math.max(0, group.throughputMiBps - GP3_LIMITS.baselineThroughputMiBps)
  const each = `${num(group.count)} volumes x`
  return [
    line(`EBS gp3 storage (${group.component})`, storageGiB, 'GiB-month', storageGiB * prices.gp3UsdPerGiBMonth, `${each} ${num(group.sizeGiB)} GiB x ${usd(prices.gp3UsdPerGiBMonth)} per GiB-month`),
    line(`EBS gp3 IOPS above ${num(GP3_LIMITS.baselineIops)} (${group.component})`, group.count * extraIops, 'IOPS-month', group.count * extraIops * prices.gp3UsdPerIopsMonth, `${each} (${num(group.iops)} - ${num(GP3_LIMITS.baselineIops)} included) IOPS x ${usd(prices.gp3UsdPerIopsMonth)} per IOPS-month`),
    line(`EBS gp3 throughput above ${num(GP3_LIMITS.baselineThroughputMiBps)} MiB/s (${group.component})`, group.count * extraMiBps, 'MiB/s-month', group.count * extraMiBps * prices.gp3UsdPerMiBpsMonth, `${each} (${num(group.throughputMiBps)} - ${num(GP3_LIMITS.baselineThroughputMiBps)} included) MiB/s x ${usd(prices.gp3UsdPerMiBpsMonth)} per MiB/s-month`)
  ]
}

/** GiB crossing zones in a month, billed out of one and into the other. */
export function crossAzLine (gib: number, prices: AeternaPrices): CostLine {
  const rate = prices.crossAzUsdPerGiBEachDirection
  return line('Data transfer between availability zones', gib, 'GiB', gib * rate * 2, `${num(gib)} GiB x (${usd(rate)} out + ${usd(rate)} in) per GiB`)
}

function otherLines (plan: AeternaCostPlan, p: AeternaPrices): CostLine[] {
  const albHours = plan.loadBalancers * p.hoursPerMonth
  const lcuHours = plan.lcuPerHour * p.hoursPerMonth
  return [
    line('EBS snapshots (standard tier)', plan.backupGiB, 'GiB-month', plan.backupGiB * p.snapshotUsdPerGiBMonth, `${num(plan.backupGiB)} GiB x ${usd(p.snapshotUsdPerGiBMonth)} per GiB-month`),
    line('S3 Standard (offsite backup)', plan.offsiteBackupGiB, 'GiB-month', plan.offsiteBackupGiB * p.s3StandardUsdPerGiBMonth, `${num(plan.offsiteBackupGiB)} GiB x ${usd(p.s3StandardUsdPerGiBMonth)} per GiB-month`),
    line('Application Load Balancers', albHours, 'ALB-hours', albHours * p.albUsdPerHour, `${num(plan.loadBalancers)} x ${num(p.hoursPerMonth)} h x ${usd(p.albUsdPerHour)} per hour`),
    line('Load balancer capacity units', lcuHours, 'LCU-hours', lcuHours * p.albUsdPerLcuHour, `${num(plan.lcuPerHour)} LCU x ${num(p.hoursPerMonth)} h x ${usd(p.albUsdPerLcuHour)} per LCU-hour`),
    crossAzLine(plan.crossAzGiBPerMonth, p)
  ]
}

/** Whole cents summed as integers: the total is the lines' sum to the cent. */
const sumUsd = (lines: CostLine[]): number => lines.reduce((cents, l) => cents + Math.round(l.usdPerMonth * 100), 0) / 100

/** The plan's monthly cost, a line per billed item (none where nothing is billed); overrides replace default prices by name. */
export function aeternaCost (plan: AeternaCostPlan, overrides: Partial<AeternaPrices> = {}): AeternaCost {
  assertPlan(plan)
  const prices = resolveAeternaPrices(overrides)
  const lines = [
    ec2Line(plan.nodes, plan.instanceType, prices),
    ...plan.volumes.flatMap((group) => gp3Lines(group, prices)),
    ...otherLines(plan, prices)
  ].filter((l) => l.quantity > 0)
  return { lines, totalUsdPerMonth: sumUsd(lines), prices }
}

// ---------------------------------------------------------------------------------------------
// Seed 000's cost lines, recomputed from the seed's own inputs

/** gp2 storage, only to explain seed 000's medium EBS figure. AWS EBS pricing, us-east-1: $0.10/GB-month; checked 2026-12-07 (search corpus). */
export const GP2_USD_PER_GIB_MONTH = 0.10

const GIB_PER_TIB = 1024
const BYTES_PER_GIB = 2 ** 30
const SECONDS_PER_HOUR = 3600
/** a single "~$X" agrees within this share of X; a range agrees when the computed figure overlaps it */
export const SEED_FIGURE_TOLERANCE = 0.1

interface SeedInputs {
  nodes: number
  instanceType: InstanceType
  ebs: { sizeGiB: number, type: 'gp3' | 'io2', iops: number }
  /** offsite backup (the medium tier states ~450 GB but prices no S3 line) */
  s3GiB: number
  crossAzMbps: { min: number, max: number, basis: string }
}

/** What seed 000 states next to each cost line (its Cost Estimates, Network Bandwidth and values comments). */
export const SEED_COST_INPUTS: Readonly<Partial<Record<TierName, SeedInputs>>> = {
  medium: { nodes: 3, instanceType: 'm5.xlarge', ebs: { sizeGiB: 500, type: 'gp3', iops: 0 }, s3GiB: 450, crossAzMbps: { min: 2, max: 10, basis: 'cross-AZ ~20% of the 10-50 Mbps baseline' } },
  large: { nodes: 7, instanceType: 'm5.2xlarge', ebs: { sizeGiB: 2 * GIB_PER_TIB, type: 'io2', iops: 5000 }, s3GiB: 2 * GIB_PER_TIB, crossAzMbps: { min: 200, max: 200, basis: 'cross-AZ replication 200+ Mbps' } }
}

export interface SeedCostRow {
  seedLine: string
  /** the seed's figure; min = max for a single "~$X" */
  seedUsdPerMonth: { min: number, max: number }
  /** from the seed's own inputs with these prices (the low end when the inputs are a range); left out where the prices cannot reproduce it */
  computedUsdPerMonth?: number
  /** the high end when the seed's inputs are a range, else the same figure */
  computedHighUsdPerMonth?: number
  /** left out when not reproducible */
  agrees?: boolean
  note: string
}

/** "~$2,000-3,000/month" -> 2000..3000; "~$50" -> 50..50. */
export function seedUsdRange (seedLine: string): { min: number, max: number } {
  const match = /\$([\d,]+)(?:\s*-\s*\$?([\d,]+))?/.exec(seedLine)
  if (match === null) throw new RangeError(`no dollar figure in "${seedLine}"`)
  const min = Number(match[1].replaceAll(',', ''))
  return { min, max: match[2] === undefined ? min : Number(match[2].replaceAll(',', '')) }
}

export function agreesWithSeed (seed: { min: number, max: number }, low: number, high: number): boolean {
  const tolerance = seed.min === seed.max ? SEED_FIGURE_TOLERANCE : 0
  return high >= seed.min * (1 - tolerance) && low <= seed.max * (1 + tolerance)
}

interface Figure { low: number, high: number, note: string }

const dollars = (value: number): string => `$${formatNumber(value, 2, 2)}`

function ec2Figure (inputs: SeedInputs, prices: AeternaPrices): Figure {
  const ec2 = ec2Line(inputs.nodes, inputs.instanceType, prices)
  return { low: ec2.usdPerMonth, high: ec2.usdPerMonth, note: `${ec2.price} = ${dollars(ec2.usdPerMonth)}.` }
}

/** The tier's own volumes: PostgreSQL instances x their volume + Qdrant replicas x theirs. */
function tierVolumesGiB (tier: TierName): number {
  const values = tierValues(tier)
  const count = (path: string[]): number => Number(valueAt(values, path))
  return count(['postgresql', 'cloudnativepg', 'instances']) * TIERS[tier].storage.postgresqlGiB + count(['qdrant', 'replicaCount']) * TIERS[tier].storage.qdrantGiB
}

function ebsFigure (tier: TierName, inputs: SeedInputs, prices: AeternaPrices): Figure {
  const { sizeGiB, type, iops } = inputs.ebs
  const own = tierVolumesGiB(tier)
  const ownNote = `The tier's own volumes add up to ${formatNumber(own)} GiB (${dollars(roundCents(own * prices.gp3UsdPerGiBMonth))} on gp3), not the ${formatNumber(sizeGiB)} the line prices.`
  if (type === 'gp3') {
    const figure = roundCents(sizeGiB * prices.gp3UsdPerGiBMonth)
    return { low: figure, high: figure, note: `${formatNumber(sizeGiB)} GiB gp3 x ${usd(prices.gp3UsdPerGiBMonth)} = ${dollars(figure)}; at gp2's ${dollars(GP2_USD_PER_GIB_MONTH)} it is ${dollars(roundCents(sizeGiB * GP2_USD_PER_GIB_MONTH))}, the seed's figure. ${ownNote}` }
  }
  const storage = roundCents(sizeGiB * prices.io2UsdPerGiBMonth)
  const perVolumeIops = roundCents(iops * prices.io2UsdPerIopsMonth)
  return {
    low: storage,
    high: storage,
    note: `${formatNumber(sizeGiB)} GiB io2 x ${usd(prices.io2UsdPerGiBMonth)} = ${dollars(storage)} for storage alone; io2 includes no IOPS, and the values file's iops: ${formatNumber(iops)} adds ${dollars(perVolumeIops)} per volume. The same size on gp3 is ${dollars(roundCents(sizeGiB * prices.gp3UsdPerGiBMonth))}. ${ownNote}`
  }
}

function s3Figure (gib: number, prices: AeternaPrices): Figure {
  const figure = roundCents(gib * prices.s3StandardUsdPerGiBMonth)
  return { low: figure, high: figure, note: `${formatNumber(gib)} GiB S3 Standard x ${usd(prices.s3StandardUsdPerGiBMonth)} = ${dollars(figure)} (before the seed's tiering to Glacier).` }
}

/** GiB a month at a sustained rate in megabits per second. */
export const mbpsToGiBPerMonth = (mbps: number, hoursPerMonth: number): number => mbps * 1e6 / 8 * hoursPerMonth * SECONDS_PER_HOUR / BYTES_PER_GIB

function transferFigure (inputs: SeedInputs, prices: AeternaPrices): Figure {
  const { min, max, basis } = inputs.crossAzMbps
  const cost = (mbps: number): number => crossAzLine(mbpsToGiBPerMonth(mbps, prices.hoursPerMonth), prices).usdPerMonth
  const [low, high] = [cost(min), cost(max)]
  const rate = min === max ? `${formatNumber(min)} Mbps` : `${formatNumber(min)}-${formatNumber(max)} Mbps`
  return { low, high, note: `Seed: ${basis}. ${rate} sustained is ${formatNumber(mbpsToGiBPerMonth(min, prices.hoursPerMonth))}${min === max ? '' : `-${formatNumber(mbpsToGiBPerMonth(max, prices.hoursPerMonth))}`} GiB a month, x ${usd(prices.crossAzUsdPerGiBEachDirection * 2)} (out and in) = ${low === high ? dollars(low) : `${dollars(low)}-${dollars(high)}`}. Internet egress is not in the seed's inputs.` }
}

function figureFor (seedLine: string, tier: TierName, inputs: SeedInputs, prices: AeternaPrices): Figure | null {
  if (seedLine.startsWith('EC2')) return ec2Figure(inputs, prices)
  if (seedLine.startsWith('EBS')) return ebsFigure(tier, inputs, prices)
  if (seedLine.startsWith('S3')) return s3Figure(inputs.s3GiB, prices)
  if (seedLine.startsWith('Data transfer')) return transferFigure(inputs, prices)
  return null
}

/** How far a figure that does not agree lies outside the seed's: "1.9% below its $2,000.00". */
function offBy (seed: { min: number, max: number }, figure: Figure): string {
  return figure.high < seed.min
    ? `${formatNumber((1 - figure.high / seed.min) * 100, 1)}% below its ${dollars(seed.min)}`
    : `${formatNumber((figure.low / seed.max - 1) * 100, 1)}% above its ${dollars(seed.max)}`
}

function seedRow (seedLine: string, figure: Figure | null): SeedCostRow {
  const seed = seedUsdRange(seedLine)
  if (figure === null) {
    return { seedLine, seedUsdPerMonth: seed, note: 'Not reproducible from these prices (managed databases are not priced here).' }
  }
  const agrees = agreesWithSeed(seed, figure.low, figure.high)
  const verdict = agrees ? 'Agrees with the seed.' : `Does not agree with the seed: ${offBy(seed, figure)}.`
  return { seedLine, seedUsdPerMonth: seed, computedUsdPerMonth: figure.low, computedHighUsdPerMonth: figure.high, agrees, note: `${verdict} ${figure.note}` }
}

/** Each of seed 000's cost lines for the tier, recomputed from the seed's own inputs, and whether the seed's figure holds. */
export function seedCostComparison (tierName: TierName, overrides: Partial<AeternaPrices> = {}): SeedCostRow[] {
  const prices = resolveAeternaPrices(overrides)
  const inputs = SEED_COST_INPUTS[tierName]
  if (inputs === undefined) return []
  return TIERS[tierName].costUsdPerMonth.items.map((seedLine) => seedRow(seedLine, figureFor(seedLine, tierName, inputs, prices)))
}
