// The Aeterna sizing tiers of seed 000 (000_4009c6ec034aaff8.txt), as data.
import { type TierName, TIER_NAMES, valuesFile } from './values-files.js'

export { TIER_NAMES, type TierName }

const SEED = 'seed 000'

export interface Range { min: number, max?: number }

export interface Tier {
  name: TierName
  memoryCount: Range & { label: string }
  useCase: string
  deploymentTarget: string
  targetUsers: string
  concurrentUsers: Range
  infrastructure: {
    nodes: Range
    typicalNodes: Range
    nodeCpuCores: number
    nodeMemoryGiB: number
    availabilityZones: number
    totalCpuCores: Range
    totalMemoryGiB: Range
    haReady: boolean
  }
  storage: {
    postgresqlGiB: number
    qdrantGiB: number
    dragonflyCache: string
    backup: string
    total: string
    seedExamples: Array<{ statement: string, note: string }>
  }
  network: { baselineMbps: Range, peak: string, crossAz: string }
  autoscaling: { enabled: boolean, minReplicas: number, maxReplicas: number, targetCpuPercent: number, targetMemoryPercent: number, customMetric: string }
  costUsdPerMonth: Range & { stated: boolean, items: string[] }
  alerts: { cpuPercent: number, memoryPercent: number, diskIops: number, storageUsedPercent: number, p99LatencyMs: number, replicationLagMs: number }
  seedReference: string
}

export const TIERS: Readonly<Record<TierName, Tier>> = {
  small: {
    name: 'small',
    memoryCount: { min: 0, max: 999, label: '< 1,000' },
    useCase: 'Dev, testing, small teams',
    deploymentTarget: '1-2 nodes, minimal resources',
    targetUsers: 'Development, testing, proof-of-concept: laptop testing, single-engineer development, demos, integration testing',
    concurrentUsers: { min: 0, max: 9 },
    infrastructure: {
      nodes: { min: 1, max: 2 },
      typicalNodes: { min: 1, max: 2 },
      nodeCpuCores: 2,
      nodeMemoryGiB: 8,
      availabilityZones: 1,
      totalCpuCores: { min: 2, max: 4 },
      totalMemoryGiB: { min: 16, max: 16 },
      haReady: false
    },
    storage: {
      postgresqlGiB: 10,
      qdrantGiB: 20,
      dragonflyCache: '256MB to 1GB',
      backup: 'WAL backup only',
      total: '~30-50GB persistent storage',
      seedExamples: [
        { statement: 'PostgreSQL: 1KB per memory object minimum -> 10GB for 1K memories + WAL overhead', note: '1 KB x 1,000 is 1 MB, not 10 GB: 10 GiB is the volume size, not the data.' },
        { statement: 'Qdrant: 2KB per vector minimum -> 20GB for 1K memories', note: '2 KB x 1,000 is 2 MB; 20 GiB is the volume size.' }
      ]
    },
    network: { baselineMbps: { min: 1, max: 10 }, peak: 'Agent inference requests (varies by embedding model)', crossAz: 'none (single zone)' },
    autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 1, targetCpuPercent: 0, targetMemoryPercent: 0, customMetric: 'none' },
    costUsdPerMonth: { min: 0, stated: false, items: [] },
    alerts: { cpuPercent: 80, memoryPercent: 85, diskIops: 500, storageUsedPercent: 80, p99LatencyMs: 500, replicationLagMs: 100 },
    seedReference: `${SEED}, Small Tier Configuration`
  },
  medium: {
    name: 'medium',
    memoryCount: { min: 1000, max: 100_000, label: '1,000 - 100,000' },
    useCase: 'Production SMB, mid-size teams',
    deploymentTarget: '3-5 nodes, balanced resources',
    targetUsers: 'Production SMB environments, 10-50 concurrent users',
    concurrentUsers: { min: 10, max: 99 },
    infrastructure: {
      nodes: { min: 3, max: 5 },
      typicalNodes: { min: 3, max: 5 },
      nodeCpuCores: 4,
      nodeMemoryGiB: 16,
      availabilityZones: 2,
      totalCpuCores: { min: 12, max: 20 },
      totalMemoryGiB: { min: 48, max: 80 },
      haReady: true
    },
    storage: {
      postgresqlGiB: 100,
      qdrantGiB: 200,
      dragonflyCache: '2-5GB',
      backup: '1.5x PostgreSQL + Qdrant snapshot size = ~450GB (S3/GCS)',
      total: '300-500GB persistent + 450GB offsite backup',
      seedExamples: [
        { statement: 'PostgreSQL: ~100KB per memory minimum -> 100GB for 100K memories', note: 'The other tiers and the values comment say ~1 KB per memory; and 100 KB x 100,000 is 10 GB, not 100 GB.' },
        { statement: 'Qdrant: ~2KB per vector -> 200GB for 100M vectors', note: 'The medium tier holds at most 100,000 memories (0.2 GB of vectors); 100M vectors is a thousand times more.' }
      ]
    },
    network: { baselineMbps: { min: 10, max: 50 }, peak: '100+ Mbps during bulk memory ingestion or batch inference', crossAz: '~20% of total bandwidth (multi-AZ penalty)' },
    autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 8, targetCpuPercent: 70, targetMemoryPercent: 80, customMetric: 'none' },
    costUsdPerMonth: {
      min: 600,
      max: 1000,
      stated: true,
      items: ['EC2 nodes ~$400-600/month (3 m5.xlarge)', 'EBS ~$50/month (500GB provisioned)', 'Data transfer ~$20-50/month', 'RDS/managed DB (optional) +$100-200/month']
    },
    alerts: { cpuPercent: 70, memoryPercent: 80, diskIops: 2000, storageUsedPercent: 75, p99LatencyMs: 200, replicationLagMs: 50 },
    seedReference: `${SEED}, Medium Tier Configuration`
  },
  large: {
    name: 'large',
    memoryCount: { min: 100_001, label: '> 100,000' },
    useCase: 'Enterprise, multi-tenant, complex agents',
    deploymentTarget: '5+ nodes, optimized resources',
    targetUsers: 'Enterprise deployments, 100+ concurrent users, multi-tenant',
    concurrentUsers: { min: 100 },
    infrastructure: {
      nodes: { min: 5 },
      typicalNodes: { min: 7, max: 10 },
      nodeCpuCores: 8,
      nodeMemoryGiB: 32,
      availabilityZones: 3,
      totalCpuCores: { min: 40 },
      totalMemoryGiB: { min: 160 },
      haReady: true
    },
    storage: {
      postgresqlGiB: 500,
      qdrantGiB: 1000,
      dragonflyCache: '5-10GB (high cardinality lookups)',
      backup: '2x main data (tiered: S3 Standard -> Glacier), 2TB+ offsite',
      total: '1.5-2TB persistent, 2TB+ offsite backup',
      seedExamples: [
        { statement: 'PostgreSQL: ~1KB per memory minimum -> 500GB for 500K memories', note: '1 KB x 500,000 is 0.5 GB, not 500 GB: 500 GiB is the volume size.' }
      ]
    },
    network: { baselineMbps: { min: 100, max: 500 }, peak: '1+ Gbps during bulk operations', crossAz: '200+ Mbps for data sync; direct peering or private links between AZs' },
    autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 20, targetCpuPercent: 65, targetMemoryPercent: 75, customMetric: 'queries_per_second averageValue 1000' },
    costUsdPerMonth: {
      min: 3000,
      max: 5000,
      stated: true,
      items: ['EC2 nodes ~$2,000-3,000/month (7 m5.2xlarge)', 'EBS ~$200/month (2TB provisioned, io2)', 'S3 backup ~$50/month (2TB)', 'Data transfer ~$200-400/month (inter-AZ)', 'RDS/managed DB (optional) +$500-1000/month']
    },
    alerts: { cpuPercent: 65, memoryPercent: 75, diskIops: 5000, storageUsedPercent: 70, p99LatencyMs: 100, replicationLagMs: 10 },
    seedReference: `${SEED}, Large Tier Configuration`
  }
}

