// The analyses over every estimate in the catalogue (routes/estimate-routes.ts): GET /estimates,
// POST /diff, POST /sweep, POST /sensitivity. Scenarios are validated exactly as the model's own
// POST validates its body, and computed by the same function.
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify'
import { Type, type TSchema } from 'typebox'
import { AnalysisInputError, BudgetExceededError } from '../errors.js'
import { MAX_NESTING, nestedDeeperThan } from '../plugins/yaml-body.js'
import type { Warning } from '../models/common.js'
import { type AnalysisWork, checkAnalysisBudget, estimatedMs, requestCut } from '../models/analysis/budget.js'
import { diffEstimates } from '../models/analysis/diff.js'
import { flattenFigures, numericLeaves, withValue } from '../models/analysis/figures.js'
import { type Gate, checkedGate } from '../models/analysis/gates.js'
import { type Evaluation, type InputBounds, runSensitivity } from '../models/analysis/sensitivity.js'
import { type Axis, MAX_SWEEP_FIGURES, MAX_SWEEP_POINTS, axisValues, collectSweep, lazySweep } from '../models/analysis/sweep.js'
import { type SweepDocument, sweepCsvChunks, sweepJsonChunks, sweepYamlChunks } from '../models/analysis/sweep-formats.js'
import { type Checked, type SchemaNode, schemaPath, sweepPoints } from '../models/analysis/sweep-points.js'
import { renderSweepSvg } from '../models/analysis/sweep-chart.js'
import { renderDiffText, renderSensitivityText, renderSweepText } from '../models/analysis/text.js'
import { formatValidationErrors } from '../plugins/errors.js'
import { type FormatMenu, YAML_DOCUMENT, sendFormatted } from '../plugins/formats.js'
import { type Validator, modelValidatorKey } from '../compiled-schemas.js'
import { diffRequestSchema, sensitivityRequestSchema, sweepRequestSchema } from '../schemas/analysis.js'
import { errorResponses, formatOnlyQuery } from '../schemas/common.js'
import type { EstimateModel, ModelCatalogue } from './estimate-routes.js'

interface Estimate { inputs: Record<string, unknown>, warnings: Warning[] }
type Scenario = Record<string, unknown>
type Evaluator = (scenario: Scenario, dataVar: string) => Evaluation<Estimate>
type Checker = (scenario: Scenario, dataVar: string) => Checked

/** Validates a scenario as the model's POST does: a copy with the defaults applied, or the reason. */
function scenarioChecker (validate: Validator): Checker {
  return (scenario, dataVar) => {
    // structuredClone recurses: a scenario nested thousands deep would overflow the stack (a 500)
    if (nestedDeeperThan(scenario, MAX_NESTING)) return { invalid: `${dataVar} is nested deeper than ${MAX_NESTING} levels` }
    const body = structuredClone(scenario)
    if (!validate(body)) return { invalid: formatValidationErrors(validate.errors as FastifySchemaValidationError[], dataVar).message }
    return { body }
  }
}

/** Validates a scenario as the model's POST does, then computes it. */
function scenarioEvaluator (model: EstimateModel, check: Checker): Evaluator {
  return (scenario, dataVar) => {
    const checked = check(scenario, dataVar)
    return 'invalid' in checked ? checked : { estimate: model.compute(checked.body) as Estimate }
  }
}

function estimateOf (evaluation: Evaluation<Estimate>): Estimate {
  if ('invalid' in evaluation) throw new AnalysisInputError(evaluation.invalid)
  return evaluation.estimate
}

/** The schema of an input path (array elements by name or index), or undefined. */
const schemaAt = (schema: TSchema, path: string): SchemaNode | undefined => schemaPath(schema as SchemaNode, path)?.at(-1)

/** Every numeric input of a scenario with its defaults resolved, with its schema bounds. */
function numericInputs (model: EstimateModel, resolved: Record<string, unknown>): Map<string, InputBounds> {
  const inputs = new Map<string, InputBounds>()
  for (const [path, value] of numericLeaves(resolved)) {
    const schema = schemaAt(model.body, path)
    if (schema?.type !== 'number' && schema?.type !== 'integer') continue
    inputs.set(path, { value, integer: schema.type === 'integer', minimum: schema.minimum, maximum: schema.maximum, exclusiveMinimum: schema.exclusiveMinimum })
  }
  return inputs
}

/** Bodies up to this size are read on the main thread to estimate a task's cost (a parse of a few microseconds); larger ones are large tasks. */
export const ESTIMATED_BODY_MAX_BYTES = 8192

