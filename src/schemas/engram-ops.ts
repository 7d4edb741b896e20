// Schemas of the Engram operations routes: /scaling, /models, /forecast, /presets, /generate.
import { Type, type TSchema } from 'typebox'
import { ALERT_DEFAULTS as A, HPA_DEFAULTS as H } from '../models/engram/generate.js'
import { PERFORMANCE_DEFAULTS as P } from '../models/engram/performance.js'
import { AssumptionsRef, WarningsRef, inputQuantity, outputQuantity } from './common.js'
import { engramInputProperties, engramWorkloadProperties } from './engram.js'

const metric = (description: string, unit: string, maximum: number) =>
  Type.Number({ minimum: 0, maximum, description: `${description} Unit: ${unit}. Range: 0 to ${maximum}. Default: not observed.` })
const open = (description: string) => Type.Object({}, { additionalProperties: true, description })
const text = (description: string) => Type.String({ description })

export const scalingProperties = {
  cpuUtilizationPercent: metric('Observed CPU utilisation.', '%', 100),
  p99LatencyMs: metric('Observed p99 latency.', 'ms', 3_600_000),
  currentCores: Type.Integer({ minimum: 1, maximum: 1024, description: 'Cores now, for the new core count. Unit: cores. Range: 1 to 1024. Default: not given.' }),
  memoryPressurePercent: metric('Observed memory pressure.', '%', 100),
  tierDistribution: Type.Unsafe<'balanced' | 'hot-heavy' | 'cold-heavy'>({ type: 'string', enum: ['balanced', 'hot-heavy', 'cold-heavy'], description: 'Tier distribution of the memory matrix. Default: from hotTierPercent, else balanced.' }),
  hotTierPercent: metric('Share of nodes in the hot tier (above 50% is hot-heavy).', '%', 100),
  currentMemoryGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1_048_576, description: 'Memory now, for the new size. Unit: GiB. Range: above 0 to 1048576. Default: not given.' }),
  diskUtilizationPercent: metric('Observed disk utilisation.', '%', 100),
  currentStorageGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'Volume size now, for the new size. Unit: GiB. Range: above 0 to 1000000000. Default: not given.' }),
  walSizeGiB: metric('WAL size.', 'GiB', 1e9),
  iopsUtilizationPercent: metric('Observed IOPS utilisation.', '%', 100),
  snapshotCount: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Snapshots kept. Unit: snapshots. Range: 0 to 1000000. Default: not observed.' })
}

export const ScalingRequestSchema = Type.Partial(Type.Object(scalingProperties), { additionalProperties: false, description: 'Observed metrics; each optional.' })
export const ScalingQuerySchema = Type.Partial(Type.Object(scalingProperties), { additionalProperties: false })

const decision = (extra: Record<string, TSchema>, description: string) => Type.Object({
  row: outputQuantity('row', 'Row of the matrix (1-5).'),
  condition: text('The row\'s condition as the seed states it.'),
  action: text('Action.'),
  implementation: text('Implementation.'),
  urgency: text('none, planned, immediate, urgent or emergency.'),
  rule: text('Why this row applies, including how a gap or overlap of the table was resolved.'),
  ...extra
}, { additionalProperties: false, description })

export const ScalingDecisionSchema = Type.Object({
  inputs: Type.Partial(Type.Object(scalingProperties)),
  cpu: Type.Optional(decision({ utilizationBand: text('low, moderate, high or saturated.'), latencyBand: text('fast, slow or very slow.'), newCores: Type.Optional(outputQuantity('cores', 'New core count.')) }, 'CPU Scaling Decision Matrix (seed 004).')),
  memory: Type.Optional(decision({ pressureBand: text('low, elevated, high or critical.'), tierDistribution: text('Distribution used.'), newMemoryGiB: Type.Optional(outputQuantity('GiB', 'New memory.')) }, 'Memory Scaling Decision Matrix (seed 004).')),
  storage: Type.Array(Type.Object({
    metric: text('Metric.'),
    observed: outputQuantity('as the metric', 'Observed value.'),
    threshold: text('Threshold.'),
    triggered: Type.Boolean({ description: 'Above the threshold.' }),
    action: text('Action.'),
    procedure: text('Procedure.'),
    newSizeGiB: Type.Optional(outputQuantity('GiB', 'New volume size.'))
  }, { additionalProperties: false }), { description: 'Storage Scaling Triggers (seed 004), one per metric given.' }),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'ScalingDecision', additionalProperties: false, description: 'What the decision matrices say.' })

