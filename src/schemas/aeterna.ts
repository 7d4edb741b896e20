// Schemas of the Aeterna routes: /tiers, /tiers/{name}, /estimate/aeterna, /validate/aeterna, /ha/aeterna.
import { Type, type TSchema } from 'typebox'
import { TIER_NAMES, type TierName } from '../models/aeterna/tiers.js'
import { CHART_LAYOUTS } from '../models/aeterna/layouts.js'
import { AssumptionsRef, WarningsRef, inputQuantity, outputQuantity } from './common.js'
import { AeternaCostSchema, AeternaPricesSchema } from './aeterna-cost.js'

const obj = (properties: Record<string, TSchema>, description: string, id?: string) =>
  Type.Object(properties, { additionalProperties: false, description, ...(id === undefined ? {} : { $id: id }) })
const text = (description: string) => Type.String({ description })
const range = (unit: string, description: string) => obj({
  min: outputQuantity(unit, 'Lower bound.'),
  max: Type.Optional(outputQuantity(unit, 'Upper bound; absent when open-ended.'))
}, description)
const cpuMemory = (description: string) => obj({ cpuCores: outputQuantity('cores', 'CPU.'), memoryGiB: outputQuantity('GiB', 'Memory.') }, description)

const tierName = (description: string): TSchema => Type.Unsafe<TierName>({ type: 'string', enum: [...TIER_NAMES], description })

export const TierNameParams = Type.Object({
  name: tierName('Tier name: small, medium or large. Another name answers 404 TIER_NOT_FOUND.')
}, { additionalProperties: false })

export const ValuesFileSchema = Type.Object({}, { additionalProperties: true, description: 'The tier\'s Helm values file (seed 000), parsed.' })

export const ValuesChangeSchema = obj({
  path: text('Values path.'),
  from: Type.Optional(Type.Unsafe<unknown>({ description: 'The value before (left out: not set).' })),
  to: Type.Optional(Type.Unsafe<unknown>({ description: 'The value after (left out: removed).' })),
  reason: text('Why it changes.')
}, 'One change to a values file.')

const layoutName = (description: string): TSchema => Type.Unsafe<string>({ type: 'string', enum: [...CHART_LAYOUTS], description })

export const ChartLayoutSchema = obj({
  name: layoutName('seed: the seeds\' single chart; upstream-app and upstream-prereqs: today\'s kikokikok/aeterna charts/aeterna and charts/aeterna-prereqs.'),
  chart: text('The chart the values are for.'),
  description: text('What the layout is.'),
  commit: Type.Optional(obj({ sha: text('Commit.'), date: text('Commit date.'), repository: text('Repository.') }, 'The upstream commit whose templates the layout follows (upstream layouts).')),
  notExpressible: Type.Optional(Type.Array(obj({ seedPath: text('The seed-layout key.'), reason: text('Why the chart cannot carry it, and what to do instead.') }, 'A setting the chart cannot express.'), { description: 'Upstream layouts: every setting of the seed-layout plan the chart cannot carry, and what the operator does instead.' }))
}, 'The chart layout a values file is for.')

const nodeBound = obj({ bound: text('What asks for the nodes.'), nodes: outputQuantity('nodes', 'Nodes it asks for.') }, 'One lower bound on the node count.')

export const ClusterPlanSchema = obj({
  nodes: outputQuantity('nodes', 'Nodes of the tier\'s size: the largest of nodeBounds.'),
  zones: outputQuantity('zones', 'Availability zones the nodes spread evenly over.'),
  nodeCpuCores: outputQuantity('cores', 'CPU per node (seed 000).'),
  nodeMemoryGiB: outputQuantity('GiB', 'Memory per node (seed 000\'s GB).'),
  nodeBounds: Type.Array(nodeBound, { description: 'Every lower bound on the node count: the tier\'s minimum, one per zone, each one-pod-per-node component at its peak (plus one node for a drain where no HPA asks for more), the peak CPU and memory requests.' }),
  zoneBasis: text('Why this many zones.')
}, 'The smallest cluster that holds the plan: nodes and zones.')

const placeableCount = (description: string) => Type.Optional(outputQuantity('pods', `${description} Left out where no required anti-affinity limits it (resources do).`))

