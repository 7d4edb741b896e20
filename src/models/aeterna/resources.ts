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

/** Replica count as written, or 1 (the Kubernetes default) when absent or not a whole number. */
export function replicaCount (values: unknown, path: readonly string[]): { replicas: number, stated: boolean } {
  const raw = valueAt(values, path)
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? { replicas: raw, stated: true } : { replicas: 1, stated: false }
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
