// Schemas of the analyses over every registered estimate: /estimates (the catalogue), /diff,
// /sweep and /sensitivity. Request schemas take the model names at registration, so the OpenAPI
// document lists exactly the models the service has.
import { Type, type TSchema } from 'typebox'
import { MAX_SWEEP_POINTS } from '../models/analysis/sweep.js'
import { WarningCodeSchema, WarningsRef } from './common.js'

const FigureValue = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()], { description: 'A figure: a number, or a text/boolean such as a tier name; null where the estimate has no such figure.' })
const obj = (properties: Record<string, TSchema>, description: string, id?: string) =>
  Type.Object(properties, { additionalProperties: false, description, ...(id === undefined ? {} : { $id: id }) })
const names = (description: string, maxItems: number) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems, description })

export const MAX_GATES = 50
export const MAX_OUTPUTS = 20

const modelName = (models: string[]) => Type.Unsafe<string>({ type: 'string', enum: models, description: `The estimate to run: ${models.join(', ')} (GET /estimates lists each with its inputs and figures).` })
const scenario = (description: string) => Type.Object({}, { additionalProperties: true, description: `${description} The model's request body, validated as POST to its path validates it (unknown fields and wrong types are errors).` })
const gates = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: MAX_GATES,
  description: 'Gates, as the CLI\'s --fail-on: `<figure><op><number>` with op one of > >= < <= == != (figure: a path such as storage.totalGiB, or the model\'s alias such as cores, cost), `warning:<CODE>`, or `severity:<info|warning|critical>`. A gate fails when its condition holds.'
})
const outputs = (description: string) => Type.Optional(names(`${description} Figure paths as GET /estimates lists them. Default: the model's key figures.`, MAX_OUTPUTS))

export const diffRequestSchema = (models: string[]) => obj({
  model: modelName(models),
  before: scenario('The scenario before the change.'),
  after: scenario('The scenario after the change.'),
  failOn: Type.Optional(gates)
}, 'Two scenarios of one model, and the gates the change must pass.')

const axis = obj({
  input: Type.String({ minLength: 1, maxLength: 200, description: 'A numeric input path, e.g. expectedNodes or tables.agent_states.rowBytes.' }),
  from: Type.Number({ minimum: -1e15, maximum: 1e15, description: 'First value.' }),
  to: Type.Number({ minimum: -1e15, maximum: 1e15, description: 'Last value (may be below from).' }),
  points: Type.Integer({ minimum: 1, maximum: MAX_SWEEP_POINTS, default: 11, description: `Number of values, ends included. Range: 1 to ${MAX_SWEEP_POINTS}. Default: 11.` }),
  scale: Type.Unsafe<'linear' | 'log'>({ type: 'string', enum: ['linear', 'log'], default: 'linear', description: 'linear: equal steps; log: equal ratios (from and to above 0). Integer inputs are rounded. Default: linear.' })
}, 'One input to vary.')

export const sweepRequestSchema = (models: string[]) => obj({
  model: modelName(models),
  scenario: Type.Optional(scenario('The scenario the varied inputs replace fields of. Default: {} (the model\'s defaults).')),
  vary: Type.Array(axis, { minItems: 1, maxItems: 2, description: `One or two inputs; the grid has at most ${MAX_SWEEP_POINTS} points in all. With two, each value of the second is a line of the chart.` }),
  outputs: outputs('Figures to tabulate.')
}, 'A scenario and the inputs to vary over a range.')

export const sensitivityRequestSchema = (models: string[]) => obj({
  model: modelName(models),
  scenario: Type.Optional(scenario('The scenario to perturb. Default: {} (the model\'s defaults).')),
  outputs: outputs('Numeric figures to explain.'),
  inputs: Type.Optional(names('Numeric inputs to move. Default: every numeric input of the scenario with its defaults resolved.', 200)),
  deltaPercent: Type.Optional(Type.Number({ minimum: 1, maximum: 50, default: 10, description: 'How far each input moves down and up. Unit: %. Range: 1 to 50. Default: 10.' }))
}, 'A scenario whose outputs to explain by its inputs.')

