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
  backupWindowHours: fc.double({ min: 0.01, max: 168, noNaN: true })
}, { requiredKeys: [] })
