// Aurora Serverless v2 sizing for MisterSmith (seed 001, with the tracker's figures of seed 003):
// data volume per table, storage growth, ACUs, IOPS, cost, backup and recovery.
import { type Assumption, type Warning, ceilToStep, decimalClean, formatNumber, roundCents, sortBySeverity } from '../common.js'
import type { SeedConstant } from '../engram/constants.js'
import * as C from './constants.js'

export interface AuroraInput {
  agents: number
  months: number
  environment: C.Environment
  tables: C.TableProfile[]
  connectionPools: C.ConnectionPool[]
  averageAcu: number
  workingSetGiB: number
  storageGB: number
  acuHourUsd: number
  storageUsdPerGBMonth: number
  backupUsdPerGBMonth: number
  rdsProxyUsdPerMonth: number
  dataTransferUsdPerMonth: number
  hoursPerMonth: number
  reservedDiscount1YearPercent: number
  reservedDiscount3YearPercent: number
}

export interface TableVolume {
  name: string
  rowsPerAgentPerDay: number
  monthlyWriteGB: number
  retainedGB: number
  retainedAtHorizonGB: number
}

export interface AuroraEstimate {
  inputs: AuroraInput
  dataVolume: { tables: TableVolume[], monthlyWriteGB: number, retainedGB: number, retainedAtHorizonGB: number }
  storageGrowth: {
    seedFunction: { initialGB: number, monthlyGrowthGB: number, totalAfterMonthsGB: number, recommendedProvisionGB: number }
    retentionAware: { initialGB: number, steadyStateGB: number, atHorizonGB: number, recommendedProvisionGB: number }
    recommendation: { storageGB: number, basis: 'retention-aware', reason: string }
  }
  capacity: {
    totalConnections: number
    acuByConnections: number
    acuByMemory: number
    requiredAcu: number
    environment: C.EnvironmentProfile & { name: C.Environment }
    connectionsAtMaxAcu: number
    rdsProxyConnectionsAtMaxAcu: number
    perAcu: { memoryGiB: number, vCpu: number, networkMBytesPerSec: number, connections: number }
  }
  iops: { writesPerSec: number, readsPerSec: number, totalIops: number, readPercent: number, seedReadPercent: number, baselineIops: number, burstIops: number }
  cost: {
    averageAcu: number
    storageGB: number
    computeUsdPerMonth: number
    storageUsdPerMonth: number
    backupUsdPerMonth: number
    rdsProxyUsdPerMonth: number
    dataTransferUsdPerMonth: number
    totalUsdPerMonth: number
    oneYearCommitmentUsdPerMonth: number
    threeYearCommitmentUsdPerMonth: number
  }
  backupRecovery: typeof C.RECOVERY
  recommendations: { minAcu: number, maxAcu: number, storageGB: number, provisionedIops: number }
  warnings: Warning[]
  assumptions: Assumption[]
}

export function resolveAuroraInput (partial: Partial<AuroraInput>): AuroraInput {
  const environment = partial.environment ?? 'production'
  const profile = C.ENVIRONMENTS[environment]
  return {
    agents: 1000,
    months: 12,
    tables: C.SEED_TABLES.map((table) => ({ ...table })),
    connectionPools: C.SEED_CONNECTION_POOLS.map((pool) => ({ ...pool })),
    averageAcu: profile.averageAcu,
    workingSetGiB: 0,
    storageGB: profile.expectedStorageGB,
    ...C.AURORA_PRICES,
    ...partial,
    environment
  }
}

const gb = (bytes: number): number => decimalClean(bytes / C.BYTES_PER_GB)

/** Monthly writes and retained volume of one table: rows x size x agents, kept for its retention. */
export function tableVolume (table: C.TableProfile, agents: number, months: number): TableVolume {
  const rowsPerAgentPerDay = table.rowsPerAgent * C.PERIODS_PER_DAY[table.period]
  const bytesPerDay = table.rowBytes * rowsPerAgentPerDay * agents
  return {
    name: table.name,
    rowsPerAgentPerDay,
    monthlyWriteGB: gb(bytesPerDay * C.DAYS_PER_MONTH),
    retainedGB: gb(bytesPerDay * table.retentionDays),
    retainedAtHorizonGB: gb(bytesPerDay * Math.min(table.retentionDays, months * C.DAYS_PER_MONTH))
  }
}