const gateVerdict = obj({
  gate: Type.String({ description: 'The gate as given.' }),
  subject: Type.String({ description: 'The figure path it read (alias resolved), the warning code, or the severity.' }),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'The figure after the change, or how many warnings matched; null when the estimate has no such figure.' }),
  before: Type.Union([Type.Number(), Type.Null()], { description: 'The same before the change.' }),
  failed: Type.Boolean({ description: 'The condition holds after the change: the gate fails.' }),
  failedBefore: Type.Boolean({ description: 'The condition held before the change already.' })
}, 'A gate\'s verdict.')

const diffWarning = obj({ code: WarningCodeSchema, severity: Type.String(), message: Type.String() }, 'A warning of one side.')

export const DiffSchema = obj({
  model: Type.String({ description: 'The model.' }),
  identical: Type.Boolean({ description: 'No figure and no warning differs.' }),
  changed: Type.Array(obj({
    figure: Type.String({ description: 'Figure path.' }),
    before: FigureValue,
    after: FigureValue,
    change: Type.Union([Type.Number(), Type.Null()], { description: 'after - before (numbers only).' }),
    relativeChange: Type.Union([Type.Number(), Type.Null()], { description: '(after - before) / |before|; null when before is 0 or not a number. 0.25 is +25%.' })
  }, 'A figure that differs.'), { description: 'Every figure that differs, in document order. Inputs are not figures.' }),
  warningsAppeared: Type.Array(diffWarning, { description: 'Warnings of the after estimate that the before estimate does not have (same code and message).' }),
  warningsDisappeared: Type.Array(diffWarning, { description: 'Warnings of the before estimate that are gone.' }),
  gates: Type.Array(gateVerdict, { description: 'One verdict per gate, in request order.' }),
  failed: Type.Boolean({ description: 'At least one gate fails after the change.' })
}, 'What changes between two scenarios.', 'Diff')

const numberRecord = (description: string) => Type.Record(Type.String(), Type.Number(), { description })

export const SweepSchema = obj({
  model: Type.String({ description: 'The model.' }),
  points: Type.Integer({ description: 'Rows in the table.' }),
  inputs: Type.Array(Type.String(), { description: 'The varied inputs, in request order.' }),
  outputs: Type.Array(Type.String(), { description: 'The tabulated figures.' }),
  rows: Type.Array(obj({
    inputs: numberRecord('The varied inputs at this point.'),
    outputs: Type.Record(Type.String(), FigureValue, { description: 'The figures at this point.' }),
    warnings: Type.Array(Type.String(), { description: 'Codes of the warnings at this point.' })
  }, 'One grid point.'), { description: 'Along the first input, line by line of the second.' }),
  warningOnsets: Type.Array(obj({
    code: WarningCodeSchema,
    severity: Type.String({ description: 'Its severity.' }),
    row: Type.Integer({ description: 'Index in rows where it first appears on its line.' }),
    inputs: numberRecord('The inputs there.'),
    previousInputs: Type.Union([numberRecord('The point before on its line, where the warning was absent: the onset lies between the two.'), Type.Null()], { description: 'The point before (null at the start of a line).' }),
    atStart: Type.Boolean({ description: 'Present at the first point of the line already: it did not appear within the range.' })
  }, 'Where a warning first appears.'), { description: 'Per line of the second input, where each warning first appears along the first input.' }),
  tierChanges: Type.Array(obj({
    figure: Type.String({ description: 'The tier-like figure (GET /estimates lists them per model).' }),
    from: FigureValue,
    to: FigureValue,
    row: Type.Integer({ description: 'Index in rows where the new value starts.' }),
    inputs: numberRecord('The inputs there.'),
    previousInputs: numberRecord('The point before, with the old value: the change lies between the two (refine the grid there for the exact boundary).')
  }, 'A tier change.'), { description: 'Each point where a tier-like figure changes along the first input.' }),
  warnings: WarningsRef,
  truncated: Type.Optional(obj({
    reason: Type.String({ description: 'Why the answer stopped: it ran past twice ANALYSIS_BUDGET_MS (a busy machine; the estimate before it ran fitted the budget).' }),
    rows: Type.Integer({ minimum: 1, description: 'Rows written: the table\'s first rows, each complete.' }),
    points: Type.Integer({ minimum: 1, description: 'Rows the whole table has.' })
  }, 'Present only when the table stopped before its last point: the last member of the answer (CSV: a last line starting "# truncated:"). The onsets and tier changes are those of the rows written.'))
}, 'A sweep: the table of chosen figures over a grid of inputs.', 'Sweep')

