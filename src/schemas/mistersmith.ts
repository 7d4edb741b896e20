// Request and response schemas of /estimate/aurora (seed 001) and /estimate/mistersmith (seed 003).
import { Type, type TSchema } from 'typebox'
import { AURORA_PRICES as P } from '../models/mistersmith/constants.js'
import { SEED_POOL_MAX_CONNECTIONS as POOLS, WORKLOAD_DEFAULTS as W } from '../models/mistersmith/deployment.js'
import { SERVICES_DEFAULTS as S } from '../models/mistersmith/services.js'
import { AssumptionsRef, WarningsRef, inputQuantity, outputQuantity } from './common.js'

const enumOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description })

const NAME = Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'Name: a letter, then letters, digits, _ or -; at most 63 characters.' })

export const TableProfileSchema = Type.Object({
  name: NAME,
  rowBytes: Type.Number({ minimum: 1, maximum: 100_000_000, description: 'Average row size. Unit: bytes (1 KB = 1000 B, as the seed). Range: 1 to 100000000.' }),
  rowsPerAgent: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Rows each agent writes per period. Unit: rows. Range: 0 to 1000000.' }),
  period: enumOf(['minute', 'hour', 'day'] as const, 'The period rowsPerAgent is counted over.'),
  retentionDays: Type.Number({ minimum: 0, maximum: 3650, description: 'How long rows are kept. Unit: days. Range: 0 to 3650.' })
}, { additionalProperties: false, description: 'Data profile of one table.' })

export const ConnectionPoolSchema = Type.Object({
  name: NAME,
  maxConnections: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Pool maximum per service instance. Unit: connections. Range: 0 to 10000.' }),
  instances: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Service instances with this pool. Unit: instances. Range: 0 to 10000.' })
}, { additionalProperties: false, description: 'A service\'s connection pool.' })

const ENVIRONMENT = enumOf(['development', 'staging', 'production'] as const, 'Environment: its ACU range and scale points (seed 001), its instance counts, and whether RDS Proxy and data transfer are billed. Default: production.')

/** The workload both MisterSmith estimates take: the same fields give the same deployment. */
export const workloadScalarProperties = {
  agents: inputQuantity({ description: 'Agents run.', unit: 'agents', minimum: 0, maximum: 10_000_000, default: W.agents, integer: true }),
  environment: ENVIRONMENT,
  workerProfile: enumOf(['base', 'standard', 'performance'] as const, 'Worker size per agent (seed 003): base 0.25 vCPU / 0.5 GB, standard 0.5 / 1, performance 1 / 2. Default: standard.'),
  agentsPerWorkerTask: Type.Integer({ minimum: 1, maximum: 1000, description: 'Agents packed into one worker task (rounded to a valid Fargate size). Unit: agents. Range: 1 to 1000. Default: the agents that fill an 8 vCPU / 16 GB task (base 32, standard 16, performance 8).' }),
  concurrentConnections: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Concurrent SSE/WebSocket connections to the gateway. Unit: connections. Range: 0 to 10000000. Default: one per agent.' }),
  supervisorInstances: Type.Integer({ minimum: 0, maximum: 100, description: 'Supervisor instances. Unit: instances. Range: 0 to 100. Default: 2 (primary + standby, seed 001) in production and staging, 1 in development.' }),
  gatewayMinTasks: Type.Integer({ minimum: 0, maximum: 1000, description: 'Gateway autoscaling minimum. Unit: tasks. Range: 0 to 1000. Default: 2 (seed 003) in production and staging, 1 in development.' })
}

const poolSize = (service: string, value: number) => Type.Integer({ minimum: 0, maximum: 10_000, description: `Database pool of one ${service} instance (max_connections). Unit: connections. Range: 0 to 10000. Default: ${value} (seed 001).` })
export const PoolSizesSchema = Type.Partial(Type.Object({
  supervisor: poolSize('supervisor', POOLS.supervisor),
  worker: poolSize('worker task', POOLS.worker),
  gateway: poolSize('gateway task', POOLS.gateway)
}), { additionalProperties: false, description: 'Per-instance pool sizes; the database pools are the instances times these.' })

