// Generated configuration from seed 004: the scaling alert rules as a Prometheus rules file and the
// HorizontalPodAutoscaler, with thresholds, limits and replica counts from the request or a plan.
// Engram is a stateful store (its graph in process memory: hot tier in RAM, warm tier mmapped, WAL
// on disk), so the HPA says where the seed's autoscaling does not suit it.
import { stringify } from 'yaml'
import type { Assumption, Warning } from '../common.js'

/** What an instance of the plan holds: a share (shard), everything (replica) or the only one (single). */
export interface EngramPlanLayout {
  role?: 'single' | 'shard' | 'replica'
  copies?: number
  replicationFactor?: number
}

/** The parts of an /estimate/engram answer the generated files use (the whole answer may be posted). */
export interface EngramPlan {
  inputs?: Record<string, unknown>
  recommendations: {
    memoryGiB: number
    storageGiB: number
    instances: number
    memoryGiBPerInstance?: number
    storageGiBPerInstance?: number
    layout?: EngramPlanLayout
  }
}

export interface PerInstance { memoryGiB: number, storageGiB: number, assumptions: Assumption[], warnings: Warning[] }

const gib = (value: number): string => `${Number(value.toPrecision(6))} GiB`

/**
 * Memory and storage of one instance of the plan: its per-instance figures when it has them, else its
 * totals divided by its instances (an equal share each). Engram's memory is per process, so a per-pod
 * series is compared with this, never with the total.
 */
export function perInstance (plan: EngramPlan): PerInstance {
  const { memoryGiB, storageGiB, instances, memoryGiBPerInstance, storageGiBPerInstance, layout } = plan.recommendations
  const figure = (name: string, total: number, given: number | undefined): Assumption => given === undefined
    ? { name, value: total / instances, unit: 'GiB', source: `plan: recommendations.${name.replace('PerInstance', '')} / instances (${total} / ${instances})`, note: 'An equal share per instance: the plan gives only the total.' }
    : { name, value: given, unit: 'GiB', source: `plan: recommendations.${name}` }
  const memory = figure('memoryGiBPerInstance', memoryGiB, memoryGiBPerInstance)
  const storage = figure('storageGiBPerInstance', storageGiB, storageGiBPerInstance)
  const warnings: Warning[] = []
  const divided = [memoryGiBPerInstance === undefined ? `memory ${gib(memoryGiB)} / ${instances} = ${gib(memory.value)}` : undefined, storageGiBPerInstance === undefined ? `storage ${gib(storageGiB)} / ${instances} = ${gib(storage.value)}` : undefined].filter((part) => part !== undefined)
  if (instances > 1 && divided.length > 0) {
    const replica = layout?.role === 'replica' ? ' The plan\'s layout says each instance is a replica holding everything: then a pod needs the whole, and the plan should say memoryGiBPerInstance and storageGiBPerInstance.' : ''
    warnings.push({ code: 'PLAN_TOTALS_DIVIDED', severity: 'info', message: `The plan gives totals over ${instances} instances without per-instance figures: the figures per pod are equal shares, ${divided.join(', ')}.${replica}` })
  }
  return { memoryGiB: memory.value, storageGiB: storage.value, assumptions: [memory, storage], warnings }
}

export interface AlertsInput {
  cpuThresholdPercent: number
  cpuFor: string
  memoryThresholdRatio: number
  memoryFor: string
  storageThresholdRatio: number
  storageFor: string
  storagePredictHours: number
  memoryLimitGiB?: number
  storageLimitGiB?: number
  groupName: string
}

export const ALERT_DEFAULTS: AlertsInput = {
  cpuThresholdPercent: 70, // seed 004, Scaling Alert Rules (ScaleUpCPURequired)
  cpuFor: '10m',
  memoryThresholdRatio: 0.8, // ScaleUpMemoryRequired
  memoryFor: '5m',
  storageThresholdRatio: 0.9, // ScaleUpStorageRequired
  storageFor: '30m',
  storagePredictHours: 24, // predict_linear(...[6h], 86400)
  groupName: 'engram-scaling'
}