const sum = (values: number[]): number => decimalClean(values.reduce((total, value) => total + value, 0))

/** The seed's calculate_storage_growth, exactly as written (it ignores retention). */
export function seedStorageGrowth (agents: number, months: number): AuroraEstimate['storageGrowth']['seedFunction'] {
  const perAgent = C.SEED_GROWTH_GB_PER_AGENT_MONTH
  const monthlyGrowthGB = sum([perAgent.agentStates, perAgent.discoveryEvents, perAgent.taskHistory, perAgent.metrics].map((g) => g * agents))
  const totalAfterMonthsGB = decimalClean(C.SEED_BASE_STORAGE_GB.value + monthlyGrowthGB * months)
  return {
    initialGB: C.SEED_BASE_STORAGE_GB.value,
    monthlyGrowthGB,
    totalAfterMonthsGB,
    recommendedProvisionGB: decimalClean(totalAfterMonthsGB * C.STORAGE_HEADROOM.value)
  }
}

function capacity (input: AuroraInput): AuroraEstimate['capacity'] {
  const environment = { name: input.environment, ...C.ENVIRONMENTS[input.environment] }
  const totalConnections = input.connectionPools.reduce((total, pool) => total + pool.maxConnections * pool.instances, 0)
  const acuByConnections = decimalClean(totalConnections / C.ACU_CONNECTIONS.value)
  const acuByMemory = decimalClean(input.workingSetGiB / C.ACU_MEMORY_GIB.value)
  const requiredAcu = ceilToStep(Math.max(acuByConnections, acuByMemory, environment.minAcu), C.ACU_STEP.value)
  const connectionsAtMaxAcu = environment.maxAcu * C.ACU_CONNECTIONS.value
  return {
    totalConnections,
    acuByConnections,
    acuByMemory,
    requiredAcu,
    environment,
    connectionsAtMaxAcu,
    rdsProxyConnectionsAtMaxAcu: Math.floor(connectionsAtMaxAcu * C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value / 100),
    perAcu: { memoryGiB: C.ACU_MEMORY_GIB.value, vCpu: C.ACU_VCPU.value, networkMBytesPerSec: C.ACU_NETWORK_MBYTES_PER_SEC.value, connections: C.ACU_CONNECTIONS.value }
  }
}

function iops (agents: number): AuroraEstimate['iops'] {
  const writesPerSec = decimalClean(agents * C.WRITES_PER_AGENT_PER_SEC.value)
  const readsPerSec = decimalClean(agents * C.READS_PER_AGENT_PER_SEC.value)
  const perAgentTotal = C.WRITES_PER_AGENT_PER_SEC.value + C.READS_PER_AGENT_PER_SEC.value
  return {
    writesPerSec,
    readsPerSec,
    totalIops: decimalClean(writesPerSec + readsPerSec),
    readPercent: 100 * C.READS_PER_AGENT_PER_SEC.value / perAgentTotal,
    seedReadPercent: C.SEED_READ_PERCENT.value,
    baselineIops: C.IOPS_BASELINE.value,
    burstIops: C.IOPS_BURST.value
  }
}

/** Monthly cost as the seed's Total Monthly Estimate; commitments discount the rounded total. */
export function auroraCost (input: AuroraInput): AuroraEstimate['cost'] {
  const computeUsdPerMonth = roundCents(input.averageAcu * input.hoursPerMonth * input.acuHourUsd)
  const storageUsdPerMonth = roundCents(input.storageGB * input.storageUsdPerGBMonth)
  const backupUsdPerMonth = roundCents(input.storageGB * input.backupUsdPerGBMonth)
  const rdsProxyUsdPerMonth = roundCents(input.rdsProxyUsdPerMonth)
  const dataTransferUsdPerMonth = roundCents(input.dataTransferUsdPerMonth)
  const totalUsdPerMonth = roundCents(computeUsdPerMonth + storageUsdPerMonth + backupUsdPerMonth + rdsProxyUsdPerMonth + dataTransferUsdPerMonth)
  const discounted = (percent: number): number => roundCents(totalUsdPerMonth * (100 - percent) / 100)
  return {
    averageAcu: input.averageAcu,
    storageGB: input.storageGB,
    computeUsdPerMonth,
    storageUsdPerMonth,
    backupUsdPerMonth,
    rdsProxyUsdPerMonth,
    dataTransferUsdPerMonth,
    totalUsdPerMonth,
    oneYearCommitmentUsdPerMonth: discounted(input.reservedDiscount1YearPercent),
    threeYearCommitmentUsdPerMonth: discounted(input.reservedDiscount3YearPercent)
  }
}

