// The worker-thread pool for requests whose cost grows with the input. A task is a whole HTTP
// request (method, URL, the headers that choose the answer, the raw body): the worker answers it with
// the same routes, so an offloaded answer is byte-identical to one computed on the main thread, and
// a large document is parsed off the main thread too. The queue is bounded (a full queue is an
// immediate 503) and every task has a time budget (past it the worker is ended: 503).
import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { Config } from '../config.js'
import { TaskTimeoutError, WorkerFailedError, WorkersBusyError } from '../errors.js'

export interface ForwardedRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: Uint8Array
}

export interface ForwardedResponse {
  statusCode: number
  headers: Record<string, string>
  body: Uint8Array
}

export interface PoolSettings { threads: number, maxQueue: number, taskTimeoutMs: number }

/** WORKER_THREADS and WORKER_QUEUE_MAX with their automatic values resolved. */
export function poolSettings (config: Pick<Config, 'WORKER_THREADS' | 'WORKER_QUEUE_MAX' | 'WORKER_TASK_TIMEOUT_MS'>, cpus = availableParallelism()): PoolSettings {
  // one CPU stays with the main thread, which serves the probes and the cheap requests
  const threads = config.WORKER_THREADS > 0 ? config.WORKER_THREADS : Math.max(1, cpus - 1)
  const maxQueue = config.WORKER_QUEUE_MAX > 0 ? config.WORKER_QUEUE_MAX : 4 * threads
  return { threads, maxQueue, taskTimeoutMs: config.WORKER_TASK_TIMEOUT_MS }
}

/** The headers a worker's answer depends on; nothing else crosses to the worker. */
export const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept'] as const
/** The headers of a worker's answer the client gets; the main thread sets the rest itself. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'vary', 'retry-after', 'content-disposition', 'allow'] as const

export function pickHeaders (headers: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) {
    const value = headers[name]
    if (value !== undefined) picked[name] = String(value)
  }
  return picked
}

/** The worker module beside a pool module with this extension: request-worker.js when built; through tsx under the tests and `npm run dev`. */
export function workerModule (poolModuleUrl: string): string {
  return new URL(extname(fileURLToPath(poolModuleUrl)) === '.ts' ? './ts-worker.mjs' : './request-worker.js', poolModuleUrl).href
}

export class RequestPool {
  private readonly pool: Piscina
  readonly settings: PoolSettings

  /** `workerConfig` is the configuration each worker builds its app with. */
  constructor (settings: PoolSettings, workerConfig: Config) {
    this.settings = settings
    this.pool = new Piscina({
      filename: workerModule(import.meta.url),
      minThreads: settings.threads,
      maxThreads: settings.threads,
      maxQueue: settings.maxQueue,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { config: workerConfig }
    })
  }

  /** Waits until every worker has built and warmed its routes (each holds one of these at once). */
  async warmUp (): Promise<void> {
    await Promise.all(Array.from({ length: this.settings.threads }, async () => await this.pool.run({ warmUp: true })))
  }

  /** Tasks waiting for a worker. */
  get queued (): number { return this.pool.queueSize }
  /** Tasks accepted and not yet answered: running plus waiting. */
  inFlight = 0

  /** Answers a request in a worker; rejects with a 503 error when the queue is full or the budget runs out. */
  async run (request: ForwardedRequest, clientGone: AbortSignal): Promise<ForwardedResponse> {
    if (this.pool.queueSize >= this.settings.maxQueue) throw new WorkersBusyError(this.settings.maxQueue)
    this.inFlight++
    return await this.runWithinBudget(request, clientGone).finally(() => { this.inFlight-- })
  }

  private async runWithinBudget (request: ForwardedRequest, clientGone: AbortSignal): Promise<ForwardedResponse> {
    // the budget runs from acceptance: time in the queue counts, as the client waits through it too
    const budget = AbortSignal.timeout(this.settings.taskTimeoutMs)
    try {
      return await this.pool.run(request, { signal: AbortSignal.any([budget, clientGone]), transferList: [request.body.buffer as ArrayBuffer] })
    } catch (error) {
      if (budget.aborted) throw new TaskTimeoutError(this.settings.taskTimeoutMs)
      if (clientGone.aborted) throw new WorkerFailedError('the client closed the connection')
      throw new WorkerFailedError((error as Error).message)
    }
  }

  async destroy (): Promise<void> {
    await this.pool.destroy()
  }
}