export const performanceProperties = {
  cores: inputQuantity({ description: 'Cores of one instance.', unit: 'cores', minimum: 1, maximum: 1024, default: P.cores, integer: true }),
  targetOpsPerSec: inputQuantity({ description: 'Throughput to reach (for the inverse).', unit: 'ops/s', minimum: 0, maximum: 1e9, default: P.targetOpsPerSec }),
  nodesActivated: inputQuantity({ description: 'Nodes activated per query (latency model).', unit: 'nodes', minimum: 0, maximum: 1e12, default: P.nodesActivated }),
  diskIops: inputQuantity({ description: 'Disk IOPS (service default: gp3 baseline).', unit: 'IOPS', minimum: 0, maximum: 10_000_000, default: P.diskIops }),
  diskBandwidthMBps: inputQuantity({ description: 'Disk bandwidth (service default: gp3 baseline).', unit: 'MB/s', minimum: 0, maximum: 100_000, default: P.diskBandwidthMBps }),
  walBufferBytes: inputQuantity({ description: 'WAL buffer (seed: 10,000 x 256 B).', unit: 'bytes', minimum: 0, maximum: 1_073_741_824, default: P.walBufferBytes }),
  walFlushIntervalMs: inputQuantity({ description: 'WAL flush interval (service default).', unit: 'ms', minimum: 0.001, maximum: 3_600_000, default: P.walFlushIntervalMs }),
  avgReadSizeKB: inputQuantity({ description: 'Average read size (seed: 4 KiB pages).', unit: 'KiB', minimum: 0, maximum: 1_048_576, default: P.avgReadSizeKB }),
  cacheHitRate: inputQuantity({ description: 'Page cache hit rate (service default).', unit: 'fraction', minimum: 0, maximum: 1, default: P.cacheHitRate }),
  memoryBandwidthMBps: inputQuantity({ description: 'Memory bandwidth (service default).', unit: 'MB/s', minimum: 0, maximum: 10_000_000, default: P.memoryBandwidthMBps }),
  dataSizeGiB: inputQuantity({ description: 'Data to recover (RTO table row).', unit: 'GiB', minimum: 0, maximum: 1e9, default: P.dataSizeGiB }),
  walSizeGiB: inputQuantity({ description: 'WAL to replay.', unit: 'GiB', minimum: 0, maximum: 1e9, default: P.walSizeGiB }),
  nodes: inputQuantity({ description: 'Nodes to re-index.', unit: 'nodes', minimum: 0, maximum: 1e12, default: P.nodes }),
  memoryGiB: inputQuantity({ description: 'Memory to warm up.', unit: 'GiB', minimum: 0, maximum: 1e9, default: P.memoryGiB }),
  minimumTotalCores: inputQuantity({ description: 'CPU need the layout for targetOpsPerSec must also hold (the Engram estimate passes its recommended cores).', unit: 'cores', minimum: 0, maximum: 1e9, default: P.minimumTotalCores })
}

export const PerformanceRequestSchema = Type.Partial(Type.Object(performanceProperties), { additionalProperties: false, description: 'Inputs of the performance models; each optional.' })
export const PerformanceQuerySchema = Type.Partial(Type.Object(performanceProperties), { additionalProperties: false })

const recovery = Type.Object({
  walReplaySeconds: outputQuantity('s', 'walSizeGiB at 100 MB/s.'),
  indexRebuildSeconds: outputQuantity('s', 'nodes at 50K nodes/s per core.'),
  memoryWarmupSeconds: outputQuantity('s', 'memoryGiB at 1 GB/s.'),
  coldStartSeconds: outputQuantity('s', 'Sum of the three.'),
  rto: Type.Object({ dataSize: text('Row.'), coldStart: text('Cold start.'), coldStartSeconds: outputQuantity('s', 'Cold start.'), warmStart: text('Warm start.'), hotStandby: text('Hot standby.') }, { additionalProperties: false, description: 'The RTO table row for dataSizeGiB.' }),
  withinColdStartObjective: Type.Boolean({ description: 'Whether the computed cold start meets the row.' })
}, { additionalProperties: false, description: 'Recovery time (seed 004, Disaster Recovery).' })