const fmt = (value: number, digits = 1): string => formatNumber(value, digits)

/** The seed contradictions these figures touch, stated every time they are used. */
function seedInconsistencies (input: AuroraInput, estimate: Omit<AuroraEstimate, 'warnings' | 'assumptions'>): Warning[] {
  const warnings: Warning[] = []
  const inconsistency = (message: string): void => { warnings.push({ code: 'SEED_INCONSISTENCY', severity: 'info', message }) }
  const usesSeedTable = (name: string): boolean => input.tables.some((table) => table.name === name)
  inconsistency('Storage growth: seed 001\'s calculate_storage_growth counts every table\'s monthly volume forever, ignoring retention; ' +
    `it is reported as storageGrowth.seedFunction (${fmt(estimate.storageGrowth.seedFunction.totalAfterMonthsGB)} GB after ${input.months} months), ` +
    `but the recommendation uses the retention-aware volume (${fmt(estimate.storageGrowth.retentionAware.atHorizonGB)} GB).`)
  inconsistency('discovery_events: 2 KB x 10/h x 720 h is 14.4 GB/month per 1000 agents; the seed\'s "43.2 GB/month" (and 0.0432 GB/agent in the growth function) is the 90-day retained volume.')
  inconsistency('task_history: 5 KB x 100/day x 7 days is 3.5 GB retained per 1000 agents (15 GB written a month), but the growth function adds 0.105 GB/agent/month.')
  if (usesSeedTable('agent_states')) {
    inconsistency(`agent_states has agent_id as its primary key, so it holds one row per agent (${fmt(input.agents * 1000 / C.BYTES_PER_GB, 6)} GB of 1 KB states), ` +
      'not 60 versions an hour; the table profile keeps the seed\'s 43.2 GB/month per 1000 agents, which is right only if every version is kept (a history table).')
  }
  inconsistency(`Seed 003 estimates growth at 10 GB/month at 1000 agents; seed 001's function gives ${fmt(C.SEED_GROWTH_GB_PER_AGENT_MONTH.agentStates * 1000 + C.SEED_GROWTH_GB_PER_AGENT_MONTH.discoveryEvents * 1000 + C.SEED_GROWTH_GB_PER_AGENT_MONTH.taskHistory * 1000 + C.SEED_GROWTH_GB_PER_AGENT_MONTH.metrics * 1000)} GB/month.`)
  inconsistency(`IOPS: the seed states a 70:30 read/write ratio, but its per-agent rates (${C.READS_PER_AGENT_PER_SEC.value} reads, ${C.WRITES_PER_AGENT_PER_SEC.value} writes) are 80:20; the per-agent rates are used.`)
  if (input.storageGB < estimate.storageGrowth.retentionAware.atHorizonGB || input.storageGB < estimate.storageGrowth.seedFunction.totalAfterMonthsGB) {
    inconsistency(`Cost: storage is priced at ${fmt(input.storageGB)} GB while the projection after ${input.months} months is ` +
      `${fmt(estimate.storageGrowth.retentionAware.atHorizonGB)} GB retention-aware and ${fmt(estimate.storageGrowth.seedFunction.totalAfterMonthsGB)} GB by the seed's function; pass storageGB to price the projection.`)
  }
  return warnings
}

