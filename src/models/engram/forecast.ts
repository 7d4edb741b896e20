// Capacity forecasting of seed 004 (Capacity Forecasting and Trend Analysis): node growth, the
// capacity estimate at 30/60/90 days with the 30% safety margin, and the day each resource crosses
// its threshold of what is provisioned. Compound growth or a linear fit of observed points.
import { type Assumption, type Warning, decimalClean, sortBySeverity } from '../common.js'
import { type EngramEstimate, type EngramInput, deploymentNeedAt, nodesAfter, planEngram, resolveEngramInput } from './capacity.js'
import { MAX_NODES } from './constants.js'

export interface Provisioned { cores: number, memoryGiB: number, storageGiB: number }

export interface ForecastInput {
  currentNodes: number
  dailyGrowthRate: number
  horizonDays: number
  observations?: Array<{ day: number, nodes: number }>
  provisioned?: Provisioned
  workload: Partial<Omit<EngramInput, 'expectedNodes' | 'dailyGrowthRate' | 'horizonDays'>>
}

export const SAFETY_MARGIN = 0.3 // seed 004, Capacity Planning Worksheet: add 30% safety margin
export const THRESHOLDS = { cpu: 0.7, memory: 0.8, storage: 0.7 } as const // seed 004: when will CPU hit 70%, memory 80%, storage 70%?
export const MILESTONE_DAYS = [30, 60, 90] as const

export interface Projection {
  day: number
  nodes: number
  cores: number
  memoryGiB: number
  storageGiB: number
  withMargin: { cores: number, memoryGiB: number, storageGiB: number }
}

export interface Crossing { resource: 'cpu' | 'memory' | 'storage', thresholdPercent: number, provisioned: number, day: number | null, withinHorizon: boolean }

export interface Forecast {
  inputs: ForecastInput
  model: { mode: 'compound' | 'linear-fit', dailyGrowthRate: number, nodesPerDay: number, intercept: number }
  provisioned: Provisioned & { source: 'request' | 'plan' }
  projections: Projection[]
  crossings: Crossing[]
  seedExample: { nodesAtDay30: number, hotTierMemoryMB: number, note: string }
  warnings: Warning[]
  assumptions: Assumption[]
}

/** Least squares through the observed (day, nodes) points. */
export function linearFit (points: Array<{ day: number, nodes: number }>): { slope: number, intercept: number } {
  const n = points.length
  const meanDay = points.reduce((sum, p) => sum + p.day, 0) / n
  const meanNodes = points.reduce((sum, p) => sum + p.nodes, 0) / n
  const spread = points.reduce((sum, p) => sum + (p.day - meanDay) ** 2, 0)
  const slope = spread === 0 ? 0 : points.reduce((sum, p) => sum + (p.day - meanDay) * (p.nodes - meanNodes), 0) / spread
  return { slope, intercept: meanNodes - slope * meanDay }
}

type NodeModel = (day: number) => number

/** The largest node count the capacity model accepts (expectedNodes' maximum): projections stop growing there. */
export const MAX_PROJECTED_NODES = MAX_NODES

function nodeModel (input: ForecastInput): { model: Forecast['model'], nodesAt: NodeModel } {
  if (input.observations !== undefined && input.observations.length >= 2) {
    const { slope, intercept } = linearFit(input.observations)
    return {
      model: { mode: 'linear-fit', dailyGrowthRate: 0, nodesPerDay: decimalClean(slope), intercept: decimalClean(intercept) },
      nodesAt: (day) => Math.min(MAX_PROJECTED_NODES, Math.max(0, Math.round(intercept + slope * day)))
    }
  }
  return {
    model: { mode: 'compound', dailyGrowthRate: input.dailyGrowthRate, nodesPerDay: 0, intercept: input.currentNodes },
    nodesAt: (day) => nodesAfter(input.currentNodes, input.dailyGrowthRate, day)
  }
}

