// Shared test helpers.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { estimateExamples, warmUpRequest } from '../src/warm-up.js'

/** Every route's warm-up request (a valid one), once per Accept header given (undefined: none). */
export function routeRequests (app: FastifyInstance, accepts: Array<string | undefined>): Array<NonNullable<ReturnType<typeof warmUpRequest>> & { headers?: Record<string, string> }> {
  const examples = estimateExamples(app)
  return app.routeEntries.flatMap((route) => {
    const request = warmUpRequest(route, examples)
    return request === undefined ? [] : accepts.map((accept) => accept === undefined ? request : { ...request, headers: { accept } })
  })
}

export interface ScriptCase {
  args: [number, number, number, number, number, number]
  exitCode: number
  raw: Record<string, string>
  stdout: string
  stderr: string
}

export const scriptFixture = JSON.parse(
  readFileSync(new URL('./fixtures/engram-script.json', import.meta.url), 'utf8')
) as { command: string, cases: ScriptCase[] }

export function argsToInput ([expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec]: ScriptCase['args']) {
  return { expectedNodes, activeRatio, edgesPerNode, opsPerSec, retentionDays, consolidationIntervalSec }
}

/** bc prints ".5" and "-1.2"; an empty string is the script's broken arithmetic. */
export function bcNumber (text: string | undefined): number {
  if (text === undefined || text === '') return Number.NaN
  return Number(text)
}

/** Relative closeness: bc keeps 20 decimals, JavaScript 15-17 significant digits. */
export function close (actual: number, expected: number, relative = 1e-12): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected))
}

/** Helm values documents inside an answer: their null deletes a chart default, and their numbers are the chart's, not figures. */
const VALUES_DOCUMENTS = new Set(['valuesFile', 'upstreamValues'])

/** Paths of every null, non-finite or negative number in a parsed JSON answer (Helm values documents aside). */
export function badFigures (value: unknown, path = ''): string[] {
  if (value === null) return [`${path} = null`]
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? [] : [`${path} = ${value}`]
  if (typeof value !== 'object') return []
  return Object.entries(value as Record<string, unknown>).filter(([key]) => !VALUES_DOCUMENTS.has(key)).flatMap(([key, child]) => badFigures(child, `${path}/${key}`))
}