const BYTES_PER_GIB = 2 ** 30

/** A limit from the plan as a literal, or the seed's limit metric when no plan is given. */
const limitExpression = (gib: number | undefined, metric: string): string => gib === undefined ? metric : String(Math.round(gib * BYTES_PER_GIB))

export function alertRules (input: AlertsInput): Record<string, unknown> {
  const memoryLimit = limitExpression(input.memoryLimitGiB, 'engram_memory_limit_bytes')
  const storageLimit = limitExpression(input.storageLimitGiB, 'engram_storage_limit_bytes')
  return {
    groups: [{
      name: input.groupName,
      rules: [
        {
          alert: 'ScaleUpCPURequired',
          expr: `(avg_over_time(engram_cpu_utilization_percent[5m]) > ${input.cpuThresholdPercent})\nand\n(rate(engram_spreading_queue_depth[5m]) > 0)\n`,
          for: input.cpuFor,
          labels: { severity: 'warning' },
          annotations: { summary: `Engram CPU above ${input.cpuThresholdPercent}% with a growing spreading queue`, action: 'Add 2x CPU cores or investigate bottleneck' }
        },
        {
          alert: 'ScaleUpMemoryRequired',
          expr: `(engram_memory_usage_bytes{tier="hot"} / ${memoryLimit}) > ${input.memoryThresholdRatio}\n`,
          for: input.memoryFor,
          labels: { severity: 'warning' },
          annotations: { summary: `Engram hot tier above ${input.memoryThresholdRatio * 100}% of its memory limit`, action: 'Add 50% more RAM or increase tier eviction rate' }
        },
        {
          alert: 'ScaleUpStorageRequired',
          expr: `predict_linear(engram_storage_usage_bytes[6h], ${input.storagePredictHours * 3600}) > ${storageLimit} * ${input.storageThresholdRatio}\n`,
          for: input.storageFor,
          labels: { severity: 'critical' },
          annotations: { summary: `Engram storage will pass ${input.storageThresholdRatio * 100}% of its limit within ${input.storagePredictHours}h`, action: `Storage will fill within ${input.storagePredictHours}h - expand volume or archive data` }
        }
      ]
    }]
  }
}

export interface HpaInput {
  name: string
  namespace?: string
  /** Name of the workload the HPA scales (a Deployment in the seed). */
  deployment: string
  /** What the workload is: the seed's Deployment or the StatefulSet upstream Engram runs as. */
  targetKind: 'Deployment' | 'StatefulSet'
  minReplicas: number
  maxReplicas: number
  cpuUtilizationPercent: number
  memoryUtilizationPercent: number
  /** Whether the memory target is in the HPA (the seed's has it). */
  memoryMetric: boolean
  queueDepthAverage: number
  scaleUpStabilizationSeconds: number
  scaleUpPercent: number
  scaleUpPeriodSeconds: number
  scaleDownStabilizationSeconds: number
  scaleDownPercent: number
  scaleDownPeriodSeconds: number
  /** Whether the HPA scales down at all: false writes behavior.scaleDown.selectPolicy: Disabled. */
  scaleDownEnabled: boolean
}

/** seed 004, Kubernetes HPA Configuration. */
export const HPA_DEFAULTS: HpaInput = {
  name: 'engram-hpa',
  deployment: 'engram',
  targetKind: 'Deployment',
  minReplicas: 2,
  maxReplicas: 10,
  cpuUtilizationPercent: 70,
  memoryUtilizationPercent: 80,
  memoryMetric: true,
  queueDepthAverage: 100,
  scaleUpStabilizationSeconds: 60,
  scaleUpPercent: 100,
  scaleUpPeriodSeconds: 60,
  scaleDownStabilizationSeconds: 300,
  scaleDownPercent: 50,
  scaleDownPeriodSeconds: 300,
  scaleDownEnabled: true
}