function projectionAt (day: number, nodes: number, plan: EngramEstimate): Projection {
  const need = deploymentNeedAt(plan, nodes)
  const margin = 1 + SAFETY_MARGIN
  return {
    day,
    nodes,
    ...need,
    withMargin: { cores: decimalClean(need.cores * margin), memoryGiB: decimalClean(need.memoryGiB * margin), storageGiB: decimalClean(need.storageGiB * margin) }
  }
}

/**
 * The plan the forecast provisions: /estimate/engram's for the same workload, sized through the
 * same horizon with the forecast's own growth (compound, or the fitted line's node count).
 */
export function forecastPlan (input: ForecastInput): EngramEstimate {
  const { model, nodesAt } = nodeModel(input)
  const inputs = resolveEngramInput({ ...input.workload, expectedNodes: nodesAt(0), dailyGrowthRate: model.dailyGrowthRate, horizonDays: input.horizonDays })
  return planEngram(inputs, nodesAt(input.horizonDays))
}

const NEED: Record<Crossing['resource'], (p: Projection) => number> = { cpu: (p) => p.cores, memory: (p) => p.memoryGiB, storage: (p) => p.storageGiB }
const PROVISIONED: Record<Crossing['resource'], keyof Provisioned> = { cpu: 'cores', memory: 'memoryGiB', storage: 'storageGiB' }

/**
 * The first whole day on which the need exceeds the threshold share of what is provisioned. The
 * need never falls as nodes grow, so a binary search over days finds it; with shrinking nodes (a
 * negative fitted slope) only day 0 can cross, and it is checked first.
 */
export function crossingDay (need: (day: number) => number, limit: number, horizonDays: number): number | null {
  if (need(0) > limit) return 0
  if (need(horizonDays) <= limit) return null
  let low = 0
  let high = horizonDays
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (need(middle) > limit) high = middle
    else low = middle
  }
  return high
}

export const FORECAST_ASSUMPTIONS: readonly Assumption[] = [
  { name: 'safetyMargin', value: SAFETY_MARGIN, unit: 'fraction', source: 'seed 004, Capacity Planning Worksheet (add 30% safety margin)', note: 'Applied to the projected need (withMargin); crossings compare the need itself with the thresholds.' },
  { name: 'cpuThreshold', value: THRESHOLDS.cpu * 100, unit: '% of provisioned cores', source: 'seed 004, Capacity Planning Worksheet (When will CPU hit 70%?)' },
  { name: 'memoryThreshold', value: THRESHOLDS.memory * 100, unit: '% of provisioned memory', source: 'seed 004, Capacity Planning Worksheet (When will memory hit 80%?)' },
  { name: 'storageThreshold', value: THRESHOLDS.storage * 100, unit: '% of provisioned storage', source: 'seed 004, Capacity Planning Worksheet (When will storage hit 70%?)' },
  { name: 'growthModel', value: 1, unit: '', source: 'seed 004, Growth Prediction Model (future_nodes(t) = current_nodes * (1 + growth_rate)^t)', note: 'Node counts are rounded to whole nodes each day; only nodes grow, the rest of the workload (opsPerSec, retention) stays as given.' }
]

/** How many nodes the forecast's model gives on a day (for the chart). */
export function nodesOn (input: ForecastInput): NodeModel {
  return nodeModel(input).nodesAt
}

/** What a posted plan was sized for (its inputs' dailyGrowthRate and horizonDays). */
export interface PlannedFor { dailyGrowthRate: number, horizonDays: number }

/** A posted plan sized for other growth, or a shorter horizon, than the forecast's: said, with both. */
export function plannedForWarnings (plannedFor: PlannedFor, input: ForecastInput, model: Forecast['model']): Warning[] {
  const sameGrowth = model.mode === 'compound' && plannedFor.dailyGrowthRate === input.dailyGrowthRate
  if (sameGrowth && plannedFor.horizonDays >= input.horizonDays) return []
  const growth = model.mode === 'compound' ? `${input.dailyGrowthRate} a day` : `the fitted ${model.nodesPerDay} nodes a day`
  return [{
    code: 'PLAN_SIZED_FOR_OTHER_GROWTH',
    severity: 'warning',
    message: `The plan was sized for ${plannedFor.dailyGrowthRate} a day over ${plannedFor.horizonDays} days; this forecast grows ${growth} over ${input.horizonDays} days, so the crossings below are what that plan meets. ` +
      `/estimate/engram with dailyGrowthRate ${model.mode === 'compound' ? input.dailyGrowthRate : '(your rate)'} and horizonDays ${input.horizonDays} gives the plan that holds through it.`
  }]
}