function capacityWarnings (input: AuroraInput, estimate: Omit<AuroraEstimate, 'warnings' | 'assumptions'>): Warning[] {
  const warnings: Warning[] = []
  const { capacity: acu, iops: io } = estimate
  const { environment } = acu
  if (acu.requiredAcu > C.AWS_MAX_ACU.value) {
    warnings.push({ code: 'ACU_ABOVE_AWS_LIMIT', severity: 'critical', message: `${fmt(acu.requiredAcu)} ACU needed; Aurora Serverless v2 scales to at most ${C.AWS_MAX_ACU.value} ACU per instance: add readers or split the workload.` })
  } else if (acu.requiredAcu > environment.maxAcu) {
    warnings.push({ code: 'ACU_ABOVE_ENVIRONMENT_MAX', severity: 'critical', message: `${fmt(acu.requiredAcu)} ACU needed, above the ${environment.name} maximum of ${environment.maxAcu} ACU: raise max_acu (AWS allows up to ${C.AWS_MAX_ACU.value}).` })
  }
  if (acu.totalConnections > acu.connectionsAtMaxAcu) {
    warnings.push({ code: 'CONNECTIONS_ABOVE_MAX_ACU', severity: 'critical', message: `${acu.totalConnections} pooled connections exceed the ${acu.connectionsAtMaxAcu} available at ${environment.maxAcu} ACU (30 per ACU).` })
  } else if (acu.totalConnections > acu.rdsProxyConnectionsAtMaxAcu) {
    warnings.push({ code: 'CONNECTIONS_ABOVE_RDS_PROXY_SHARE', severity: 'warning', message: `${acu.totalConnections} pooled connections exceed RDS Proxy's ${C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value}% share (${acu.rdsProxyConnectionsAtMaxAcu}) at ${environment.maxAcu} ACU.` })
  }
  if (input.averageAcu < environment.minAcu || input.averageAcu > environment.maxAcu) {
    warnings.push({ code: 'AVERAGE_ACU_OUTSIDE_RANGE', severity: 'warning', message: `averageAcu ${input.averageAcu} is outside the ${environment.name} range ${environment.minAcu}-${environment.maxAcu} ACU, so the compute cost cannot occur as configured.` })
  }
  if (input.agents < environment.expectedAgents.min || input.agents > environment.expectedAgents.max) {
    warnings.push({ code: 'AGENTS_OUTSIDE_ENVIRONMENT', severity: 'info', message: `${fmt(input.agents, 0)} agents is outside the ${environment.expectedAgents.min}-${environment.expectedAgents.max} agents the seed sizes ${environment.name} for.` })
  }
  if (io.totalIops > io.burstIops) {
    warnings.push({ code: 'IOPS_ABOVE_BURST', severity: 'critical', message: `${fmt(io.totalIops)} IOPS exceed the ${fmt(io.burstIops)} burst provision.` })
  } else if (io.totalIops > io.baselineIops) {
    warnings.push({ code: 'IOPS_ABOVE_BASELINE', severity: 'warning', message: `${fmt(io.totalIops)} IOPS exceed the ${fmt(io.baselineIops)} baseline provision (burst allows ${fmt(io.burstIops)}).` })
  }
  return warnings
}

const constant = (name: string, c: SeedConstant): Assumption =>
  c.note === undefined ? { name, value: c.value, unit: c.unit, source: c.source } : { name, value: c.value, unit: c.unit, source: c.source, note: c.note }

