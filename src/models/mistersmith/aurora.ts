// Aurora Serverless v2 sizing for MisterSmith (seed 001, with the tracker's figures of seed 003):
// data volume per table, storage growth, ACUs, IOPS, cost, backup and recovery.
import { type Assumption, type Warning, ceilClean, ceilToStep, decimalClean, formatNumber, roundCents, sortBySeverity } from '../common.js'
import type { SeedConstant } from '../engram/constants.js'
import { type AuroraConfiguration, type AuroraPrices, type BreakEven, type ConfigurationBill, type SeedEstimate, type TransferVolumes, backupStorage, breakEven, configurationBill, ioRequestsPerMonth, rdsProxyAcu, savingsPlan, seedEstimate, transferVolumes } from './aurora-bill.js'
import * as C from './constants.js'
import { networkSizing } from './services.js'
import { type DeploymentPlan, type Stated, type WorkloadInput, SEED_POOL_MAX_CONNECTIONS, deploymentPlan, deploymentWarnings, resolveWorkload } from './deployment.js'

export interface UsagePoint { fractionOfPeak: number, hoursShare: number }

export interface AuroraInput extends WorkloadInput, AuroraPrices {
  months: number
  tables: C.TableProfile[]
  /** stated pools; otherwise the services model's instances x poolMaxConnections */
  connectionPools?: C.ConnectionPool[]
  rdsProxy: boolean
  /** hours at each fraction of the peak; default: the environment's scale points, equal hours each */
  usageProfile: UsagePoint[]
  /** stated average ACU (seed 001's 1 / 3 / 12); otherwise from the peak and the usage profile */
  averageAcu?: number
  workingSetGiB: number
  /** stated storage to price; otherwise the retention-aware projection */
  storageGB?: number
  reservedDiscount1YearPercent: number
  savingsPlanDiscountPercent: number
  /** share of reads the buffer cache answers (no storage I/O); default 0: every read is one */
  readCacheHitPercent: number
  /** share of the in-VPC traffic (broker, database) that crosses Availability Zones */
  crossAzSharePercent: number
  /** automated backup retention (seed 001: 7 days) */
  backupRetentionDays: number
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
  deployment: DeploymentPlan
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
    acuByIo: number
    requiredAcu: number
    bindingNeed: 'connections' | 'memory' | 'io' | 'environment minimum'
    environment: C.EnvironmentProfile & { name: C.Environment }
    fitsEnvironment: boolean
    fittingEnvironment: C.Environment | 'none'
    instances: number
    acuPerInstance: number
    acuForProxy: number
    maxAcuPerInstance: number
    connectionsAtMaxAcu: number
    awsDefaultMaxConnections: number
    rdsProxy: { enabled: boolean, maxConnectionsPercent: number, clientConnections: number, databaseConnections: number, multiplexingRatio: number }
    perAcu: { memoryGiB: number, vCpu: number, networkMBytesPerSec: number, connections: number }
  }
  iops: { writesPerSec: number, readsPerSec: number, totalIops: number, readPercent: number, seedReadPercent: number, baselineIops: number, burstIops: number, ioMBytesPerSec: number }
  cost: AuroraCost
  backupRecovery: typeof C.RECOVERY
  recommendations: { minAcu: number, maxAcu: number, instances: number, storageGB: number, plannedIops: number }
  warnings: Warning[]
  assumptions: Assumption[]
}

export interface AuroraCost extends Omit<ConfigurationBill, 'acuHourUsd' | 'storageUsdPerGBMonth'> {
  averageAcu: number
  averageAcuSource: 'request' | 'usage profile'
  usageProfile: Array<UsagePoint & { acu: number }>
  storageGB: number
  storageSource: 'request' | 'projection'
  configuration: AuroraConfiguration
  ioRequestsPerMonth: number
  rdsProxyAcu: number
  backup: ReturnType<typeof backupStorage>
  dataTransfer: TransferVolumes
  standard: ConfigurationBill
  ioOptimized: ConfigurationBill
  breakEven: BreakEven
  savingsPlan: ReturnType<typeof savingsPlan>
  seedEstimate: SeedEstimate
}

/** The environment's scale points as fractions of its maximum, equal hours at each (seed 001). */
export function defaultUsageProfile (environment: C.Environment): UsagePoint[] {
  const profile = C.ENVIRONMENTS[environment]
  return profile.scalePoints.map((point) => ({ fractionOfPeak: point.acu / profile.maxAcu, hoursShare: 1 }))
}

export function resolveAuroraInput (partial: Stated<AuroraInput>): AuroraInput {
  const workload = resolveWorkload(partial)
  const production = workload.environment === 'production'
  return {
    ...workload, // first, so the echo starts with the workload; again last, so its resolved values win
    months: 12,
    tables: C.SEED_TABLES.map((table) => ({ ...table })),
    rdsProxy: production, // seed 001 configures RDS Proxy for production
    usageProfile: defaultUsageProfile(workload.environment),
    workingSetGiB: 0,
    ...C.AURORA_PRICES,
    readCacheHitPercent: 0,
    crossAzSharePercent: C.CROSS_AZ_SHARE_PERCENT,
    backupRetentionDays: C.RECOVERY.automatedBackupRetentionDays,
    ...withoutUndefined(partial),
    ...workload
  }
}