export function tierValues (name: TierName): Record<string, unknown> {
  return valuesFile(name).values
}

export function tierValuesText (name: TierName): string {
  return valuesFile(name).text
}

/** The tier table's bounds: < 1,000 small, 1,000 - 100,000 medium, > 100,000 large. */
export function tierForMemoryCount (memoryCount: number): TierName {
  if (memoryCount > TIERS.medium.memoryCount.max!) return 'large'
  return memoryCount >= TIERS.medium.memoryCount.min ? 'medium' : 'small'
}

/** A component of the values files: where its replica count and resources live. */
export interface Component {
  name: string
  replicasPath: string[]
  resourcesPath: string[]
}

export const COMPONENTS: readonly Component[] = [
  { name: 'aeterna', replicasPath: ['aeterna', 'replicaCount'], resourcesPath: ['aeterna', 'resources'] },
  { name: 'postgresql', replicasPath: ['postgresql', 'cloudnativepg', 'instances'], resourcesPath: ['postgresql', 'cloudnativepg', 'resources'] },
  { name: 'qdrant', replicasPath: ['qdrant', 'replicaCount'], resourcesPath: ['qdrant', 'resources'] },
  { name: 'dragonfly', replicasPath: ['dragonfly', 'replicaCount'], resourcesPath: ['dragonfly', 'resources'] },
  { name: 'opal', replicasPath: ['opal', 'opalServer', 'replicaCount'], resourcesPath: ['opal', 'opalServer', 'resources'] }
]

/** values.a.b.c, or undefined when any step is missing or not an object. */
export function valueAt (values: unknown, path: readonly string[]): unknown {
  let node = values
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}