/** An analysis body as the main thread reads it for the estimate: its fields, none when it is not a JSON object (a quick 400 or 415 in the worker), or undefined when too large to read here. */
export function peekedBody (body: Uint8Array): Record<string, unknown> | undefined {
  if (body.byteLength > ESTIMATED_BODY_MAX_BYTES) return undefined
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

/** Numeric fields of a schema, nested ones included (an array's items once): the inputs a sensitivity moves by default, at most. */
export function numericFieldCount (schema: SchemaNode): number {
  if (schema.type === 'number' || schema.type === 'integer') return 1
  const children = [...Object.values(schema.properties ?? {}), ...(schema.items === undefined || Array.isArray(schema.items) ? [] : [schema.items])]
  return children.reduce((count, child) => count + numericFieldCount(child), 0)
}

/**
 * A route's estimate of its task (plugins/offload.ts: offloadCostMs), from the fields `work` reads
 * in the body: 0 for a body the worker refuses at once (no known model, or past the budget: a 422
 * before any work), undefined for one too large to read here.
 */
function taskEstimate (models: ReadonlySet<string>, budgetMs: number, work: (body: Record<string, unknown>, model: string) => Omit<AnalysisWork, 'counted' | 'field'>): (body: Uint8Array) => number | undefined {
  return (raw) => {
    const body = peekedBody(raw)
    if (body === undefined) return undefined
    if (typeof body.model !== 'string' || !models.has(body.model)) return 0
    const ms = estimatedMs(work(body, body.model))
    return ms > budgetMs ? 0 : ms
  }
}

/** A count the request gives, or `otherwise` where it gives none that makes sense (validation refuses it in the worker). */
const countOr = (value: unknown, otherwise: number): number => typeof value === 'number' && value >= 1 ? value : otherwise

const CATALOGUE_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: 'One line per model: name, path, summary.' }
const DIFF_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: 'The changed figures and warnings as a table for terminals.' }
const SWEEP_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: 'The table for terminals.', csv: 'The table: a header of input and figure names, one row per point.', svg: 'A line chart of each figure over the first input.' }
const SENSITIVITY_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: 'The tornado table for terminals.' }

const listSome = (items: Iterable<string>, count = 12): string => {
  const all = [...items]
  return all.length <= count ? all.join(', ') : `${all.slice(0, count).join(', ')}, ... (${all.length} in all)`
}

function checkedInput (model: EstimateModel, inputs: Map<string, InputBounds>, path: string, field: string): InputBounds {
  const bounds = inputs.get(path)
  if (bounds !== undefined) return bounds
  const schema = schemaAt(model.body, path)
  if (schema?.type === 'number' || schema?.type === 'integer') {
    // an optional input with no default (engram-scaling's metrics): it has no value to move from until the scenario sets it
    throw new AnalysisInputError(`${field}: "${path}" is a numeric input of model ${model.name} with no default: set it in scenario to vary it`)
  }
  const known = inputs.size === 0 ? 'none with a value; set them in scenario' : listSome(inputs.keys())
  throw new AnalysisInputError(`${field}: "${path}" is not a numeric input of model ${model.name} (numeric inputs: ${known})`)
}

function checkedOutputs (model: EstimateModel, baseline: Estimate, requested: string[] | undefined, numericOnly: boolean): string[] {
  const figures = flattenFigures(baseline)
  const usable = (name: string): boolean => numericOnly ? typeof figures.get(name) === 'number' : figures.has(name)
  if (requested === undefined) return model.key.filter(usable)
  requested.forEach((name, index) => {
    if (!usable(name)) {
      const kind = numericOnly ? 'a numeric figure' : 'a figure'
      throw new AnalysisInputError(`body/outputs/${index}: "${name}" is not ${kind} of model ${model.name} (figures include: ${listSome([...figures.keys()].filter(usable))}; GET /estimates lists them all)`)
    }
  })
  return [...new Set(requested)]
}

function parsedGates (texts: string[], model: EstimateModel, baseline: Estimate): Gate[] {
  const figures = flattenFigures(baseline)
  return texts.map((text, index) => {
    try {
      return checkedGate(text, figures, model.aliases, model.name)
    } catch (error) { // a GateError: the only error checkedGate throws
      throw new AnalysisInputError(`body/failOn/${index}: ${(error as Error).message}`)
    }
  })
}

interface AxisRequest { input: string, from: number, to: number, points: number, scale: 'linear' | 'log' }

