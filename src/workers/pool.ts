// The worker-thread pool for requests whose cost grows with the input. A task is a whole HTTP
// request (method, URL, the headers that choose the answer, the raw body): the worker answers it with
// the same routes, so an offloaded answer is byte-identical to one computed on the main thread, and
// a large document is parsed off the main thread too. The answer comes back over a MessagePort as it
// is written (status and headers, then chunks whose memory is moved, not copied), so a large table
// streams to the client while the worker renders it. The queue is bounded (a full queue is an
// immediate 503) and every task has a time budget (past it the worker is ended: 503). Tasks wait in
// two lanes by estimated cost (CostLanes): a small one goes ahead of every large one and has a
// worker of its own besides, so it never waits behind other clients' large ones.
import { availableParallelism } from 'node:os'
import { Readable } from 'node:stream'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { Config } from '../config.js'
import { TaskTimeoutError, WorkerFailedError, WorkersBusyError } from '../errors.js'
import { type WorkerHeapLimits, memoryLimit, workerHeapLimits } from '../plugins/memory.js'

export interface ForwardedRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: Uint8Array
}

/** Chunks a worker may post ahead of what the client has read: beyond them it waits (backpressure). */
export const CHUNKS_AHEAD = 4
/** What the main thread posts back on the task's port each time the client is ready for more. */
export const MORE = 'more'

/** What a worker posts on the task's port: the head once, chunks of the body, then the end. */
export type AnswerMessage =
  | { kind: 'head', statusCode: number, headers: Record<string, string> }
  | { kind: 'chunk', bytes: Uint8Array }
  | { kind: 'end' }

/** A worker's answer: status and headers as soon as they are written, the body as a stream. */
export interface ForwardedResponse {
  statusCode: number
  headers: Record<string, string>
  body: Readable
}

/** The task a worker receives: the request and the port to answer on. */
export type WorkerTask = ForwardedRequest & { port: MessagePort }

/**
 * A task estimated to take at most this long is small (the route's estimate: routes/analysis.ts;
 * a task without one is large). Small tasks hold the reserved worker this long at most, so one
 * waits behind a few others at worst, well under a second.
 */
export const SMALL_TASK_MS = 100
export type CostClass = 'small' | 'large'

/** The cost class of a task estimated to take `estimatedMs` (undefined: unknown, large). */
export const costClassOf = (estimatedMs: number | undefined): CostClass => estimatedMs !== undefined && estimatedMs <= SMALL_TASK_MS ? 'small' : 'large'

/** `threads` run any task; `smallThreads` more run small ones only. */
export interface PoolSettings {
  threads: number
  smallThreads: number
  maxQueue: number
  taskTimeoutMs: number
  /** Each worker's V8 heap limits: a worker past them is ended (its request answered 503) and replaced. Unset: V8's defaults. */
  heapLimits?: WorkerHeapLimits
}

type PoolConfig = Pick<Config, 'WORKER_THREADS' | 'WORKER_SMALL_THREADS' | 'WORKER_QUEUE_MAX' | 'WORKER_TASK_TIMEOUT_MS' | 'MEMORY_LIMIT_BYTES'>

/**
 * WORKER_THREADS and WORKER_QUEUE_MAX with their automatic values resolved, and the heap limits the
 * memory limit allows each worker (the small-task workers included: one piscina pool, one limit).
 */
export function poolSettings (config: PoolConfig, cpus = availableParallelism(), limitBytes = memoryLimit(config).bytes): PoolSettings {
  // one CPU stays with the main thread, which serves the probes and the cheap requests
  const threads = config.WORKER_THREADS > 0 ? config.WORKER_THREADS : Math.max(1, cpus - 1)
  const maxQueue = config.WORKER_QUEUE_MAX > 0 ? config.WORKER_QUEUE_MAX : 4 * threads
  // the workers kept for small tasks (WORKER_SMALL_THREADS): a small task never waits for a large one to end
  const smallThreads = config.WORKER_SMALL_THREADS
  return { threads, smallThreads, maxQueue, taskTimeoutMs: config.WORKER_TASK_TIMEOUT_MS, heapLimits: workerHeapLimits(limitBytes, threads + smallThreads) }
}

/** What a client is told when its worker stopped: a heap limit reached is named with the limit. */
export function workerFailure (error: Error & { code?: string }, heapLimits: WorkerHeapLimits | undefined): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return `it ran out of its ${heapLimits?.maxOldGenerationSizeMb ?? 'default'} MiB heap`
  return error.message
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

/**
 * Admission to the workers by cost class: a task starts when a worker it may use is free, else it
 * waits in its class's lane (first come, first served). A freed worker takes the oldest small task
 * first; large tasks use at most `largeSlots` of the `slots` workers, so a small one always finds
 * the others. Whoever waits is removed from its lane when its signal aborts (budget or client gone).
 */
export class CostLanes {
  private readonly waiting: Record<CostClass, Array<{ start: () => void }>> = { small: [], large: [] }
  private running = 0
  private runningLarge = 0

  constructor (private readonly slots: number, private readonly largeSlots: number) {}

  /** Tasks waiting for a worker, both lanes. */
  get queued (): number { return this.waiting.small.length + this.waiting.large.length }

  private mayStart (cost: CostClass): boolean {
    return this.running < this.slots && (cost === 'small' || this.runningLarge < this.largeSlots)
  }

  private begin (cost: CostClass): () => void {
    this.running++
    if (cost === 'large') this.runningLarge++
    let released = false
    return () => {
      if (released) return
      released = true
      this.running--
      if (cost === 'large') this.runningLarge--
      this.next()
    }
  }

