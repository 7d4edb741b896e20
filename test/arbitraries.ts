// fast-check generators of valid requests, shared by model and route tests.
import fc from 'fast-check'
import type { EngramInput } from '../src/models/engram/capacity.js'

export const engramInputArbitrary: fc.Arbitrary<Partial<EngramInput>> = fc.record({
  expectedNodes: fc.integer({ min: 0, max: 1e12 }),
  activeRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  edgesPerNode: fc.double({ min: 0, max: 1e6, noNaN: true }),
  opsPerSec: fc.double({ min: 0, max: 1e9, noNaN: true }),
  retentionDays: fc.double({ min: 0, max: 36_500, noNaN: true }),
  consolidationIntervalSec: fc.double({ min: 0.001, max: 31_536_000, noNaN: true }),
  gpuFallbackRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  grpcRequestRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  compactionsPerHour: fc.double({ min: 0, max: 3600, noNaN: true }),
  segmentSizeMiB: fc.double({ min: 1e-6, max: 1_048_576, noNaN: true }),
  compactionThroughputMiBPerSec: fc.double({ min: 1, max: 100_000, noNaN: true }),
  writeRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  replicationFactor: fc.integer({ min: 0, max: 16 }),
  requestSizeBytes: fc.double({ min: 0, max: 1_073_741_824, noNaN: true }),
  responseSizeBytes: fc.double({ min: 0, max: 1_073_741_824, noNaN: true }),
  backupWindowHours: fc.double({ min: 0.01, max: 168, noNaN: true }),
  dailyGrowthRate: fc.double({ min: 0, max: 1, noNaN: true }),
  horizonDays: fc.integer({ min: 0, max: 3650 })
}, { requiredKeys: [] })

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/)

/** The MisterSmith workload both estimates take. */
export const workloadArbitrary = {
  agents: fc.integer({ min: 0, max: 10_000_000 }),
  environment: fc.constantFrom('development' as const, 'staging' as const, 'production' as const),
  workerProfile: fc.constantFrom('base' as const, 'standard' as const, 'performance' as const),
  agentsPerWorkerTask: fc.integer({ min: 1, max: 1000 }),
  concurrentConnections: fc.integer({ min: 0, max: 10_000_000 }),
  supervisorInstances: fc.integer({ min: 0, max: 100 }),
  gatewayMinTasks: fc.integer({ min: 0, max: 1000 }),
  poolMaxConnections: fc.record({ supervisor: fc.integer({ min: 0, max: 10_000 }), worker: fc.integer({ min: 0, max: 10_000 }), gateway: fc.integer({ min: 0, max: 10_000 }) }, { requiredKeys: [] })
}

export const auroraInputArbitrary = fc.record({
  ...workloadArbitrary,
  months: fc.integer({ min: 0, max: 120 }),
  tables: fc.array(fc.record({
    name,
    rowBytes: fc.double({ min: 1, max: 100_000_000, noNaN: true }),
    rowsPerAgent: fc.double({ min: 0, max: 1_000_000, noNaN: true }),
    period: fc.constantFrom('minute' as const, 'hour' as const, 'day' as const),
    retentionDays: fc.double({ min: 0, max: 3650, noNaN: true })
  }), { minLength: 1, maxLength: 5 }),
  connectionPools: fc.array(fc.record({ name, maxConnections: fc.integer({ min: 0, max: 10_000 }), instances: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 5 }),
  averageAcu: fc.oneof(fc.integer({ min: 1, max: 512 }).map((halves) => halves / 2), fc.double({ min: 0.5, max: 1_000_000_000, noNaN: true })),
  workingSetGiB: fc.double({ min: 0, max: 65_536, noNaN: true }),
  storageGB: fc.double({ min: 0, max: 281_475, noNaN: true }),
  acuHourUsd: fc.double({ min: 0, max: 100, noNaN: true }),
  reservedDiscount1YearPercent: fc.double({ min: 0, max: 100, noNaN: true }),
  savingsPlanDiscountPercent: fc.double({ min: 0, max: 100, noNaN: true }),
  ioOptimizedAcuHourUsd: fc.double({ min: 0, max: 100, noNaN: true }),
  ioOptimizedStorageUsdPerGBMonth: fc.double({ min: 0, max: 100, noNaN: true }),
  ioRequestUsdPerMillion: fc.double({ min: 0.001, max: 100, noNaN: true }),
  rdsProxyAcuHourUsd: fc.double({ min: 0, max: 100, noNaN: true }),
  interAzUsdPerGB: fc.double({ min: 0, max: 10, noNaN: true }),
  internetEgressUsdPerGB: fc.double({ min: 0, max: 10, noNaN: true }),
  readCacheHitPercent: fc.double({ min: 0, max: 100, noNaN: true }),
  crossAzSharePercent: fc.double({ min: 0, max: 100, noNaN: true }),
  backupRetentionDays: fc.integer({ min: 1, max: 35 }),
  hoursPerMonth: fc.double({ min: 1, max: 744, noNaN: true }),
  rdsProxy: fc.boolean(),
  usageProfile: fc.array(fc.record({ fractionOfPeak: fc.double({ min: 0, max: 1, noNaN: true }), hoursShare: fc.double({ min: 0.001, max: 1_000_000, noNaN: true }) }), { minLength: 1, maxLength: 6 })
}, { requiredKeys: [] })

export const servicesInputArbitrary = fc.record({
  ...workloadArbitrary,
  messageRetentionHours: fc.double({ min: 0, max: 8760, noNaN: true }),
  messagesPerSec: fc.double({ min: 0, max: 10_000_000, noNaN: true }),
  messageSizeKB: fc.double({ min: 0, max: 102_400, noNaN: true }),
  brokerConnections: fc.integer({ min: 0, max: 1_000_000 }),
  mqEngine: fc.constantFrom('activemq' as const, 'rabbitmq' as const),
  eventTargetsPerEvent: fc.integer({ min: 1, max: 1500 })
}, { requiredKeys: [] })