export const auroraScalarProperties = {
  ...workloadScalarProperties,
  months: inputQuantity({ description: 'Horizon of the storage projection.', unit: 'months', minimum: 0, maximum: 120, default: 12, integer: true }),
  rdsProxy: Type.Boolean({ description: 'Whether RDS Proxy runs in front of the cluster (multiplexing, and its cost). Default: true in production (seed 001), false elsewhere.' }),
  averageAcu: Type.Number({ minimum: 0.5, maximum: 1_000_000_000, description: 'Average ACUs of the whole cluster over the month (every instance), for the compute cost (seed 001 uses 1 / 3 / 12); an average, so any figure, not only 0.5 steps. Unit: ACU. Range: 0.5 to 1000000000. Default: the usage profile\'s average at the plan\'s peak (cost.averageAcu). Outside the instances\' configured range: AVERAGE_ACU_OUTSIDE_RANGE.' }),
  workingSetGiB: inputQuantity({ description: 'Memory working set; ACUs needed for it at 2 GiB per ACU. 0: not sized by memory.', unit: 'GiB', minimum: 0, maximum: 65_536, default: 0 }),
  storageGB: Type.Number({ minimum: 0, maximum: 1_000_000_000_000_000, description: 'Storage priced in the cost (all clusters). Unit: GB. Range: 0 to 1000000000000000. One Aurora cluster volume holds 281475 GB (256 TiB) on Aurora PostgreSQL 17.5+, 16.9+, 15.13+ and 140737 GB (128 TiB) before: above, AURORA_VOLUME_ABOVE_LIMIT says so and how many clusters the data needs. Default: the retention-aware projection after `months`.' }),
  acuHourUsd: inputQuantity({ description: 'Aurora Standard: price of one ACU-hour (us-east-1; seed 001, AWS Pricing API 2025-10-28).', unit: 'USD', minimum: 0, maximum: 100, default: P.acuHourUsd }),
  ioOptimizedAcuHourUsd: inputQuantity({ description: 'Aurora I/O-Optimized: price of one ACU-hour (us-east-1; aws/agent-toolkit-for-aws 2026-03-28).', unit: 'USD', minimum: 0, maximum: 100, default: P.ioOptimizedAcuHourUsd }),
  storageUsdPerGBMonth: inputQuantity({ description: 'Aurora Standard storage price (us-east-1).', unit: 'USD per GB-month', minimum: 0, maximum: 100, default: P.storageUsdPerGBMonth }),
  ioOptimizedStorageUsdPerGBMonth: inputQuantity({ description: 'Aurora I/O-Optimized storage price (us-east-1, AWS Pricing API 2025-10-28).', unit: 'USD per GB-month', minimum: 0, maximum: 100, default: P.ioOptimizedStorageUsdPerGBMonth }),
  ioRequestUsdPerMillion: inputQuantity({ description: 'Aurora Standard I/O price (none on I/O-Optimized; us-east-1, AWS Pricing API 2025-10-28).', unit: 'USD per 1M requests', minimum: 0.001, maximum: 100, default: P.ioRequestUsdPerMillion }),
  backupUsdPerGBMonth: inputQuantity({ description: 'Backup storage price beyond the free allowance (100% of the cluster volume).', unit: 'USD per GB-month', minimum: 0, maximum: 100, default: P.backupUsdPerGBMonth }),
  rdsProxyAcuHourUsd: inputQuantity({ description: 'RDS Proxy for Serverless v2, per ACU-hour of the database, at least 8 ACU (us-east-1; the rate as reported by secondary sources).', unit: 'USD', minimum: 0, maximum: 100, default: P.rdsProxyAcuHourUsd }),
  interAzUsdPerGB: inputQuantity({ description: 'Data transfer between Availability Zones, each direction (us-east-1).', unit: 'USD per GB', minimum: 0, maximum: 10, default: P.interAzUsdPerGB }),
  internetEgressUsdPerGB: inputQuantity({ description: 'Data transfer out to the internet from 100 GB to 10 TB a month (us-east-1; the first 100 GB free, then 0.085 to 50 TB, 0.07 to 150 TB, 0.05 beyond).', unit: 'USD per GB', minimum: 0, maximum: 10, default: P.internetEgressUsdPerGB }),
  readCacheHitPercent: inputQuantity({ description: 'Share of reads the buffer cache answers without a storage I/O request (0: every read is one).', unit: '%', minimum: 0, maximum: 100, default: 0 }),
  crossAzSharePercent: inputQuantity({ description: 'Share of the in-VPC traffic (broker, database) that crosses Availability Zones (two zones: half).', unit: '%', minimum: 0, maximum: 100, default: 50 }),
  backupRetentionDays: inputQuantity({ description: 'Automated backup retention (AWS: 1 to 35 days; seed 001: 7). One day costs nothing.', unit: 'days', minimum: 1, maximum: 35, default: 7, integer: true }),
  hoursPerMonth: inputQuantity({ description: 'Billed hours in a month.', unit: 'h', minimum: 1, maximum: 744, default: P.hoursPerMonth }),
  reservedDiscount1YearPercent: inputQuantity({ description: 'The seed\'s 1-year "reserved" discount, on its whole bill (cost.seedEstimate only).', unit: '%', minimum: 0, maximum: 100, default: P.reservedDiscount1YearPercent }),
  savingsPlanDiscountPercent: inputQuantity({ description: 'Database Savings Plan discount (1 year, no upfront; up to 35% on serverless), on compute only.', unit: '%', minimum: 0, maximum: 100, default: P.savingsPlanDiscountPercent })
}

const UsagePointSchema = Type.Object({
  fractionOfPeak: Type.Number({ minimum: 0, maximum: 1, description: 'Capacity at this point as a fraction of the peak ACU (rounded up to 0.5 ACU, at least the environment minimum). Unit: fraction. Range: 0 to 1.' }),
  hoursShare: Type.Number({ minimum: 0.001, maximum: 1_000_000, description: 'Relative time spent at this point (hours a week, a percentage: any unit, shares are normalised). Unit: relative weight. Range: 0.001 to 1000000.' })
}, { additionalProperties: false, description: 'One point of the usage profile.' })

