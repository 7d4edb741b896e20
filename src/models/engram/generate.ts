// Generated configuration from seed 004: the scaling alert rules as a Prometheus rules file and the
// HorizontalPodAutoscaler, with thresholds, limits and replica counts from the request or a plan.
import { stringify } from 'yaml'

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
  deployment: string
  minReplicas: number
  maxReplicas: number
  cpuUtilizationPercent: number
  memoryUtilizationPercent: number
  queueDepthAverage: number
  scaleUpStabilizationSeconds: number
  scaleUpPercent: number
  scaleUpPeriodSeconds: number
  scaleDownStabilizationSeconds: number
  scaleDownPercent: number
  scaleDownPeriodSeconds: number
}

/** seed 004, Kubernetes HPA Configuration. */
export const HPA_DEFAULTS: HpaInput = {
  name: 'engram-hpa',
  deployment: 'engram',
  minReplicas: 2,
  maxReplicas: 10,
  cpuUtilizationPercent: 70,
  memoryUtilizationPercent: 80,
  queueDepthAverage: 100,
  scaleUpStabilizationSeconds: 60,
  scaleUpPercent: 100,
  scaleUpPeriodSeconds: 60,
  scaleDownStabilizationSeconds: 300,
  scaleDownPercent: 50,
  scaleDownPeriodSeconds: 300
}

export function horizontalPodAutoscaler (input: HpaInput): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: input.name, ...(input.namespace === undefined ? {} : { namespace: input.namespace }) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: input.deployment },
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: input.cpuUtilizationPercent } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: input.memoryUtilizationPercent } } },
        { type: 'Pods', pods: { metric: { name: 'engram_spreading_queue_depth' }, target: { type: 'AverageValue', averageValue: String(input.queueDepthAverage) } } }
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: input.scaleUpStabilizationSeconds, policies: [{ type: 'Percent', value: input.scaleUpPercent, periodSeconds: input.scaleUpPeriodSeconds }] },
        scaleDown: { stabilizationWindowSeconds: input.scaleDownStabilizationSeconds, policies: [{ type: 'Percent', value: input.scaleDownPercent, periodSeconds: input.scaleDownPeriodSeconds }] }
      }
    }
  }
}

export const toYaml = (document: unknown): string => stringify(document, { lineWidth: 0 })
