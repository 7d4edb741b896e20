// Issue 28, point 3: the generated HPA and alert rules take the plan (its instances as the minimum,
// one instance's memory and storage as the limits) and say where autoscaling does not suit a stateful
// store (Engram's graph lives in process memory, its WAL and warm tier on a volume per pod).
import t from 'tap'
import { parse } from 'yaml'
import { buildApp } from '../../src/app.js'

const app = await buildApp()
t.teardown(() => app.close())

const GIB = 2 ** 30
const hpa = async (payload: Record<string, unknown>) => await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload, headers: { accept: 'application/json' } })
const alerts = async (payload: Record<string, unknown>) => await app.inject({ method: 'POST', url: '/generate/engram/alerts', payload, headers: { accept: 'application/json' } })
const codes = (answer: { warnings: Array<{ code: string }> }): string[] => answer.warnings.map((w) => w.code)
const warning = (answer: { warnings: Array<{ code: string, severity: string, message: string }> }, code: string) => answer.warnings.find((w) => w.code === code)

/** The /estimate/engram answer at 200,000 ops/s, from the real route. */
const estimate = (await app.inject({ method: 'POST', url: '/estimate/engram', payload: { opsPerSec: 200_000 } })).json()
const instances: number = estimate.recommendations.instances

t.test('the whole estimate at 200,000 ops/s as plan: its instances are minReplicas', async (t) => {
  t.ok(instances > 2, `the plan needs ${instances} instances, more than the seed's 2`)
  const answer = await hpa({ plan: estimate })
  t.equal(answer.statusCode, 200)
  const body = answer.json()
  t.equal(body.document.spec.minReplicas, instances)
  t.equal(body.document.spec.maxReplicas, Math.max(10, instances))
  t.match(body.assumptions, [{ name: 'minReplicas', value: instances, source: 'plan: recommendations.instances' }, { name: 'maxReplicas', value: Math.max(10, instances) }])
  t.match(body.yaml, `# minReplicas ${instances}: the plan's recommendations.instances.`)
  t.same(parse(body.yaml), body.document)
  // YAML, the default, says the same in its header
  const yaml = await app.inject({ method: 'POST', url: '/generate/engram/hpa', payload: { plan: estimate } })
  t.equal(yaml.body, body.yaml)
})

t.test('an explicit minReplicas below the plan\'s instances wins, with a warning', async (t) => {
  const body = (await hpa({ plan: estimate, minReplicas: 3 })).json()
  t.equal(body.document.spec.minReplicas, 3)
  t.equal(body.document.spec.maxReplicas, 10)
  t.match(warning(body, 'HPA_MIN_BELOW_PLAN'), { severity: 'warning', message: `minReplicas 3 is below the plan's ${instances} instances` })
  t.match(body.yaml, '# HPA_MIN_BELOW_PLAN: minReplicas 3 is below')
  t.match(body.assumptions[0], { name: 'minReplicas', value: 3, source: 'request' })
  // at or above the plan: no warning
  t.notOk(codes((await hpa({ plan: estimate, minReplicas: instances, maxReplicas: instances + 4 })).json()).includes('HPA_MIN_BELOW_PLAN'))
})

t.test('maxReplicas is at least minReplicas: above the seed\'s 10 it is the minimum, and said', async (t) => {
  const plan = { recommendations: { memoryGiB: 120, storageGiB: 6000, instances: 12 } }
  const body = (await hpa({ plan })).json()
  t.match(body.document.spec, { minReplicas: 12, maxReplicas: 12 })
  t.match(warning(body, 'HPA_MAX_AT_MIN'), { severity: 'info', message: 'minReplicas 12 is above the seed\'s maxReplicas 10: maxReplicas is 12 too' })
  t.match(body.assumptions[1], { name: 'maxReplicas', value: 12, source: 'minReplicas (above the seed\'s 10)' })
  // the HPA cannot scale at min = max, so its scale-down is no hazard
  t.notOk(codes(body).includes('HPA_SCALE_DOWN_STATEFUL'))
  // without a plan too: 12 minimum replicas were a 400 (maxReplicas 10 < 12)
  t.match((await hpa({ minReplicas: 12 })).json().document.spec, { minReplicas: 12, maxReplicas: 12 })
  // a stated maximum is kept, and an inverted range is still refused
  t.match((await hpa({ plan, maxReplicas: 20 })).json().document.spec, { minReplicas: 12, maxReplicas: 20 })
  const inverted = await hpa({ plan, maxReplicas: 10 })
  t.equal(inverted.statusCode, 400)
  t.equal(inverted.json().message, 'body/maxReplicas must be >= minReplicas (10 < 12)')
  // without a plan, the seed's 2 to 10, said to be the seed's
  const seed = (await hpa({})).json()
  t.match(seed.document.spec, { minReplicas: 2, maxReplicas: 10 })
  t.match(seed.assumptions, [{ name: 'minReplicas', value: 2, source: 'seed 004, Kubernetes HPA Configuration' }, { name: 'maxReplicas', value: 10, source: 'seed 004, Kubernetes HPA Configuration' }])
})