  /** Starts the oldest small task a free worker may take, else the oldest large one. */
  private next (): void {
    for (const cost of ['small', 'large'] as const) {
      if (this.waiting[cost].length > 0 && this.mayStart(cost)) {
        (this.waiting[cost].shift() as { start: () => void }).start()
        return
      }
    }
  }

  /** Resolves with the release (call it once the task has ended) when the task may start; rejects with the signal's reason if it aborts first. */
  async admit (cost: CostClass, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted()
    if (this.mayStart(cost) && this.waiting[cost].length === 0) return this.begin(cost)
    return await new Promise((resolve, reject) => {
      const waiter = {
        start: () => {
          signal.removeEventListener('abort', abandon)
          resolve(this.begin(cost))
        }
      }
      const abandon = (): void => {
        this.waiting[cost].splice(this.waiting[cost].indexOf(waiter), 1)
        reject(signal.reason)
      }
      signal.addEventListener('abort', abandon, { once: true })
      this.waiting[cost].push(waiter)
    })
  }
}

export class RequestPool {
  private readonly pool: Piscina
  readonly settings: PoolSettings
  private readonly lanes: CostLanes

  /** `workerConfig` is the configuration each worker builds its app with. */
  constructor (settings: PoolSettings, workerConfig: Config) {
    this.settings = settings
    const workers = settings.threads + settings.smallThreads
    this.lanes = new CostLanes(workers, settings.threads)
    this.pool = new Piscina({
      filename: workerModule(import.meta.url),
      minThreads: workers,
      maxThreads: workers,
      maxQueue: settings.maxQueue,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: settings.heapLimits,
      workerData: { config: workerConfig }
    })
    // a worker that fails between tasks (its heap limit reached while collecting what its last answer
    // left) belongs to no request: piscina replaces it and emits the error on the pool, which,
    // unheard, would end the process
    this.pool.on('error', () => { this.idleWorkerFailures++ })
  }

  /** Workers that failed while no task of theirs was running (piscina replaced each). */
  idleWorkerFailures = 0

  /** Waits until every worker has built and warmed its routes (each holds one of these at once). */
  async warmUp (): Promise<void> {
    await Promise.all(Array.from({ length: this.settings.threads + this.settings.smallThreads }, async () => await this.pool.run({ warmUp: true })))
  }

  /** Tasks waiting for a worker: in the lanes, or (while a worker is replaced) in the pool's own queue. */
  get queued (): number { return this.lanes.queued + this.pool.queueSize }
  /** Tasks accepted and not yet answered: running plus waiting. */
  inFlight = 0

  /**
   * Answers a request in a worker: resolves when the worker has written the status and headers, with
   * the body streaming behind them; rejects with a 503 error when the queue is full, the budget runs
   * out or the worker fails before the head. A failure after it ends the body stream with the error.
   */
  async run (request: ForwardedRequest, clientGone: AbortSignal, cost: CostClass = 'large'): Promise<ForwardedResponse> {
    if (this.queued >= this.settings.maxQueue) throw new WorkersBusyError(this.settings.maxQueue)
    const { port1: answers, port2: port } = new MessageChannel()
    // each read the client is ready for lets the worker post one more chunk
    const body = new Readable({ read () { answers.postMessage(MORE) } })
    let headWritten!: (head: Omit<ForwardedResponse, 'body'>) => void
    const head = new Promise<Omit<ForwardedResponse, 'body'>>((resolve) => { headWritten = resolve })
    let streaming = false
    answers.on('message', (message: AnswerMessage) => {
      if (message.kind === 'head') {
        streaming = true
        headWritten({ statusCode: message.statusCode, headers: message.headers })
      } else if (message.kind === 'chunk') body.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength))
      else {
        body.push(null)
        answers.close()
      }
    })
    this.inFlight++
    const task: WorkerTask = { ...request, port }
    const failure = this.runWithinBudget(task, cost, clientGone, [request.body.buffer as ArrayBuffer, port])
      .then(() => undefined, (error: Error) => {
        // after the head the client has a status already: the body ends with the error (the
        // connection is cut); before it nobody reads the body, and the error is the answer
        if (streaming) body.destroy(error)
        answers.close()
        return error
      })
      .finally(() => { this.inFlight-- })
    // the port's messages and the task's result travel apart: on success the head is always posted first
    const answered = await Promise.race([head, failure.then(async (error) => { if (error !== undefined) throw error; return await head })])
    return { ...answered, body }
  }

  private async runWithinBudget (task: WorkerTask, cost: CostClass, clientGone: AbortSignal, transferList: Array<ArrayBuffer | MessagePort>): Promise<void> {
    // the budget runs from acceptance: time in the queue counts, as the client waits through it too
    const budget = AbortSignal.timeout(this.settings.taskTimeoutMs)
    const signal = AbortSignal.any([budget, clientGone])
    let release: () => void = () => {}
    try {
      release = await this.lanes.admit(cost, signal)
      await this.pool.run(task, { signal, transferList })
    } catch (error) {
      if (budget.aborted) throw new TaskTimeoutError(this.settings.taskTimeoutMs)
      if (clientGone.aborted) throw new WorkerFailedError('the client closed the connection')
      throw new WorkerFailedError(workerFailure(error as Error, this.settings.heapLimits))
    } finally {
      release()
    }
  }

  async destroy (): Promise<void> {
    await this.pool.destroy()
  }
}
