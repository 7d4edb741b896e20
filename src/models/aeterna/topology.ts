// Where the pods of an Aeterna plan can go: each component's replicas against the topology domains
// its required anti-affinity allows, on a cluster whose nodes are spread evenly over its zones; what
// a node drain leaves; and the cluster (nodes, zones) that fits a values document's own plan.
import { type CpuMemory, componentResources, replicaCount, totalOf } from './resources.js'
import { COMPONENTS, TIERS, type TierName, valueAt } from './tiers.js'

export interface Cluster { nodes: number, zones: number }

/** What the scheduler may do with a component's pods: at most one per node, at most one per zone, or no required rule. */
export type PlacementRule = 'one per node' | 'one per zone' | 'no required rule'

const HOSTNAME = 'kubernetes.io/hostname'
const ZONE = 'topology.kubernetes.io/zone'

/**
 * Zones a highly available plan spans: Qdrant's Raft and CloudNativePG's quorum keep a majority
 * through the loss of one zone only when no zone holds half of the members, which takes 3 zones
 * (seed 002 asks for 2+: with 2, losing the larger zone loses the majority).
 */
export const HA_ZONES = 3

/** Where each component's affinity lives in the seed's layout (CloudNativePG: spec.affinity). */
export const AFFINITY_PATHS: Readonly<Record<string, readonly string[]>> = {
  aeterna: ['aeterna', 'affinity'],
  postgresql: ['postgresql', 'cloudnativepg', 'affinity'],
  qdrant: ['qdrant', 'affinity'],
  dragonfly: ['dragonfly', 'affinity'],
  opal: ['opal', 'opalServer', 'affinity']
}

/** The topology keys of a component's required anti-affinity terms that select its own pods. */
function requiredTopologyKeys (affinity: unknown, label: string): string[] {
  // CloudNativePG's own form: podAntiAffinityType required, by topologyKey (default hostname)
  if (valueAt(affinity, ['podAntiAffinityType']) === 'required' && valueAt(affinity, ['enablePodAntiAffinity']) !== false) {
    const key = valueAt(affinity, ['topologyKey'])
    return [typeof key === 'string' ? key : HOSTNAME]
  }
  const terms = valueAt(affinity, ['podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'])
  if (!Array.isArray(terms)) return []
  return terms.filter((term) => selects(valueAt(term, ['labelSelector']), label))
    .map((term) => valueAt(term, ['topologyKey'])).filter((key): key is string => typeof key === 'string')
}

/**
 * Whether a labelSelector selects the component's pods, labelled app.kubernetes.io/name=<name>: every
 * matchLabels entry and every matchExpressions requirement must hold (Kubernetes ANDs them). Labels
 * other than app.kubernetes.io/name are not known to be on the pods, so a selector needing them fails.
 */
export function selects (selector: unknown, name: string): boolean {
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return false
  const labels: Record<string, string> = { 'app.kubernetes.io/name': name }
  const matchLabels = valueAt(selector, ['matchLabels'])
  const expressions = valueAt(selector, ['matchExpressions'])
  const labelsHold = matchLabels === undefined || (typeof matchLabels === 'object' && matchLabels !== null && !Array.isArray(matchLabels) &&
    Object.entries(matchLabels).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value))
  const requirementHolds = (expression: unknown): boolean => {
    const key = valueAt(expression, ['key'])
    const operator = valueAt(expression, ['operator'])
    const list = valueAt(expression, ['values'])
    const has = typeof key === 'string' && Object.hasOwn(labels, key)
    const inList = has && Array.isArray(list) && list.includes(labels[key])
    if (operator === 'In') return inList
    if (operator === 'NotIn') return !inList
    if (operator === 'Exists') return has
    return operator === 'DoesNotExist' && !has
  }
  const expressionsHold = expressions === undefined || (Array.isArray(expressions) && expressions.every(requirementHolds))
  return (matchLabels !== undefined || expressions !== undefined) && labelsHold && expressionsHold
}

const LABELS: Readonly<Record<string, string>> = { aeterna: 'aeterna', postgresql: 'postgresql', qdrant: 'qdrant', dragonfly: 'dragonfly', opal: 'opal-server' }

export function placementRule (values: unknown, component: string): PlacementRule {
  const keys = requiredTopologyKeys(valueAt(values, AFFINITY_PATHS[component]), LABELS[component])
  if (keys.includes(ZONE)) return 'one per zone'
  return keys.includes(HOSTNAME) ? 'one per node' : 'no required rule'
}

/** Pods a rule lets the scheduler place; undefined when no required rule limits it (resources do). */
export function placeable (rule: PlacementRule, cluster: Cluster): number | undefined {
  if (rule === 'one per node') return cluster.nodes
  return rule === 'one per zone' ? Math.min(cluster.zones, cluster.nodes) : undefined
}

/** The cluster while one node is drained: the worst case drains the only node of a zone. */
export function drained (cluster: Cluster): Cluster {
  const nodes = Math.max(0, cluster.nodes - 1)
  const smallestZoneNodes = Math.floor(cluster.nodes / Math.max(1, cluster.zones))
  return { nodes, zones: Math.min(nodes, smallestZoneNodes >= 2 ? cluster.zones : cluster.zones - 1) }
}