export const AuroraRequestSchema = Type.Partial(Type.Object({
  ...auroraScalarProperties,
  tables: Type.Array(TableProfileSchema, { minItems: 1, maxItems: 50, description: 'Per-table data profile. Default: the seed\'s agent_states, discovery_events, task_history and metrics.' }),
  connectionPools: Type.Array(ConnectionPoolSchema, { minItems: 0, maxItems: 50, description: 'Stated connection pools (seed 001\'s table: supervisor 20 x 2, worker 10 x 20, gateway 30 x 5 = 390). Default: the services model\'s instances times poolMaxConnections.' }),
  poolMaxConnections: PoolSizesSchema,
  usageProfile: Type.Array(UsagePointSchema, { minItems: 1, maxItems: 50, description: 'Hours at each fraction of the peak, for the average ACU. Default: the environment\'s scale points (seed 001), equal hours each.' })
}), { additionalProperties: false, description: 'MisterSmith workload for Aurora Serverless v2. Every field is optional; defaults are seed 001\'s, and the connections follow the same deployment as /estimate/mistersmith.' })

export const AuroraQuerySchema = Type.Partial(Type.Object(auroraScalarProperties), { additionalProperties: false })

const gbOut = (description: string) => outputQuantity('GB', description)
const usd = (description: string) => outputQuantity('USD per month', description)
const obj = (properties: Record<string, TSchema>, description: string) => Type.Object(properties, { additionalProperties: false, description })

const EnvironmentOut = obj({
  name: Type.String({ description: 'Environment.' }),
  minAcu: outputQuantity('ACU', 'Minimum capacity.'),
  maxAcu: outputQuantity('ACU', 'Maximum capacity.'),
  scalePoints: Type.Array(obj({ acu: outputQuantity('ACU', 'Capacity.'), use: Type.String({ description: 'When.' }) }, 'A scale point.'), { description: 'The seed\'s scale points.' }),
  expectedAgents: obj({ min: outputQuantity('agents', 'Lower.'), max: outputQuantity('agents', 'Upper.') }, 'Agents the environment is sized for.'),
  expectedConnections: obj({ min: outputQuantity('connections', 'Lower.'), max: outputQuantity('connections', 'Upper.') }, 'Connections expected.'),
  expectedStorageGB: gbOut('Storage expected.'),
  expectedIops: outputQuantity('IOPS', 'IOPS expected.'),
  averageAcu: outputQuantity('ACU', 'Average ACU of the seed\'s cost estimate.')
}, 'Environment configuration of seed 001.')

const PoolSizesOut = obj({ supervisor: outputQuantity('connections', 'Per supervisor.'), worker: outputQuantity('connections', 'Per worker task.'), gateway: outputQuantity('connections', 'Per gateway task.') }, 'Per-instance pool sizes.')

const FargateTaskSchema = obj({
  requestedVCpu: outputQuantity('vCPU', 'What the table asks for.'),
  requestedMemoryGiB: outputQuantity('GB (GiB)', 'What the table asks for.'),
  vCpu: outputQuantity('vCPU', 'Valid Fargate CPU.'),
  memoryGiB: outputQuantity('GB (GiB)', 'Valid Fargate memory.'),
  rounded: Type.Boolean({ description: 'true when the request was rounded up to a valid Fargate size.' })
}, 'A task size, rounded to a valid Fargate CPU/memory combination.')

const packingProperties = {
  agentsPerTask: outputQuantity('agents', 'Agents per worker task.'),
  tasks: outputQuantity('tasks', 'Worker tasks: agents / agentsPerTask, rounded up.'),
  task: FargateTaskSchema,
  provisionedVCpu: outputQuantity('vCPU', 'tasks x task vCPU (after Fargate rounding).'),
  provisionedMemoryGiB: outputQuantity('GB (GiB)', 'tasks x task memory (after Fargate rounding).')
}

export const DeploymentSchema = Type.Object({
  source: Type.String({ description: '"services model": the pools are the instances below times poolMaxConnections; "request": the stated connectionPools.' }),
  environment: Type.String({ description: 'Environment.' }),
  agents: outputQuantity('agents', 'Agents.'),
  supervisorInstances: outputQuantity('instances', 'Supervisor instances.'),
  worker: obj({ profile: Type.String({ description: 'Worker profile.' }), ...packingProperties }, 'Worker tasks.'),
  gateway: obj({ connections: outputQuantity('connections', 'Concurrent connections.'), tasks: outputQuantity('tasks', 'max(minTasks, connections / 800), rounded up.'), minTasks: outputQuantity('tasks', 'Autoscaling minimum.') }, 'Gateway tasks.'),
  connectionPools: Type.Array(obj({
    name: Type.String({ description: 'Service.' }),
    instances: outputQuantity('instances', 'Instances holding this pool.'),
    maxConnections: outputQuantity('connections', 'Pool size per instance.'),
    connections: outputQuantity('connections', 'instances x maxConnections.')
  }, 'One service\'s pools.')),
  totalConnections: outputQuantity('connections', 'Sum of the pools.')
}, { $id: 'MisterSmithDeployment', additionalProperties: false, description: 'The MisterSmith deployment a workload runs (services model, seed 003) and the database pools it opens (seed 001). /estimate/mistersmith and /estimate/aurora compute it with the same function.' })