export const PerformanceModelsSchema = Type.Object({
  inputs: Type.Object(performanceProperties, { additionalProperties: false }),
  throughput: Type.Object({
    cores: outputQuantity('cores', 'Cores.'),
    efficiency: outputQuantity('fraction', '1 - (cores - 1) x 0.05, not below 0.'),
    opsPerSec: outputQuantity('ops/s', '2,500 x cores x efficiency, held at the 10-core peak.'),
    perCoreOpsPerSec: outputQuantity('ops/s', 'Base throughput of one core.'),
    withinValidatedRange: Type.Boolean({ description: 'Up to 8 cores.' }),
    curve: Type.Array(Type.Object({ cores: outputQuantity('cores', 'Cores.'), efficiency: outputQuantity('fraction', 'Efficiency.'), opsPerSec: outputQuantity('ops/s', 'Throughput.') }, { additionalProperties: false }))
  }, { additionalProperties: false, description: 'Linear scaling model (seed 004).' }),
  coresForTarget: Type.Object({
    targetOpsPerSec: outputQuantity('ops/s', 'Target.'),
    cores: outputQuantity('cores', 'Cores in all (instances x coresPerInstance).'),
    requiredOpsPerSec: outputQuantity('ops/s', 'Throughput the layout delivers at least (targetOpsPerSec).'),
    minimumTotalCores: outputQuantity('cores', 'CPU need the layout holds.'),
    instances: outputQuantity('instances', 'The fewest instances: 13,000 ops/s each (8 cores, the validated range), at most 32 cores each.'),
    coresPerInstance: outputQuantity('cores', 'Even cores per instance: the larger of the two below.'),
    throughputCoresPerInstance: outputQuantity('cores', 'Fewest even cores per instance delivering the target (2 to 8).'),
    cpuCoresPerInstance: outputQuantity('cores', 'Even cores per instance holding minimumTotalCores (at least 2).'),
    totalCores: outputQuantity('cores', 'instances x coresPerInstance.'),
    perInstanceOpsPerSec: outputQuantity('ops/s', 'Throughput of one instance by the model.'),
    opsPerSec: outputQuantity('ops/s', 'instances x perInstanceOpsPerSec.')
  }, { additionalProperties: false, description: 'The instance layout for targetOpsPerSec: the rule /estimate/engram recommends by (fewest instances, then fewest even cores per instance).' }),
  latency: Type.Object({ nodesActivated: outputQuantity('nodes', 'Nodes.'), sizeFactor: outputQuantity('factor', '1 + log10(nodes / 1000), at least 1.'), hotMs: outputQuantity('ms', 'Hot tier.'), warmMs: outputQuantity('ms', 'Warm tier.'), coldMs: outputQuantity('ms', 'Cold tier.') }, { additionalProperties: false, description: 'Memory latency model (seed 004).' }),
  storage: Type.Object({ writeMBps: outputQuantity('MB/s', 'Write throughput.'), readMBps: outputQuantity('MB/s', 'Read throughput.'), writeLimit: text('Which limit binds writes.'), readLimit: text('Which limit binds reads.'), cacheBlendMBps: outputQuantity('MB/s', 'hit x memory + (1 - hit) x disk bandwidth.') }, { additionalProperties: false, description: 'Storage throughput model (seed 004).' }),
  recovery,
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'PerformanceModels', additionalProperties: false, description: 'Performance predictions and recovery time.' })

const provisioned = Type.Object({
  cores: Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'Cores provisioned. Unit: cores.' }),
  memoryGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Memory provisioned. Unit: GiB.' }),
  storageGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1e15, description: 'Storage provisioned. Unit: GiB.' })
}, { additionalProperties: false, description: 'What is provisioned now.' })

const { expectedNodes: _expectedNodes, ...workloadProperties } = engramWorkloadProperties

