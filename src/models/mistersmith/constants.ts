// Constants of the MisterSmith AWS sizing, named once with their seed sections:
// seed 001 = 001_e4461cdcaf94cd58.txt (Aurora Serverless v2 sizing),
// seed 003 = 003_0e65fa4d67fc1219.txt (resource sizing tracker).
import type { SeedConstant } from '../engram/constants.js'

export const AURORA = 'seed 001'
export const TRACKER = 'seed 003'

export const BYTES_PER_GB = 1e9 // AWS GB; the seed's 1 KB x 60 x 720 x 1000 = 43.2 GB needs KB = 1000 B, GB = 10^9 B
export const DAYS_PER_MONTH = 30 // the seed's month is 720 hours
export const HOURS_PER_DAY = 24
export const MINUTES_PER_DAY = 1440

export type Period = 'minute' | 'hour' | 'day'
export const PERIODS_PER_DAY: Record<Period, number> = { minute: MINUTES_PER_DAY, hour: HOURS_PER_DAY, day: 1 }

export interface TableProfile {
  name: string
  rowBytes: number
  rowsPerAgent: number
  period: Period
  retentionDays: number
}

/** The four tables of seed 001, Data Volume Estimates. */
export const SEED_TABLES: readonly TableProfile[] = [
  { name: 'agent_states', rowBytes: 1000, rowsPerAgent: 60, period: 'hour', retentionDays: 30 },
  { name: 'discovery_events', rowBytes: 2000, rowsPerAgent: 10, period: 'hour', retentionDays: 90 },
  { name: 'task_history', rowBytes: 5000, rowsPerAgent: 100, period: 'day', retentionDays: 7 },
  { name: 'metrics', rowBytes: 500, rowsPerAgent: 10, period: 'minute', retentionDays: 30 }
]

/** calculate_storage_growth's own per-agent monthly figures (seed 001), used as written. */
export const SEED_GROWTH_GB_PER_AGENT_MONTH = {
  agentStates: 0.0432,
  discoveryEvents: 0.0432, // SEED_INCONSISTENCY: the table profile gives 0.0144 (43.2 is the 90-day retained volume)
  taskHistory: 0.105, // SEED_INCONSISTENCY: the table profile gives 0.015 written, 0.0035 retained
  metrics: 0.216
} as const
export const SEED_BASE_STORAGE_GB: SeedConstant = { value: 10, unit: 'GB', source: `${AURORA}, calculate_storage_growth (base_storage_gb)` }
export const STORAGE_HEADROOM: SeedConstant = { value: 1.5, unit: 'factor', source: `${AURORA}, calculate_storage_growth (50% headroom)` }