const driver = obj({
  input: Type.String({ description: 'Input path.' }),
  value: Type.Number({ description: 'Its value in the scenario.' }),
  low: Type.Number({ description: 'The value moved down (within the input\'s bounds; integers move by at least 1).' }),
  high: Type.Number({ description: 'The value moved up.' }),
  outputLow: Type.Number({ description: 'The output at low.' }),
  outputHigh: Type.Number({ description: 'The output at high.' }),
  swing: Type.Number({ description: 'outputHigh - outputLow: the bar of a tornado chart.' }),
  elasticity: Type.Union([Type.Number(), Type.Null()], { description: '(relative output change) / (relative input change): 1 means proportional, negative means the output falls as the input rises; null when the output is 0.' }),
  rank: Type.Integer({ description: 'Tornado rank: 1 is the widest swing.' })
}, 'How one input moves one output.')

export const SensitivitySchema = obj({
  model: Type.String({ description: 'The model.' }),
  deltaPercent: Type.Number({ description: 'How far each input moved. Unit: %.' }),
  outputs: Type.Array(obj({
    output: Type.String({ description: 'Figure path.' }),
    value: Type.Number({ description: 'Its value in the scenario.' }),
    drivers: Type.Array(driver, { description: 'Every moved input, widest swing first (tornado order).' })
  }, 'One output and what drives it.'), { description: 'Per output.' }),
  skipped: Type.Array(obj({
    input: Type.String({ description: 'Input path.' }),
    value: Type.Number({ description: 'Its value.' }),
    reason: Type.String({ description: 'Why it was not moved.' })
  }, 'An input not moved.'), { description: 'Numeric inputs that could not be moved, and why.' }),
  warnings: WarningsRef
}, 'Elasticities of outputs with respect to inputs.', 'Sensitivity')

const catalogueInput = obj({
  name: Type.String({ description: 'Field name (a flag --kebab-case of it in the CLI).' }),
  type: Type.String({ description: 'JSON type: number, integer, string, boolean, array or object.' }),
  description: Type.String({ description: 'Unit, range and default.' }),
  enum: Type.Optional(Type.Array(Type.String(), { description: 'Allowed values.' })),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  required: Type.Boolean({ description: 'The model has no default for it.' })
}, 'An input field.')

export const CatalogueSchema = obj({
  models: Type.Array(obj({
    name: Type.String({ description: 'Model name, as /diff, /sweep, /sensitivity and the CLI take it.' }),
    path: Type.String({ description: 'Its POST/GET path.' }),
    summary: Type.String({ description: 'What it computes.' }),
    inputs: Type.Array(catalogueInput, { description: 'Top-level input fields.' }),
    keyFigures: Type.Array(Type.String(), { description: 'Figures a sweep or sensitivity reports by default.' }),
    aliases: Type.Record(Type.String(), Type.String(), { description: 'Gate names and the figure each stands for.' }),
    tierFigures: Type.Array(Type.String(), { description: 'Figures whose change a sweep reports as a tier change.' }),
    figures: Type.Array(Type.String(), { description: 'Every figure of an example estimate (default scenario, or the example for models with a required field).' })
  }, 'One model.'), { description: 'Every estimate the service has.' })
}, 'The models the analyses and the CLI can run.', 'EstimateCatalogue')