/** Where a document may hold Aeterna's HPA: the seed's autoscaling, or aeterna.autoscaling (seed 002's alternative, the upstream chart's place). */
export const HPA_PATHS: ReadonlyArray<readonly string[]> = [['autoscaling'], ['aeterna', 'autoscaling']]

/** The place of the document's enabled HPA, if it has one. */
export const enabledHpaPath = (values: unknown): string[] | undefined => HPA_PATHS.find((path) => valueAt(values, [...path, 'enabled']) === true)?.slice()

/** The HPA range the document sets (seed layout: autoscaling, or aeterna.autoscaling), when enabled. */
export function hpaRange (values: unknown): { minReplicas: number, maxReplicas: number } | undefined {
  const hpa = HPA_PATHS.map((path) => valueAt(values, path)).find((block) => block !== undefined)
  if (valueAt(hpa, ['enabled']) !== true) return undefined
  const min = replicaCount(hpa, ['minReplicas'])
  const max = replicaCount(hpa, ['maxReplicas'])
  return min.stated && max.stated ? { minReplicas: min.replicas, maxReplicas: max.replicas } : undefined
}

export interface Placement {
  component: string
  /** replicas the values run (Aeterna: the replica count) */
  replicas: number
  /** the most replicas that may run: Aeterna at the HPA's maxReplicas */
  peakReplicas: number
  rule: PlacementRule
  /** the most pods the rule places on the cluster; left out where no required rule limits them */
  placeable?: number
  /** the same with one node drained */
  placeableWhileDraining?: number
  /** peakReplicas <= placeable */
  fits: boolean
  /** replicas <= placeableWhileDraining: a drained node's pod starts elsewhere */
  drainReschedules: boolean
}

export function placements (values: unknown, cluster: Cluster): Placement[] {
  const hpa = hpaRange(values)
  return COMPONENTS.map(({ name, replicasPath }) => {
    const { replicas } = replicaCount(values, replicasPath)
    const peakReplicas = name === 'aeterna' && hpa !== undefined ? Math.max(replicas, hpa.maxReplicas) : replicas
    const rule = placementRule(values, name)
    const room = placeable(rule, cluster)
    const roomWhileDraining = placeable(rule, drained(cluster))
    return {
      component: name,
      replicas,
      peakReplicas,
      rule,
      ...(room === undefined ? {} : { placeable: room }),
      ...(roomWhileDraining === undefined ? {} : { placeableWhileDraining: roomWhileDraining }),
      fits: room === undefined || peakReplicas <= room,
      drainReschedules: roomWhileDraining === undefined || replicas <= roomWhileDraining
    }
  })
}

/** Requests of every component with Aeterna at its peak: what the nodes must hold. */
export function peakRequests (values: unknown): CpuMemory {
  const hpa = hpaRange(values)
  const components = componentResources(values).map((c) => c.component === 'aeterna' && hpa !== undefined ? { ...c, replicas: Math.max(c.replicas, hpa.maxReplicas) } : c)
  return totalOf(components, 'requests')
}

export interface ClusterPlan extends Cluster {
  nodeCpuCores: number
  nodeMemoryGiB: number
  /** why this many nodes: each bound and the figure it asks for */
  nodeBounds: Array<{ bound: string, nodes: number }>
  zoneBasis: string
}

/**
 * The smallest cluster of the tier's node size that holds the document's plan: the tier's minimum,
 * one node per zone, every one-per-node component at its peak with one node spare for a drain
 * where the component has no HPA above its replicas, and the peak requests.
 */
export function clusterFor (tierName: TierName, values: unknown, highlyAvailable: boolean): ClusterPlan {
  const tier = TIERS[tierName].infrastructure
  const zones = highlyAvailable ? HA_ZONES : tier.availabilityZones
  const requests = peakRequests(values)
  const perNode = placements(values, { nodes: Number.MAX_SAFE_INTEGER, zones }).filter((p) => p.rule === 'one per node')
  const nodeBounds = [
    { bound: `the ${tierName} tier's minimum (seed 000)`, nodes: tier.nodes.min },
    { bound: `one node per zone (${zones} zones)`, nodes: zones },
    ...perNode.map((p) => ({
      bound: p.peakReplicas > p.replicas
        ? `${p.component}: ${p.peakReplicas} pods at the HPA's maxReplicas, one per node`
        : `${p.component}: ${p.replicas} pods one per node, plus one node so a drained node's pod starts elsewhere`,
      nodes: p.peakReplicas > p.replicas ? p.peakReplicas : p.replicas + 1
    })),
    { bound: `CPU requests at peak (${requests.cpuCores} cores / ${tier.nodeCpuCores} per node)`, nodes: Math.ceil(requests.cpuCores / tier.nodeCpuCores) },
    { bound: `memory requests at peak (${requests.memoryGiB} GiB / ${tier.nodeMemoryGiB} per node)`, nodes: Math.ceil(requests.memoryGiB / tier.nodeMemoryGiB) }
  ]
  const nodes = Math.max(...nodeBounds.map((b) => b.nodes))
  const zoneBasis = highlyAvailable
    ? `${HA_ZONES} zones: a Raft or quorum majority survives the loss of one zone only when no zone holds half the members (seed 002 asks for 2+)`
    : `the ${tierName} tier's ${tier.availabilityZones} zone(s) (seed 000)`
  return { nodes, zones, nodeCpuCores: tier.nodeCpuCores, nodeMemoryGiB: tier.nodeMemoryGiB, nodeBounds, zoneBasis }
}