t.test('what does not suit a stateful store is said: Deployment target, memory target, scale-down', async (t) => {
  const seed = (await hpa({})).json()
  t.same(codes(seed), ['HPA_TARGETS_DEPLOYMENT', 'HPA_MEMORY_METRIC_STATEFUL', 'HPA_SCALE_DOWN_STATEFUL'])
  t.ok(seed.warnings.every((w: { severity: string }) => w.severity === 'warning'))
  t.match(warning(seed, 'HPA_TARGETS_DEPLOYMENT')?.message, 'Upstream Engram runs as a StatefulSet')
  t.match(warning(seed, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'The memory target (80% average utilisation)')
  // 50% of 10 pods every 300 s: 5 at once
  t.match(warning(seed, 'HPA_SCALE_DOWN_STATEFUL')?.message, 'removes up to 50% of the pods every 300 s (5 of 10 at once)')
  for (const code of codes(seed)) t.match(seed.yaml, `# ${code}: `)
  t.equal(seed.document.spec.scaleTargetRef.kind, 'Deployment')

  // the figures of the plan are named: storage and memory of one instance
  const planned = (await hpa({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 3 } } })).json()
  t.match(warning(planned, 'HPA_TARGETS_DEPLOYMENT')?.message, '(1000 GiB each by the plan)')
  t.match(warning(planned, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'the plan\'s 16 GiB per instance')
  t.match(warning(planned, 'PLAN_TOTALS_DIVIDED')?.message, 'memory 48 GiB / 3 = 16 GiB, storage 3000 GiB / 3 = 1000 GiB')
  // 3 to 10 pods: 5 at once at 10, never below 3
  t.match(warning(planned, 'HPA_SCALE_DOWN_STATEFUL')?.message, '(5 of 10 at once)')

  // what the warnings recommend, asked for: none of them
  const stateful = (await hpa({ targetKind: 'StatefulSet', memoryMetric: false, scaleDownEnabled: false })).json()
  t.same(codes(stateful), [])
  t.equal(stateful.document.spec.scaleTargetRef.kind, 'StatefulSet')
  t.same(stateful.document.spec.metrics.map((m: { resource?: { name: string }, pods?: { metric: { name: string } } }) => m.resource?.name ?? m.pods?.metric.name), ['cpu', 'engram_spreading_queue_depth'])
  t.same(stateful.document.spec.behavior.scaleDown, { selectPolicy: 'Disabled' })
  // with a plan whose figures no warning names: the division is not said either
  const quiet = (await hpa({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 3 } }, targetKind: 'StatefulSet', memoryMetric: false, scaleDownEnabled: false })).json()
  t.same(codes(quiet), [])
  t.match(quiet.assumptions, [{ name: 'minReplicas', value: 3 }, { name: 'maxReplicas', value: 10 }, { name: 'memoryGiBPerInstance', value: 16 }, { name: 'storageGiBPerInstance', value: 1000 }])
  t.match(warning(seed, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'Size memory per pod vertically (an /estimate/engram answer posted as plan names its memory per instance)')
  t.match(stateful.yaml, /scaleDown:\n {6}selectPolicy: Disabled\n/)
})

