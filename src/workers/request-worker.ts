// One worker of the pool (pool.ts): builds the same app as the main thread (its own validators,
// serializers and models) without the edge concerns the main thread already handled (token, rate
// limit, CORS, shedding, offloading), warms it, then answers forwarded requests through inject.
import { workerData } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { buildApp } from '../app.js'
import type { Config } from '../config.js'
import { warmUp } from '../warm-up.js'
import { FORWARDED_RESPONSE_HEADERS, type ForwardedRequest, type ForwardedResponse, pickHeaders } from './pool.js'

/** The main thread's configuration minus what it enforces itself before forwarding. */
export function workerConfig (config: Config): Config {
  return { ...config, API_TOKEN: '', CORS_ORIGINS: '', RATE_LIMIT_MAX: 0, MAX_EVENT_LOOP_UTILIZATION: 0, MAX_EVENT_LOOP_DELAY_MS: 0, MAX_HEAP_USED_BYTES: 0, MAX_RSS_BYTES: 0 }
}

const app = await buildApp({ config: workerConfig((workerData as { config: Config }).config) })
await app.ready()
await warmUp(app)

/** A body the worker can hand over without a copy: only a buffer that is the whole of its memory. */
function transferable (body: Buffer): Uint8Array {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body)
}

export default async function answer (task: ForwardedRequest | { warmUp: true }): Promise<ForwardedResponse | undefined> {
  if ('warmUp' in task) return undefined // the module above has run: this worker is warm
  const response = await app.inject({ method: task.method as 'POST', url: task.url, headers: task.headers, payload: Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength) })
  const body = transferable(response.rawPayload)
  const answered: ForwardedResponse = { statusCode: response.statusCode, headers: pickHeaders(response.headers, FORWARDED_RESPONSE_HEADERS), body }
  // the body's memory moves to the main thread instead of being copied (megabytes for a large sweep)
  return Piscina.move({ [Piscina.transferableSymbol]: body.buffer, [Piscina.valueSymbol]: answered } as unknown as ArrayBuffer) as unknown as ForwardedResponse
}