function withoutUndefined<T extends object> (partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<T>
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

/**
 * AWS's default Aurora PostgreSQL max_connections for a maximum ACU setting: the documented rows,
 * linearly between them (DBInstanceClassMemory is not documented per ACU), proportional below 1 ACU,
 * 5,000 from 32 ACU, and at most 2,000 with a 0.5 ACU minimum.
 */
export function awsDefaultMaxConnections (maxAcu: number, minAcu: number): number {
  const rows = C.AWS_PG_MAX_CONNECTIONS_BY_MAX_ACU
  const above = rows.findIndex((row) => row.maxAcu >= maxAcu)
  let value: number
  if (above === -1) value = C.AWS_PG_MAX_CONNECTIONS_CAP
  else if (above === 0) value = rows[0].maxConnections * maxAcu / rows[0].maxAcu
  else {
    const low = rows[above - 1]
    const high = rows[above]
    value = low.maxConnections + (high.maxConnections - low.maxConnections) * (maxAcu - low.maxAcu) / (high.maxAcu - low.maxAcu)
  }
  return Math.floor(Math.min(value, minAcu <= 0.5 ? C.AWS_PG_MAX_CONNECTIONS_CAP_AT_HALF_ACU_MIN : C.AWS_PG_MAX_CONNECTIONS_CAP))
}

/** The smallest of the seed's environments whose ACU range holds the peak, or none. */
export function fittingEnvironment (requiredAcu: number): C.Environment | 'none' {
  return (['development', 'staging', 'production'] as const).find((name) => C.ENVIRONMENTS[name].maxAcu >= requiredAcu) ?? 'none'
}

/** Bytes a second of storage I/O: every operation one 8 KiB page (the most one PostgreSQL I/O moves). */
export function ioMBytesPerSec (totalIops: number): number {
  return decimalClean(totalIops * C.IO_BYTES_PER_OPERATION.value / 1e6)
}

/** Peak ACU: the largest of what connections, the memory working set and the I/O need, in 0.5 steps, never below the environment minimum. */
function capacity (input: AuroraInput, deployment: DeploymentPlan, io: AuroraEstimate['iops']): AuroraEstimate['capacity'] {
  const environment = { name: input.environment, ...C.ENVIRONMENTS[input.environment] }
  const totalConnections = deployment.totalConnections
  const needs = {
    connections: decimalClean(totalConnections / C.ACU_CONNECTIONS.value),
    memory: decimalClean(input.workingSetGiB / C.ACU_MEMORY_GIB.value),
    io: decimalClean(io.ioMBytesPerSec / C.ACU_NETWORK_MBYTES_PER_SEC.value),
    'environment minimum': environment.minAcu
  }
  const [bindingNeed, largest] = (Object.entries(needs) as Array<[AuroraEstimate['capacity']['bindingNeed'], number]>).reduce((best, entry) => entry[1] > best[1] ? entry : best)
  const requiredAcu = ceilToStep(largest, C.ACU_STEP.value)
  const instances = Math.max(1, ceilClean(requiredAcu / C.AWS_MAX_ACU.value))
  const acuPerInstance = ceilToStep(requiredAcu / instances, C.ACU_STEP.value)
  // max_connections follows the maximum ACU setting (AWS); RDS Proxy may open max_connections_percent
  // of it (seed 001: 80%), so the maximum is raised until every pooled connection has a database one
  const proxyShare = C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value / 100
  const acuForProxy = input.rdsProxy ? ceilToStep(totalConnections / instances / (C.ACU_CONNECTIONS.value * proxyShare), C.ACU_STEP.value) : 0
  const maxAcuPerInstance = Math.min(C.AWS_MAX_ACU.value, Math.max(environment.maxAcu, acuPerInstance, acuForProxy))
  const connectionsAtMaxAcu = maxAcuPerInstance * C.ACU_CONNECTIONS.value
  const proxyConnections = Math.floor(connectionsAtMaxAcu * proxyShare) * instances
  return {
    totalConnections,
    acuByConnections: needs.connections,
    acuByMemory: needs.memory,
    acuByIo: needs.io,
    requiredAcu,
    bindingNeed,
    environment,
    fitsEnvironment: requiredAcu <= environment.maxAcu,
    fittingEnvironment: fittingEnvironment(requiredAcu),
    instances,
    acuPerInstance,
    acuForProxy,
    maxAcuPerInstance,
    connectionsAtMaxAcu,
    awsDefaultMaxConnections: awsDefaultMaxConnections(maxAcuPerInstance, environment.minAcu),
    rdsProxy: {
      enabled: input.rdsProxy,
      maxConnectionsPercent: C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value,
      clientConnections: totalConnections,
      databaseConnections: input.rdsProxy ? Math.min(totalConnections, proxyConnections) : totalConnections,
      multiplexingRatio: input.rdsProxy && totalConnections > proxyConnections ? decimalClean(totalConnections / proxyConnections) : 1
    },
    perAcu: { memoryGiB: C.ACU_MEMORY_GIB.value, vCpu: C.ACU_VCPU.value, networkMBytesPerSec: C.ACU_NETWORK_MBYTES_PER_SEC.value, connections: C.ACU_CONNECTIONS.value }
  }
}

function iops (agents: number): AuroraEstimate['iops'] {
  const writesPerSec = decimalClean(agents * C.WRITES_PER_AGENT_PER_SEC.value)
  const readsPerSec = decimalClean(agents * C.READS_PER_AGENT_PER_SEC.value)
  const perAgentTotal = C.WRITES_PER_AGENT_PER_SEC.value + C.READS_PER_AGENT_PER_SEC.value
  const totalIops = decimalClean(writesPerSec + readsPerSec)
  return {
    writesPerSec,
    readsPerSec,
    totalIops,
    readPercent: 100 * C.READS_PER_AGENT_PER_SEC.value / perAgentTotal,
    seedReadPercent: C.SEED_READ_PERCENT.value,
    baselineIops: C.IOPS_BASELINE.value,
    burstIops: C.IOPS_BURST.value,
    ioMBytesPerSec: ioMBytesPerSec(totalIops)
  }
}

/**
 * The smallest of the seed's IOPS figures that covers the need (the environment's expected IOPS,
 * then the 3,000 baseline and the 10,000 burst); beyond them, the need itself in 1,000s.
 */
export function plannedIops (totalIops: number, environment: C.Environment): number {
  const ladder = [C.ENVIRONMENTS[environment].expectedIops, C.IOPS_BASELINE.value, C.IOPS_BURST.value].sort((a, b) => a - b)
  return ladder.find((iops) => totalIops <= iops) ?? ceilToStep(totalIops, 1000)
}

/**
 * The usage profile's ACU at each point (0.5 steps, within the minimum of every instance and the
 * peak) and their hour-weighted average, which stays within the same bounds.
 */
export function averageAcuOf (profile: UsagePoint[], peakAcu: number, minAcu: number): { averageAcu: number, points: Array<UsagePoint & { acu: number }> } {
  const points = profile.map((point) => ({ ...point, acu: Math.min(peakAcu, Math.max(minAcu, ceilToStep(point.fractionOfPeak * peakAcu, C.ACU_STEP.value))) }))
  const hours = points.reduce((total, point) => total + point.hoursShare, 0)
  const average = points.reduce((total, point) => total + point.acu * point.hoursShare / hours, 0)
  return { averageAcu: decimalClean(Math.min(peakAcu, Math.max(minAcu, average))), points }
}

/** What the plan bills, priced on Aurora Standard and I/O-Optimized; the cheaper is the headline (a tie keeps Standard). */
export function auroraCost (input: AuroraInput, usage: { averageAcu: number, points: Array<UsagePoint & { acu: number }>, source: AuroraCost['averageAcuSource'] }, storage: { storageGB: number, source: AuroraCost['storageSource'], dailyChangeGB: number }, io: AuroraEstimate['iops']): AuroraCost {
  const backup = backupStorage(storage.storageGB, storage.dailyChangeGB, input.backupRetentionDays)
  const dataTransfer = transferVolumes(networkSizing(input.agents), input.crossAzSharePercent)
  // a stated average has no hours to weigh: the proxy bills max(8, it)
  const proxyAcu = !input.rdsProxy ? 0 : usage.source === 'request' ? Math.max(C.RDS_PROXY_MIN_ACU.value, usage.averageAcu) : rdsProxyAcu(usage.points)
  const quantities = {
    averageAcu: usage.averageAcu,
    rdsProxyAcu: proxyAcu,
    storageGB: storage.storageGB,
    ioRequestsPerMonth: ioRequestsPerMonth(io.writesPerSec, io.readsPerSec, input.readCacheHitPercent, input.hoursPerMonth),
    backupBilledGB: backup.billedGB,
    internetEgressGB: dataTransfer.internetEgressGB,
    crossAzGB: dataTransfer.crossAzGB
  }
  const standard = configurationBill(input, quantities, 'standard')
  const ioOptimized = configurationBill(input, quantities, 'io-optimized')
  const configuration: AuroraConfiguration = ioOptimized.totalUsdPerMonth < standard.totalUsdPerMonth ? 'io-optimized' : 'standard'
  const { acuHourUsd, storageUsdPerGBMonth, ...lines } = configuration === 'standard' ? standard : ioOptimized
  return {
    averageAcu: usage.averageAcu,
    averageAcuSource: usage.source,
    usageProfile: usage.points,
    storageGB: storage.storageGB,
    storageSource: storage.source,
    configuration,
    ...lines,
    ioRequestsPerMonth: quantities.ioRequestsPerMonth,
    rdsProxyAcu: proxyAcu,
    backup,
    dataTransfer,
    standard,
    ioOptimized,
    breakEven: breakEven(standard, ioOptimized, input.ioRequestUsdPerMillion),
    savingsPlan: savingsPlan(configuration === 'standard' ? standard : ioOptimized, input.savingsPlanDiscountPercent),
    seedEstimate: seedEstimate(input, usage.averageAcu, storage.storageGB, input.rdsProxy, input.environment === 'production')
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
  if (input.storageGB !== undefined && (input.storageGB < estimate.storageGrowth.retentionAware.atHorizonGB || input.storageGB < estimate.storageGrowth.seedFunction.totalAfterMonthsGB)) {
    inconsistency(`Cost: storage is priced at ${fmt(input.storageGB)} GB while the projection after ${input.months} months is ` +
      `${fmt(estimate.storageGrowth.retentionAware.atHorizonGB)} GB retention-aware and ${fmt(estimate.storageGrowth.seedFunction.totalAfterMonthsGB)} GB by the seed's function; leave storageGB out to price the projection.`)
  }
  return warnings
}

function capacityWarnings (input: AuroraInput, estimate: Omit<AuroraEstimate, 'warnings' | 'assumptions'>): Warning[] {
  const warnings: Warning[] = []
  const { capacity: acu, iops: io, recommendations } = estimate
  const { environment } = acu
  const fits = acu.fittingEnvironment === 'none' ? '' : `${acu.fittingEnvironment} (${C.ENVIRONMENTS[acu.fittingEnvironment].minAcu}-${C.ENVIRONMENTS[acu.fittingEnvironment].maxAcu} ACU) holds it, or `
  if (acu.requiredAcu > C.AWS_MAX_ACU.value) {
    const readers = acu.instances - 1
    const what = acu.bindingNeed === 'memory'
      ? `a ${fmt(input.workingSetGiB)} GiB working set is more than one instance's ${C.AWS_MAX_ACU.value} ACU (${fmt(C.AWS_MAX_ACU.value * C.ACU_MEMORY_GIB.value, 0)} GiB) holds, and readers cache the same data rather than add memory: shrink the working set or shard it across clusters.`
      : readers > C.AURORA_MAX_READERS
        ? `${fmt(acu.instances, 0)} instances of ${fmt(acu.acuPerInstance)} ACU, more than one cluster's writer and ${C.AURORA_MAX_READERS} readers: split the workload across at least ${fmt(Math.ceil(acu.instances / (C.AURORA_MAX_READERS + 1)), 0)} clusters (each with its own writer and, where it runs, its own RDS Proxy and its 8-ACU minimum).`
        : `${fmt(acu.instances, 0)} instances of ${fmt(acu.acuPerInstance)} ACU, a writer and ${fmt(readers, 0)} reader(s) taking the reads (${io.readPercent}% of I/O) and their connections through the reader endpoint, ` +
          (acu.acuByIo * (100 - io.readPercent) / 100 > C.AWS_MAX_ACU.value ? 'but the writes alone exceed one instance: split the workload across clusters.' : 'or split the workload across clusters.')
    warnings.push({ code: 'ACU_ABOVE_AWS_LIMIT', severity: 'critical', message: `${fmt(acu.requiredAcu)} ACU needed (by ${acu.bindingNeed}); one Aurora Serverless v2 instance scales to at most ${C.AWS_MAX_ACU.value} ACU: ${what}` })
  } else if (acu.fitsEnvironment && recommendations.maxAcu > environment.maxAcu) {
    warnings.push({ code: 'MAX_ACU_RAISED_FOR_PROXY', severity: 'info', message: `max_acu raised from ${environment.name}'s ${environment.maxAcu} to ${fmt(recommendations.maxAcu)} ACU: max_connections follows the maximum, and RDS Proxy may open ${C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value}% of it, so ${fmt(acu.totalConnections, 0)} pooled connections need ${fmt(acu.acuForProxy)} ACU of maximum (the ${fmt(acu.requiredAcu)} ACU peak is unchanged).` })
  } else if (!acu.fitsEnvironment) {
    warnings.push({ code: 'ACU_ABOVE_ENVIRONMENT_MAX', severity: 'warning', message: `${fmt(acu.requiredAcu)} ACU needed (by ${acu.bindingNeed}), above the ${environment.name} maximum of ${environment.maxAcu} ACU: ${fits}raise max_acu to ${fmt(recommendations.maxAcu)} (AWS allows up to ${C.AWS_MAX_ACU.value}).` })
  }
  if (acu.rdsProxy.databaseConnections > acu.awsDefaultMaxConnections * acu.instances) {
    warnings.push({
      code: 'AWS_MAX_CONNECTIONS_EXCEEDED',
      severity: 'warning',
      message: `${fmt(acu.rdsProxy.databaseConnections, 0)} database connections exceed AWS's default max_connections of ${fmt(acu.awsDefaultMaxConnections, 0)} per instance at ${fmt(recommendations.maxAcu)} ACU maximum ` +
        '(LEAST(DBInstanceClassMemory / 9531392, 5000); 2,000 with a 0.5 ACU minimum): raise max_connections in the parameter group, multiplex through RDS Proxy, or smaller pools.'
    })
  }
  if (acu.totalConnections > environment.expectedConnections.max) {
    warnings.push({ code: 'CONNECTIONS_OUTSIDE_ENVIRONMENT', severity: 'info', message: `${fmt(acu.totalConnections, 0)} pooled connections is more than the ${environment.expectedConnections.min}-${environment.expectedConnections.max} the seed expects in ${environment.name}.` })
  }
  if (acu.rdsProxy.enabled && acu.rdsProxy.multiplexingRatio > 1) {
    warnings.push({
      code: 'RDS_PROXY_MULTIPLEXING',
      severity: 'info',
      message: `RDS Proxy multiplexes ${fmt(acu.totalConnections, 0)} pooled connections onto at most ${fmt(acu.rdsProxy.databaseConnections, 0)} database connections ` +
        `(${C.RDS_PROXY_MAX_CONNECTIONS_PERCENT.value}% of ${fmt(acu.connectionsAtMaxAcu, 0)} at the ${fmt(recommendations.maxAcu)} ACU maximum on ${fmt(acu.instances, 0)} instance(s), seed 001 max_connections_percent): ` +
        `at most that many transactions run at once and the rest wait up to the 120 s borrow timeout. One database connection for every pooled one needs ${fmt(acu.acuForProxy)} ACU of maximum per instance, above the ${C.AWS_MAX_ACU.value} AWS allows.`
    })
  }
  const clusterMinAcu = environment.minAcu * acu.instances
  const clusterMaxAcu = recommendations.maxAcu * acu.instances
  if (input.averageAcu !== undefined && (input.averageAcu < clusterMinAcu || input.averageAcu > clusterMaxAcu)) {
    const range = acu.instances === 1 ? `${clusterMinAcu}-${clusterMaxAcu} ACU` : `${fmt(clusterMinAcu)}-${fmt(clusterMaxAcu)} ACU (${fmt(acu.instances, 0)} instances of ${environment.minAcu}-${recommendations.maxAcu})`
    warnings.push({ code: 'AVERAGE_ACU_OUTSIDE_RANGE', severity: 'warning', message: `averageAcu ${input.averageAcu} is outside the ${range} the plan configures, so the compute cost cannot occur as configured.` })
  }
  if (input.averageAcu !== undefined && input.averageAcu > acu.requiredAcu && input.averageAcu <= recommendations.maxAcu) {
    warnings.push({ code: 'AVERAGE_ACU_ABOVE_PEAK', severity: 'info', message: `averageAcu ${input.averageAcu} is above the ${fmt(acu.requiredAcu)} ACU the workload needs at its peak: the cost is the stated one, not the workload's.` })
  }
  if (input.agents < environment.expectedAgents.min || input.agents > environment.expectedAgents.max) {
    warnings.push({ code: 'AGENTS_OUTSIDE_ENVIRONMENT', severity: 'info', message: `${fmt(input.agents, 0)} agents is outside the ${environment.expectedAgents.min}-${environment.expectedAgents.max} agents the seed sizes ${environment.name} for.` })
  }
  if (io.totalIops > io.burstIops) {
    warnings.push({
      code: 'IOPS_ABOVE_SEED_BURST',
      severity: 'warning',
      message: `${fmt(io.totalIops, 0)} IOPS exceed the seed's ${fmt(io.burstIops, 0)} burst provision; the plan plans for ${fmt(recommendations.plannedIops, 0)}. ` +
        `Aurora has no provisioned IOPS: I/O is billed per request (or included with I/O-Optimized) and bounded by the instance: ${fmt(io.ioMBytesPerSec)} MB/s at 8 KiB an I/O is ${fmt(acu.acuByIo)} ACU at ~90 MB/s per ACU` +
        (acu.acuByIo > C.AWS_MAX_ACU.value ? `, more than one instance's ${C.AWS_MAX_ACU.value}: readers take the ${io.readPercent}% reads, or split the workload.` : '.')
    })
  } else if (io.totalIops > io.baselineIops) {
    warnings.push({ code: 'IOPS_ABOVE_BASELINE', severity: 'info', message: `${fmt(io.totalIops, 0)} IOPS exceed the ${fmt(io.baselineIops, 0)} baseline provision; the seed's burst provision (${fmt(io.burstIops, 0)}) is recommended.` })
  }
  return warnings
}

/** What AWS's documents say where the seed's real-world statements differ. */
/** Storage to provision against Aurora's cluster volume: above 128 TiB it needs a newer engine, above 256 TiB more clusters. */
export function volumeLimitWarnings (storageGB: number): Warning[] {
  const newest = C.AURORA_MAX_VOLUME_GB.value
  const older = C.AURORA_OLDER_MAX_VOLUME_GB.value
  if (storageGB > newest) {
    const clusters = Math.ceil(storageGB / newest)
    return [{ code: 'AURORA_VOLUME_ABOVE_LIMIT', severity: 'critical', message: `${fmt(storageGB, 0)} GB to provision; one Aurora cluster volume holds at most 256 TiB (${fmt(newest, 0)} GB, Aurora PostgreSQL 17.5+, 16.9+, 15.13+): the data needs at least ${fmt(clusters, 0)} clusters (split it, e.g. by agent group), or shorter retention.` }]
  }
  if (storageGB > older) {
    return [{ code: 'AURORA_VOLUME_ABOVE_LIMIT', severity: 'warning', message: `${fmt(storageGB, 0)} GB to provision, above the 128 TiB (${fmt(older, 0)} GB) cluster volume of Aurora PostgreSQL before 17.5, 16.9 and 15.13: run 17.5+, 16.9+ or 15.13+ (256 TiB), or split the data across clusters.` }]
  }
  return []
}

function realWorldWarnings (input: AuroraInput, estimate: Omit<AuroraEstimate, 'warnings' | 'assumptions'>): Warning[] {
  const warnings: Warning[] = []
  const { cost } = estimate
  const seed = cost.seedEstimate
  const usd = (value: number): string => fmt(value, 2)
  const cheaper = cost.configuration === 'io-optimized' ? 'Aurora I/O-Optimized' : 'Aurora Standard'
  warnings.push({
    code: 'AURORA_CONFIGURATION',
    severity: 'info',
    message: `${cheaper} is the cheaper configuration: Standard ${usd(cost.standard.totalUsdPerMonth)} USD a month (I/O ${usd(cost.standard.ioUsdPerMonth)}: ${fmt(cost.ioRequestsPerMonth / 1e6)}M requests), ` +
      `I/O-Optimized ${usd(cost.ioOptimized.totalUsdPerMonth)} (no I/O charge; compute and storage ${usd(cost.breakEven.ioUsdPerMonth)} dearer). ` +
      `They cost the same at ${fmt(cost.breakEven.ioRequestsPerMonth / 1e6)}M I/O requests a month, I/O then ${fmt(cost.breakEven.ioShareOfStandardPercent)}% of the Standard bill (AWS's rule of thumb: about 25%).`
  })
  warnings.push({
    code: 'COMMITMENT_NOT_RESERVED',
    severity: 'info',
    message: `AWS sells no Reserved Instances and no 3-year commitment for Aurora Serverless v2: its ACU-hours are covered by Database Savings Plans (since ${C.SAVINGS_PLAN.announced}; 1 year, no upfront, up to ${C.SAVINGS_PLAN.maxServerlessDiscountPercent}% off serverless, reported by secondary sources), ` +
      `read as covering compute only, not storage, I/O, backup, transfer or RDS Proxy (AWS's own text found does not say so explicitly): cost.savingsPlan, ${input.savingsPlanDiscountPercent}% of ${usd(cost.savingsPlan.coveredUsdPerMonth)} USD. ` +
      `The seed's "reserved" ${seed.reservedDiscount1YearPercent}% off its whole bill is kept in cost.seedEstimate (${usd(seed.oneYearCommitmentUsdPerMonth)} USD); its 3-year ${C.SEED_FLAT_COSTS.reservedDiscount3YearPercent}% ` +
      `(${usd(roundCents(seed.totalUsdPerMonth * (100 - C.SEED_FLAT_COSTS.reservedDiscount3YearPercent) / 100))} USD) is not priced: nothing sells it.`
  })
  // the larger of what the plan recommends and what the request states to price
  warnings.push(...volumeLimitWarnings(Math.max(estimate.recommendations.storageGB, input.storageGB ?? 0)))
  if (seed.backupUsdPerMonth > cost.backupUsdPerMonth) {
    warnings.push({ code: 'BACKUP_STORAGE_FREE_ALLOWANCE', severity: 'info', message: `The seed bills backup on all of the storage (${usd(seed.backupUsdPerMonth)} USD, cost.seedEstimate); AWS charges none up to 100% of the cluster volume: the bill has ${fmt(cost.backup.billedGB)} GB beyond it (${fmt(cost.backup.retentionDays, 0)} days of ${fmt(cost.backup.dailyChangeGB)} GB changed a day), ${usd(cost.backupUsdPerMonth)} USD.` })
  }
  if (input.rdsProxy) {
    warnings.push({ code: 'RDS_PROXY_PRICING', severity: 'info', message: `RDS Proxy for Aurora Serverless v2 bills per ACU-hour of the database, at least ${C.RDS_PROXY_MIN_ACU.value} ACU: ${fmt(cost.rdsProxyAcu)} ACU on average at ${input.rdsProxyAcuHourUsd} USD (the rate as reported by secondary sources) is ${usd(cost.rdsProxyUsdPerMonth)} USD a month; the seed's flat ${usd(C.SEED_FLAT_COSTS.rdsProxyUsdPerMonth)} is kept in cost.seedEstimate.` })
    warnings.push({ code: 'RDS_PROXY_NO_AUTO_PAUSE', severity: 'info', message: 'RDS Proxy keeps the cluster from pausing: Aurora Serverless v2 scales to 0 ACU (auto-pause) only without it, so the minimum capacity is billed every hour; turn rdsProxy off where a cluster may sit idle (development) and pausing matters more than pooling.' })
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
  { name: 'poolMaxConnections', value: SEED_POOL_MAX_CONNECTIONS.worker, unit: 'connections per worker task (supervisor 20, gateway 30)', source: `${C.AURORA}, Per-Service Connection Requirements (max_connections)`, note: 'Connections are the services model\'s instances (deployment) times these pools. Seed 001\'s own table (20 x 2 + 10 x 20 + 30 x 5 = 390) assumes 20 worker services whatever the agents; state connectionPools to use it.' },
  constant('acuMemoryGiB', C.ACU_MEMORY_GIB),
  constant('acuVCpu', C.ACU_VCPU),
  constant('acuNetworkMBytesPerSec', C.ACU_NETWORK_MBYTES_PER_SEC),
  constant('acuConnections', C.ACU_CONNECTIONS),
  constant('ioBytesPerOperation', C.IO_BYTES_PER_OPERATION),
  constant('acuStep', C.ACU_STEP),
  constant('awsMinAcu', C.AWS_MIN_ACU),
  constant('awsMaxAcu', C.AWS_MAX_ACU),
  { name: 'readerInstances', value: C.AWS_MAX_ACU.value, unit: 'ACU per instance', source: 'AWS Aurora Serverless v2 documentation (each instance has its own capacity; readers in promotion tiers 0-1 scale with the writer)', note: 'Beyond 256 ACU the plan counts instances = ceil(requiredAcu / 256): a writer and readers, billed per instance; cost is priced on the total.' },
  constant('rdsProxyMaxConnectionsPercent', C.RDS_PROXY_MAX_CONNECTIONS_PERCENT),
  constant('writesPerAgentPerSec', C.WRITES_PER_AGENT_PER_SEC),
  constant('readsPerAgentPerSec', C.READS_PER_AGENT_PER_SEC),
  constant('seedReadPercent', C.SEED_READ_PERCENT),
  constant('iopsBaseline', C.IOPS_BASELINE),
  constant('iopsBurst', C.IOPS_BURST),
  constant('trackerEstimatedGrowthGBPerMonth', C.TRACKER_ESTIMATED_GROWTH_GB_PER_MONTH),
  { name: 'productionAcuRange', value: 32, unit: 'ACU (max)', source: `${C.AURORA}, Production Environment (2-32 ACU, 500 GB)`, note: 'SEED_INCONSISTENCY: seed 003\'s ACU table gives Production (Base) 2-16 ACU with 100 GB and Production (Peak) 4-32 ACU with 500 GB; seed 001\'s single 2-32 range is used.' },
  { name: 'usageProfile', value: 12.4, unit: 'ACU average of the production scale points (2, 4, 8, 16, 32)', source: `${C.AURORA}, Environment Configurations (scale_points) and Cost Estimation (avg_acu)`, note: 'SERVICE: without averageAcu, compute is priced at the hour-weighted average of the usage profile; the default spends equal hours at each of the environment\'s scale points, scaled from its maximum to the plan\'s peak. The seed\'s own averages (1 / 3 / 12 ACU) are close to but not the means of its points (1.17 / 3.75 / 12.4); state averageAcu to use them.' },
  { name: 'seedFlatCosts', value: C.SEED_FLAT_COSTS.rdsProxyUsdPerMonth + C.SEED_FLAT_COSTS.dataTransferUsdPerMonth, unit: 'USD per month (RDS Proxy 50 + data transfer 100)', source: `${C.AURORA}, Total Monthly Estimate (production_total)`, note: 'Only in cost.seedEstimate, which reproduces the seed\'s total (proxy where it runs, transfer in production, backup on all storage, 30% off the whole bill for 1 year). The bill prices the proxy by its rule and the transfer from the traffic.' },
  { name: 'ioRequests', value: 0, unit: '% of reads answered by the cache (readCacheHitPercent)', source: `${C.AURORA}, IOPS Requirements (0.5 writes, 2.0 reads a second per agent); AWS "DB instance billing for Aurora" (I/O per 1M requests, Aurora Standard only)`, note: 'Every write and every read is one billed I/O request, at the per-agent rates all month (hoursPerMonth x 3,600 s), unless readCacheHitPercent says what share of reads the buffer cache answers. Aurora counts reads per 8 KiB page and writes per 4 KiB; a row is read as one of each. I/O-Optimized bills none.' },
  { name: 'auroraPrices', value: C.AURORA_PRICES.acuHourUsd, unit: 'USD per ACU-hour, Aurora Standard, us-east-1', source: 'AWS Pricing API dump (2025-10-28, effective 2025-10-01) and aws/agent-toolkit-for-aws (2026-03-28), issue 28 fact sheet (checked 2026-12-07); AWS\'s pricing page itself not read', note: 'Standard: 0.12 USD per ACU-hour, 0.10 per GB-month, 0.20 per 1M I/O requests; I/O-Optimized: 0.156 per ACU-hour, 0.225 per GB-month, no I/O charge; backup 0.021 per GB-month beyond the free allowance. The cheaper configuration is cost.configuration; cost.breakEven where they meet.' },
  constant('rdsProxyMinAcu', C.RDS_PROXY_MIN_ACU),
  { name: 'rdsProxyAutoPause', value: 0, unit: 'ACU (auto-pause)', source: 'AWS "Scaling to Zero ACUs with automatic pause and resume for Aurora Serverless v2"; aws/agent-toolkit-for-aws serverless-advisory-concepts.md (incompatible with RDS Proxy); issue 28 fact sheet', note: 'With RDS Proxy the cluster never pauses. The seed\'s environments start at 0.5-2 ACU, so the plan uses no pause either way.' },
  { name: 'backupStorage', value: C.RECOVERY.automatedBackupRetentionDays, unit: 'days of changed data (backupRetentionDays)', source: `${C.AURORA}, Backup Configuration (retention_period 7 days); AWS "Understanding Amazon Aurora backup storage usage" (free up to 100% of the volume; one-day retention free), checked 2026-12-07`, note: 'Backup storage is the volume plus each day\'s changed data (the rows written a day, dataVolume.monthlyWriteGB / 30) for the retention; the volume is free, so the changed data is billed, at backupUsdPerGBMonth. The seed\'s weekly and monthly snapshots kept beyond the retention are not priced.' },
  { name: 'dataTransfer', value: C.CROSS_AZ_SHARE_PERCENT, unit: '% of in-VPC traffic crossing zones (crossAzSharePercent)', source: 'SERVICE, over seed 003\'s Network Bandwidth rows (the services model\'s network, the same function); prices: usage.ai 2026-06-02, wring.co, leanopstech.com (issue 28 fact sheet, checked 2026-12-07)', note: 'API Gateway\'s row is internet traffic: its egress share (egress / (ingress + egress) Mbit/s, 2/3) is billed out at 0.09 USD/GB after 100 GB free to 10 TB, 0.085 to 50 TB, 0.07 to 150 TB, 0.05 beyond (TB = 1,000 GB), inbound free. NATS/MQ\'s and Aurora\'s rows stay in the VPC: the share crossing zones (two zones: half) is billed 0.01 USD/GB leaving one zone and 0.01 entering the other. Load balancer and NAT gateway charges are not in this bill.' },
  { name: 'savingsPlan', value: C.AURORA_PRICES.savingsPlanDiscountPercent, unit: '% off compute (savingsPlanDiscountPercent)', source: 'Database Savings Plans, announced 2025-12-02 (re:Invent DAT326; nops.io; prosperops.com 2026-02; issue 28 fact sheet)', note: '1 year, no upfront; up to 35% on serverless usage (the default is that best case). Read as covering compute (ACU-hours) only: AWS\'s primary text found lists only instance, serverless and throughput usage, and excludes nothing explicitly.' },
  { name: 'reservedDiscountScope', value: 100, unit: '% of the bill', source: `${C.AURORA}, with_reserved_discount`, note: 'The seed discounts the whole bill (storage, backups, proxy and transfer too); reproduced in cost.seedEstimate only. AWS offers no reserved capacity and no 3-year commitment for Serverless v2 (see COMMITMENT_NOT_RESERVED).' },
  { name: 'plannedIops', value: C.IOPS_BASELINE.value, unit: 'IOPS', source: `${C.AURORA}, IOPS Requirements and Environment Configurations (expected iops)`, note: 'Aurora does not provision IOPS (I/O is billed per request or included with I/O-Optimized): recommendations.plannedIops is the I/O the plan must carry, the seed\'s planning figure. It is the smallest of the environment\'s expected IOPS (500 / 2,000 / 10,000), the 3,000 baseline and the 10,000 burst that covers the need, else the need rounded up to 1,000s.' }
]

export function estimateAurora (partial: Stated<AuroraInput> = {}): AuroraEstimate {
  const inputs = resolveAuroraInput(partial)
  const deployment = deploymentPlan(inputs, inputs.connectionPools)
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
    // already decimalClean'd: Math.ceil, since ceilClean would take a real .1 of a 5.7e13 GB figure for float noise
    storageGB: Math.ceil(retentionAware.recommendedProvisionGB),
    basis: 'retention-aware' as const,
    reason: 'Each table keeps only its retention window, so storage levels off; the seed\'s function keeps growing and is shown for comparison. Aurora storage grows on its own: this is the volume to budget for, with 1.5x headroom.'
  }
  const io = iops(inputs.agents)
  const acu = capacity(inputs, deployment, io)
  const usage = averageAcuOf(inputs.usageProfile, acu.requiredAcu, acu.environment.minAcu * acu.instances)
  const cost = auroraCost(
    inputs,
    { averageAcu: inputs.averageAcu ?? usage.averageAcu, points: usage.points, source: inputs.averageAcu === undefined ? 'usage profile' : 'request' },
    { storageGB: inputs.storageGB ?? atHorizonGB, source: inputs.storageGB === undefined ? 'projection' : 'request', dailyChangeGB: decimalClean(dataVolume.monthlyWriteGB / C.DAYS_PER_MONTH) },
    io
  )
  const sections = {
    inputs,
    deployment,
    dataVolume,
    storageGrowth: { seedFunction, retentionAware, recommendation },
    capacity: acu,
    iops: io,
    cost,
    backupRecovery: C.RECOVERY,
    recommendations: {
      minAcu: acu.environment.minAcu,
      maxAcu: acu.maxAcuPerInstance,
      instances: acu.instances,
      storageGB: recommendation.storageGB,
      plannedIops: plannedIops(io.totalIops, inputs.environment)
    }
  }
  return {
    ...sections,
    warnings: sortBySeverity([...deploymentWarnings(inputs, deployment), ...capacityWarnings(inputs, sections), ...realWorldWarnings(inputs, sections), ...seedInconsistencies(inputs, sections)]),
    assumptions: AURORA_ASSUMPTIONS as Assumption[]
  }
}