const billLines = {
  computeUsdPerMonth: usd('averageAcu x hoursPerMonth x the configuration\'s ACU-hour price.'),
  storageUsdPerMonth: usd('storageGB x the configuration\'s storage price.'),
  ioUsdPerMonth: usd('ioRequestsPerMonth / 1M x ioRequestUsdPerMillion (Standard); 0 on I/O-Optimized.'),
  backupUsdPerMonth: usd('backup.billedGB x backupUsdPerGBMonth.'),
  rdsProxyUsdPerMonth: usd('rdsProxyAcu x hoursPerMonth x rdsProxyAcuHourUsd, where the proxy runs.'),
  dataTransferUsdPerMonth: usd('Internet egress by tier + crossAzGB x 2 x interAzUsdPerGB.'),
  totalUsdPerMonth: usd('Sum, in cents.')
}
const configurationOut = (description: string) => obj({
  acuHourUsd: outputQuantity('USD', 'ACU-hour price.'),
  storageUsdPerGBMonth: outputQuantity('USD per GB-month', 'Storage price.'),
  ...billLines
}, description)

const UsagePointOut = obj({ fractionOfPeak: outputQuantity('fraction', 'Fraction of the peak.'), hoursShare: outputQuantity('weight', 'Relative time.'), acu: outputQuantity('ACU', 'Capacity at this point.') }, 'A usage point.')