export const PlacementSchema = obj({
  component: text('Component.'),
  replicas: outputQuantity('replicas', 'Replicas the values run.'),
  peakReplicas: outputQuantity('replicas', 'The most that may run: Aeterna at the HPA\'s maxReplicas.'),
  rule: Type.Unsafe<string>({ type: 'string', enum: ['one per node', 'one per zone', 'no required rule'], description: 'What its required anti-affinity allows.' }),
  placeable: placeableCount('Pods the rule places on the cluster.'),
  placeableWhileDraining: placeableCount('The same with one node drained (the worst case drains the only node of a zone).'),
  fits: Type.Boolean({ description: 'peakReplicas <= placeable: no pod stays Pending.' }),
  drainReschedules: Type.Boolean({ description: 'replicas <= placeableWhileDraining: a drained node\'s pod starts elsewhere.' })
}, 'One component\'s replicas against the nodes and zones its anti-affinity allows.')

export const TierSummarySchema = obj({
  name: tierName('Tier name.'),
  memoryCount: obj({ min: outputQuantity('memories', 'Lower bound.'), max: Type.Optional(outputQuantity('memories', 'Upper bound; absent for large.')), label: text('As the seed states it.') }, 'Memory-count bounds.'),
  useCase: text('Use case.'),
  nodes: range('nodes', 'Kubernetes nodes.'),
  href: text('Where the whole tier is.')
}, 'A tier in the catalogue.')

export const TierListSchema = obj({ tiers: Type.Array(TierSummarySchema) }, 'The Aeterna sizing tiers (seed 000).', 'TierList')