export const ACU_MEMORY_GIB: SeedConstant = { value: 2, unit: 'GiB per ACU', source: `${AURORA}, ACU Capacity Planning`, note: 'AWS documents about 2 GiB of memory per ACU.' }
export const ACU_VCPU: SeedConstant = { value: 2, unit: 'vCPU per ACU', source: `${AURORA}, ACU Capacity Planning`, note: 'The seed\'s own assumption; AWS does not document vCPU per ACU.' }
export const ACU_NETWORK_MBYTES_PER_SEC: SeedConstant = { value: 90, unit: 'MB/s per ACU', source: `${AURORA}, ACU Capacity Planning`, note: 'The seed\'s own assumption; AWS does not document network per ACU.' }
export const ACU_CONNECTIONS: SeedConstant = { value: 30, unit: 'connections per ACU', source: `${AURORA}, ACU Capacity Planning and Connection Pool Sizing (390 / 30 = 13)`, note: 'The seed\'s own planning rule, used by the plan. AWS derives Aurora PostgreSQL\'s default max_connections from the memory of the maximum ACU, LEAST(DBInstanceClassMemory/9531392, 5000): 189 at 1 ACU, 823 at 4, 1,669 at 8, 3,360 at 16, 5,000 from 32 (2,000 at most with a 0.5 ACU minimum); capacity.awsDefaultMaxConnections reports it beside the seed\'s figure.' }
/** AWS Aurora user guide, "Maximum connections for Aurora Serverless v2" (Aurora PostgreSQL defaults by maximum ACU). */
export const AWS_PG_MAX_CONNECTIONS_BY_MAX_ACU: ReadonlyArray<{ maxAcu: number, maxConnections: number }> = [
  { maxAcu: 1, maxConnections: 189 },
  { maxAcu: 4, maxConnections: 823 },
  { maxAcu: 8, maxConnections: 1669 },
  { maxAcu: 16, maxConnections: 3360 },
  { maxAcu: 32, maxConnections: 5000 }
]
export const AWS_PG_MAX_CONNECTIONS_CAP = 5000 // LEAST(..., 5000)
export const AURORA_MAX_READERS = 15 // AWS: an Aurora cluster has one writer and up to 15 readers
export const AWS_PG_MAX_CONNECTIONS_CAP_AT_HALF_ACU_MIN = 2000 // capped at 2,000 when the minimum capacity is 0.5 ACU
export const AWS_PG_BYTES_PER_CONNECTION = 9_531_392 // DBInstanceClassMemory / 9531392
export const BYTES_PER_GIB = 1_073_741_824
/** PostgreSQL's block size: what one storage I/O moves at most. */
export const IO_BYTES_PER_OPERATION: SeedConstant = { value: 8192, unit: 'bytes per I/O', source: 'PostgreSQL documentation (BLCKSZ, 8 kB pages); not in the seed', note: 'With the seed\'s ~90 MB/s per ACU (its network figure) this gives the ACUs the I/O needs: Aurora storage is reached over the network.' }
export const ACU_STEP: SeedConstant = { value: 0.5, unit: 'ACU', source: 'AWS Aurora Serverless v2 documentation (capacity in 0.5-ACU steps)' }
export const AWS_MIN_ACU: SeedConstant = { value: 0.5, unit: 'ACU', source: 'AWS Aurora Serverless v2 documentation', note: 'Newer engine versions also allow 0 ACU with auto-pause; the seed\'s environments start at 0.5.' }
/**
 * Aurora's cluster volume, in GB (10^9 bytes, the unit of the seed's storage figures): 256 TiB on
 * Aurora PostgreSQL 17.5+, 16.9+ and 15.13+, 128 TiB on earlier versions (AWS, "Amazon Aurora size
 * limits", CHAP_Limits.html, as quoted in pganalyze/collector issue 858, 2026-08-17; checked 2026-12-07).
 */
export const AURORA_MAX_VOLUME_GB: SeedConstant = { value: 256 * 2 ** 40 / 1e9, unit: 'GB', source: 'AWS Amazon Aurora size limits: 256 TiB on Aurora PostgreSQL 17.5+, 16.9+, 15.13+ (checked 2026-12-07)', note: '128 TiB on earlier Aurora PostgreSQL versions.' }
export const AURORA_OLDER_MAX_VOLUME_GB: SeedConstant = { value: 128 * 2 ** 40 / 1e9, unit: 'GB', source: 'AWS Amazon Aurora size limits: 128 TiB on Aurora PostgreSQL before 17.5, 16.9, 15.13 (checked 2026-12-07)' }
export const AWS_MAX_ACU: SeedConstant = { value: 256, unit: 'ACU', source: 'AWS Aurora Serverless v2 documentation (128 on older engine versions)' }
export const RDS_PROXY_MAX_CONNECTIONS_PERCENT: SeedConstant = { value: 80, unit: '%', source: `${AURORA}, RDS Proxy Configuration (max_connections_percent)` }

export type Environment = 'development' | 'staging' | 'production'

export interface EnvironmentProfile {
  minAcu: number
  maxAcu: number
  scalePoints: Array<{ acu: number, use: string }>
  expectedAgents: { min: number, max: number }
  expectedConnections: { min: number, max: number }
  expectedStorageGB: number
  expectedIops: number
  averageAcu: number
}