function checkedAxes (model: EstimateModel, inputs: Map<string, InputBounds>, vary: AxisRequest[]): Axis[] {
  const axes = vary.map((axis, index) => {
    const bounds = checkedInput(model, inputs, axis.input, `body/vary/${index}/input`)
    if (axis.scale === 'log' && (axis.from <= 0 || axis.to <= 0)) throw new AnalysisInputError(`body/vary/${index}: log steps need from and to above 0`)
    return { ...axis, integer: bounds.integer }
  })
  if (axes.length === 2 && axes[0].input === axes[1].input) throw new AnalysisInputError(`body/vary/1/input: "${axes[1].input}" is varied twice`)
  const total = axes.reduce((product, axis) => product * axis.points, 1)
  if (total > MAX_SWEEP_POINTS) throw new AnalysisInputError(`body/vary: ${axes.map((axis) => axis.points).join(' x ')} = ${total} points, more than ${MAX_SWEEP_POINTS}`)
  return axes
}

/**
 * The sweep's size and time, known before its first point: more figures than MAX_SWEEP_FIGURES (the
 * answer's size), or more points than the model's measured cost per point lets run within the
 * budget (ANALYSIS_BUDGET_MS), is a 422.
 */
function checkSweepBudget (model: string, axes: Axis[], outputs: string[], budgetMs: number): void {
  const points = axes.reduce((product, axis) => product * axis.points, 1)
  const figures = points * outputs.length
  if (figures > MAX_SWEEP_FIGURES) {
    throw new BudgetExceededError(`body: ${points} points x ${outputs.length} outputs = ${figures} figures, more than the ${MAX_SWEEP_FIGURES} one sweep may return: ask for fewer points or outputs`)
  }
  checkAnalysisBudget({ model, unit: 'sweep point', count: points, counted: axes.map((axis) => axis.points).join(' x '), field: 'body/vary' }, budgetMs)
}

function sweepWarnings (axes: Axis[]): Warning[] {
  return axes.flatMap((axis) => {
    const distinct = new Set(axisValues(axis)).size
    return distinct === axis.points
      ? []
      : [{ code: 'REPEATED_POINTS', severity: 'info' as const, message: `${axis.input} is an integer: rounded to whole numbers, ${axis.points} steps give only ${distinct} distinct values, so some rows repeat.` }]
  })
}

/** The figure names of a model's answer: those of its example's estimate. */
function figureNames (model: EstimateModel, evaluate: Evaluator): string[] {
  return [...flattenFigures(estimateOf(evaluate(model.example, 'example'))).keys()]
}

function catalogueEntry (model: EstimateModel, figures: readonly string[]): object {
  const body = model.body as SchemaNode
  const required = new Set(body.required ?? [])
  // estimate bodies are object schemas; a field without a type (free-form) is listed as "any"
  const inputs = Object.entries(body.properties as Record<string, SchemaNode>).map(([name, schema]) => ({
    name,
    type: schema.type ?? 'any',
    description: schema.description ?? '',
    ...(schema.enum === undefined ? {} : { enum: schema.enum }),
    ...(schema.minimum === undefined ? {} : { minimum: schema.minimum }),
    ...(schema.maximum === undefined ? {} : { maximum: schema.maximum }),
    required: required.has(name)
  }))
  return { name: model.name, path: model.path, summary: model.summary, inputs, keyFigures: model.key, aliases: model.aliases, tierFigures: model.tiers, figures }
}