t.test('the plan\'s layout and per-instance figures, when it has them', async (t) => {
  const replica = { recommendations: { memoryGiB: 150, storageGiB: 9000, instances: 3, memoryGiBPerInstance: 50, storageGiBPerInstance: 3000, layout: { role: 'replica', copies: 3, replicationFactor: 2 } } }
  const body = (await hpa({ plan: replica, maxReplicas: 8 })).json()
  t.notOk(codes(body).includes('PLAN_TOTALS_DIVIDED'))
  t.match(warning(body, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'each pod is a replica holding the whole graph (the plan\'s layout, 3 copies), so no number of pods lowers a pod\'s memory')
  t.match(warning(body, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'the plan\'s 50 GiB per instance')
  t.match(warning(body, 'HPA_TARGETS_DEPLOYMENT')?.message, '(3000 GiB each by the plan)')
  // 50% of 8 = 4 pods at once, at least the replication factor 2
  t.match(warning(body, 'HPA_SCALE_DOWN_STATEFUL')?.message, '(4 of 8 at once)')
  t.match(warning(body, 'HPA_SCALE_DOWN_STATEFUL')?.message, 'With the plan\'s replication factor 2, removing 4 pods at once can remove every copy of some data.')
  t.match(body.assumptions, [{ name: 'minReplicas', value: 3 }, { name: 'maxReplicas', value: 8, source: 'request' }, { name: 'memoryGiBPerInstance', value: 50, source: 'plan: recommendations.memoryGiBPerInstance' }, { name: 'storageGiBPerInstance', value: 3000 }])
  // 3 to 4 pods: one at a time, below the replication factor
  const small = (await hpa({ plan: replica, maxReplicas: 4 })).json()
  t.match(warning(small, 'HPA_SCALE_DOWN_STATEFUL')?.message, '(1 of 4 at once)')
  t.notMatch(warning(small, 'HPA_SCALE_DOWN_STATEFUL')?.message, 'replication factor')

  const shard = { recommendations: { memoryGiB: 60, storageGiB: 600, instances: 4, layout: { role: 'shard', copies: 1, replicationFactor: 0 } } }
  const sharded = (await hpa({ plan: shard })).json()
  t.match(warning(sharded, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'each pod is a shard holding its share of the graph, and a new pod takes none of it until the data is re-sharded')
  t.notMatch(warning(sharded, 'HPA_SCALE_DOWN_STATEFUL')?.message, 'replication factor')
  // a replica layout without per-instance figures: the division is said to be wrong for it
  const undivided = (await hpa({ plan: { recommendations: { memoryGiB: 30, storageGiB: 300, instances: 3, layout: { role: 'replica' } } } })).json()
  t.match(warning(undivided, 'HPA_MEMORY_METRIC_STATEFUL')?.message, 'holding the whole graph (the plan\'s layout), so')
  t.match(warning(undivided, 'PLAN_TOTALS_DIVIDED')?.message, 'each instance is a replica holding everything: then a pod needs the whole')
})

t.test('alert rules with a plan: one instance\'s memory and storage are the limits', async (t) => {
  // hand-calculated: 48 GiB over 3 instances = 16 GiB = 17,179,869,184 bytes; 3,000 GiB / 3 = 1,000 GiB = 1,073,741,824,000 bytes
  const divided = (await alerts({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 3 } } })).json()
  t.equal(divided.document.groups[0].rules[1].expr, '(engram_memory_usage_bytes{tier="hot"} / 17179869184) > 0.8\n')
  t.equal(divided.document.groups[0].rules[2].expr, 'predict_linear(engram_storage_usage_bytes[6h], 86400) > 1073741824000 * 0.9\n')
  t.match(warning(divided, 'PLAN_TOTALS_DIVIDED'), { severity: 'info', message: 'memory 48 GiB / 3 = 16 GiB, storage 3000 GiB / 3 = 1000 GiB' })
  t.match(divided.assumptions, [{ name: 'memoryLimitGiB', value: 16, source: 'plan: recommendations.memoryGiB / instances (48 / 3)' }, { name: 'storageLimitGiB', value: 1000 }])
  t.match(divided.yaml, '# memoryLimitGiB 16 GiB per pod: plan: recommendations.memoryGiB / instances (48 / 3).')
  t.notOk(codes(divided).includes('LIMIT_METRICS_REQUIRED'))

  // per-instance figures win over the division: 20 GiB = 21,474,836,480 bytes; 1,500 GiB = 1,610,612,736,000 bytes
  const given = (await alerts({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 3, memoryGiBPerInstance: 20, storageGiBPerInstance: 1500 } } })).json()
  t.match(given.document.groups[0].rules[1].expr, '/ 21474836480) > 0.8')
  t.match(given.document.groups[0].rules[2].expr, '> 1610612736000 * 0.9')
  t.notOk(codes(given).includes('PLAN_TOTALS_DIVIDED'))
  t.match(given.assumptions, [{ name: 'memoryLimitGiB', value: 20, source: 'plan: recommendations.memoryGiBPerInstance' }, { name: 'storageLimitGiB', value: 1500, source: 'plan: recommendations.storageGiBPerInstance' }])

  // one given, one divided: 3,000 GiB / 4 = 750 GiB = 805,306,368,000 bytes
  const mixed = (await alerts({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 4, memoryGiBPerInstance: 20 } } })).json()
  t.match(mixed.document.groups[0].rules[2].expr, '> 805306368000 * 0.9')
  t.match(warning(mixed, 'PLAN_TOTALS_DIVIDED')?.message, 'equal shares, storage 3000 GiB / 4 = 750 GiB.')

  // a request's limit still wins over the plan's
  const stated = (await alerts({ plan: { recommendations: { memoryGiB: 48, storageGiB: 3000, instances: 3 } }, memoryLimitGiB: 32 })).json()
  t.match(stated.document.groups[0].rules[1].expr, `/ ${32 * GIB}) > 0.8`)
  t.match(stated.assumptions, [{ name: 'memoryLimitGiB', value: 32, source: 'request' }, { name: 'storageLimitGiB', value: 1000 }])

  // the estimate at 200,000 ops/s: several instances, so the limit is one instance's, not the total
  t.ok(instances > 1)
  const recommendations = estimate.recommendations
  const perPod = (recommendations.memoryGiBPerInstance ?? recommendations.memoryGiB / instances) as number
  const rules = (await alerts({ plan: estimate })).json()
  t.equal(rules.document.groups[0].rules[1].expr, `(engram_memory_usage_bytes{tier="hot"} / ${Math.round(perPod * GIB)}) > 0.8\n`)
  t.notMatch(rules.document.groups[0].rules[1].expr, `/ ${recommendations.memoryGiB * GIB})`)
})