export const ForecastRequestSchema = Type.Object({
  // no schema default: the plan's expectedNodes must be able to fill it in
  currentNodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12, description: 'Nodes today. Unit: nodes. Range: 0 to 1000000000000. Default: the plan\'s expectedNodes, else 1000000 (the seed\'s example).' })),
  dailyGrowthRate: Type.Optional(inputQuantity({ description: 'Daily growth (seed: typically 0.01-0.05).', unit: 'fraction per day', minimum: 0, maximum: 1, default: 0.02 })),
  horizonDays: Type.Optional(inputQuantity({ description: 'How far to project.', unit: 'days', minimum: 1, maximum: 3650, default: 90, integer: true })),
  observations: Type.Optional(Type.Array(Type.Object({
    day: Type.Number({ minimum: -3650, maximum: 3650, description: 'Day of the observation (0 = today). Unit: days.' }),
    nodes: Type.Number({ minimum: 0, maximum: 1e12, description: 'Nodes observed. Unit: nodes.' })
  }, { additionalProperties: false }), { minItems: 1, maxItems: 10_000, description: 'Observed (day, nodes) points: with two or more, a linear fit replaces compound growth. Default: none.' })),
  provisioned: Type.Optional(provisioned),
  plan: Type.Optional(Type.Object({
    inputs: Type.Optional(Type.Partial(Type.Object(engramInputProperties), { additionalProperties: false })),
    recommendations: Type.Object({ cores: Type.Number({ exclusiveMinimum: 0 }), memoryGiB: Type.Number({ exclusiveMinimum: 0 }), storageGiB: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: true })
  }, { additionalProperties: true, description: 'A response of /estimate/engram: its recommendations are what is provisioned and its inputs the workload. Default: none.' })),
  workload: Type.Optional(Type.Partial(Type.Object(workloadProperties), { additionalProperties: false, description: 'The rest of the workload (estimate fields but expectedNodes). Default: the plan\'s inputs, else the script defaults.' }))
}, { additionalProperties: false, description: 'Growth and what is provisioned.' })

const projection = Type.Object({
  day: outputQuantity('day', 'Day.'),
  nodes: outputQuantity('nodes', 'Nodes.'),
  cores: outputQuantity('cores', 'Cores needed.'),
  memoryGiB: outputQuantity('GiB', 'Memory needed.'),
  storageGiB: outputQuantity('GiB', 'Storage needed.'),
  withMargin: Type.Object({ cores: outputQuantity('cores', 'x 1.3.'), memoryGiB: outputQuantity('GiB', 'x 1.3.'), storageGiB: outputQuantity('GiB', 'x 1.3.') }, { additionalProperties: false, description: 'With the 30% safety margin.' })
}, { additionalProperties: false, description: 'The capacity estimate on a day.' })

export const ForecastSchema = Type.Object({
  inputs: open('The request with defaults resolved.'),
  model: Type.Object({ mode: text('compound or linear-fit.'), dailyGrowthRate: outputQuantity('fraction per day', 'Compound growth.'), nodesPerDay: Type.Number({ description: 'Fitted slope (may be negative). Unit: nodes/day.' }), intercept: Type.Number({ description: 'Nodes on day 0 of the model. Unit: nodes.' }) }, { additionalProperties: false, description: 'Growth model.' }),
  provisioned: Type.Object({ cores: outputQuantity('cores', 'Cores.'), memoryGiB: outputQuantity('GiB', 'Memory.'), storageGiB: outputQuantity('GiB', 'Storage.'), source: text('request (provisioned or plan given) or plan (the estimate of today\'s nodes).') }, { additionalProperties: false, description: 'What the crossings are measured against.' }),
  projections: Type.Array(projection, { description: 'Day 0, 30, 60, 90 and the horizon.' }),
  crossings: Type.Array(Type.Object({ resource: text('cpu, memory or storage.'), thresholdPercent: outputQuantity('%', 'Threshold.'), provisioned: outputQuantity('as the resource', 'Provisioned.'), day: Type.Union([Type.Number(), Type.Null()], { description: 'First day the need passes the threshold; null when not within the horizon.' }), withinHorizon: Type.Boolean({ description: 'Whether it crosses within the horizon.' }) }, { additionalProperties: false })),
  seedExample: Type.Object({ nodesAtDay30: outputQuantity('nodes', '1M x 1.02^30.'), hotTierMemoryMB: outputQuantity('MB', 'The seed\'s 1.81M x 3KB x 0.1.'), note: text('Why the projections differ.') }, { additionalProperties: false, description: 'The seed\'s worked example.' }),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'Forecast', additionalProperties: false, description: 'Capacity forecast.' })

export const PresetNameParams = Type.Object({ name: Type.String({ description: 'Preset name.' }) }, { additionalProperties: false })

