// What an analysis costs before it runs: the model's measured cost per point (model-costs.ts, made
// by `npm run model-costs`) times the points the request asks for, against a time budget per
// request (ANALYSIS_BUDGET_MS). A request past it is a 422 naming the cost, the estimate, the budget
// and the largest request that fits; one within it that still runs long (a busy machine) is cut,
// its answer ended in a marked, well-formed way (sweep.ts's `truncated`).
import { BudgetExceededError } from '../../errors.js'
import { MODEL_COSTS, type ModelCost } from './model-costs.js'

export type { ModelCost }

/** A model the table lacks (test/models/analysis/budget.test.ts keeps that from happening) costs as much as the costliest one. */
export function costOf (model: string): ModelCost {
  const known = MODEL_COSTS[model]
  if (known !== undefined) return known
  const costs = Object.values(MODEL_COSTS)
  return { sweepPointMs: Math.max(...costs.map((cost) => cost.sweepPointMs)), evaluationMs: Math.max(...costs.map((cost) => cost.evaluationMs)) }
}

/**
 * An answer still running at this many budgets is cut (marked as such): the estimate may be off by
 * that much on a busy machine before a client loses rows it would have got. 2 x 2 s stays well under
 * WORKER_TASK_TIMEOUT_MS (15 s), past which the worker is ended and the body cut mid-way.
 */
export const CUT_AFTER_BUDGETS = 2

/** The work of one request: how many units of which cost. */
export interface AnalysisWork {
  model: string
  /** 'sweep point' (a computed point) or 'evaluation' (a scenario validated and computed). */
  unit: 'sweep point' | 'evaluation'
  count: number
  /** What the count is made of, for the message: "10000 points", "2 x 14 inputs + 1". */
  counted: string
  /** The request's field that sets the count, where the message sends the client. */
  field: string
}

const unitCostMs = (work: Pick<AnalysisWork, 'model' | 'unit'>): number => {
  const cost = costOf(work.model)
  return work.unit === 'sweep point' ? cost.sweepPointMs : cost.evaluationMs
}

/** The work's estimated time on the machine the table was measured on. */
export const estimatedMs = (work: Pick<AnalysisWork, 'model' | 'unit' | 'count'>): number => work.count * unitCostMs(work)

const shortMs = (ms: number): string => ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(2))} ms`

/** A 422 when the work's estimated time exceeds the budget, naming the cost per unit, the estimate, the budget and the largest count that fits. */
export function checkAnalysisBudget (work: AnalysisWork, budgetMs: number): void {
  const perUnitMs = unitCostMs(work)
  const totalMs = work.count * perUnitMs
  if (totalMs <= budgetMs) return
  const fits = Math.floor(budgetMs / perUnitMs)
  const counted = work.counted === String(work.count) ? '' : `${work.counted} = `
  throw new BudgetExceededError(`${work.field}: ${counted}${work.count} ${work.unit}s of model ${work.model} at ${shortMs(perUnitMs)} each (measured) is about ${shortMs(totalMs)}, ` +
    `more than the ${budgetMs} ms one request may take (ANALYSIS_BUDGET_MS): at most ${fits} ${work.unit}s fit`)
}

/** Why an answer must stop now, or undefined: called between rows, true once the request has run CUT_AFTER_BUDGETS budgets. */
export type CutCheck = () => string | undefined

/**
 * Whether long answers are cut: only in the pool's workers (request-worker.ts turns it on), where an
 * answer holds a thread other clients wait for. In this thread otherwise (the CLI, the tests) a
 * sweep runs to its end: its caller waits for nobody else, and a loaded test machine would cut it.
 */
export const cutPolicy = { enabled: false }

const neverCut: CutCheck = () => undefined

/** The cut check of a request starting now under the policy. */
export const requestCut = (budgetMs: number): CutCheck => cutPolicy.enabled ? cutAfter(budgetMs) : neverCut

/** A cut check for a request that started now: wall time, so a client reading slowly is cut too (it holds the worker as much). */
export function cutAfter (budgetMs: number, now: () => number = () => performance.now()): CutCheck {
  const limitMs = budgetMs * CUT_AFTER_BUDGETS
  const deadline = now() + limitMs
  return () => now() > deadline ? `the answer took longer than ${limitMs} ms (${CUT_AFTER_BUDGETS} x ANALYSIS_BUDGET_MS): ask for fewer points` : undefined
}
