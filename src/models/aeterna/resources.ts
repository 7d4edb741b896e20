// Totals of a values document: replicas x requests and limits per component.
import { decimalClean } from '../common.js'
import { cpuCores, memoryGiB } from './quantities.js'
import { COMPONENTS, valueAt } from './tiers.js'

export interface CpuMemory { cpuCores: number, memoryGiB: number }

export interface ComponentResources {
  component: string
  replicas: number
  /** false when the document gives no replica count and the Kubernetes default of 1 is assumed */
  replicasStated: boolean
  requests: CpuMemory
  limits: CpuMemory
}

/**
 * Replica count as Kubernetes gets it once the chart renders it: a whole number, or a quoted one
 * ("3" renders as 3). Absent: 1, the Kubernetes default. Anything else is `invalid` (and counted as 1).
 */
export function replicaCount (values: unknown, path: readonly string[]): { replicas: number, stated: boolean, invalid?: unknown } {
  const raw = valueAt(values, path)
  if (raw === undefined) return { replicas: 1, stated: false }
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 2_147_483_647) return { replicas: raw, stated: true } // int32, as Kubernetes
  if (typeof raw === 'string' && /^\s*\d{1,9}\s*$/.test(raw)) return { replicas: Number(raw), stated: true }
  return { replicas: 1, stated: false, invalid: raw }
}

function quantities (resources: unknown, kind: 'requests' | 'limits'): CpuMemory {
  return {
    cpuCores: cpuCores(valueAt(resources, [kind, 'cpu'])) ?? 0,
    memoryGiB: memoryGiB(valueAt(resources, [kind, 'memory'])) ?? 0
  }
}

export function componentResources (values: unknown): ComponentResources[] {
  return COMPONENTS.map((component) => {
    const { replicas, stated } = replicaCount(values, component.replicasPath)
    const resources = valueAt(values, component.resourcesPath)
    return { component: component.name, replicas, replicasStated: stated, requests: quantities(resources, 'requests'), limits: quantities(resources, 'limits') }
  })
}

export function totalOf (components: ComponentResources[], kind: 'requests' | 'limits'): CpuMemory {
  return {
    cpuCores: decimalClean(components.reduce((sum, c) => sum + c.replicas * c[kind].cpuCores, 0)),
    memoryGiB: decimalClean(components.reduce((sum, c) => sum + c.replicas * c[kind].memoryGiB, 0))
  }
}