export function forecastEngram (input: ForecastInput, plannedFor?: PlannedFor): Forecast {
  const warnings: Warning[] = []
  const { model, nodesAt } = nodeModel(input)
  const plan = forecastPlan(input)
  const planned = plan.recommendations
  const provisioned = input.provisioned === undefined
    ? { cores: planned.totalCores, memoryGiB: planned.memoryGiB, storageGiB: planned.storageGiB, source: 'plan' as const } // the layout's cores: what is provisioned
    : { ...input.provisioned, source: 'request' as const }
  const days = [...new Set([0, ...MILESTONE_DAYS, input.horizonDays])].filter((day) => day <= input.horizonDays).sort((a, b) => a - b)
  const projectionOn = (day: number): Projection => projectionAt(day, nodesAt(day), plan)
  const crossings = (Object.keys(NEED) as Array<Crossing['resource']>).map((resource) => {
    const limit = provisioned[PROVISIONED[resource]] * THRESHOLDS[resource]
    const day = crossingDay((d) => NEED[resource](projectionOn(d)), limit, input.horizonDays)
    return { resource, thresholdPercent: THRESHOLDS[resource] * 100, provisioned: provisioned[PROVISIONED[resource]], day, withinHorizon: day !== null }
  })
  for (const crossing of crossings.filter((c) => c.day !== null)) {
    warnings.push({ code: crossing.day === 0 ? 'THRESHOLD_ALREADY_CROSSED' : 'THRESHOLD_CROSSING', severity: crossing.day === 0 ? 'critical' : 'warning', message: `${crossing.resource} passes ${crossing.thresholdPercent}% of the ${crossing.provisioned} provisioned ${crossing.day === 0 ? 'today' : `on day ${String(crossing.day)}`}.` })
  }
  const cappedFrom = crossingDay((day) => nodesAt(day), MAX_PROJECTED_NODES - 1, input.horizonDays)
  if (cappedFrom !== null) {
    warnings.push({ code: 'GROWTH_CAPPED', severity: 'warning', message: `The growth model passes ${MAX_PROJECTED_NODES.toExponential()} nodes (the most the capacity model takes) on day ${cappedFrom}: from then on the projections hold at that count instead of growing. Growth this fast over this horizon is not a plan; shorten horizonDays or check dailyGrowthRate.` })
  }
  if (plannedFor !== undefined) warnings.push(...plannedForWarnings(plannedFor, input, model))
  if (input.observations !== undefined && input.observations.length === 1) {
    warnings.push({ code: 'TOO_FEW_OBSERVATIONS', severity: 'warning', message: 'A linear fit needs at least two observations: the compound model is used.' })
  }
  const seedNodes = decimalClean(1_000_000 * 1.02 ** 30)
  return {
    inputs: input,
    model,
    provisioned,
    projections: days.map(projectionOn),
    crossings,
    seedExample: {
      nodesAtDay30: seedNodes,
      hotTierMemoryMB: decimalClean(Math.round(seedNodes / 10_000) * 10_000 * 3000 * 0.1 / 1e6),
      note: 'SEED_INCONSISTENCY: the seed\'s "1.81M x 3KB x 0.1 = 543MB hot tier growth" is the whole hot tier at day 30, not its growth, and leaves out metadata, edges and the 1.5x hash-table overhead that the capacity formula adds; the projections use the capacity formula.'
    },
    warnings: sortBySeverity(warnings),
    assumptions: FORECAST_ASSUMPTIONS as Assumption[]
  }
}
