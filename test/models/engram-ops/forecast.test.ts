import t from 'tap'
import fc from 'fast-check'
import { deploymentNeedAt, estimateEngram } from '../../../src/models/engram/capacity.js'
import { type ForecastInput, MAX_PROJECTED_NODES, crossingDay, forecastEngram, forecastPlan, linearFit, nodesOn } from '../../../src/models/engram/forecast.js'
import { forecastSeries, renderForecastSvg } from '../../../src/models/engram/forecast-chart.js'

const base: ForecastInput = { currentNodes: 1_000_000, dailyGrowthRate: 0.02, horizonDays: 90, workload: {} }

t.test('the seed\'s example: 1M nodes at 2%/day is 1.81M at day 30', async (t) => {
  const forecast = forecastEngram(base)
  t.same(forecast.projections.map((p) => p.day), [0, 30, 60, 90])
  t.equal(forecast.projections[1].nodes, 1_811_362)
  t.equal(forecast.seedExample.nodesAtDay30.toFixed(2), '1811361.58')
  t.equal(forecast.seedExample.hotTierMemoryMB, 543)
  t.match(forecast.seedExample.note, /SEED_INCONSISTENCY/)
  const day30 = estimateEngram({ expectedNodes: 1_811_362 })
  t.equal(forecast.projections[1].cores, day30.cpu.totalCores)
  t.equal(forecast.projections[1].withMargin.storageGiB, Number((day30.storage.totalGiB * 1.3).toPrecision(15)), '30% safety margin')
  // the plan /estimate/engram gives for the same growth and horizon: 1.02^90 x 1M = 5,943,133 nodes on day 90, whose
  // memory need is 4,554.71 MiB of tiers + 0.39 activation + 500 runtime = 5,055.10 MiB; under 60%: 5,055.10 / 614.4 = 8.23 -> 9 GiB;
  // storage (27.13 data + 865.17 WAL of writes) x 1.5 = 1,338.4 -> 1,339 GiB
  t.same(forecast.provisioned, { cores: 8, memoryGiB: 9, storageGiB: 1339, source: 'plan' })
  t.same(estimateEngram({ expectedNodes: 1_000_000, dailyGrowthRate: 0.02, horizonDays: 90 }).recommendations.memoryGiB, 9, 'the estimate sized through the same horizon agrees')
  t.equal(forecast.projections.at(-1)?.nodes, 5_943_133)
  t.same(forecast.crossings.map((c) => c.day), [null, null, null], 'the plan holds through its horizon: nothing crosses')
})

/** The first day the need passes the limit, found one day at a time. */
function bruteForceCrossing (input: ForecastInput, resource: 'cpu' | 'memory' | 'storage', limit: number): number | null {
  const nodesAt = nodesOn(input)
  const plan = forecastPlan(input)
  for (let day = 0; day <= input.horizonDays; day++) {
    const deployment = deploymentNeedAt(plan, nodesAt(day))
    const need = { cpu: deployment.cores, memory: deployment.memoryGiB, storage: deployment.storageGiB }[resource]
    if (need > limit) return day
  }
  return null
}

t.test('crossings equal a day-by-day computation', async (t) => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 0, max: 50_000_000 }), fc.double({ min: 0, max: 0.1, noNaN: true }), fc.integer({ min: 1, max: 400 }),
    fc.record({ cores: fc.double({ min: 1, max: 64, noNaN: true }), memoryGiB: fc.double({ min: 0.5, max: 512, noNaN: true }), storageGiB: fc.double({ min: 100, max: 20_000, noNaN: true }) }),
    async (currentNodes, dailyGrowthRate, horizonDays, provisioned) => {
      const input: ForecastInput = { currentNodes, dailyGrowthRate, horizonDays, provisioned, workload: { opsPerSec: 2000 } }
      const forecast = forecastEngram(input)
      for (const crossing of forecast.crossings) {
        const limit = crossing.provisioned * crossing.thresholdPercent / 100
        const expected = bruteForceCrossing(input, crossing.resource, limit)
        if (crossing.day !== expected) throw new Error(`${crossing.resource}: ${crossing.day} != ${expected}`)
      }
    }), { numRuns: 40 })
  t.pass('40 random forecasts')
})

t.test('crossing search edge cases', async (t) => {
  t.equal(crossingDay((day) => day, 5, 10), 6)
  t.equal(crossingDay(() => 10, 5, 10), 0, 'already crossed')
  t.equal(crossingDay((day) => day, 50, 10), null)
  const already = forecastEngram({ ...base, provisioned: { cores: 1, memoryGiB: 1, storageGiB: 1 } })
  t.same(already.crossings.map((c) => c.day), [0, 0, 0])
  t.ok(already.warnings.every((w) => w.code === 'THRESHOLD_ALREADY_CROSSED' && w.severity === 'critical'))
  const never = forecastEngram({ ...base, dailyGrowthRate: 0, provisioned: { cores: 100, memoryGiB: 100, storageGiB: 100_000 } })
  t.same(never.crossings.map((c) => [c.day, c.withinHorizon]), [[null, false], [null, false], [null, false]])
})