const presetSummary = {
  name: text('Preset name.'),
  kind: text('workload-profile or use-case.'),
  title: text('Title.'),
  description: text('As the seed describes it.'),
  seedReference: text('Seed section.'),
  inputs: open('Inputs for /estimate/engram.'),
  inputNotes: Type.Array(text('Where each input comes from.')),
  seedFigures: Type.Array(Type.Object({ figure: text('Figure.'), seedValue: text('What the seed states.'), note: text('How and why the estimate differs.') }, { additionalProperties: false }))
}

export const PresetListSchema = Type.Object({ presets: Type.Array(Type.Object({ ...presetSummary, href: text('Where the preset and its estimate are.') }, { additionalProperties: false })) }, { $id: 'PresetList', additionalProperties: false, description: 'Workload profiles and use cases of seed 004.' })
export const PresetSchema = Type.Object({ ...presetSummary, estimate: Type.Ref('EngramEstimate'), warnings: WarningsRef, assumptions: AssumptionsRef }, { $id: 'Preset', additionalProperties: false, description: 'A preset with its computed estimate.' })

/** The parts of an /estimate/engram answer the generated files read; the whole answer may be posted. */
const engramPlan = (description: string) => Type.Object({
  inputs: Type.Optional(open('The estimate\'s inputs (not read here).')),
  recommendations: Type.Object({
    memoryGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Memory of all instances. Unit: GiB.' }),
    storageGiB: Type.Number({ exclusiveMinimum: 0, maximum: 1e15, description: 'Storage of all instances. Unit: GiB.' }),
    instances: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Instances the plan needs. Unit: instances.' }),
    memoryGiBPerInstance: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Memory of one instance. Unit: GiB. Default: memoryGiB / instances.' })),
    storageGiBPerInstance: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e15, description: 'Storage of one instance. Unit: GiB. Default: storageGiB / instances.' })),
    layout: Type.Optional(Type.Object({
      role: Type.Optional(Type.Unsafe<'single' | 'shard' | 'replica'>({ type: 'string', enum: ['single', 'shard', 'replica'], description: 'What an instance holds: all of a single instance, a share (shard) or everything (replica).' })),
      copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Copies of the data. Unit: copies.' })),
      replicationFactor: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Instances each write is replicated to. Unit: instances.' }))
    }, { additionalProperties: true, description: 'What an instance is. Default: not stated.' }))
  }, { additionalProperties: true, description: 'The recommendations of the plan.' })
}, { additionalProperties: true, description })

const duration = (description: string, fallback: string) => Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w|y)$', maxLength: 16, description: `${description} Prometheus duration. Default: ${fallback}.` })

export const AlertsRequestSchema = Type.Object({
  cpuThresholdPercent: Type.Optional(inputQuantity({ description: 'ScaleUpCPURequired threshold.', unit: '%', minimum: 0, maximum: 100, default: A.cpuThresholdPercent })),
  cpuFor: Type.Optional(duration('ScaleUpCPURequired for.', A.cpuFor)),
  memoryThresholdRatio: Type.Optional(inputQuantity({ description: 'ScaleUpMemoryRequired threshold.', unit: 'fraction of the limit', minimum: 0, maximum: 1, default: A.memoryThresholdRatio })),
  memoryFor: Type.Optional(duration('ScaleUpMemoryRequired for.', A.memoryFor)),
  storageThresholdRatio: Type.Optional(inputQuantity({ description: 'ScaleUpStorageRequired threshold.', unit: 'fraction of the limit', minimum: 0, maximum: 1, default: A.storageThresholdRatio })),
  storageFor: Type.Optional(duration('ScaleUpStorageRequired for.', A.storageFor)),
  storagePredictHours: Type.Optional(inputQuantity({ description: 'How far ahead predict_linear looks.', unit: 'h', minimum: 1, maximum: 8760, default: A.storagePredictHours, integer: true })),
  memoryLimitGiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Memory limit to alert against. Unit: GiB. Default: the plan\'s, else the engram_memory_limit_bytes metric.' })),
  storageLimitGiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e15, description: 'Storage limit to alert against. Unit: GiB. Default: the plan\'s, else the engram_storage_limit_bytes metric.' })),
  groupName: Type.Optional(Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9_.-]+$', description: `Rule group name. Default: ${A.groupName}.` })),
  plan: Type.Optional(engramPlan('A response of /estimate/engram (or at least its recommendations): one instance\'s memory and storage become the limits, since Engram\'s series are per pod (memoryGiBPerInstance and storageGiBPerInstance when the plan has them, else the totals divided by instances). Default: none.'))
}, { additionalProperties: false, description: 'Thresholds of the seed\'s scaling alert rules; each optional.' })