export const TierSchema = obj({
  name: tierName('Tier name.'),
  memoryCount: obj({ min: outputQuantity('memories', 'Lower bound.'), max: Type.Optional(outputQuantity('memories', 'Upper bound; absent for large.')), label: text('As the seed states it.') }, 'Memory-count bounds.'),
  useCase: text('Use case.'),
  deploymentTarget: text('Deployment target.'),
  targetUsers: text('Who the tier is for.'),
  concurrentUsers: range('users', 'Concurrent users the tier serves.'),
  infrastructure: obj({
    nodes: range('nodes', 'Minimum nodes (and maximum where stated).'),
    typicalNodes: range('nodes', 'Typical production node count.'),
    nodeCpuCores: outputQuantity('cores', 'CPU per node.'),
    nodeMemoryGiB: outputQuantity('GiB', 'Memory per node (the seed\'s GB).'),
    availabilityZones: outputQuantity('zones', 'Availability zones.'),
    totalCpuCores: range('cores', 'Cluster CPU.'),
    totalMemoryGiB: range('GiB', 'Cluster memory.'),
    haReady: Type.Boolean({ description: 'Whether the tier can meet the HA requirements of seed 002.' })
  }, 'Minimum infrastructure.'),
  storage: obj({
    postgresqlGiB: outputQuantity('GiB', 'PostgreSQL volume.'),
    qdrantGiB: outputQuantity('GiB', 'Qdrant volume.'),
    dragonflyCache: text('Dragonfly cache.'),
    backup: text('Backup storage.'),
    total: text('Total persistent storage, as stated.'),
    seedExamples: Type.Array(obj({ statement: text('The seed\'s example.'), note: text('What is wrong with it.') }, 'A storage example of the seed, flagged.'))
  }, 'Storage sizing.'),
  network: obj({ baselineMbps: range('Mbit/s', 'Sustained bandwidth.'), peak: text('Peaks.'), crossAz: text('Cross-AZ traffic.') }, 'Network bandwidth.'),
  autoscaling: obj({
    enabled: Type.Boolean({ description: 'Whether the tier autoscales.' }),
    minReplicas: outputQuantity('replicas', 'Minimum.'),
    maxReplicas: outputQuantity('replicas', 'Maximum.'),
    targetCpuPercent: outputQuantity('%', 'CPU target (0: none).'),
    targetMemoryPercent: outputQuantity('%', 'Memory target (0: none).'),
    customMetric: text('Custom metric.')
  }, 'Autoscaling.'),
  costUsdPerMonth: obj({ min: outputQuantity('USD per month', 'Lower.'), max: Type.Optional(outputQuantity('USD per month', 'Upper.')), stated: Type.Boolean({ description: 'false when the seed gives no cost for the tier.' }), items: Type.Array(text('A line of the AWS estimate.')) }, 'AWS cost range.'),
  alerts: obj({
    cpuPercent: outputQuantity('%', 'Alert above.'),
    memoryPercent: outputQuantity('%', 'Alert above.'),
    diskIops: outputQuantity('IOPS', 'Alert above.'),
    storageUsedPercent: outputQuantity('% of capacity', 'Alert above.'),
    p99LatencyMs: outputQuantity('ms', 'Alert above.'),
    replicationLagMs: outputQuantity('ms', 'Alert above.')
  }, 'Monitoring alert thresholds (seed 000, Key Metrics to Watch).'),
  seedReference: text('Seed section.'),
  chartLayout: ChartLayoutSchema,
  valuesFile: ValuesFileSchema,
  haChanges: Type.Optional(Type.Array(ValuesChangeSchema, { description: 'With ?ha=true: every path the HA settings change, with the tier\'s value, the new value and why.' })),
  haCluster: Type.Optional(ClusterPlanSchema),
  placements: Type.Optional(Type.Array(PlacementSchema, { description: 'With ?ha=true: every component\'s replicas against haCluster.' })),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, 'A whole Aeterna tier.', 'Tier')

const layoutQuery = layoutName('The chart layout of the values: seed (the default: the seeds\' single chart), upstream-app or upstream-prereqs (today\'s kikokikok/aeterna charts, at the commit chartLayout.commit names). Default: seed.')

export const TierValuesQuerySchema = Type.Partial(Type.Object({
  layout: layoutQuery,
  ha: Type.Boolean({ description: 'true: the tier\'s values merged with seed 002\'s HA settings (anti-affinity, zone spread, PDBs, HPA, backups, replicated storage, synchronous replication that survives one standby\'s loss); passes strict validation. The small tier answers 409: it cannot be HA. Default: false.' })
}), { additionalProperties: false })

const optionalMetric = (description: string, unit: string, maximum: number) =>
  Type.Number({ minimum: 0, maximum, description: `${description} Unit: ${unit}. Range: 0 to ${maximum}. Default: not observed.` })

export const aeternaInputProperties = {
  memoryCount: Type.Integer({ minimum: 0, maximum: 1e12, description: 'Memory objects stored (required: the seed gives no default). Unit: memories. Range: 0 to 1000000000000.' }),
  concurrentUsers: inputQuantity({ description: 'Concurrent users.', unit: 'users', minimum: 0, maximum: 10_000_000, default: 0, integer: true }),
  multiTenant: Type.Boolean({ default: false, description: 'Serves several tenants (a large-tier use case). Default: false.' }),
  requireHA: Type.Boolean({ default: false, description: 'HA/multi-replica needed (a small -> medium trigger). Default: false.' }),
  cpuUtilizationPercent: optionalMetric('Observed CPU utilisation (> 75% calls for medium).', '%', 100),
  memoryUtilizationPercent: optionalMetric('Observed memory utilisation (> 80% calls for medium).', '%', 100),
  p99LatencyMs: optionalMetric('Observed query latency p99 (> 200 ms calls for large).', 'ms', 3_600_000),
  storageUsedPercent: optionalMetric('Observed storage used (> 70% calls for large).', '%', 100)
}

const workloadProperties = {
  memoryCount: aeternaInputProperties.memoryCount,
  ...Object.fromEntries(Object.entries(aeternaInputProperties).filter(([name]) => name !== 'memoryCount').map(([name, schema]) => [name, Type.Optional(schema)]))
}

const upstreamValuesInput = Type.Boolean({ description: 'true: also give valuesFile translated for today\'s upstream charts (charts/aeterna and charts/aeterna-prereqs) in upstreamValues. Default: false.' })

export const AeternaRequestSchema = Type.Object({
  ...workloadProperties,
  upstreamValues: Type.Optional(upstreamValuesInput),
  prices: Type.Optional(AeternaPricesSchema)
}, { additionalProperties: false, description: 'Aeterna workload: memory count, users, tenancy, HA, optional observed metrics, and optional price overrides for the cost.' })

/** The query takes the scalar inputs; price overrides are a JSON or YAML body's. */
export const AeternaQuerySchema = Type.Object({ ...workloadProperties, upstreamValues: Type.Optional(upstreamValuesInput) }, { additionalProperties: false })

const storageNeed = (description: string) => obj({
  dataGiB: outputQuantity('GiB', 'memoryCount x bytes per memory.'),
  withHeadroomGiB: outputQuantity('GiB', 'data x 1.5.'),
  tierVolumeGiB: outputQuantity('GiB', 'The tier\'s volume size.'),
  requiredGiB: outputQuantity('GiB', 'Per volume: the larger of the two, rounded up (the values file\'s size).'),
  volumes: outputQuantity('volumes', 'One per replica (PostgreSQL instances, Qdrant replicas or peers).'),
  copies: outputQuantity('copies', 'Copies of the data across the volumes: one per PostgreSQL instance; Qdrant: one per replica, or in cluster mode (the HA plan) its replication_factor, the shards spread over the peers.'),
  provisionedGiB: outputQuantity('GiB', 'requiredGiB x volumes.')
}, description)

const componentResources = obj({
  component: text('Component.'),
  replicas: outputQuantity('replicas', 'Replicas (1 when the values file gives none).'),
  replicasStated: Type.Boolean({ description: 'false when the Kubernetes default of 1 is assumed.' }),
  requests: cpuMemory('Per replica.'),
  limits: cpuMemory('Per replica.')
}, 'One component of the values file.')

export const AeternaEstimateSchema = obj({
  inputs: obj({ ...aeternaInputProperties, cpuUtilizationPercent: Type.Optional(aeternaInputProperties.cpuUtilizationPercent), memoryUtilizationPercent: Type.Optional(aeternaInputProperties.memoryUtilizationPercent), p99LatencyMs: Type.Optional(aeternaInputProperties.p99LatencyMs), storageUsedPercent: Type.Optional(aeternaInputProperties.storageUsedPercent) }, 'The request with defaults resolved.'),
  tier: tierName('Recommended tier: small, medium or large.'),
  reasons: Type.Array(obj({
    tier: tierName('Tier the trigger calls for.'),
    trigger: text('The seed\'s trigger.'),
    observed: Type.Union([Type.Number(), Type.Boolean()], { description: 'What the request gave.' }),
    threshold: text('The trigger\'s threshold.'),
    seedReference: text('Seed section.')
  }, 'A reason for the tier.'), { description: 'Every trigger met; the largest tier among them wins. What the deployment holds sets its tier; a load signal moves it one step up from there.' }),
  tierSummary: obj({
    memoryCount: obj({ min: outputQuantity('memories', 'Lower.'), max: Type.Optional(outputQuantity('memories', 'Upper.')), label: text('As stated.') }, 'Bounds.'),
    useCase: text('Use case.'),
    nodes: range('nodes', 'Nodes.'),
    availabilityZones: outputQuantity('zones', 'Zones.'),
    haReady: Type.Boolean({ description: 'HA-capable.' })
  }, 'The tier in brief (GET /tiers/{name} has all of it).'),
  storage: obj({ postgresql: storageNeed('PostgreSQL at 1 KiB per memory.'), qdrant: storageNeed('Qdrant at 2 KiB per vector.'), dataGiB: outputQuantity('GiB', 'The data itself, both stores.'), totalGiB: outputQuantity('GiB', 'Provisioned across every replica\'s volume, both stores.') }, 'Storage from per-memory sizes: data, per volume (never below the tier\'s), provisioned across replicas.'),
  resources: obj({
    components: Type.Array(componentResources),
    requests: cpuMemory('Sum of replicas x requests.'),
    limits: cpuMemory('Sum of replicas x limits.'),
    clusterCapacity: obj({ nodes: outputQuantity('nodes', 'Nodes of the planned cluster (cluster.nodes).'), cpuCores: outputQuantity('cores', 'nodes x node CPU.'), memoryGiB: outputQuantity('GiB', 'nodes x node memory.') }, 'The planned cluster\'s capacity (cluster).'),
    requestsFit: Type.Boolean({ description: 'Requests fit clusterCapacity.' }),
    limitsFit: Type.Boolean({ description: 'Limits fit clusterCapacity.' }),
    requestsAtAutoscalingMax: cpuMemory('Requests with Aeterna at the autoscaling maximum.')
  }, 'The tier\'s values file totalled and checked against its cluster.'),
  cost: AeternaCostSchema,
  chartLayout: ChartLayoutSchema,
  upstreamValues: Type.Optional(obj({ app: ValuesFileSchema, prereqs: ValuesFileSchema }, 'With upstreamValues: true, valuesFile translated for today\'s two upstream charts (chartLayout.notExpressible: what they cannot carry).')),
  cluster: ClusterPlanSchema,
  placements: Type.Array(PlacementSchema, { description: 'Every component\'s replicas against the planned cluster: what its required anti-affinity places, with one node drained too.' }),
  valuesFile: ValuesFileSchema,
  valuesChanges: Type.Array(ValuesChangeSchema, { description: 'What the values file changes from the tier\'s: volume sizes that hold the storage, and seed 002\'s HA settings when requireHA.' }),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, 'Aeterna tier recommendation.', 'AeternaEstimate')

export const ValidateQuerySchema = Type.Partial(Type.Object({
  mode: Type.Unsafe<'strict' | 'lenient'>({ type: 'string', enum: ['strict', 'lenient'], description: 'strict (the default): every checklist item a values file can show must be set and right (absence is an error): the HA gate. lenient (opt-in): absence is a warning, since the chart\'s defaults may supply it; the answer says so (notice) and gives the strict verdict beside it (strictOk). Default: strict.' }),
  nodes: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Nodes of the cluster the scheduling checks judge against. Unit: nodes. Range: 1 to 10000. Default: the tier\'s HA plan (GET /tiers/{tier}?ha=true: haCluster.nodes).' }),
  zones: Type.Integer({ minimum: 1, maximum: 100, description: 'Availability zones the nodes spread evenly over. Unit: zones. Range: 1 to 100. Default: the tier\'s HA plan (3).' }),
  layout: layoutName('The chart layout the document is for: seed (default), upstream-app or upstream-prereqs. Keys the layout does not read are reported with the file and key they belong in; in the upstream layouts the HA checklist (which reads the seed layout) is not assessable.'),
  memoryCount: Type.Integer({ minimum: 0, maximum: 1e12, description: 'Memory objects the deployment must hold: resources are checked against the tier it needs. Unit: memories. Range: 0 to 1000000000000. Default: the largest tier the document meets.' })
}), { additionalProperties: false })

