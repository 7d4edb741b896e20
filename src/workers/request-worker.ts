// One worker of the pool (pool.ts): builds the same app as the main thread (its own validators,
// serializers and models) without the edge concerns the main thread already handled (token, rate
// limit, CORS, shedding, offloading), warms it, then answers forwarded requests through inject,
// passing the answer on as fastify writes it.
import { setPriority } from 'node:os'
import { type MessagePort, workerData } from 'node:worker_threads'
import { buildApp } from '../app.js'
import type { Config } from '../config.js'
import { cutPolicy } from '../models/analysis/budget.js'
import { warmUp } from '../warm-up.js'
import { type AnswerMessage, CHUNKS_AHEAD, FORWARDED_RESPONSE_HEADERS, type WorkerTask, pickHeaders } from './pool.js'

/** The main thread's configuration minus what it enforces itself before forwarding. */
function workerConfig (config: Config): Config {
  return { ...config, API_TOKEN: '', CORS_ORIGINS: '', RATE_LIMIT_MAX: 0, MAX_EVENT_LOOP_UTILIZATION: 0, MAX_EVENT_LOOP_DELAY_MS: 0, MAX_HEAP_USED_BYTES: 0, MAX_RSS_BYTES: 0 }
}

/**
 * The niceness of a worker thread: when a worker and the main thread want the same core, the main
 * thread (probes, cheap requests, the bytes of every answer) runs first and the worker waits (about
 * a tenth of the CPU share at 10 against 0), so the main thread does not stall behind a sweep.
 */
const WORKER_NICENESS = 10

// Linux sets the calling thread's priority (pid 0: this thread); elsewhere it would be the whole process'
/* c8 ignore next */
if (process.platform === 'linux') setPriority(0, WORKER_NICENESS)
// a long answer here holds a thread other clients wait for: it is cut, marked, at twice its budget
cutPolicy.enabled = true
const app = await buildApp({ config: workerConfig((workerData as { config: Config }).config) })
await app.ready()
await warmUp(app)

/** A chunk the worker can hand over without a copy: only a buffer that is the whole of its memory. */
function transferable (chunk: Buffer): Uint8Array {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : new Uint8Array(chunk)
}

function post (port: MessagePort, message: AnswerMessage, transferList: ArrayBuffer[] = []): void {
  port.postMessage(message, transferList)
}

/** Credits from the main thread: a chunk may be posted only while one is left (CHUNKS_AHEAD to start). */
function creditsFrom (port: MessagePort): () => Promise<void> {
  let credits = CHUNKS_AHEAD
  let granted: () => void = () => {}
  port.on('message', () => { // MORE: the only message the main thread sends
    credits++
    granted()
  })
  return async () => {
    if (credits === 0) await new Promise<void>((resolve) => { granted = resolve }) // one waiter: the loop below
    credits--
  }
}

/** Answers a forwarded request on its port as fastify writes it: the head, each chunk, the end. */
export default async function answer (task: WorkerTask | { warmUp: true }): Promise<void> {
  if ('warmUp' in task) return // the module above has run: this worker is warm
  const { port } = task
  const response = await app.inject({
    method: task.method as 'POST',
    url: task.url,
    headers: task.headers,
    payload: Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength),
    payloadAsStream: true
  })
  const credit = creditsFrom(port)
  post(port, { kind: 'head', statusCode: response.statusCode, headers: pickHeaders(response.headers, FORWARDED_RESPONSE_HEADERS) })
  for await (const chunk of response.stream() as AsyncIterable<Buffer>) {
    await credit()
    const bytes = transferable(chunk)
    post(port, { kind: 'chunk', bytes }, [bytes.buffer as ArrayBuffer])
  }
  post(port, { kind: 'end' })
  port.close()
}
