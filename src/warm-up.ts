// Warming: every route answers one request before /readyz says ready (server.ts: the service
// already answers meanwhile, between warm-up requests) or a worker takes tasks
// (workers/request-worker.ts), so routed traffic meets code that is compiled and optimised, and no
// start-up work is ever mistaken for load.
import type { FastifyInstance } from 'fastify'

export interface RouteEntry { method: string, url: string }

/** A real value for each path parameter, so the warm-up request reaches the handler. */
const SAMPLE_PARAMETERS: Record<string, string> = { name: 'medium' }
const PRESET_SAMPLE = 'write-heavy'

/** Representative bodies for the routes whose empty body is not a valid request. */
const SAMPLE_BODIES: Record<string, object> = {
  '/diff': { model: 'engram', before: {}, after: { expectedNodes: 2_000_000 } },
  '/sweep': { model: 'engram', vary: [{ input: 'expectedNodes', from: 1_000_000, to: 2_000_000, points: 3 }] },
  '/sensitivity': { model: 'engram' },
  '/validate/aeterna': { replicaCount: 3 },
  // inline series: warming never reads Prometheus
  '/calibrate/engram': { series: { engram_cpu_utilization_percent: [{ metric: { core: '0' }, values: [[1_735_689_600, '40'], [1_735_689_660, '60']] }], engram_memory_usage_bytes: [{ metric: { tier: 'hot' }, values: [[1_735_689_600, '1048576'], [1_735_689_660, '2097152']] }] } },
  '/calibrate/aeterna': { tier: 'medium', memoryCount: 5000, series: { aeterna_cpu_utilization_percent: [{ values: [[1_735_689_600, '40'], [1_735_689_660, '60']] }] } }
}

/**
 * The request that warms a route: GET with no query, POST with a valid body; an estimate whose
 * empty request is not valid gets its catalogue example (`examples`, by path) as body and query.
 */
export function warmUpRequest (route: RouteEntry, examples: ReadonlyMap<string, Record<string, unknown>> = new Map()): { method: 'GET' | 'POST', url: string, payload?: object } | undefined {
  if ((route.method !== 'GET' && route.method !== 'POST') || route.url.includes('*')) return undefined
  const url = route.url.startsWith('/presets/engram/')
    ? `/presets/engram/${PRESET_SAMPLE}`
    : route.url.replace(/:(\w+)/g, (_match, name: string) => SAMPLE_PARAMETERS[name] ?? name)
  const example = examples.get(route.url) ?? {}
  if (route.method === 'POST') return { method: 'POST', url, payload: SAMPLE_BODIES[route.url] ?? example }
  const query = new URLSearchParams(Object.entries(example).map(([name, value]): [string, string] => [name, String(value)])).toString()
  return { method: 'GET', url: query === '' ? url : `${url}?${query}` }
}

/** Each estimate's example scenario by its path (the catalogue of routes/estimate-routes.ts). */
export function estimateExamples (app: FastifyInstance): Map<string, Record<string, unknown>> {
  return new Map([...app.estimateModels.values()].map((model) => [model.path, model.example]))
}

/** The header that marks a warm-up request, with the app's token: the metrics leave it out. */
export const WARM_UP_HEADER = 'x-sizing-warm-up'

/**
 * Lets the event loop read sockets before the next warm-up request: injected requests resolve in
 * microtasks, so a warm-up run back to back would keep the first clients waiting until it ends.
 */
const yieldToClients = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

/**
 * Runs each route's warm-up request in JSON and in the text report (the two common renderings). The
 * service may already answer clients meanwhile: only the marked requests are left out of the metrics.
 */
export async function warmUp (app: FastifyInstance): Promise<void> {
  const examples = estimateExamples(app)
  for (const route of app.routeEntries) {
    const request = warmUpRequest(route, examples)
    if (request === undefined) continue
    await yieldToClients()
    await app.inject({ ...request, headers: { [WARM_UP_HEADER]: app.warmUpToken } })
    await yieldToClients()
    await app.inject({ ...request, headers: { accept: 'text/plain', [WARM_UP_HEADER]: app.warmUpToken } })
  }
}