/** seed 001, Environment Configurations and Cost Estimation (avg_acu). */
export const ENVIRONMENTS: Record<Environment, EnvironmentProfile> = {
  development: {
    minAcu: 0.5,
    maxAcu: 2,
    scalePoints: [{ acu: 0.5, use: 'Idle' }, { acu: 1, use: 'Light load' }, { acu: 2, use: 'Testing' }],
    expectedAgents: { min: 1, max: 10 },
    expectedConnections: { min: 1, max: 30 },
    expectedStorageGB: 10,
    expectedIops: 500,
    averageAcu: 1
  },
  staging: {
    minAcu: 1,
    maxAcu: 8,
    scalePoints: [{ acu: 1, use: 'Baseline' }, { acu: 2, use: 'Normal' }, { acu: 4, use: 'Load testing' }, { acu: 8, use: 'Stress testing' }],
    expectedAgents: { min: 10, max: 100 },
    expectedConnections: { min: 30, max: 240 },
    expectedStorageGB: 50,
    expectedIops: 2000,
    averageAcu: 3
  },
  production: {
    minAcu: 2,
    maxAcu: 32,
    scalePoints: [{ acu: 2, use: 'Night/weekend' }, { acu: 4, use: 'Low traffic' }, { acu: 8, use: 'Normal traffic' }, { acu: 16, use: 'Peak traffic' }, { acu: 32, use: 'Extreme peak' }],
    expectedAgents: { min: 100, max: 1000 },
    expectedConnections: { min: 60, max: 960 },
    expectedStorageGB: 500,
    expectedIops: 10000,
    averageAcu: 12
  }
}

export interface ConnectionPool { name: string, maxConnections: number, instances: number }

/** seed 001, Per-Service Connection Requirements (390 connections in all). */
export const SEED_CONNECTION_POOLS: readonly ConnectionPool[] = [
  { name: 'supervisor', maxConnections: 20, instances: 2 },
  { name: 'worker', maxConnections: 10, instances: 20 },
  { name: 'gateway', maxConnections: 30, instances: 5 }
]

export const WRITES_PER_AGENT_PER_SEC: SeedConstant = { value: 0.5, unit: 'IOPS per agent', source: `${AURORA}, IOPS Requirements (per_agent_per_second.writes)` }
export const READS_PER_AGENT_PER_SEC: SeedConstant = { value: 2.0, unit: 'IOPS per agent', source: `${AURORA}, IOPS Requirements (per_agent_per_second.reads)` }
export const SEED_READ_PERCENT: SeedConstant = { value: 70, unit: '%', source: `${AURORA}, IOPS Requirements (read_write_ratio 70:30)`, note: 'SEED_INCONSISTENCY: the per-agent rates (2.0 reads, 0.5 writes) are 80:20.' }
export const IOPS_BASELINE: SeedConstant = { value: 3000, unit: 'IOPS', source: `${AURORA}, IOPS Requirements (recommended_provision.baseline); ${TRACKER}, ACU Requirements` }
export const IOPS_BURST: SeedConstant = { value: 10_000, unit: 'IOPS', source: `${AURORA}, IOPS Requirements (recommended_provision.burst)` }

/**
 * us-east-1 prices of the bill, each overridable in the request. None could be read on AWS's own
 * pricing pages (they load their tables by script): the figures are those of the AWS Pricing API dump
 * of 2025-10-28 (effective 2025-10-01), AWS's agent-toolkit-for-aws (2026-03-28) and the blogs named,
 * as gathered in the issue 28 fact sheet, checked 2026-12-07. Check them against the Pricing API before
 * a figure goes to a customer.
 */
