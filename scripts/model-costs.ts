// npm run model-costs: measures what a point of each model in the catalogue costs and writes the
// table the analyses' budgets read (src/models/analysis/model-costs.ts), with the machine and date.
// `npm run bench` prints the same measurement (section (g)) without writing it. In this process,
// through the routes (app.inject), so a point costs what it costs in a worker: validation, the
// model, the figures read and the JSON written.
//   sweepPointMs: (a sweep of SWEEP_POINTS points - a sweep of 1) / (SWEEP_POINTS - 1), over the
//     model's first numeric input, from its example's value to twice it;
//   evaluationMs: a /diff of the example against itself, halved (a diff validates and computes two
//     scenarios: what sensitivity does per changed value).
// Each the median of ROUNDS, and the largest over the model's probe scenarios (its example, and the
// costlier ones of EXTRA_PROBES). Timing on a shared machine: run it on a quiet one if you can.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import type { ModelCost } from '../src/models/analysis/model-costs.js'

const SWEEP_POINTS = Number(process.env.MODEL_COST_POINTS ?? 1000)
const ROUNDS = Number(process.env.MODEL_COST_ROUNDS ?? 7)
/** Scenarios that cost more a point than a model's example: the HA plan rebuilds more of the values file. */
const EXTRA_PROBES: Record<string, Array<Record<string, unknown>>> = {
  aeterna: [{ memoryCount: 50_000, requireHA: true }, { memoryCount: 5_000_000, requireHA: true, multiTenant: true, concurrentUsers: 1000, upstreamValues: true }]
}
const TABLE_FILE = fileURLToPath(new URL('../src/models/analysis/model-costs.ts', import.meta.url))

interface CatalogueModel { name: string, inputs: Array<{ name: string, type: string, minimum?: number, maximum?: number }> }

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function timedMs (app: FastifyInstance, url: string, payload: object): Promise<number> {
  const startedAt = performance.now()
  const response = await app.inject({ method: 'POST', url, payload })
  const elapsedMs = performance.now() - startedAt
  if (response.statusCode !== 200) throw new Error(`${url} ${JSON.stringify(payload)}: ${response.statusCode} ${response.body}`)
  return elapsedMs
}

/** The model's first numeric input the scenario's estimate has a value for, with that value. */
async function probeAxis (app: FastifyInstance, model: CatalogueModel, path: string, scenario: object): Promise<{ input: string, from: number, to: number }> {
  const estimate = (await app.inject({ method: 'POST', url: path, payload: scenario })).json<{ inputs: Record<string, unknown> }>()
  const numeric = model.inputs.find((input) => (input.type === 'integer' || input.type === 'number') && typeof estimate.inputs[input.name] === 'number')
  if (numeric === undefined) throw new Error(`${model.name}: no numeric input with a value to sweep`)
  const value = estimate.inputs[numeric.name] as number
  const to = Math.min(value === 0 ? 1 : value * 2, numeric.maximum ?? Infinity)
  // an input at its maximum already: down to half of it instead
  return to > value ? { input: numeric.name, from: value, to } : { input: numeric.name, from: Math.max(value / 2, numeric.minimum ?? 0), to: value }
}

async function probeCost (app: FastifyInstance, model: CatalogueModel, path: string, scenario: object): Promise<ModelCost> {
  const axis = await probeAxis(app, model, path, scenario)
  const sweep = (points: number): object => ({ model: model.name, scenario, vary: [{ ...axis, points }] })
  const diff = { model: model.name, before: scenario, after: scenario }
  await timedMs(app, '/sweep', sweep(SWEEP_POINTS)) // warm: the JIT compiles the model's code on the first calls
  const sweepPointMs: number[] = []
  const evaluationMs: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const oneMs = await timedMs(app, '/sweep', sweep(1))
    const manyMs = await timedMs(app, '/sweep', sweep(SWEEP_POINTS))
    sweepPointMs.push(Math.max(0, manyMs - oneMs) / (SWEEP_POINTS - 1))
    const diffs = 20
    let totalMs = 0
    for (let index = 0; index < diffs; index++) totalMs += await timedMs(app, '/diff', diff)
    evaluationMs.push(totalMs / diffs / 2)
  }
  return { sweepPointMs: median(sweepPointMs), evaluationMs: median(evaluationMs) }
}

/** Three significant digits, at least a microsecond: a cost of 0 would make any request free. */
const rounded = (ms: number): number => Math.max(0.001, Number(ms.toPrecision(3)))

export async function measureModelCosts (): Promise<Record<string, ModelCost>> {
  const app = await buildApp()
  try {
    const catalogue = (await app.inject({ method: 'GET', url: '/estimates' })).json<{ models: Array<CatalogueModel & { path: string }> }>().models
    const costs: Record<string, ModelCost> = {}
    for (const model of catalogue) {
      const examples = [app.estimateModels.get(model.name)?.example ?? {}, ...(EXTRA_PROBES[model.name] ?? [])]
      const probes: ModelCost[] = []
      for (const scenario of examples) probes.push(await probeCost(app, model, model.path, scenario))
      costs[model.name] = { sweepPointMs: rounded(Math.max(...probes.map((cost) => cost.sweepPointMs))), evaluationMs: rounded(Math.max(...probes.map((cost) => cost.evaluationMs))) }
    }
    return costs
  } finally {
    await app.close()
  }
}

export const machineDescription = (): string => `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`

/** A string as the project's style writes it (single quotes), and a key unquoted where it can be. */
const quoted = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`
const key = (name: string): string => /^[A-Za-z_$][\w$]*$/.test(name) ? name : quoted(name)

export function tableSource (costs: Record<string, ModelCost>, machine: string, date: string): string {
  const rows = Object.entries(costs).map(([name, cost]) => `  ${key(name)}: { sweepPointMs: ${cost.sweepPointMs}, evaluationMs: ${cost.evaluationMs} }`)
  return `// Generated by \`npm run model-costs\` (scripts/model-costs.ts): do not edit by hand, run it again.
// What one point of each model costs, measured through the routes: the analyses' budgets read it
// (budget.ts). test/models/analysis/budget.test.ts checks every model of the catalogue is here.

export interface ModelCost {
  /** One point of a sweep: the model computed on the validated body, its figures read and written as JSON. */
  sweepPointMs: number
  /** One scenario validated as the model's POST does, then computed (diff, sensitivity, a sweep's checks). */
  evaluationMs: number
}

export const MODEL_COSTS_MEASURED = { machine: ${quoted(machine)}, date: ${quoted(date)}, sweepPoints: ${SWEEP_POINTS}, rounds: ${ROUNDS} }

export const MODEL_COSTS: Readonly<Record<string, ModelCost>> = {
${rows.join(',\n')}
}
`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const costs = await measureModelCosts()
  const machine = machineDescription()
  writeFileSync(TABLE_FILE, tableSource(costs, machine, new Date().toISOString().slice(0, 10)))
  console.log(`model costs on ${machine}:`)
  for (const [name, cost] of Object.entries(costs)) console.log(`  ${name.padEnd(20)} ${cost.sweepPointMs} ms a sweep point, ${cost.evaluationMs} ms an evaluation`)
  console.log(`written to ${TABLE_FILE}`)
}
