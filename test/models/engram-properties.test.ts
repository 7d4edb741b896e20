// Properties over the whole input space (fast-check): finite, non-negative, monotone in nodes,
// recommendations never below the need.
import t from 'tap'
import fc from 'fast-check'
import { type EngramEstimate, estimateEngram } from '../../src/models/engram/capacity.js'
import { engramInputArbitrary } from '../arbitraries.js'

function figures (estimate: EngramEstimate): Array<[string, number]> {
  const sections = ['tiers', 'cpu', 'memory', 'storage', 'network', 'recommendations'] as const
  const { layout, ...recommendations } = estimate.recommendations
  const numbers = { ...estimate, recommendations: { ...recommendations, copies: layout.copies, dataShare: layout.dataShare } }
  return [
    ...sections.flatMap((section) => Object.entries(numbers[section]).map(([name, value]): [string, number] => [`${section}.${name}`, value])),
    ...(['today', 'atHorizon'] as const).flatMap((day) => Object.entries(estimate.perInstance[day]).map(([name, value]): [string, number] => [`perInstance.${day}.${name}`, value])),
    ...Object.entries(estimate.seedScript).map(([name, value]): [string, number] => [`seedScript.${name}`, value])
  ]
}

t.test('every figure is finite and non-negative', async (t) => {
  fc.assert(fc.property(engramInputArbitrary, (input) => {
    for (const [name, value] of figures(estimateEngram(input))) {
      if (!Number.isFinite(value) || value < 0) throw new Error(`${name} = ${value} for ${JSON.stringify(input)}`)
    }
  }), { numRuns: 2000 })
  t.pass('2000 random inputs')
})

t.test('more nodes never give less memory or storage', async (t) => {
  fc.assert(fc.property(engramInputArbitrary, fc.integer({ min: 0, max: 1e9 }), (input, extraNodes) => {
    const nodes = input.expectedNodes ?? 1_000_000
    const smaller = estimateEngram({ ...input, expectedNodes: nodes })
    const larger = estimateEngram({ ...input, expectedNodes: Math.min(1e12, nodes + extraNodes) })
    return larger.memory.totalMiB >= smaller.memory.totalMiB && larger.storage.totalGiB >= smaller.storage.totalGiB &&
      larger.cpu.totalCores >= smaller.cpu.totalCores
  }), { numRuns: 2000 })
  t.pass('monotone in expectedNodes')
})

t.test('one node more never gives less (tier boundaries)', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (nodes, activeRatio) => {
    const smaller = estimateEngram({ expectedNodes: nodes, activeRatio })
    const larger = estimateEngram({ expectedNodes: nodes + 1, activeRatio })
    return larger.memory.totalMiB >= smaller.memory.totalMiB && larger.storage.totalGiB >= smaller.storage.totalGiB
  }), { numRuns: 3000 })
  t.pass('monotone node by node')
})

t.test('recommendations are never below the computed need', async (t) => {
  fc.assert(fc.property(engramInputArbitrary, (input) => {
    const { cpu, memory, storage, recommendations, tiers, throughput, perInstance } = estimateEngram(input)
    // a few ulps below is float noise around a whole number, not a shortfall (and 1e-300 a denormal's)
    const atLeast = (provided: number, needed: number) => provided >= needed * (1 - 1e-14) - 1e-300
    const instanceMiB = recommendations.memoryGiBPerInstance * 1024
    return atLeast(recommendations.cores, cpu.totalCores * 1.5) && recommendations.cores % 2 === 0 &&
      // memory: every instance under the seed's 60% "no action" row today and at the horizon, so the whole above the need
      perInstance.today.memoryNeedMiB < 0.6 * instanceMiB && perInstance.atHorizon.memoryNeedMiB < 0.6 * instanceMiB &&
      atLeast(recommendations.memoryGiB * 1024 * 0.6, memory.totalMiB) &&
      recommendations.memoryGiB === recommendations.memoryGiBPerInstance * recommendations.instances &&
      atLeast(recommendations.storageGiBPerInstance, perInstance.atHorizon.storageNeedGiB * 1.5) &&
      atLeast(recommendations.storageGiB, storage.totalGiB * 1.5) && recommendations.storageGiBPerInstance <= 65_536 &&
      recommendations.instances >= recommendations.layout.copies &&
      recommendations.coresPerInstance <= 32 &&
      recommendations.totalCores === recommendations.coresPerInstance * recommendations.instances && recommendations.totalCores >= recommendations.cores &&
      throughput.layoutOpsPerSec >= throughput.requiredOpsPerSec && throughput.requiredOpsPerSec >= (input.opsPerSec ?? 5000) * 1.5 * (1 - 1e-14) &&
      tiers.hotNodes + tiers.warmNodes + tiers.coldNodes === (input.expectedNodes ?? 1_000_000)
  }), { numRuns: 2000 })
  t.pass('headroom rounds up')
})