export const AURORA_ASSUMPTIONS: readonly Assumption[] = [
  constant('baseStorageGB', C.SEED_BASE_STORAGE_GB),
  constant('storageHeadroom', C.STORAGE_HEADROOM),
  { name: 'bytesPerKB', value: 1000, unit: 'bytes', source: `${C.AURORA}, Data Volume Estimates`, note: '1 KB x 60 x 720 x 1000 = 43.2 GB needs decimal units; GB = 10^9 bytes.' },
  { name: 'daysPerMonth', value: C.DAYS_PER_MONTH, unit: 'days', source: `${C.AURORA}, Data Volume Estimates (720 hours)` },
  constant('acuMemoryGiB', C.ACU_MEMORY_GIB),
  constant('acuVCpu', C.ACU_VCPU),
  constant('acuNetworkMBytesPerSec', C.ACU_NETWORK_MBYTES_PER_SEC),
  constant('acuConnections', C.ACU_CONNECTIONS),
  constant('acuStep', C.ACU_STEP),
  constant('awsMinAcu', C.AWS_MIN_ACU),
  constant('awsMaxAcu', C.AWS_MAX_ACU),
  constant('rdsProxyMaxConnectionsPercent', C.RDS_PROXY_MAX_CONNECTIONS_PERCENT),
  constant('writesPerAgentPerSec', C.WRITES_PER_AGENT_PER_SEC),
  constant('readsPerAgentPerSec', C.READS_PER_AGENT_PER_SEC),
  constant('seedReadPercent', C.SEED_READ_PERCENT),
  constant('iopsBaseline', C.IOPS_BASELINE),
  constant('iopsBurst', C.IOPS_BURST),
  constant('trackerEstimatedGrowthGBPerMonth', C.TRACKER_ESTIMATED_GROWTH_GB_PER_MONTH),
  { name: 'productionAcuRange', value: 32, unit: 'ACU (max)', source: `${C.AURORA}, Production Environment (2-32 ACU, 500 GB)`, note: 'SEED_INCONSISTENCY: seed 003\'s ACU table gives Production (Base) 2-16 ACU with 100 GB and Production (Peak) 4-32 ACU with 500 GB; seed 001\'s single 2-32 range is used.' },
  { name: 'reservedDiscountScope', value: 100, unit: '% of the bill', source: `${C.AURORA}, with_reserved_discount`, note: 'The seed discounts the whole bill (storage, backups, proxy and transfer too); reproduced as documented. Commitment discounts usually cover compute only: check what AWS offers for Serverless v2 before budgeting on it.' },
  { name: 'provisionedIops', value: C.IOPS_BASELINE.value, unit: 'IOPS', source: `${C.AURORA}, IOPS Requirements`, note: 'Aurora does not provision IOPS (I/O is billed per request or included with I/O-Optimized); the figures are the seed\'s planning thresholds.' }
]

export function estimateAurora (partial: Partial<AuroraInput> = {}): AuroraEstimate {
  const inputs = resolveAuroraInput(partial)
  const tables = inputs.tables.map((table) => tableVolume(table, inputs.agents, inputs.months))
  const dataVolume = {
    tables,
    monthlyWriteGB: sum(tables.map((t) => t.monthlyWriteGB)),
    retainedGB: sum(tables.map((t) => t.retainedGB)),
    retainedAtHorizonGB: sum(tables.map((t) => t.retainedAtHorizonGB))
  }
  const seedFunction = seedStorageGrowth(inputs.agents, inputs.months)
  const atHorizonGB = decimalClean(C.SEED_BASE_STORAGE_GB.value + dataVolume.retainedAtHorizonGB)
  const retentionAware = {
    initialGB: C.SEED_BASE_STORAGE_GB.value,
    steadyStateGB: decimalClean(C.SEED_BASE_STORAGE_GB.value + dataVolume.retainedGB),
    atHorizonGB,
    recommendedProvisionGB: decimalClean(atHorizonGB * C.STORAGE_HEADROOM.value)
  }
  const recommendation = {
    storageGB: Math.ceil(retentionAware.recommendedProvisionGB),
    basis: 'retention-aware' as const,
    reason: 'Each table keeps only its retention window, so storage levels off; the seed\'s function keeps growing and is shown for comparison. Aurora storage grows on its own: this is the volume to budget for, with 1.5x headroom.'
  }
  const acu = capacity(inputs)
  const sections = {
    inputs,
    dataVolume,
    storageGrowth: { seedFunction, retentionAware, recommendation },
    capacity: acu,
    iops: iops(inputs.agents),
    cost: auroraCost(inputs),
    backupRecovery: C.RECOVERY,
    recommendations: {
      minAcu: acu.environment.minAcu,
      maxAcu: Math.min(C.AWS_MAX_ACU.value, Math.max(acu.environment.maxAcu, acu.requiredAcu)),
      storageGB: recommendation.storageGB,
      provisionedIops: iops(inputs.agents).totalIops > C.IOPS_BASELINE.value ? C.IOPS_BURST.value : C.IOPS_BASELINE.value
    }
  }
  return {
    ...sections,
    warnings: sortBySeverity([...capacityWarnings(inputs, sections), ...seedInconsistencies(inputs, sections)]),
    assumptions: AURORA_ASSUMPTIONS as Assumption[]
  }
}