const k8sName = (description: string, fallback: string) => Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: `${description} A DNS-1123 label. Default: ${fallback}.` })

export const HpaRequestSchema = Type.Object({
  name: Type.Optional(k8sName('HPA name.', H.name)),
  namespace: Type.Optional(k8sName('Namespace.', 'none')),
  deployment: Type.Optional(k8sName('Name of the Deployment or StatefulSet to scale.', H.deployment)),
  targetKind: Type.Optional(Type.Unsafe<'Deployment' | 'StatefulSet'>({ type: 'string', enum: ['Deployment', 'StatefulSet'], default: H.targetKind, description: `What the HPA scales: the seed's Deployment or the StatefulSet upstream Engram runs as (a volume per pod; recommended). Default: ${H.targetKind}.` })),
  // no schema defaults: the plan's instances must be able to fill them in
  minReplicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: `Minimum replicas. Unit: replicas. Range: 1 to 1000000. Default: the plan's recommendations.instances, else ${H.minReplicas} (the seed's).` })),
  maxReplicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: `Maximum replicas (not below minReplicas). Unit: replicas. Range: 1 to 1000000. Default: ${H.maxReplicas} (the seed's), or minReplicas when that is more.` })),
  cpuUtilizationPercent: Type.Optional(inputQuantity({ description: 'CPU target.', unit: '%', minimum: 1, maximum: 100, default: H.cpuUtilizationPercent, integer: true })),
  memoryUtilizationPercent: Type.Optional(inputQuantity({ description: 'Memory target.', unit: '%', minimum: 1, maximum: 100, default: H.memoryUtilizationPercent, integer: true })),
  memoryMetric: Type.Optional(Type.Boolean({ default: H.memoryMetric, description: 'Whether the HPA has the memory target (the seed\'s has). Scaling out does not lower a stateful pod\'s memory: false leaves it out. Default: true.' })),
  queueDepthAverage: Type.Optional(inputQuantity({ description: 'engram_spreading_queue_depth average target.', unit: 'items', minimum: 1, maximum: 1_000_000, default: H.queueDepthAverage, integer: true })),
  scaleUpStabilizationSeconds: Type.Optional(inputQuantity({ description: 'Scale-up stabilization window.', unit: 's', minimum: 0, maximum: 3600, default: H.scaleUpStabilizationSeconds, integer: true })),
  scaleUpPercent: Type.Optional(inputQuantity({ description: 'Scale-up step.', unit: '% of pods', minimum: 1, maximum: 1000, default: H.scaleUpPercent, integer: true })),
  scaleUpPeriodSeconds: Type.Optional(inputQuantity({ description: 'Scale-up period.', unit: 's', minimum: 1, maximum: 1800, default: H.scaleUpPeriodSeconds, integer: true })),
  scaleDownStabilizationSeconds: Type.Optional(inputQuantity({ description: 'Scale-down stabilization window.', unit: 's', minimum: 0, maximum: 3600, default: H.scaleDownStabilizationSeconds, integer: true })),
  scaleDownPercent: Type.Optional(inputQuantity({ description: 'Scale-down step.', unit: '% of pods', minimum: 1, maximum: 100, default: H.scaleDownPercent, integer: true })),
  scaleDownPeriodSeconds: Type.Optional(inputQuantity({ description: 'Scale-down period.', unit: 's', minimum: 1, maximum: 1800, default: H.scaleDownPeriodSeconds, integer: true })),
  scaleDownEnabled: Type.Optional(Type.Boolean({ default: H.scaleDownEnabled, description: 'Whether the HPA scales down: false writes behavior.scaleDown.selectPolicy: Disabled (a removed pod takes its in-memory state with it). Default: true.' })),
  plan: Type.Optional(engramPlan('A response of /estimate/engram (or at least its recommendations): its instances are minReplicas, its memory per instance and layout are named in the warnings. Default: none.'))
}, { additionalProperties: false, description: 'The seed\'s HorizontalPodAutoscaler; each field optional.' })

export const GeneratedSchema = Type.Object({
  document: open('The generated document.'),
  yaml: text('The same as YAML, as served with Accept: application/yaml.'),
  warnings: WarningsRef,
  assumptions: AssumptionsRef
}, { $id: 'Generated', additionalProperties: false, description: 'A generated configuration file.' })