export const AURORA_PRICES = {
  acuHourUsd: 0.12, // Aurora Standard, Serverless v2, per ACU-hour: seed 001 (acu_hour); Pricing API dump 2025-10-28 (SKU AVKW7ZJP8D72HNQC); agent-toolkit acu_calculator.py 2026-03-28
  ioOptimizedAcuHourUsd: 0.156, // Aurora I/O-Optimized, per ACU-hour: agent-toolkit acu_calculator.py 2026-03-28 (0.12 x 1.3); the Pricing API dump 2025-10-28 rounds it to 0.16
  storageUsdPerGBMonth: 0.10, // Aurora Standard storage: seed 001 (storage_costs.rate); Pricing API dump 2025-10-28 (SKU 7GYUVAA992PFJPCB)
  ioOptimizedStorageUsdPerGBMonth: 0.225, // Aurora I/O-Optimized storage: Pricing API dump 2025-10-28 (SKU 5YXZF9S373QUR5VW); agent-toolkit io-optimized-pricing.md
  ioRequestUsdPerMillion: 0.20, // Aurora Standard I/O, per 1M requests (none on I/O-Optimized): Pricing API dump 2025-10-28 (SKU 7JDSZP38DMKT9B86); AWS "DB instance billing for Aurora"
  backupUsdPerGBMonth: 0.021, // backup storage beyond the free allowance: seed 001 (storage_costs.backup); Pricing API dump 2025-10-28 (SKU AYEW6PNFPJSSTGH7)
  rdsProxyAcuHourUsd: 0.015, // RDS Proxy for Serverless v2, per ACU-hour of the database: secondary sources only (unnamed GitHub files; AWS's RDS Proxy pricing page not read), fact sheet 2026-12-07
  interAzUsdPerGB: 0.01, // data transfer between Availability Zones, each direction: usage.ai 2026-06-02, wring.co, leanopstech.com 2026-04-27; seed 001 (cross_az)
  internetEgressUsdPerGB: 0.09, // data transfer out to the internet, 100 GB to 10 TB a month: usage.ai 2026-06-02, wring.co; seed 001 (internet)
  hoursPerMonth: 730, // seed 001, monthly_costs.hours
  reservedDiscount1YearPercent: 30, // seed 001, with_reserved_discount (1_year_commitment); AWS sells no RIs for Serverless v2
  savingsPlanDiscountPercent: 35 // Database Savings Plans (2025-12-02): 1 year, no upfront, "up to 35%" on serverless (re:Invent DAT326; nops.io; prosperops.com 2026-02)
} as const

/** The seed's flat production lines, kept only to reproduce its Total Monthly Estimate (cost.seedEstimate). */
export const SEED_FLAT_COSTS = {
  rdsProxyUsdPerMonth: 50, // seed 001, Total Monthly Estimate (rds_proxy)
  dataTransferUsdPerMonth: 100, // seed 001, Total Monthly Estimate (data_transfer)
  reservedDiscount3YearPercent: 45 // seed 001, with_reserved_discount (3_year_commitment): nothing sells it for Serverless v2, not priced
} as const

/** RDS Proxy bills at least this many ACUs per proxy for Serverless v2 (blog.serverworks.co.jp, June 2024 information; fact sheet 2026-12-07). */
export const RDS_PROXY_MIN_ACU: SeedConstant = { value: 8, unit: 'ACU per proxy', source: 'RDS Proxy pricing for Aurora Serverless v2 as reported by blog.serverworks.co.jp (2024) and GitHub copies of the pricing text (issue 28 fact sheet, 2026-12-07); AWS\'s page not read', note: 'Billed per hour on max(8, the cluster\'s ACUs), at rdsProxyAcuHourUsd (0.015 USD, secondary sources).' }

/**
 * Data transfer out to the internet, us-east-1, per month and account-wide: the first 100 GB free,
 * internetEgressUsdPerGB (0.09) to 10 TB, then 0.085 to 50 TB, 0.07 to 150 TB, 0.05 beyond (usage.ai
 * 2026-06-02, wring.co; issue 28 fact sheet, checked 2026-12-07). TB = 1,000 GB, the service's unit.
 */
export const INTERNET_EGRESS_FREE_GB = 100
export const INTERNET_EGRESS_FIRST_TIER_UP_TO_GB = 10_000
export const INTERNET_EGRESS_LATER_TIERS: ReadonlyArray<{ upToGB: number, usdPerGB: number }> = [
  { upToGB: 50_000, usdPerGB: 0.085 },
  { upToGB: 150_000, usdPerGB: 0.07 },
  { upToGB: Number.POSITIVE_INFINITY, usdPerGB: 0.05 }
]

