// Every constant of the Engram capacity model, named once, with the section of seed
// 004_0efb15a361133e66.txt it comes from. Figures the seed does not give are marked SERVICE.

const SEED = 'seed 004'
const SCRIPT = `${SEED}, estimate_capacity.sh`
const FORMULAS = `${SEED}, Comprehensive Capacity Planning Formulas`

export const BYTES_PER_MIB = 1_048_576 // the script divides by 1048576
export const BYTES_PER_GIB = 1_073_741_824 // the script divides by 1073741824
export const SECONDS_PER_DAY = 86_400
export const MIB_PER_GIB = 1024

export interface SeedConstant {
  readonly value: number
  readonly unit: string
  readonly source: string
  readonly note?: string
}

export const EMBEDDING_BYTES: SeedConstant = { value: 3072, unit: 'bytes', source: `${SEED}, Fundamental Resource Constants (768 float32)` }
export const NODE_METADATA_BYTES: SeedConstant = { value: 64, unit: 'bytes', source: `${SEED}, Fundamental Resource Constants` }
export const EDGE_OVERHEAD_BYTES: SeedConstant = { value: 32, unit: 'bytes', source: `${SEED}, Fundamental Resource Constants` }
export const HASH_TABLE_OVERHEAD: SeedConstant = { value: 1.5, unit: 'factor', source: `${SEED}, Fundamental Resource Constants (DashMap)` }
export const WAL_RECORD_BYTES: SeedConstant = { value: 256, unit: 'bytes', source: `${SEED}, Fundamental Resource Constants` }
export const COLD_COMPRESSION_RATIO: SeedConstant = { value: 0.4, unit: 'factor', source: `${FORMULAS} 3 (zstd level 3)` }

/** Warm tier = 3x hot tier while that fits in the nodes left (the script's "3x hot"). */
export const WARM_TO_HOT_RATIO: SeedConstant = {
  value: 3,
  unit: 'factor',
  source: SCRIPT,
  note: 'Capped at the nodes left after the hot tier: the script lets the cold tier go negative above activeRatio 0.25.'
}
export const WARM_PREFETCH_RATIO: SeedConstant = { value: 0.1, unit: 'fraction', source: `${FORMULAS} 1 (prefetch_ratio)` }
export const BLOOM_FILTER_BITS_PER_NODE: SeedConstant = { value: 10, unit: 'bits', source: `${FORMULAS} 1 (COLD_TIER_MEMORY)` }
export const SKIP_LIST_NODES_PER_ENTRY: SeedConstant = { value: 128, unit: 'nodes', source: `${FORMULAS} 1 (COLD_TIER_MEMORY)` }
export const SKIP_LIST_ENTRY_BYTES: SeedConstant = { value: 64, unit: 'bytes', source: `${FORMULAS} 1 (COLD_TIER_MEMORY)` }
export const CONCURRENT_ACTIVATION_RATIO: SeedConstant = { value: 0.01, unit: 'fraction of opsPerSec', source: `${SCRIPT} (ACTIVATION_POOL)` }
export const ACTIVATION_RECORD_BYTES: SeedConstant = { value: 8192, unit: 'bytes', source: `${FORMULAS} 1 (activation_pool_size * 8KB)` }
export const RUNTIME_OVERHEAD_MIB: SeedConstant = { value: 500, unit: 'MiB', source: `${FORMULAS} 1 (RUNTIME_OVERHEAD ~500MB)` }

export const SPREADING_OPS_PER_CORE: SeedConstant = { value: 2500, unit: 'ops/s per core', source: `${FORMULAS} 2 (SPREADING_CPU)` }
export const GPU_FALLBACK_OVERHEAD: SeedConstant = { value: 0.5, unit: 'factor', source: `${FORMULAS} 2 (GPU fallback adds 50% overhead)` }
export const CONSOLIDATION_NODES_PER_CORE_SEC: SeedConstant = { value: 50_000, unit: 'nodes/s per core', source: `${FORMULAS} 2 (CONSOLIDATION_CPU)` }
export const HTTP_REQUESTS_PER_CORE: SeedConstant = { value: 5000, unit: 'requests/s per core', source: `${FORMULAS} 2 (API_OVERHEAD_CPU)` }
export const GRPC_REQUESTS_PER_CORE: SeedConstant = { value: 8000, unit: 'requests/s per core', source: `${FORMULAS} 2 (API_OVERHEAD_CPU)` }
export const SYSTEM_CORES: SeedConstant = {
  value: 1,
  unit: 'cores',
  source: `${SCRIPT} (TOTAL_CORES ... + 1)`,
  note: 'The script adds one core that the documented TOTAL_CPU formula does not have; kept so totals match the script.'
}
export const MAX_USEFUL_CORES: SeedConstant = { value: 32, unit: 'cores per instance', source: `${FORMULAS} 2 (Constraints: lock contention beyond 32)` }

export const WARM_VERSION_RETENTION_FACTOR: SeedConstant = {
  value: 1.3,
  unit: 'factor',
  source: `${SCRIPT} (WARM_STORAGE * 1.3)`,
  note: 'The formula\'s (1 + version_retention_ratio) with ratio 0.3. Edges and segment headers of the documented WARM_TIER_STORAGE are not in the script and not added.'
}
export const WAL_SIZE_FACTOR: SeedConstant = {
  value: 0.7,
  unit: 'factor',
  source: `${SCRIPT} (WAL_STORAGE * 0.7)`,
  note: 'SEED_INCONSISTENCY: the documented WAL_STORAGE multiplies by (1 + wal_compression_ratio) = 1.7, the script by 0.7 (snappy output). The script\'s 0.7 is used, which is what compression to 70% means.'
}
export const SNAPSHOT_COUNT: SeedConstant = { value: 5, unit: 'snapshots', source: `${SCRIPT} (SNAPSHOT_STORAGE)` }
export const SNAPSHOT_INCREMENT_RATIO: SeedConstant = { value: 0.3, unit: 'fraction of data', source: `${FORMULAS} 3 (incremental snapshots)` }

