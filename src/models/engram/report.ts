// A terminal report laid out as estimate_capacity.sh prints it (C locale), with the rounded-up
// recommendations and every warning, so a person can compare it with the seed script line by line.
import type { EngramEstimate } from './capacity.js'

const oneDecimal = (value: number): string => value.toFixed(1)

export function renderEngramReport (estimate: EngramEstimate): string {
  const { inputs, tiers, cpu, memory, storage, network, recommendations, warnings } = estimate
  const lines = [
    '======================================',
    'Engram Capacity Planning Estimate',
    '======================================',
    '',
    'Input Parameters:',
    `  Expected Nodes: ${inputs.expectedNodes}`,
    `  Active Ratio: ${inputs.activeRatio} (${tiers.hotNodes} hot nodes)`,
    `  Edges per Node: ${inputs.edgesPerNode}`,
    `  Target Ops/sec: ${inputs.opsPerSec}`,
    `  Retention Days: ${inputs.retentionDays}`,
    '',
    'Tier Distribution:',
    `  Hot Tier:  ${tiers.hotNodes} nodes (in-memory)`,
    `  Warm Tier: ${tiers.warmNodes} nodes (mmap)`,
    `  Cold Tier: ${tiers.coldNodes} nodes (compressed)`,
    '',
    'Resource Requirements:',
    `  CPU Cores: ${oneDecimal(cpu.totalCores)} cores`,
    `    - Spreading: ${oneDecimal(cpu.spreadingCores)} cores`,
    `    - Consolidation: ${oneDecimal(cpu.consolidationCores)} cores`,
    ...(cpu.compactionCores > 0 ? [`    - Compaction: ${oneDecimal(cpu.compactionCores)} cores`] : []),
    `    - API/System: ${oneDecimal(cpu.apiCores)} cores`,
    `    - Recommended: ${recommendations.cores} cores (with headroom)`,
    '',
    `  Memory: ${oneDecimal(memory.totalMiB)} MB`,
    `    - Hot Tier: ${oneDecimal(memory.hotTierMiB)} MB`,
    `    - Warm Tier: ${oneDecimal(memory.warmTierMiB)} MB`,
    `    - Cold Tier: ${oneDecimal(memory.coldTierMiB)} MB`,
    `    - Activation Pool: ${oneDecimal(memory.activationPoolMiB)} MB`,
    `    - Runtime: ${memory.runtimeMiB} MB`,
    `    - Recommended: ${recommendations.memoryGiB} GB (with headroom)`,
    '',
    `  Storage: ${oneDecimal(storage.totalGiB)} GB`,
    `    - Warm Tier: ${oneDecimal(storage.warmTierGiB)} GB`,
    `    - Cold Tier: ${oneDecimal(storage.coldTierGiB)} GB (compressed)`,
    `    - WAL: ${oneDecimal(storage.walGiB)} GB`,
    `    - Snapshots: ${oneDecimal(storage.snapshotsGiB)} GB`,
    `    - Recommended: ${recommendations.storageGiB} GB (with headroom)`,
    '',
    `  Network: ${oneDecimal(network.peakMbps)} Mbps peak`,
    `    - Client: ${oneDecimal(network.clientMbps)} Mbps`,
    `    - Replication: ${oneDecimal(network.replicationMbps)} Mbps`,
    `    - Backup: ${oneDecimal(network.backupMbps)} Mbps`,
    '',
    'Scaling Recommendations:',
    ...warnings.map((warning) => `  ⚠ ${warning.code}: ${warning.message}`),
    '  ✓ Deploy with these minimum resources for baseline performance',
    '  ✓ Monitor actual utilization and adjust based on workload',
    '',
    'Units: MB = MiB (2^20 bytes), GB = GiB (2^30 bytes). Recommendations are rounded up',
    '(cores to the next even count), where the seed script truncates them.',
    ''
  ]
  return lines.join('\n')
}