export function horizontalPodAutoscaler (input: HpaInput): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: input.name, ...(input.namespace === undefined ? {} : { namespace: input.namespace }) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: input.targetKind, name: input.deployment },
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: input.cpuUtilizationPercent } } },
        ...(input.memoryMetric ? [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: input.memoryUtilizationPercent } } }] : []),
        { type: 'Pods', pods: { metric: { name: 'engram_spreading_queue_depth' }, target: { type: 'AverageValue', averageValue: String(input.queueDepthAverage) } } }
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: input.scaleUpStabilizationSeconds, policies: [{ type: 'Percent', value: input.scaleUpPercent, periodSeconds: input.scaleUpPeriodSeconds }] },
        scaleDown: input.scaleDownEnabled
          ? { stabilizationWindowSeconds: input.scaleDownStabilizationSeconds, policies: [{ type: 'Percent', value: input.scaleDownPercent, periodSeconds: input.scaleDownPeriodSeconds }] }
          : { selectPolicy: 'Disabled' }
      }
    }
  }
}

export interface HpaPlan { input: HpaInput, header: string[], warnings: Warning[], assumptions: Assumption[] }

/** The number of pods a Percent policy may remove in one period from `pods` (Kubernetes rounds up). */
const podsPerPeriod = (pods: number, percent: number): number => Math.ceil(pods * percent / 100)

/**
 * The HPA for a request and, when given, a plan: the plan's instances are the minimum (a request's
 * minReplicas still wins), the maximum is at least the minimum, and what does not suit a stateful
 * store is said: the seed's Deployment target, its memory target, its scale-down.
 */