export const HEADROOM_CORES: SeedConstant = { value: 1.5, unit: 'factor', source: `${SCRIPT} (Recommended cores)` }
export const HEADROOM_MEMORY: SeedConstant = { value: 1.25, unit: 'factor', source: `${SCRIPT} (Recommended memory)` }
export const HEADROOM_STORAGE: SeedConstant = { value: 1.5, unit: 'factor', source: `${SCRIPT} (Recommended storage)` }

/**
 * Memory the plan provisions keeps its need under this share: the seed's Memory Scaling Decision
 * Matrix takes no action only below 60% (row 1); its script's 1.25x headroom leaves 80% used, which
 * the same matrix answers with "Scale RAM" (row 3) and the forecast's 80% threshold is crossed by
 * any growth.
 */
export const MEMORY_QUIET_PRESSURE: SeedConstant = {
  value: 0.6,
  unit: 'fraction of provisioned memory',
  source: `${SEED}, Memory Scaling Decision Matrix (row 1: <60% and balanced, no action)`,
  note: 'SEED_INCONSISTENCY: the script recommends need x 1.25 (80% used), which its own matrix answers with "Scale RAM" (75-85%). Each instance gets the smallest whole GiB that keeps its need under 60% through the horizon; the script\'s figure is kept in seedScript.'
}

/** seed 004, Storage Scaling Triggers: "WAL size >10GB: Increase compaction" (GB read as GiB, as /scaling/engram does). */
export const WAL_TRIGGER_GIB: SeedConstant = { value: 10, unit: 'GiB', source: `${SEED}, Storage Scaling Triggers (WAL size >10GB)` }

/** Largest node count the model takes (expectedNodes' maximum): growth stops there. */
export const MAX_NODES = 1e12

/** Upstream Engram's cluster (orchard9/engram deployments/kubernetes/engram-cluster.yaml, c6ec2d4c, 2025-11-20): 3 replicas, [cluster.replication] factor = 2. */
export const UPSTREAM_CLUSTER: SeedConstant = {
  value: 2,
  unit: 'replicas per memory space (excluding the primary)',
  source: 'orchard9/engram deployments/kubernetes/engram-cluster.yaml (c6ec2d4c, 2025-11-20): a 3-replica StatefulSet, [cluster.replication] factor = 2; engram-core/src/cluster/config.rs documents factor as "excluding primary"',
  note: 'replicationFactor counts the replicas beyond the primary, as seed 004 formula 4 (replication bandwidth = writes x replication_factor) and upstream\'s config do: copies = 1 + replicationFactor.'
}

export const WARN_TOTAL_CORES: SeedConstant = { value: 8, unit: 'cores', source: `${SCRIPT} (Scaling Recommendations)` }
export const WARN_TOTAL_MEMORY_MIB: SeedConstant = { value: 32_768, unit: 'MiB', source: `${SCRIPT} (Scaling Recommendations)` }
export const WARN_HOT_NODES: SeedConstant = { value: 10_000_000, unit: 'nodes', source: `${SCRIPT} (Scaling Recommendations)` }
export const COMPACTION_CORE_LIMIT: SeedConstant = { value: 1, unit: 'cores', source: `${SEED}, Compute Optimization (compaction: limit to 1 core)` }

/** Seconds in the compaction amortisation window: "Amortized over hourly compaction windows". */
export const COMPACTION_WINDOW_SECONDS: SeedConstant = { value: 3600, unit: 's', source: `${FORMULAS} 2 (COMPACTION_CPU)` }
export const CLIENT_BANDWIDTH_PEAK_FACTOR: SeedConstant = { value: 1.5, unit: 'factor', source: `${FORMULAS} 4 (PEAK_BANDWIDTH)` }

/** Defaults of the request, with where each comes from. */
export const ENGRAM_DEFAULTS = {
  expectedNodes: 1_000_000, // script $1
  activeRatio: 0.1, // script $2
  edgesPerNode: 50, // script $3
  opsPerSec: 5000, // script $4
  retentionDays: 30, // script $5
  consolidationIntervalSec: 300, // script $6
  gpuFallbackRatio: 0, // formula 2; 0 keeps the script's figures
  grpcRequestRatio: 0, // formula 2; 0 = all HTTP, as the script's ops/5000
  compactionsPerHour: 0, // formula 2; the script has no compaction term
  segmentSizeMiB: 256, // SERVICE: the seed gives no segment size
  compactionThroughputMiBPerSec: 100, // SERVICE: the seed gives no compaction throughput
  writeRatio: 0.4, // seed 004, Mixed Workload (40% writes)
  replicationFactor: 0, // formula 4: "Future: distributed mode", so no replica by default
  requestSizeBytes: 4096, // SERVICE: one 3,072-byte embedding plus envelope
  responseSizeBytes: 4096, // SERVICE: as the request
  backupWindowHours: 4, // SERVICE: the seed's 2-6 AM low-traffic window (Compute Optimization)
  dailyGrowthRate: 0, // SERVICE: the script sizes the workload as given; the forecast's default is 0.02
  horizonDays: 90 // /forecast/engram's default horizon (seed 004, Capacity Planning Worksheet: 30/60/90 days)
} as const

export const SERVICE_ASSUMPTION = 'SERVICE (not in the seed): documented in docs/deviations.md'