export const AuroraEstimateSchema = Type.Object({
  inputs: obj({
    ...auroraScalarProperties,
    environment: Type.String({ description: 'Environment.' }),
    workerProfile: Type.String({ description: 'Worker profile.' }),
    averageAcu: Type.Optional(outputQuantity('ACU', 'Stated average ACUs.')),
    storageGB: Type.Optional(gbOut('Stated storage priced.')),
    tables: Type.Array(TableProfileSchema),
    connectionPools: Type.Optional(Type.Array(ConnectionPoolSchema)),
    poolMaxConnections: PoolSizesOut,
    usageProfile: Type.Array(obj({ fractionOfPeak: outputQuantity('fraction', 'Fraction of the peak.'), hoursShare: outputQuantity('weight', 'Relative time.') }, 'A usage point.'))
  }, 'The request with every default resolved.'),
  deployment: Type.Ref('MisterSmithDeployment'),
  dataVolume: obj({
    tables: Type.Array(obj({
      name: Type.String({ description: 'Table.' }),
      rowsPerAgentPerDay: outputQuantity('rows/day', 'Rows each agent writes a day.'),
      monthlyWriteGB: gbOut('Written per 30-day month.'),
      retainedGB: gbOut('Kept at steady state: daily volume x retentionDays.'),
      retainedAtHorizonGB: gbOut('Kept after `months` months.')
    }, 'Volume of one table.')),
    monthlyWriteGB: gbOut('All tables, written per month.'),
    retainedGB: gbOut('All tables, kept at steady state.'),
    retainedAtHorizonGB: gbOut('All tables, kept after `months` months.')
  }, 'Data volume per table (seed 001, Data Volume Estimates). GB = 10^9 bytes.'),
  storageGrowth: obj({
    seedFunction: obj({
      initialGB: gbOut('base_storage_gb.'),
      monthlyGrowthGB: gbOut('(0.0432 + 0.0432 + 0.105 + 0.216) GB x agents.'),
      totalAfterMonthsGB: gbOut('initial + monthly growth x months.'),
      recommendedProvisionGB: gbOut('total x 1.5.')
    }, 'seed 001\'s calculate_storage_growth as written (ignores retention).'),
    retentionAware: obj({
      initialGB: gbOut('Base storage.'),
      steadyStateGB: gbOut('Base + every table at its retention.'),
      atHorizonGB: gbOut('Base + every table after `months` months.'),
      recommendedProvisionGB: gbOut('atHorizonGB x 1.5.')
    }, 'Each table capped at its retention.'),
    recommendation: obj({
      storageGB: gbOut('Storage to budget for, rounded up.'),
      basis: Type.String({ description: 'Which projection the recommendation uses.' }),
      reason: Type.String({ description: 'Why.' })
    }, 'Which projection is recommended and why.')
  }, 'Storage growth projection.'),
  capacity: obj({
    totalConnections: outputQuantity('connections', 'deployment.totalConnections: the pools of every instance.'),
    acuByConnections: outputQuantity('ACU', 'totalConnections / 30 (seed 001\'s rule).'),
    acuByMemory: outputQuantity('ACU', 'workingSetGiB / 2.'),
    acuByIo: outputQuantity('ACU', 'iops.ioMBytesPerSec / 90 MB/s per ACU (seed 001).'),
    requiredAcu: outputQuantity('ACU', 'Peak: the largest of the above and the environment minimum, up to a 0.5 step.'),
    bindingNeed: Type.Unsafe<string>({ type: 'string', enum: ['connections', 'memory', 'io', 'environment minimum'], description: 'Which need sets requiredAcu.' }),
    environment: EnvironmentOut,
    fitsEnvironment: Type.Boolean({ description: 'Whether requiredAcu is within the environment\'s maximum.' }),
    fittingEnvironment: Type.String({ description: 'The smallest of the seed\'s environments whose range holds requiredAcu, or "none".' }),
    instances: outputQuantity('instances', 'Instances needed at 256 ACU at most each: 1, or a writer and readers.'),
    acuPerInstance: outputQuantity('ACU', 'requiredAcu / instances, up to a 0.5 step.'),
    acuForProxy: outputQuantity('ACU', 'Maximum ACU per instance at which RDS Proxy\'s 80% of max_connections (30 per ACU) holds every pooled connection; 0 without the proxy.'),
    maxAcuPerInstance: outputQuantity('ACU', 'The maximum ACU setting: the largest of the environment\'s maximum, acuPerInstance and acuForProxy, at most 256.'),
    connectionsAtMaxAcu: outputQuantity('connections', 'maxAcuPerInstance x 30 (seed 001\'s rule; max_connections follows the maximum ACU).'),
    awsDefaultMaxConnections: outputQuantity('connections', 'AWS\'s default Aurora PostgreSQL max_connections at recommendations.maxAcu (documented by maximum ACU; 2,000 at most with a 0.5 ACU minimum). The plan uses the seed\'s 30 per ACU.'),
    rdsProxy: obj({
      enabled: Type.Boolean({ description: 'Whether RDS Proxy runs.' }),
      maxConnectionsPercent: outputQuantity('%', 'Share of max_connections the proxy may open (seed 001).'),
      clientConnections: outputQuantity('connections', 'Pooled connections of the services.'),
      databaseConnections: outputQuantity('connections', 'Database connections they use: through the proxy at most 80% of connectionsAtMaxAcu on each instance.'),
      multiplexingRatio: outputQuantity('ratio', 'clientConnections / databaseConnections (1 without the proxy).')
    }, 'RDS Proxy multiplexing (seed 001: max_connections_percent 80).'),
    perAcu: obj({
      memoryGiB: outputQuantity('GiB', 'Memory per ACU.'),
      vCpu: outputQuantity('vCPU', 'vCPU per ACU (seed\'s assumption).'),
      networkMBytesPerSec: outputQuantity('MB/s', 'Network per ACU (seed\'s assumption).'),
      connections: outputQuantity('connections', 'Connections per ACU (seed\'s assumption).')
    }, 'What one ACU provides (seed 001).')
  }, 'Aurora capacity units.'),
  iops: obj({
    writesPerSec: outputQuantity('IOPS', 'agents x 0.5.'),
    readsPerSec: outputQuantity('IOPS', 'agents x 2.0.'),
    totalIops: outputQuantity('IOPS', 'writes + reads.'),
    readPercent: outputQuantity('%', 'Read share of the per-agent rates (80).'),
    seedReadPercent: outputQuantity('%', 'Read share the seed states (70).'),
    baselineIops: outputQuantity('IOPS', 'Recommended baseline provision.'),
    burstIops: outputQuantity('IOPS', 'Recommended burst provision.'),
    ioMBytesPerSec: outputQuantity('MB/s', 'totalIops x 8 KiB (PostgreSQL page).')
  }, 'IOPS (seed 001, IOPS Requirements).'),
  cost: obj({
    averageAcu: outputQuantity('ACU', 'Average ACUs priced (the whole cluster).'),
    averageAcuSource: Type.String({ description: '"usage profile" (derived from the peak) or "request" (stated averageAcu).' }),
    usageProfile: Type.Array(UsagePointOut, { description: 'The ACU at each usage point.' }),
    storageGB: gbOut('Storage priced.'),
    storageSource: Type.String({ description: '"projection" (retention-aware, after `months`) or "request" (stated storageGB).' }),
    configuration: Type.Unsafe<string>({ type: 'string', enum: ['standard', 'io-optimized'], description: 'The cheaper Aurora configuration, whose bill the lines below are (a tie keeps Standard).' }),
    ...billLines,
    ioRequestsPerMonth: outputQuantity('requests', 'I/O requests billed a month on Aurora Standard: (writes + reads not answered by the cache) a second x hoursPerMonth x 3,600.'),
    rdsProxyAcu: outputQuantity('ACU', 'ACUs RDS Proxy bills on average: max(8, the cluster\'s ACUs) each hour; 0 without the proxy.'),
    backup: obj({
      retentionDays: outputQuantity('days', 'Automated backup retention.'),
      dailyChangeGB: gbOut('Data changed a day: dataVolume.monthlyWriteGB / 30.'),
      backupStorageGB: gbOut('storageGB + dailyChangeGB x retentionDays.'),
      freeGB: gbOut('Free: 100% of storageGB (all of it with one day\'s retention).'),
      billedGB: gbOut('backupStorageGB - freeGB, at backupUsdPerGBMonth.')
    }, 'Backup storage (AWS: free up to the cluster volume).'),
    dataTransfer: obj({
      networkMonthlyGB: gbOut('The services model\'s network.monthlyGB (the same function).'),
      internetEgressGB: gbOut('Internet rows\' egress share (API Gateway: egress / (ingress + egress) Mbit/s), billed by AWS\'s tiers.'),
      internetIngressGB: gbOut('Internet rows\' ingress: free.'),
      inVpcGB: gbOut('Broker and database rows, inside the VPC.'),
      crossAzGB: gbOut('inVpcGB x crossAzSharePercent: billed leaving one zone and entering the other.')
    }, 'Data transfer from the traffic the plan computes.'),
    standard: configurationOut('Aurora Standard: I/O billed per request.'),
    ioOptimized: configurationOut('Aurora I/O-Optimized: dearer compute and storage, no I/O charge.'),
    breakEven: obj({
      ioRequestsPerMonth: outputQuantity('requests', 'I/O requests a month at which both configurations cost the same.'),
      ioUsdPerMonth: usd('Standard\'s I/O charge at that point: what I/O-Optimized adds to compute and storage.'),
      ioShareOfStandardPercent: outputQuantity('%', 'The I/O charge\'s share of the Standard bill at that point.')
    }, 'Where Standard and I/O-Optimized meet.'),
    savingsPlan: obj({
      termYears: outputQuantity('years', 'Term: 1 (the only one sold).'),
      payment: Type.String({ description: 'Payment option: no upfront (the only one sold).' }),
      discountPercent: outputQuantity('%', 'savingsPlanDiscountPercent.'),
      coveredUsdPerMonth: usd('What the plan covers: compute.'),
      savingsUsdPerMonth: usd('coveredUsdPerMonth x discountPercent.'),
      totalUsdPerMonth: usd('totalUsdPerMonth less the savings.')
    }, 'A Database Savings Plan on the recommended configuration.'),
    seedEstimate: obj({
      computeUsdPerMonth: usd('averageAcu x hoursPerMonth x acuHourUsd.'),
      storageUsdPerMonth: usd('storageGB x storageUsdPerGBMonth.'),
      backupUsdPerMonth: usd('storageGB x backupUsdPerGBMonth (all of it, as the seed).'),
      rdsProxyUsdPerMonth: usd('A flat 50 where the proxy runs.'),
      dataTransferUsdPerMonth: usd('A flat 100 in production.'),
      totalUsdPerMonth: usd('Sum, in cents.'),
      reservedDiscount1YearPercent: outputQuantity('%', 'The seed\'s 1-year discount.'),
      oneYearCommitmentUsdPerMonth: usd('totalUsdPerMonth less that discount (whole bill, as the seed).')
    }, 'seed 001\'s Total Monthly Estimate, computed its way (its 3-year figure is not priced: COMMITMENT_NOT_RESERVED).')
  }, 'Monthly bill (us-east-1, on demand), rounded to cents: the recommended configuration\'s lines, both configurations, the break-even, a Savings Plan and the seed\'s own estimate.'),
  backupRecovery: obj({
    rpoMinutes: outputQuantity('min', 'Recovery point objective.'),
    rtoMinutes: outputQuantity('min', 'Recovery time objective.'),
    globalDatabaseRtoMinutes: outputQuantity('min', 'RTO with Aurora Global Database (under 1 minute).'),
    automatedBackupRetentionDays: outputQuantity('days', 'Automated backups.'),
    backupWindowUtc: Type.String({ description: 'Backup window (UTC).' }),
    pointInTimeRecoveryDays: outputQuantity('days', 'Point-in-time recovery.'),
    snapshotFrequency: Type.String({ description: 'Snapshot frequency.' }),
    snapshotRetention: obj({ daily: outputQuantity('snapshots', 'Daily kept.'), weekly: outputQuantity('snapshots', 'Weekly kept.'), monthly: outputQuantity('snapshots', 'Monthly kept.') }, 'Snapshot retention.'),
    crossRegion: obj({ enabled: Type.Boolean({ description: 'Cross-region copies.' }), targetRegion: Type.String({ description: 'DR region.' }) }, 'Cross-region backups.')
  }, 'Backup and recovery objectives (seed 001).'),
  recommendations: obj({
    minAcu: outputQuantity('ACU', 'min_acu to configure.'),
    maxAcu: outputQuantity('ACU', 'max_acu to configure per instance (raised when the need exceeds the environment, up to 256).'),
    instances: outputQuantity('instances', 'Writer plus readers.'),
    storageGB: gbOut('Storage to budget for (retention-aware x 1.5).'),
    plannedIops: outputQuantity('IOPS', 'I/O to plan for (Aurora has no provisioned IOPS): the smallest of the environment\'s expected IOPS, the 3,000 baseline and the 10,000 burst (seed 001) that covers totalIops, else totalIops in 1,000s; never below totalIops.')
  }, 'What to configure.'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'AuroraEstimate', additionalProperties: false, description: 'Aurora Serverless v2 plan for MisterSmith.' })

export const servicesProperties = {
  ...workloadScalarProperties,
  messagesPerSec: Type.Number({ minimum: 0, maximum: 10_000_000, description: 'Messages through the broker. Unit: msg/s. Range: 0 to 10000000. Default: 1,000 a day per agent (seed 003: 1M events/day at its 1,000 agents).' }),
  messageSizeKB: inputQuantity({ description: 'Average message size.', unit: 'KB', minimum: 0, maximum: 102_400, default: S.messageSizeKB }),
  messageRetentionHours: inputQuantity({ description: 'How long the broker keeps messages (seed 003: 24 h).', unit: 'h', minimum: 0, maximum: 8760, default: S.messageRetentionHours }),
  brokerConnections: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Connections to the broker. Unit: connections. Range: 0 to 1000000. Default: one per supervisor, worker and gateway task.' }),
  mqEngine: enumOf(['activemq', 'rabbitmq'] as const, 'Amazon MQ engine, for AWS\'s connection limit per broker (ActiveMQ: 300 on mq.t3.micro, 2,000 on mq.m5.* per wire protocol; RabbitMQ: 500, 5,000, 10,000 per node). Seed 003 names none. Default: activemq.'),
  eventTargetsPerEvent: inputQuantity({ description: 'EventBridge targets each event is delivered to (rules matched x targets); each delivery is an invocation (AWS us-east-1: 18,750 a second).', unit: 'targets', minimum: 1, maximum: 1500, default: S.eventTargetsPerEvent, integer: true })
}

export const ServicesRequestSchema = Type.Partial(Type.Object({ ...servicesProperties, poolMaxConnections: PoolSizesSchema }), {
  additionalProperties: false,
  description: 'MisterSmith service sizing on ECS Fargate. Every field is optional; defaults are seed 003\'s.'
})
export const ServicesQuerySchema = Type.Partial(Type.Object(servicesProperties), { additionalProperties: false })

export const ServicesEstimateSchema = Type.Object({
  inputs: obj({ ...servicesProperties, environment: Type.String({ description: 'Environment.' }), workerProfile: Type.String({ description: 'Worker profile.' }), poolMaxConnections: PoolSizesOut }, 'The request with every default resolved.'),
  deployment: Type.Ref('MisterSmithDeployment'),
  supervisor: obj({
    scale: Type.String({ description: 'Row of the supervisor table (1x, 10x, 50x, 100x).' }),
    expectedLoad: Type.String({ description: 'The row\'s agent range.' }),
    task: FargateTaskSchema,
    recommendedProduction: obj({ vCpu: outputQuantity('vCPU', 'CPU.'), memoryGiB: outputQuantity('GB (GiB)', 'Memory.') }, 'The seed\'s production recommendation (2 vCPU, 4 GB).'),
    boundaryRule: Type.String({ description: 'How shared row boundaries are read.' })
  }, 'Supervisor (control plane) task by agent count (seed 003).'),
  worker: obj({
    profile: Type.String({ description: 'Worker profile.' }),
    perAgent: obj({ vCpu: outputQuantity('vCPU', 'Per agent.'), memoryGiB: outputQuantity('GB (GiB)', 'Per agent.'), concurrentTasks: Type.String({ description: 'Concurrent tasks an agent runs.' }) }, 'Per-agent size.'),
    totalVCpu: outputQuantity('vCPU', 'agents x per-agent vCPU.'),
    totalMemoryGiB: outputQuantity('GB (GiB)', 'agents x per-agent memory.'),
    agentsPerTask: outputQuantity('agents', 'Agents per worker task used.'),
    tasks: outputQuantity('tasks', 'Worker tasks.'),
    task: FargateTaskSchema,
    provisionedVCpu: outputQuantity('vCPU', 'tasks x task vCPU (after Fargate rounding).'),
    provisionedMemoryGiB: outputQuantity('GB (GiB)', 'tasks x task memory (after Fargate rounding).'),
    packingAdvice: obj({ ...packingProperties, withinAutoscalingMax: Type.Boolean({ description: 'Whether the tasks stay within the worker autoscaling maximum (100).' }) }, 'The packing that provisions the least vCPU, then memory, then fewest tasks, after Fargate rounding, within the worker autoscaling maximum.')
  }, 'Workers (agent execution).'),
  gateway: obj({
    connections: outputQuantity('connections', 'Concurrent connections.'),
    tableRow: obj({ connections: outputQuantity('connections', 'What one task of this row handles.'), vCpu: outputQuantity('vCPU', 'CPU.'), memoryGiB: outputQuantity('GB (GiB)', 'Memory.'), bandwidthMbps: outputQuantity('Mbit/s', 'Bandwidth.') }, 'Smallest row of the gateway table that holds the connections (the largest beyond 10,000).'),
    tasksOfTableRow: outputQuantity('tasks', 'Tasks of that row the connections need (0 without connections; more than one only beyond 10,000).'),
    autoscaled: obj({
      task: FargateTaskSchema,
      targetConnectionsPerTask: outputQuantity('connections', 'Autoscaling target per task.'),
      minTasks: outputQuantity('tasks', 'Autoscaling minimum.'),
      maxTasks: outputQuantity('tasks', 'Autoscaling maximum.'),
      tasks: outputQuantity('tasks', 'max(minTasks, connections / target), rounded up.')
    }, 'The recommended 2 vCPU / 4 GB gateway under the seed\'s autoscaling policy.'),
    bandwidthMbps: outputQuantity('Mbit/s', 'connections x 0.1 Mbit/s.')
  }, 'Gateway (API/WebSocket) by concurrent connections.'),
  broker: obj({
    amazonMq: obj({
      tier: Type.String({ description: 'Broker tier of the seed\'s table.' }),
      instance: Type.String({ description: 'Instance type.' }),
      engine: Type.String({ description: 'Engine whose AWS connection limit applies (mqEngine).' }),
      capacityConnections: outputQuantity('connections', 'Connections one broker takes (seed 003).'),
      awsConnectionsPerBroker: outputQuantity('connections', 'AWS\'s limit on one broker of this instance type and engine; it cannot be raised.'),
      capacityMessagesPerSec: outputQuantity('msg/s', 'Throughput of one broker.'),
      capacityStorageGB: gbOut('Storage of one broker (AWS quota: 20 GB micro, 200 GB m5).'),
      brokers: outputQuantity('brokers', 'Brokers needed: more than one beyond the largest of the seed\'s table, or beyond AWS\'s connection limit per broker.'),
      retentionHours: outputQuantity('h', 'Message retention.'),
      storageNeededGB: gbOut('messagesPerSec x messageSizeKB x retention.'),
      storageGB: gbOut('Storage to provision: storageNeededGB rounded up.')
    }, 'Smallest Amazon MQ broker whose throughput, connections and storage take the load.'),
    eventBridge: obj({
      fits: Type.Boolean({ description: 'Whether a custom event bus takes the load: events, invocations and size within AWS\'s quotas.' }),
      customBusEventsPerSec: outputQuantity('events/s', 'Custom bus limit (seed 003; AWS\'s PutEvents quota in us-east-1).'),
      invocationsPerSec: outputQuantity('invocations/s', 'messagesPerSec x eventTargetsPerEvent.'),
      invocationsLimitPerSec: outputQuantity('invocations/s', 'AWS\'s invocations quota in us-east-1 (throttled above).'),
      targetsPerEvent: outputQuantity('targets', 'eventTargetsPerEvent.'),
      sizeLimitKB: outputQuantity('KB', 'Event size limit: 1 MiB in KB of 1000 B (AWS, 2026; the seed says 256 KB).'),
      eventsPerDay: outputQuantity('events/day', 'messagesPerSec x 86,400.')
    }, 'EventBridge as the alternative.')
  }, 'Message broker (seed 003).'),
  autoscaling: obj({
    ecs: Type.Array(obj({
      service: Type.String({ description: 'Service.' }),
      metric: Type.String({ description: 'Scaling metric.' }),
      target: Type.String({ description: 'Target.' }),
      minTasks: outputQuantity('tasks', 'Minimum.'),
      maxTasks: outputQuantity('tasks', 'Maximum.')
    }, 'One ECS scaling policy.')),
    scaleOutSeconds: outputQuantity('s', 'Scale-out cooldown.'),
    scaleInSeconds: outputQuantity('s', 'Scale-in cooldown.'),
    aurora: obj({
      metric: Type.String({ description: 'Metric.' }),
      targetPercent: outputQuantity('%', 'Target.'),
      scaleUpAbovePercent: outputQuantity('%', 'Scale up above.'),
      scaleUpAfterSeconds: outputQuantity('s', 'For.'),
      scaleDownBelowPercent: outputQuantity('%', 'Scale down below.'),
      scaleDownAfterSeconds: outputQuantity('s', 'For.')
    }, 'Aurora scaling policy.')
  }, 'Autoscaling policies (seed 003).'),
  network: obj({
    rows: Type.Array(obj({ component: Type.String({ description: 'Component.' }), ingressMbps: outputQuantity('Mbit/s', 'Ingress.'), egressMbps: outputQuantity('Mbit/s', 'Egress.'), monthlyGB: gbOut('Transfer a month.') }, 'One component.')),
    ingressMbps: outputQuantity('Mbit/s', 'Total ingress.'),
    egressMbps: outputQuantity('Mbit/s', 'Total egress.'),
    monthlyGB: gbOut('Total transfer a month.'),
    scaledFromAgents: outputQuantity('agents', 'Agent count the seed\'s table is read at; figures scale linearly from it.')
  }, 'Network bandwidth (seed 003), scaled to the agent count.'),
  baselines: obj({
    connectionLimits: obj({ sseConnections: outputQuantity('connections', 'SSE.'), databasePool: outputQuantity('connections', 'Database pool.'), natsConnectionsMin: outputQuantity('connections', 'NATS, lower.'), natsConnectionsMax: outputQuantity('connections', 'NATS, upper.') }, 'Connection limits.'),
    timeouts: obj({ natsConnectTimeoutSec: outputQuantity('s', 'NATS connect.'), natsPingIntervalSec: outputQuantity('s', 'NATS ping.'), healthCheckIntervalSec: outputQuantity('s', 'Health check.'), maxReconnects: outputQuantity('attempts', 'Reconnects.') }, 'Timeouts.'),
    agents: obj({ maxWorkersDefault: outputQuantity('workers', 'Default.'), maxWorkersScalable: outputQuantity('workers', 'Scalable to.'), memoryPerAgentMB: outputQuantity('MB', 'Per agent.') }, 'Agent configuration.'),
    ports: obj({ apiServer: outputQuantity('port', 'API.'), metrics: outputQuantity('port', 'Metrics.'), otlpGrpc: outputQuantity('port', 'OTLP gRPC.'), otlpHttp: outputQuantity('port', 'OTLP HTTP.'), nats: outputQuantity('port', 'NATS.') }, 'Service ports.')
  }, 'Performance baselines of seed 003.'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'ServicesEstimate', additionalProperties: false, description: 'ECS Fargate plan for MisterSmith.' })
