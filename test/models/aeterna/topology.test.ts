// Where the pods of a plan can go: placement rules, what a drain leaves, and the cluster that fits
// a plan. Figures by hand from seed 000's values files.
import t from 'tap'
import { tierWithHa } from '../../../src/models/aeterna/overlay.js'
import { tierValues } from '../../../src/models/aeterna/tiers.js'
import { clusterFor, drained, hpaRange, peakRequests, placeable, placementRule, placements } from '../../../src/models/aeterna/topology.js'

const required = (key: string, name: string) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } }, topologyKey: key }] } })

t.test('placement rules from required anti-affinity that selects the component\'s own pods', async (t) => {
  t.equal(placementRule({ aeterna: { affinity: required('kubernetes.io/hostname', 'aeterna') } }, 'aeterna'), 'one per node')
  t.equal(placementRule({ qdrant: { affinity: required('topology.kubernetes.io/zone', 'qdrant') } }, 'qdrant'), 'one per zone')
  t.equal(placementRule({ qdrant: { affinity: required('kubernetes.io/hostname', 'other') } }, 'qdrant'), 'no required rule', 'a term for other pods')
  t.equal(placementRule({ opal: { opalServer: { affinity: required('kubernetes.io/hostname', 'opal-server') } } }, 'opal'), 'one per node', 'OPAL\'s pods are opal-server')
  t.equal(placementRule({}, 'dragonfly'), 'no required rule')
  t.equal(placementRule({ dragonfly: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: 'x' } } } }, 'dragonfly'), 'no required rule')
  // CloudNativePG's own form (spec.affinity): required by hostname unless it names another key
  t.equal(placementRule({ postgresql: { cloudnativepg: { affinity: { podAntiAffinityType: 'required' } } } }, 'postgresql'), 'one per node')
  t.equal(placementRule({ postgresql: { cloudnativepg: { affinity: { podAntiAffinityType: 'required', topologyKey: 'topology.kubernetes.io/zone' } } } }, 'postgresql'), 'one per zone')
  t.equal(placementRule({ postgresql: { cloudnativepg: { affinity: { podAntiAffinityType: 'required', enablePodAntiAffinity: false } } } }, 'postgresql'), 'no required rule')
  t.equal(placementRule({ postgresql: { cloudnativepg: { affinity: { podAntiAffinityType: 'preferred' } } } }, 'postgresql'), 'no required rule', 'CloudNativePG\'s default')
})

t.test('pods a rule places, and the cluster while a node drains', async (t) => {
  t.equal(placeable('one per node', { nodes: 10, zones: 3 }), 10)
  t.equal(placeable('one per zone', { nodes: 10, zones: 3 }), 3)
  t.equal(placeable('one per zone', { nodes: 2, zones: 3 }), 2, 'a zone without a node holds nothing')
  t.equal(placeable('no required rule', { nodes: 10, zones: 3 }), undefined)
  // 10 nodes over 3 zones: 4, 3, 3; any drained node leaves every zone a node
  t.same(drained({ nodes: 10, zones: 3 }), { nodes: 9, zones: 3 })
  // 5 nodes over 3 zones: 2, 2, 1; draining the lone node of a zone leaves 2 zones
  t.same(drained({ nodes: 5, zones: 3 }), { nodes: 4, zones: 2 })
  t.same(drained({ nodes: 6, zones: 3 }), { nodes: 5, zones: 3 })
  t.same(drained({ nodes: 1, zones: 1 }), { nodes: 0, zones: 0 })
})

t.test('the HPA range a document sets', async (t) => {
  t.same(hpaRange({ autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10 } }), { minReplicas: 3, maxReplicas: 10 })
  t.same(hpaRange({ aeterna: { autoscaling: { enabled: true, minReplicas: '2', maxReplicas: 4 } } }), { minReplicas: 2, maxReplicas: 4 }, 'the upstream place, a quoted count')
  t.equal(hpaRange({ autoscaling: { enabled: false, minReplicas: 3, maxReplicas: 10 } }), undefined)
  t.equal(hpaRange({ autoscaling: { enabled: true, minReplicas: 3 } }), undefined, 'no maximum: no range')
  t.equal(hpaRange({}), undefined)
})

t.test('the large HA plan on its cluster: every component fits and a drain reschedules', async (t) => {
  const { values, cluster } = tierWithHa('large')
  t.same(placements(values, cluster).map((p) => [p.component, p.replicas, p.peakReplicas, p.rule, p.placeable, p.placeableWhileDraining, p.fits, p.drainReschedules]), [
    ['aeterna', 5, 10, 'one per node', 10, 9, true, true],
    ['postgresql', 5, 5, 'no required rule', undefined, undefined, true, true],
    ['qdrant', 5, 5, 'one per node', 10, 9, true, true],
    ['dragonfly', 3, 3, 'no required rule', undefined, undefined, true, true],
    ['opal', 3, 3, 'no required rule', undefined, undefined, true, true]
  ])
  // seed 000's large tier has 5 nodes: the HPA's 10 pods and a Qdrant drain do not fit there
  const five = placements(values, { nodes: 5, zones: 3 })
  t.match(five.find((p) => p.component === 'aeterna'), { fits: false, placeable: 5 })
  t.match(five.find((p) => p.component === 'qdrant'), { fits: true, drainReschedules: false, placeableWhileDraining: 4 })
})

t.test('the cluster that fits a plan, bound by bound (hand-added)', async (t) => {
  // large HA at the HPA maximum: aeterna 10 x 1 + postgresql 5 x 1 + qdrant 5 x 2 + dragonfly 3 x 0.5 + opal 3 x 0.5 = 28 cores;
  // 10 x 2 + 5 x 4 + 5 x 4 + 3 x 2 + 3 x 0.5 = 67.5 GiB
  const large = tierWithHa('large')
  t.same(peakRequests(large.values), { cpuCores: 28, memoryGiB: 67.5 })
  t.same(large.cluster.nodeBounds.map((b) => b.nodes), [5, 3, 10, 6, 4, 3], 'tier minimum, zones, Aeterna at the HPA max, Qdrant + 1, ceil(28 / 8), ceil(67.5 / 32)')
  t.match(large.cluster, { nodes: 10, zones: 3, nodeCpuCores: 8, nodeMemoryGiB: 32, zoneBasis: /no zone holds half the members/ })
  const medium = tierWithHa('medium')
  t.match(medium.cluster, { nodes: 5, zones: 3 }, 'the HPA capped at 5 pods, one per node')
  // without HA: the tier's zones, no one-per-node rule; medium requests 3 x 0.5 + 3 x 0.5 + 3 x 0.5 + 2 x 0.25 + 2 x 0.25 = 5.5 cores
  const plain = clusterFor('medium', tierValues('medium'), false)
  t.match(plain, { nodes: 3, zones: 2, zoneBasis: 'the medium tier\'s 2 zone(s) (seed 000)' })
  t.same(peakRequests(tierValues('medium')), { cpuCores: 5.5, memoryGiB: 11 }, '3 x 1 + 3 x 1 + 3 x 1 + 2 x 0.5 + 2 x 0.5 GiB')
})