export async function analysisRoutes (app: FastifyInstance): Promise<void> {
  const catalogue: ModelCatalogue = app.estimateModels
  const budgetMs = app.config.ANALYSIS_BUDGET_MS
  const names = [...catalogue.keys()]
  const checkers = new Map(names.map((name) => {
    const model = catalogue.get(name) as EstimateModel
    const check = scenarioChecker(app.validatorFor(modelValidatorKey(name), 'body', model.body))
    return [name, { check, evaluate: scenarioEvaluator(model, check) }]
  }))
  const modelOf = (name: string): { model: EstimateModel, evaluate: Evaluator, check: Checker } =>
    ({ model: catalogue.get(name) as EstimateModel, ...checkers.get(name) as { check: Checker, evaluate: Evaluator } })
  const tags = ['analysis']
  const known = new Set(names)
  const numericFields = new Map(names.map((name) => [name, numericFieldCount(modelOf(name).model.body as SchemaNode)]))
  const sweepEstimate = taskEstimate(known, budgetMs, (body, model) => ({
    model,
    unit: 'sweep point',
    count: (Array.isArray(body.vary) ? body.vary as unknown[] : []).reduce<number>((points, axis) => points * countOr((axis as { points?: unknown } | null)?.points, 1), 1)
  }))
  const sensitivityEstimate = taskEstimate(known, budgetMs, (body, model) => ({
    model,
    unit: 'evaluation',
    count: 2 * (Array.isArray(body.inputs) ? body.inputs.length : numericFields.get(model) as number) + 1
  }))
  const diffEstimate = taskEstimate(known, budgetMs, (_body, model) => ({ model, unit: 'evaluation', count: 2 }))
  // on the first request, not at start; the figure names from generated/ (finding them runs every model's example)
  let listing: { models: object[] } | undefined
  const catalogueListing = (): { models: object[] } => (listing ??= {
    models: names.map((name) => catalogueEntry(modelOf(name).model, app.catalogueFigures.get(name) ?? figureNames(modelOf(name).model, modelOf(name).evaluate)))
  })

  app.get('/estimates', {
    config: { formats: CATALOGUE_FORMATS },
    schema: { tags, operationId: 'listEstimates', summary: 'The models the analyses and the CLI run', description: 'Each estimate with its path, input fields, key figures, gate aliases, tier figures and every figure name.', querystring: formatOnlyQuery(CATALOGUE_FORMATS), response: { 200: Type.Ref('EstimateCatalogue'), ...errorResponses } }
  }, async (request, reply) => await sendFormatted(request, reply, catalogueListing(), (list) => list.models.map((m: any) => `${String(m.name).padEnd(20)} ${String(m.path).padEnd(20)} ${String(m.summary)}`).join('\n') + '\n'))

  app.post('/diff', {
    config: { formats: DIFF_FORMATS, offload: 'always', offloadCostMs: diffEstimate },
    schema: {
      tags,
      operationId: 'diffScenarios',
      summary: 'What changes between two scenarios',
      description: 'Both scenarios run through the same model; every figure that differs with old, new, absolute and relative change, the warnings that appeared or disappeared, and a verdict per gate (evaluated on the after scenario, with the before value beside it). Comparing seeds\' assumptions is a diff of two scenarios that set each seed\'s values.',
      body: diffRequestSchema(names),
      querystring: formatOnlyQuery(DIFF_FORMATS),
      response: { 200: Type.Ref('Diff'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { model: name, before, after, failOn = [] } = request.body as { model: string, before: Scenario, after: Scenario, failOn?: string[] }
    const { model, evaluate } = modelOf(name)
    checkAnalysisBudget({ model: name, unit: 'evaluation', count: 2, counted: 'before and after', field: 'body' }, budgetMs)
    const beforeEstimate = estimateOf(evaluate(before, 'body/before'))
    const afterEstimate = estimateOf(evaluate(after, 'body/after'))
    const gates = parsedGates(failOn, model, afterEstimate)
    const diff = diffEstimates(beforeEstimate, afterEstimate, gates, model.aliases)
    const identical = diff.changed.length === 0 && diff.warningsAppeared.length === 0 && diff.warningsDisappeared.length === 0
    return await sendFormatted(request, reply, { model: name, identical, ...diff }, { text: () => renderDiffText(name, diff) })
  })

  app.post('/sweep', {
    config: { formats: SWEEP_FORMATS, offload: 'always', offloadCostMs: sweepEstimate },
    schema: {
      tags,
      operationId: 'sweepScenario',
      summary: 'Vary one or two inputs over a range',
      description: `The table of chosen figures over a grid (linear or log steps, at most ${MAX_SWEEP_POINTS} points and ${MAX_SWEEP_FIGURES} figures, points x outputs, and at most the points the model's measured cost per point fits in ANALYSIS_BUDGET_MS: more is a 422 BUDGET_EXCEEDED naming the largest count that fits), with where each warning first appears and where a tier-like figure changes along the first input. Accept: text/csv (or ?format=csv) for CSV, image/svg+xml (or ?format=svg) for a line chart. Every point equals the model's own estimate at those inputs. An answer still running at twice the budget (a busy machine) stops between rows and ends well-formed with a \`truncated\` member (CSV: a last line \`# truncated: <rows> of <points> rows; <reason>\`).`,
      body: sweepRequestSchema(names),
      querystring: formatOnlyQuery(SWEEP_FORMATS),
      response: { 200: Type.Ref('Sweep'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { model: name, scenario = {}, vary, outputs } = request.body as { model: string, scenario?: Scenario, vary: AxisRequest[], outputs?: string[] }
    // from the request's start in the worker: its checks count too
    const cut = requestCut(budgetMs)
    const { model, evaluate, check } = modelOf(name)
    const baseline = estimateOf(evaluate(scenario, 'body/scenario'))
    const axes = checkedAxes(model, numericInputs(model, baseline.inputs), vary)
    const chosen = checkedOutputs(model, baseline, outputs, false)
    checkSweepBudget(name, axes, chosen, budgetMs)
    axes.forEach((axis, index) => {
      for (const end of ['from', 'to'] as const) {
        const evaluation = evaluate(withValue(scenario, baseline.inputs, axis.input, axisValues({ ...axis, points: 1, from: axis[end] })[0]), 'body/scenario')
        if ('invalid' in evaluation) throw new AnalysisInputError(`body/vary/${index}/${end}: ${axis.input} = ${axis[end]} is not valid (${evaluation.invalid})`)
      }
    })
    // every point is known valid here (else a 400, as before): no answer stops half-way at an invalid point
    const points = sweepPoints({ schema: model.body as SchemaNode, check: (point) => check(point, 'body/scenario'), compute: model.compute as (body: Scenario) => Estimate }, scenario, baseline.inputs, axes)
    if ('invalid' in points) throw new AnalysisInputError(points.invalid)
    // the rows are computed as they are written: JSON, CSV and YAML stream them a chunk at a time
    // an answer that runs past CUT_AFTER_BUDGETS budgets (a busy machine) stops between rows, marked
    const sweep = lazySweep(axes, chosen, model.tiers, points.evaluate, cut)
    const warnings = sweepWarnings(axes)
    const document: SweepDocument = {
      head: { model: name, points: sweep.points, inputs: sweep.inputs, outputs: sweep.outputs },
      sweep,
      tail: () => ({ warningOnsets: sweep.warningOnsets, tierChanges: sweep.tierChanges, warnings, ...(sweep.truncated === undefined ? {} : { truncated: sweep.truncated }) })
    }
    return await sendFormatted(request, reply, document, {
      text: () => renderSweepText(name, collectSweep(sweep)),
      svg: () => renderSweepSvg(collectSweep(sweep), axes[0].scale === 'log'),
      // JSON by hand, not through the response schema: its unions and records make
      // fast-json-stringify check each cell with ajv (1.6 s for 10,000 rows against 0.1 s)
      stream: { json: sweepJsonChunks, csv: () => sweepCsvChunks(sweep), yaml: sweepYamlChunks }
    })
  })

  app.post('/sensitivity', {
    config: { formats: SENSITIVITY_FORMATS, offload: 'always', offloadCostMs: sensitivityEstimate },
    schema: {
      tags,
      operationId: 'analyseSensitivity',
      summary: 'Which inputs drive each output',
      description: 'Each numeric input moved down and up by deltaPercent (10%) with the others held: the output at both ends, the swing, the elasticity (relative output change over relative input change) and the tornado rank. Inputs at 0 or pinned by their bounds are listed as skipped. Each input costs two evaluations at the model\'s measured cost: more than ANALYSIS_BUDGET_MS fits is a 422 BUDGET_EXCEEDED.',
      body: sensitivityRequestSchema(names),
      querystring: formatOnlyQuery(SENSITIVITY_FORMATS),
      response: { 200: Type.Ref('Sensitivity'), ...errorResponses }
    }
  }, async (request, reply) => {
    const { model: name, scenario = {}, outputs, inputs: requestedInputs, deltaPercent } = request.body as { model: string, scenario?: Scenario, outputs?: string[], inputs?: string[], deltaPercent: number }
    const { model, evaluate } = modelOf(name)
    const baseline = estimateOf(evaluate(scenario, 'body/scenario'))
    const available = numericInputs(model, baseline.inputs)
    const inputs = requestedInputs === undefined
      ? available
      : new Map(requestedInputs.map((path, index) => [path, checkedInput(model, available, path, `body/inputs/${index}`)]))
    const chosen = checkedOutputs(model, baseline, outputs, true)
    // each input moved down and up, and the scenario itself
    checkAnalysisBudget({ model: name, unit: 'evaluation', count: 2 * inputs.size + 1, counted: `2 x ${inputs.size} inputs + 1`, field: 'body/inputs' }, budgetMs)
    const sensitivity = runSensitivity(inputs, chosen, deltaPercent,
      (input, value) => evaluate(withValue(scenario, baseline.inputs, input, value), 'body/scenario'), baseline)
    return await sendFormatted(request, reply, { model: name, ...sensitivity, warnings: [] }, { text: () => renderSensitivityText(name, sensitivity) })
  })
}