t.test('a bad plan or input is a 400 naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ plan: { recommendations: { memoryGiB: 2, storageGiB: 3, instances: 0 } } }, 'body/plan/recommendations/instances must be >= 1'],
    [{ plan: { recommendations: { memoryGiB: 2, storageGiB: 3, instances: 2.5 } } }, 'body/plan/recommendations/instances must be integer'],
    [{ plan: { recommendations: { memoryGiB: 2, storageGiB: 3 } } }, 'body/plan/recommendations/instances is required'],
    [{ plan: { recommendations: { memoryGiB: 2, storageGiB: 3, instances: 2, memoryGiBPerInstance: 0 } } }, 'body/plan/recommendations/memoryGiBPerInstance must be > 0'],
    [{ plan: { recommendations: { memoryGiB: 2, storageGiB: 3, instances: 2, layout: { role: 'primary' } } } }, 'body/plan/recommendations/layout/role must be one of: single, shard, replica'],
    [{ plan: { inputs: {} } }, 'body/plan/recommendations is required'],
    [{ targetKind: 'DaemonSet' }, 'body/targetKind must be one of: Deployment, StatefulSet'],
    [{ memoryMetric: 'no' }, 'body/memoryMetric must be boolean']
  ]
  for (const [payload, message] of cases) {
    const answer = await hpa(payload)
    t.equal(answer.statusCode, 400, message)
    t.equal(answer.json().message, message)
  }
  const bad = await alerts({ plan: { recommendations: { memoryGiB: 2, storageGiB: 3, instances: -1 } } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().message, 'body/plan/recommendations/instances must be >= 1')
})