/** Aurora backup storage is free up to 100% of the cluster's volume; automated backups kept one day are free (AWS, "Understanding Amazon Aurora backup storage usage"; checked 2026-12-07). */
export const BACKUP_FREE_SHARE_OF_VOLUME: SeedConstant = { value: 100, unit: '% of the cluster volume', source: 'AWS Aurora user guide, "Understanding Amazon Aurora backup storage usage" (checked 2026-12-07)', note: 'Automated backups retained up to one day cost nothing at all.' }
export const BACKUP_FREE_RETENTION_DAYS = 1

/** Database Savings Plans: the only commitment for Aurora Serverless v2 (fact sheet 2026-12-07). */
export const SAVINGS_PLAN = { termYears: 1, payment: 'no upfront', maxServerlessDiscountPercent: 35, announced: '2025-12-02' } as const

/** Default share of the deployment's in-VPC traffic that crosses Availability Zones: tasks, brokers and the database spread over two zones. */
export const CROSS_AZ_SHARE_PERCENT = 50

export const RECOVERY = {
  rpoMinutes: 5,
  rtoMinutes: 30,
  globalDatabaseRtoMinutes: 1,
  automatedBackupRetentionDays: 7,
  backupWindowUtc: '03:00-04:00',
  pointInTimeRecoveryDays: 7,
  snapshotFrequency: 'daily',
  snapshotRetention: { daily: 7, weekly: 4, monthly: 3 },
  crossRegion: { enabled: true, targetRegion: 'us-east-1' }
} as const

export const TRACKER_ESTIMATED_GROWTH_GB_PER_MONTH: SeedConstant = {
  value: 10,
  unit: 'GB/month at 1000 agents',
  source: `${TRACKER}, Database Calculations (Estimated Growth)`,
  note: 'SEED_INCONSISTENCY: seed 001\'s calculate_storage_growth gives 407.4 GB/month at 1000 agents.'
}

/** seed 003, Supervisor Service: rows by agent count. Rows share their boundary agent counts. */
export const SUPERVISOR_ROWS = [
  { scale: '1x', vCpu: 0.5, memoryGiB: 1, minAgents: 1, maxAgents: 10, expectedLoad: '1-10 agents' },
  { scale: '10x', vCpu: 1, memoryGiB: 2, minAgents: 10, maxAgents: 50, expectedLoad: '10-50 agents' },
  { scale: '50x', vCpu: 2, memoryGiB: 4, minAgents: 50, maxAgents: 100, expectedLoad: '50-100 agents' },
  { scale: '100x', vCpu: 4, memoryGiB: 8, minAgents: 100, maxAgents: Number.POSITIVE_INFINITY, expectedLoad: '100+ agents' }
] as const
export const SUPERVISOR_RECOMMENDED_PRODUCTION = { vCpu: 2, memoryGiB: 4 } // seed 003

export type WorkerProfile = 'base' | 'standard' | 'performance'
/** seed 003, Worker Service: per agent. */
export const WORKER_PROFILES: Record<WorkerProfile, { vCpu: number, memoryGiB: number, concurrentTasks: string }> = {
  base: { vCpu: 0.25, memoryGiB: 0.5, concurrentTasks: '1-5' },
  standard: { vCpu: 0.5, memoryGiB: 1, concurrentTasks: '5-10' },
  performance: { vCpu: 1, memoryGiB: 2, concurrentTasks: '10-20' }
}

/** seed 003, Gateway Service: what one task handles. */
export const GATEWAY_ROWS = [
  { connections: 100, vCpu: 0.5, memoryGiB: 1, bandwidthMbps: 10 },
  { connections: 1000, vCpu: 2, memoryGiB: 4, bandwidthMbps: 100 },
  { connections: 10_000, vCpu: 4, memoryGiB: 8, bandwidthMbps: 1000 }
] as const

