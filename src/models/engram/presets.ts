// Workload profiles and use cases of seed 004 as ready inputs, each with its computed estimate and,
// side by side, the figures the seed states for it and why they differ.
import type { EngramInput } from './capacity.js'

export interface SeedFigure { figure: string, seedValue: string, note: string }

export interface Preset {
  name: string
  kind: 'workload-profile' | 'use-case'
  title: string
  description: string
  seedReference: string
  inputs: Partial<EngramInput>
  inputNotes: string[]
  seedFigures: SeedFigure[]
}

const PROFILES = 'seed 004, Resource Utilization Patterns by Workload Type'
const USE_CASES = 'seed 004, Capacity Planning for Specific Use Cases'

export const PRESETS: readonly Preset[] = [
  {
    name: 'write-heavy',
    kind: 'workload-profile',
    title: 'Write-heavy workload (ingestion)',
    description: '80% writes, 20% reads; continuous memory creation; high WAL growth.',
    seedReference: PROFILES,
    inputs: { writeRatio: 0.8 },
    inputNotes: ['writeRatio 0.8 from "80% writes"; everything else is the script default.'],
    seedFigures: [
      { figure: 'CPU', seedValue: 'Moderate (consolidation dominates)', note: 'Qualitative; the estimate\'s CPU does not depend on the write share.' },
      { figure: 'Memory', seedValue: 'High (hot tier grows rapidly)', note: 'Growth is a forecast question: see /forecast/engram.' },
      { figure: 'Storage', seedValue: 'Very High (WAL + tier migration)', note: 'The script counts every operation as a WAL write, reads too, so WAL does not change with the write share.' },
      { figure: 'Network', seedValue: 'Moderate', note: 'Replication bandwidth grows with writeRatio when replicationFactor > 0.' }
    ]
  },
  {
    name: 'read-heavy',
    kind: 'workload-profile',
    title: 'Read-heavy workload (retrieval)',
    description: '20% writes, 80% reads; spreading activation dominant; cache-friendly access.',
    seedReference: PROFILES,
    inputs: { writeRatio: 0.2 },
    inputNotes: ['writeRatio 0.2 from "20% writes"; the seed\'s advice to enable GPU spreading keeps gpuFallbackRatio at 0.'],
    seedFigures: [
      { figure: 'CPU', seedValue: 'High (spreading computation)', note: 'Spreading cores are opsPerSec / 2,500 whatever the mix.' },
      { figure: 'Memory', seedValue: 'Moderate (stable hot tier)', note: 'Qualitative.' },
      { figure: 'Storage', seedValue: 'Low (minimal WAL growth)', note: 'The script\'s WAL counts reads as well, so it does not fall: lower retentionDays if reads are not logged.' },
      { figure: 'Network', seedValue: 'High (response traffic)', note: 'Raise responseSizeBytes to size response traffic.' }
    ]
  },
  {
    name: 'analytical',
    kind: 'workload-profile',
    title: 'Analytical workload (pattern mining)',
    description: 'Complex graph traversals, deep spreading activation, pattern completion.',
    seedReference: PROFILES,
    inputs: { activeRatio: 0.25, writeRatio: 0.1 },
    inputNotes: ['activeRatio 0.25 for "pin hot tier in memory, large working sets" (the largest ratio before the warm tier is capped) and writeRatio 0.1: both service choices, the seed gives no numbers.'],
    seedFigures: [
      { figure: 'CPU', seedValue: 'Very High (recursive activation)', note: 'The estimate has no term for traversal depth; use gpuFallbackRatio or more opsPerSec to model it.' },
      { figure: 'Memory', seedValue: 'High (large working sets)', note: 'Reflected by the larger hot tier.' },
      { figure: 'Storage', seedValue: 'Low', note: 'The script\'s WAL still counts every operation.' },
      { figure: 'Network', seedValue: 'Low', note: 'Qualitative.' }
    ]
  },
  {
    name: 'mixed',
    kind: 'workload-profile',
    title: 'Mixed workload (typical production)',
    description: '40% writes, 60% reads; periodic consolidation spikes; variable access patterns.',
    seedReference: PROFILES,
    inputs: { writeRatio: 0.4 },
    inputNotes: ['The script defaults with writeRatio 0.4 ("40% writes"), which is also the service default.'],
    seedFigures: [
      { figure: 'CPU', seedValue: 'Moderate with spikes', note: 'The estimate is the steady need; headroom (x1.5) covers spikes.' },
      { figure: 'Memory', seedValue: 'Moderate, growing slowly', note: 'Qualitative.' },
      { figure: 'Storage', seedValue: 'Moderate', note: 'Dominated by WAL, as the script computes it.' },
      { figure: 'Network', seedValue: 'Moderate', note: 'Qualitative.' }
    ]
  },
  {
    name: 'llm-memory-augmentation',
    kind: 'use-case',
    title: 'LLM memory augmentation',
    description: '10M memories per agent, 100 ms retrieval latency, 1,000 concurrent agents.',
    seedReference: USE_CASES,
    inputs: { expectedNodes: 10_000_000_000, activeRatio: 0.01, opsPerSec: 100_000 },
    inputNotes: ['10M x 1,000 = 10B nodes, 1% active, 100K ops/s as the seed states; edges, retention and consolidation stay at the script defaults.'],
    seedFigures: [
      { figure: 'Hot tier', seedValue: '100M nodes (1% active)', note: 'Same: floor(10B x 0.01).' },
      { figure: 'Memory', seedValue: '100M x 3KB = 300GB RAM', note: 'The seed counts only embeddings. The formula adds 64 B of metadata per node, 50 edges x 32 B per hot node and the 1.5x hash-table overhead, plus the warm and cold tiers.' },
      { figure: 'CPU', seedValue: '40 cores (100K ops/sec)', note: 'The seed counts spreading only (100K / 2,500 = 40); the estimate adds API (20), consolidation and the system core, and recommends 1.5x in instances that also deliver 1.5x the ops/s by the throughput model (12 x 10 cores).' },
      { figure: 'Storage', seedValue: '10B x 3KB x 0.4 = 12TB', note: 'The seed compresses all 10B nodes as cold; the estimate keeps the warm tier uncompressed, adds snapshots and a 30-day WAL of 100K ops/s, which is the bulk.' }
    ]
  },
  {
    name: 'knowledge-graph-queries',
    kind: 'use-case',
    title: 'Knowledge graph queries',
    description: '100M entities, 1B relationships, graph traversals up to 5 hops.',
    seedReference: USE_CASES,
    inputs: { expectedNodes: 100_000_000, edgesPerNode: 10, activeRatio: 0.1 },
    inputNotes: ['100M nodes with 10 edges each (1B relationships), 10% hot; opsPerSec stays at the script default (5,000) because the seed gives no rate.'],
    seedFigures: [
      { figure: 'Memory', seedValue: 'Keep 10% in hot tier = 30GB', note: '10M x 3 KB; the formula adds metadata, 10 edges x 32 B per hot node and the 1.5x overhead.' },
      { figure: 'CPU', seedValue: '16 cores for traversal', note: 'The seed sizes for 5-hop traversals, which the estimate has no term for; at 5,000 ops/s it needs far fewer. Raise opsPerSec to the query rate.' },
      { figure: 'Storage', seedValue: '500GB with indices', note: 'The estimate has no index term; its total is mostly the WAL.' },
      { figure: 'Specialized', seedValue: 'GPU for parallel BFS', note: 'Not modelled.' }
    ]
  },
  {
    name: 'time-series-pattern-memory',
    kind: 'use-case',
    title: 'Time-series pattern memory',
    description: '1M events/minute ingestion, 7-day hot window, pattern detection queries.',
    seedReference: USE_CASES,
    inputs: { expectedNodes: 10_080_000_000, activeRatio: 1, opsPerSec: 16_667, retentionDays: 7 },
    inputNotes: ['7 x 24 x 60 x 1M = 10.08B events, all hot (the 7-day hot window), 1M/min = 16,667 ops/s, 7 days retention.'],
    seedFigures: [
      { figure: 'Hot tier', seedValue: '7 x 24 x 60 x 1M = 10B events', note: 'Same (10.08B).' },
      { figure: 'Memory', seedValue: 'Requires sharding (>1TB)', note: 'The estimate gives the total to shard, with SHARD_HOT_TIER and NUMA warnings.' },
      { figure: 'CPU', seedValue: '64 cores across 4 nodes', note: 'The estimate is dominated by consolidating 10B hot nodes every 300 s; raise consolidationIntervalSec to match a batch window.' },
      { figure: 'Storage', seedValue: '30TB with compression', note: 'All nodes are hot, so no tier storage; the estimate\'s storage is the WAL.' }
    ]
  }
]

export function presetByName (name: string): Preset | undefined {
  return PRESETS.find((preset) => preset.name === name)
}