export function planHpa (request: Partial<HpaInput>, plan?: EngramPlan): HpaPlan {
  const planInstances = plan?.recommendations.instances
  const minReplicas = request.minReplicas ?? planInstances ?? HPA_DEFAULTS.minReplicas
  const maxReplicas = request.maxReplicas ?? Math.max(HPA_DEFAULTS.maxReplicas, minReplicas)
  const input: HpaInput = { ...HPA_DEFAULTS, ...request, minReplicas, maxReplicas }
  const layout = plan?.recommendations.layout
  const share = plan === undefined ? undefined : perInstance(plan)
  const warnings: Warning[] = []
  const header: string[] = []
  const assumptions: Assumption[] = [
    request.minReplicas !== undefined
      ? { name: 'minReplicas', value: minReplicas, unit: 'replicas', source: 'request' }
      : planInstances !== undefined
        ? { name: 'minReplicas', value: minReplicas, unit: 'replicas', source: 'plan: recommendations.instances', note: 'The instances the plan needs for its throughput, memory and storage: the HPA never goes below them.' }
        : { name: 'minReplicas', value: minReplicas, unit: 'replicas', source: 'seed 004, Kubernetes HPA Configuration', note: 'The seed\'s example, not a size: post the /estimate/engram answer as plan to hold its instances.' },
    { name: 'maxReplicas', value: maxReplicas, unit: 'replicas', source: request.maxReplicas !== undefined ? 'request' : maxReplicas === HPA_DEFAULTS.maxReplicas ? 'seed 004, Kubernetes HPA Configuration' : 'minReplicas (above the seed\'s 10)' }
  ]
  if (planInstances !== undefined) header.push(`minReplicas ${minReplicas}${request.minReplicas === undefined ? ': the plan\'s recommendations.instances' : ` (request; the plan needs ${planInstances})`}.`)
  if (planInstances !== undefined && request.minReplicas !== undefined && request.minReplicas < planInstances) {
    warnings.push({ code: 'HPA_MIN_BELOW_PLAN', severity: 'warning', message: `minReplicas ${request.minReplicas} is below the plan's ${planInstances} instances: the HPA may scale the store down to ${request.minReplicas} pods, fewer than the plan needs for its throughput, memory and storage. Leave minReplicas out to take the plan's.` })
  }
  if (request.maxReplicas === undefined && minReplicas > HPA_DEFAULTS.maxReplicas) {
    warnings.push({ code: 'HPA_MAX_AT_MIN', severity: 'info', message: `minReplicas ${minReplicas} is above the seed's maxReplicas ${HPA_DEFAULTS.maxReplicas}: maxReplicas is ${maxReplicas} too, so the HPA holds ${minReplicas} pods and never scales out. State maxReplicas to allow more.` })
  }
  if (input.targetKind === 'Deployment') {
    warnings.push({ code: 'HPA_TARGETS_DEPLOYMENT', severity: 'warning', message: `The HPA scales the Deployment "${input.deployment}", as the seed's does. Engram keeps its WAL and warm tier on a volume of its own per pod${share === undefined ? '' : ` (${gib(share.storageGiB)} each by the plan)`}: a Deployment's pods share one claim or lose their data when rescheduled. Upstream Engram runs as a StatefulSet with volumeClaimTemplates (deployments/kubernetes/engram-cluster.yaml: 3 replicas, replication factor 2): set targetKind to StatefulSet.` })
  }
  if (input.memoryMetric) {
    const holds = layout?.role === 'replica'
      ? `each pod is a replica holding the whole graph (the plan's layout${layout.copies === undefined ? '' : `, ${layout.copies} copies`}), so no number of pods lowers a pod's memory`
      : layout?.role === 'shard'
        ? 'each pod is a shard holding its share of the graph, and a new pod takes none of it until the data is re-sharded, so scaling out does not lower any pod\'s memory'
        : 'a pod\'s memory follows the data it holds, and a new pod takes none of it unless the data is re-sharded or rebalanced, so scaling out does not lower any pod\'s memory'
    const sized = share === undefined ? 'Size memory per pod vertically (an /estimate/engram answer posted as plan names its memory per instance)' : `Size memory per pod vertically: the plan's ${gib(share.memoryGiB)} per instance`
    warnings.push({ code: 'HPA_MEMORY_METRIC_STATEFUL', severity: 'warning', message: `The memory target (${input.memoryUtilizationPercent}% average utilisation) adds pods when Engram's memory (hot tier in RAM, warm tier mmapped) grows, but ${holds}: the HPA would add pods up to maxReplicas ${maxReplicas} without relieving any. ${sized}, and set memoryMetric to false to leave the memory target out.` })
  }
  if (input.scaleDownEnabled && maxReplicas > minReplicas) {
    const removable = Math.min(podsPerPeriod(maxReplicas, input.scaleDownPercent), maxReplicas - minReplicas)
    const factor = layout?.replicationFactor
    const copies = factor !== undefined && factor >= 2 && removable >= factor ? ` With the plan's replication factor ${factor}, removing ${removable} pods at once can remove every copy of some data.` : ''
    warnings.push({ code: 'HPA_SCALE_DOWN_STATEFUL', severity: 'warning', message: `The scale-down policy removes up to ${input.scaleDownPercent}% of the pods every ${input.scaleDownPeriodSeconds} s (${removable} of ${maxReplicas} at once) after a ${input.scaleDownStabilizationSeconds} s window: a removed pod takes its in-memory state (the hot tier) with it, and what it held must be re-read or re-replicated.${copies} Set scaleDownEnabled to false (selectPolicy: Disabled) and scale in by hand after moving the data, or give a long scaleDownStabilizationSeconds and a small scaleDownPercent.` })
  }
  if (share !== undefined) {
    assumptions.push(...share.assumptions)
    // the division matters where a warning above names a figure per pod
    if (input.targetKind === 'Deployment' || input.memoryMetric) warnings.push(...share.warnings)
  }
  return { input, header, warnings, assumptions }
}

export const toYaml = (document: unknown): string => stringify(document, { lineWidth: 0 })