/** seed 003, Amazon MQ (NATS alternative). */
export const MQ_BROKERS = [
  { tier: 'development', instance: 'mq.t3.micro', connections: 100, messagesPerSec: 1000, storageGB: 20, awsConnectionsPerProtocol: 300, awsRabbitMqConnections: 500 },
  { tier: 'staging', instance: 'mq.m5.large', connections: 1000, messagesPerSec: 10_000, storageGB: 200, awsConnectionsPerProtocol: 2000, awsRabbitMqConnections: 5000 },
  { tier: 'production', instance: 'mq.m5.xlarge', connections: 5000, messagesPerSec: 50_000, storageGB: 200, awsConnectionsPerProtocol: 2000, awsRabbitMqConnections: 10_000 }
] as const // storageGB and awsConnectionsPerProtocol: AWS's Amazon MQ (ActiveMQ) quotas per broker (mq.*.micro, mq.*.*large), not in the seed;
// awsRabbitMqConnections: AWS "Amazon MQ for RabbitMQ sizing guidelines", single-instance, per node, cannot be raised (fact sheet 2026-12-07)
export type MqEngine = 'activemq' | 'rabbitmq'
export const MQ_RETENTION_HOURS = 24 // seed 003
/** seed 003, EventBridge (Alternative). */
export const EVENTBRIDGE = { customBusEventsPerSec: 10_000, partnerBusEventsPerSec: 2400, sizeLimitKB: 1048.576, estimatedEventsPerDay: 1_000_000, invocationsPerSec: 18_750 } as const // sizeLimitKB: AWS's 1 MiB since January 2026, in KB of 1000 B (seed: 256 KB); invocationsPerSec: AWS "Amazon EventBridge quotas", us-east-1 (us-west-2, eu-west-1 too; 4,500 us-east-2, 1,100 most others), throttled above, checked 2026-12-07

/** seed 003, ECS Service Scaling. */
export const ECS_AUTOSCALING = [
  { service: 'supervisor', metric: 'CPU Utilization', target: '70%', minTasks: 1, maxTasks: 10 },
  { service: 'worker', metric: 'Custom (Agents)', target: 'N/A', minTasks: 1, maxTasks: 100 },
  { service: 'gateway', metric: 'Connection Count', target: '800', minTasks: 2, maxTasks: 20 }
] as const
export const ECS_SCALE_OUT_SECONDS = 60
export const ECS_SCALE_IN_SECONDS = 300
export const GATEWAY_TARGET_CONNECTIONS_PER_TASK = 800
/** seed 003, Aurora Scaling. */
export const AURORA_SCALING = { metric: 'Average CPU Utilization', targetPercent: 70, scaleUpAbovePercent: 70, scaleUpAfterSeconds: 60, scaleDownBelowPercent: 50, scaleDownAfterSeconds: 300 } as const

/** seed 003, Network Bandwidth (at the tracker's baseline of 1000 agents). */
export const NETWORK_ROWS = [
  { component: 'API Gateway', ingressMbps: 100, egressMbps: 200, monthlyGB: 1000 },
  { component: 'NATS/MQ', ingressMbps: 50, egressMbps: 50, monthlyGB: 500 },
  { component: 'Aurora', ingressMbps: 20, egressMbps: 20, monthlyGB: 200 }
] as const
export const NETWORK_BASELINE_AGENTS = 1000
/**
 * Where each row's traffic goes, for the bill: the gateway's to and from clients on the internet, the
 * broker's and the database's between tasks inside the VPC (SERVICE reading; seed 003 does not say).
 */
export const NETWORK_PATHS: Record<string, 'internet' | 'in-vpc'> = { 'API Gateway': 'internet', 'NATS/MQ': 'in-vpc', Aurora: 'in-vpc' }

/** seed 003, Performance Baselines. */
export const BASELINES = {
  connectionLimits: { sseConnections: 1000, databasePool: 30, natsConnectionsMin: 10, natsConnectionsMax: 100 },
  timeouts: { natsConnectTimeoutSec: 10, natsPingIntervalSec: 30, healthCheckIntervalSec: 60, maxReconnects: 10 },
  agents: { maxWorkersDefault: 8, maxWorkersScalable: 1000, memoryPerAgentMB: 100 },
  ports: { apiServer: 8080, metrics: 9090, otlpGrpc: 4317, otlpHttp: 4318, nats: 4222 }
} as const