t.test('linear fit of observations', async (t) => {
  t.same(linearFit([{ day: 0, nodes: 100 }, { day: 10, nodes: 200 }, { day: 20, nodes: 300 }]), { slope: 10, intercept: 100 })
  t.same(linearFit([{ day: 5, nodes: 100 }, { day: 5, nodes: 300 }]), { slope: 0, intercept: 200 }, 'one day only: flat')
  const fitted = forecastEngram({ ...base, observations: [{ day: -30, nodes: 500_000 }, { day: 0, nodes: 1_000_000 }] })
  t.match(fitted.model, { mode: 'linear-fit', intercept: 1_000_000 })
  t.equal(fitted.projections[1].nodes, 1_500_000)
  const shrinking = forecastEngram({ ...base, observations: [{ day: -10, nodes: 2_000_000 }, { day: 0, nodes: 1_000_000 }] })
  t.equal(shrinking.projections.at(-1)?.nodes, 0, 'never below 0 nodes')
  const single = forecastEngram({ ...base, observations: [{ day: 0, nodes: 5 }] })
  t.equal(single.model.mode, 'compound')
  t.ok(single.warnings.some((w) => w.code === 'TOO_FEW_OBSERVATIONS'))
})

t.test('nodes never fall as days pass under compound growth, and stay finite', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3649 }), (currentNodes, rate, day) => {
    const nodesAt = nodesOn({ ...base, currentNodes, dailyGrowthRate: rate, horizonDays: 3650 })
    return nodesAt(day + 1) >= nodesAt(day) && Number.isFinite(nodesAt(day + 1)) && nodesAt(day + 1) <= 1e12
  }))
  t.pass('monotone and capped at 1e12')
})

t.test('the SVG chart', async (t) => {
  // provisioned as the script would (2 GiB): the plan itself holds through its horizon
  const forecast = forecastEngram({ ...base, horizonDays: 365, provisioned: { cores: 8, memoryGiB: 2, storageGiB: 3252 } })
  const svg = renderForecastSvg(forecast, nodesOn({ ...base, horizonDays: 365 }))
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.match(svg, /<\/svg>\n$/)
  t.equal(svg.match(/<polyline /g)?.length, 3, 'one line per resource')
  t.equal(svg.match(/stroke-dasharray/g)?.length, 3, 'one threshold line per resource')
  t.match(svg, 'Memory 80%: day 20')
  t.match(svg, '(clipped at 200%)')
  t.notMatch(svg, /NaN|Infinity|undefined/)
  const series = forecastSeries(forecast, nodesOn({ ...base, horizonDays: 365 }))
  t.equal(series.at(-1)?.day, 365)
  t.ok(series.length <= 63)
  const flat = renderForecastSvg(forecastEngram({ ...base, dailyGrowthRate: 0, provisioned: { cores: 100, memoryGiB: 100, storageGiB: 100_000 } }), nodesOn({ ...base, dailyGrowthRate: 0 }))
  t.match(flat, 'not within the horizon')
  const empty = { ...base, currentNodes: 0, dailyGrowthRate: 0, workload: { opsPerSec: 0 } }
  const nothing = renderForecastSvg(forecastEngram(empty), nodesOn(empty))
  t.notMatch(nothing, /NaN|Infinity/, 'nothing provisioned for storage: shares of 0 are 0, not NaN')
  t.notMatch(flat, 'clipped')
})

t.test('compound growth past the model\'s largest node count is capped and said so', async (t) => {
  // 1,000 x 2^d passes 1e12 nodes between day 29 (5.4e11) and day 30 (1.07e12)
  const doubling = forecastEngram({ ...base, currentNodes: 1000, dailyGrowthRate: 1, horizonDays: 3650 })
  t.equal(doubling.projections.at(-1)?.nodes, MAX_PROJECTED_NODES)
  t.match(doubling.warnings.find((w) => w.code === 'GROWTH_CAPPED'), { severity: 'warning', message: /passes 1e\+12 nodes .* on day 30/ })
  t.equal(1000 * 2 ** 29 < MAX_PROJECTED_NODES && 1000 * 2 ** 30 > MAX_PROJECTED_NODES, true, 'the hand calculation of the day')
  const steady = forecastEngram(base)
  t.notOk(steady.warnings.some((w) => w.code === 'GROWTH_CAPPED'), '2% a day for 90 days stays far below the cap')
  const fitted = forecastEngram({ ...base, observations: [{ day: 0, nodes: 0 }, { day: 1, nodes: 5e11 }], horizonDays: 10 })
  t.match(fitted.warnings.find((w) => w.code === 'GROWTH_CAPPED')?.message, /on day 2:/, 'a fitted line is capped too')
})