export const ValuesDocumentSchema = Type.Object({}, { additionalProperties: true, description: 'A Helm values document for the Aeterna chart, as YAML (application/yaml) or JSON.' })

const finding = obj({
  id: text('Check.'),
  checklistItem: text('The seed 002 checklist line (or seed section) it belongs to.'),
  seedReference: text('Seed section of the requirement.'),
  status: Type.Unsafe<string>({ type: 'string', enum: ['pass', 'fail', 'absent', 'not assessable'], description: 'pass; fail (set and wrong); absent (not set: the chart default applies); not assessable from a values file.' }),
  severity: text('error, warning or info: an absent setting is a warning in lenient mode and an error in strict; a wrong one an error (a few softer checks warn in lenient).'),
  passed: Type.Boolean({ description: 'status is pass.' }),
  path: text('Values path checked.'),
  found: text('What the document has.'),
  expected: text('What seed 002 requires.'),
  message: text('What was found, and why it matters.'),
  fix: text('YAML that sets it right (merge it into the values file); empty when nothing to fix.')
}, 'One checklist item\'s outcome.')

export const HaValidationSchema = obj({
  ok: Type.Boolean({ description: 'false when any error-severity finding fails in this mode.' }),
  strictOk: Type.Boolean({ description: 'The strict gate\'s verdict (equal to ok in strict mode): whether the document holds every HA setting a values file can show.' }),
  mode: text('strict (the default) or lenient (opt-in).'),
  notice: Type.Optional(text('Lenient mode only: what its ok does not mean.')),
  chartLayout: ChartLayoutSchema,
  cluster: obj({ nodes: outputQuantity('nodes', 'Nodes.'), zones: outputQuantity('zones', 'Zones.'), basis: text('Where they come from: the request, or the tier\'s HA plan.') }, 'The cluster the scheduling and disruption-budget checks judged against.'),
  tier: tierName('Tier the resources are checked against.'),
  tierBasis: text('memoryCount (from the query) or document (the largest tier the document meets).'),
  summary: obj({ errors: outputQuantity('findings', 'Failed or absent, error severity.'), warnings: outputQuantity('findings', 'Failed or absent, warning severity.'), passed: outputQuantity('findings', 'Passed.'), notAssessable: outputQuantity('findings', 'Checklist items a values file cannot show.') }, 'Counts.'),
  findings: Type.Array(finding)
}, 'HA validation of a values document.', 'HaValidation')

export const HaRequirementsSchema = obj({
  checklist: Type.Array(obj({ id: text('Check.'), checklistItem: text('Seed 002 checklist line.'), requirement: text('What is required.'), severity: text('Severity when it fails (lenient mode).'), path: text('Values path.'), seedReference: text('Seed section.') }, 'A checklist item.')),
  alerts: Type.Array(obj({ alert: text('Alert name.'), expr: text('PromQL.'), for: text('Pending period ("" when none).'), note: text('Note.') }, 'An alert rule of seed 002.'))
}, 'The HA checklist and alert rules of seed 002.', 'HaRequirements')
