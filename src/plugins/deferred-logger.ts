// fastify gives every request a child logger (pino's child copies the parent and serializes the
// request id binding) although request logging is off and almost no request logs: about 2-3 us of a
// request's CPU in the bench's (a') (docs/operations.md). The request's logger here is a stand-in
// that makes the same child the first time the request logs, so the lines are the same (reqId
// included) and a request that never logs never pays for it.
import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions } from 'pino'

type LogWith = (...args: unknown[]) => void

export class DeferredChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined

  constructor (private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  /** The real child, made on first use. */
  get logger (): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options)
    return this.made
  }

  /** Whether the child exists yet (tests: a request that does not log makes none). */
  get isMade (): boolean {
    return this.made !== undefined
  }

  get level (): string {
    return this.made?.level ?? this.options.level ?? this.parent.level
  }

  set level (level: string) {
    this.logger.level = level
  }

  // methods on the prototype: a request's stand-in allocates no closures
  fatal (...args: unknown[]): void { (this.logger.fatal as LogWith)(...args) }
  error (...args: unknown[]): void { (this.logger.error as LogWith)(...args) }
  warn (...args: unknown[]): void { (this.logger.warn as LogWith)(...args) }
  info (...args: unknown[]): void { (this.logger.info as LogWith)(...args) }
  debug (...args: unknown[]): void { (this.logger.debug as LogWith)(...args) }
  trace (...args: unknown[]): void { (this.logger.trace as LogWith)(...args) }
  silent (): void {}

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options)
  }
}

/** fastify's childLoggerFactory option: a DeferredChildLogger instead of the child itself. */
export function deferredChildLoggerFactory (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new DeferredChildLogger(logger, bindings, options)
}
