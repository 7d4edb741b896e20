// One source of truth for Engram's instance layout: /estimate/engram recommends the layout that
// /models/engram computes for the same throughput and CPU need, and that layout delivers the target
// ops/s with its headroom by the performance model, at every ops/s from 1 to 1,000,000.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { estimateEngram } from '../../src/models/engram/capacity.js'
import { predictPerformance, throughputOpsPerSec } from '../../src/models/engram/performance.js'

const app = await buildApp()
t.teardown(() => app.close())

/** 1 to 1,000,000: every whole ops/s up to 30,000 (every layout change is there), then 2,000 geometric steps. */
function opsPerSecPoints (): number[] {
  const points = Array.from({ length: 30_000 }, (_, i) => i + 1)
  for (let i = 0; i <= 2000; i++) points.push(Math.round(30_000 * (1_000_000 / 30_000) ** (i / 2000)))
  return [...new Set(points)]
}

function disagreement (opsPerSec: number): string | undefined {
  const estimate = estimateEngram({ opsPerSec })
  const { throughput, recommendations } = estimate
  const models = predictPerformance({ targetOpsPerSec: throughput.requiredOpsPerSec, minimumTotalCores: recommendations.cores, cores: recommendations.coresPerInstance })
  const layout = models.coresForTarget
  const modelLayoutOpsPerSec = recommendations.instances * models.throughput.opsPerSec
  if (throughput.requiredOpsPerSec < opsPerSec * 1.5) return `required ${throughput.requiredOpsPerSec} < 1.5 x ${opsPerSec}`
  if (layout.instances !== recommendations.instances || layout.coresPerInstance !== recommendations.coresPerInstance) {
    return `estimate ${recommendations.instances} x ${recommendations.coresPerInstance}, models ${layout.instances} x ${layout.coresPerInstance}`
  }
  if (modelLayoutOpsPerSec !== throughput.layoutOpsPerSec) return `layout throughput ${throughput.layoutOpsPerSec}, models ${modelLayoutOpsPerSec}`
  if (throughput.layoutOpsPerSec < throughput.requiredOpsPerSec) return `layout delivers ${throughput.layoutOpsPerSec} < ${throughput.requiredOpsPerSec}`
  if (recommendations.totalCores < recommendations.cores) return `layout ${recommendations.totalCores} cores < ${recommendations.cores}`
  if (recommendations.coresPerInstance > 32 || recommendations.coresPerInstance % 2 !== 0) return `${recommendations.coresPerInstance} cores per instance`
  return undefined
}

t.test('estimate and models agree at every ops/s from 1 to 1,000,000 (models, in-process)', async (t) => {
  const points = opsPerSecPoints()
  const failures = points.map((ops) => [ops, disagreement(ops)] as const).filter(([, failure]) => failure !== undefined)
  t.same(failures.slice(0, 5), [], `${points.length} points`)
  t.equal(points[0], 1)
  t.equal(points[points.length - 1], 1_000_000)
})

t.test('the issue\'s cases, by hand', async (t) => {
  // 20,000 ops/s: 13.0067 cores x 1.5 -> 20; 30,000 ops/s required: 3 instances (13,000 each at most), 20 / 3 -> 8 cores each
  const at20k = estimateEngram({ opsPerSec: 20_000 })
  t.match(at20k.recommendations, { cores: 20, instances: 3, coresPerInstance: 8, totalCores: 24 })
  t.match(at20k.throughput, { requiredOpsPerSec: 30_000, throughputCoresPerInstance: 6, cpuCoresPerInstance: 8, perInstanceOpsPerSec: 13_000, layoutOpsPerSec: 39_000 })
  t.ok(at20k.warnings.some((w) => w.code === 'THROUGHPUT_NEEDS_INSTANCES'))
  // 50,000 ops/s: 31.0067 x 1.5 -> 48 cores; 75,000 required: 6 instances of 8 cores, 78,000 ops/s
  t.match(estimateEngram({ opsPerSec: 50_000 }), { recommendations: { cores: 48, instances: 6, coresPerInstance: 8 }, throughput: { layoutOpsPerSec: 78_000 } })
  // the default: 2 spreading cores deliver 4,750 ops/s, but the recommended 8-core instance delivers 13,000 for 7,500 required
  const defaults = estimateEngram()
  t.equal(throughputOpsPerSec(2), 4750)
  t.match(defaults.throughput, { requiredOpsPerSec: 7500, layoutOpsPerSec: 13_000 })
  t.notOk(defaults.warnings.some((w) => w.code === 'THROUGHPUT_NEEDS_INSTANCES'))
  // the GPU fallback overhead is part of the throughput need: 10,000 x 1.5 x 1.5 = 22,500 -> 2 instances
  t.match(estimateEngram({ opsPerSec: 10_000, gpuFallbackRatio: 1 }).throughput, { gpuFallbackFactor: 1.5, requiredOpsPerSec: 22_500 })
})

t.test('the two endpoints agree over HTTP', async (t) => {
  for (const opsPerSec of [1, 4999, 5000, 8667, 8668, 13_000, 20_000, 50_000, 123_457, 1_000_000]) {
    const estimate = (await app.inject({ method: 'POST', url: '/estimate/engram', payload: { opsPerSec } })).json()
    const models = (await app.inject({
      method: 'POST',
      url: '/models/engram',
      payload: { targetOpsPerSec: estimate.throughput.requiredOpsPerSec, minimumTotalCores: estimate.recommendations.cores, cores: estimate.recommendations.coresPerInstance }
    })).json()
    t.equal(models.coresForTarget.instances, estimate.recommendations.instances, `${opsPerSec}: instances`)
    t.equal(models.coresForTarget.coresPerInstance, estimate.recommendations.coresPerInstance, `${opsPerSec}: cores per instance`)
    t.equal(models.coresForTarget.opsPerSec, estimate.throughput.layoutOpsPerSec, `${opsPerSec}: layout throughput`)
    t.equal(models.throughput.opsPerSec * estimate.recommendations.instances, estimate.throughput.layoutOpsPerSec)
    t.ok(estimate.throughput.layoutOpsPerSec >= opsPerSec * 1.5, `${opsPerSec}: delivers the target with headroom`)
  }
})
