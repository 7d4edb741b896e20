// How the CLI reaches the models: in this process through the app itself (app.inject, no socket),
// or a running service with --url. Both speak HTTP semantics, so every command is one request and
// the answers are the service's own, byte for byte.
import type { FastifyInstance } from 'fastify'

export interface CliRequest {
  method: 'GET' | 'POST'
  path: string
  body?: string
  contentType?: string
}

export interface CliResponse { status: number, body: string }

export interface Transport {
  send: (request: CliRequest) => Promise<CliResponse>
  close: () => Promise<void>
}

/** Raised when the service cannot be reached or fails: exit code 3, not a usage error. */
export class ServiceError extends Error {}

/** The service's routes in this process, built on the first request without the rest of a service (BuildOptions.oneShot). */
export function inProcessTransport (): Transport {
  let app: Promise<FastifyInstance> | undefined
  const ready = async (): Promise<FastifyInstance> => {
    app ??= import('../app.js').then(async ({ buildApp }) => await buildApp({ lazyCompilation: true, oneShot: true }))
    return await app
  }
  return {
    async send (request) {
      const response = await (await ready()).inject({
        method: request.method,
        url: request.path,
        ...(request.body === undefined ? {} : { payload: request.body, headers: { 'content-type': request.contentType ?? 'application/json' } })
      })
      return { status: response.statusCode, body: response.body }
    },
    async close () {
      if (app !== undefined) await (await app).close()
    }
  }
}

export function remoteTransport (baseUrl: string, token: string | undefined, fetchImpl: typeof fetch = fetch): Transport {
  let base: URL
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  } catch {
    throw new ServiceError(`--url "${baseUrl}" is not a URL`)
  }
  return {
    async send (request) {
      const url = new URL(request.path.replace(/^\//, ''), base)
      const headers: Record<string, string> = {}
      if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`
      if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json'
      let response: Response
      try {
        response = await fetchImpl(url, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(30_000) })
      } catch (error) {
        const cause = (error as { cause?: { code?: string, message?: string } }).cause
        throw new ServiceError(`cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`)
      }
      return { status: response.status, body: await response.text() }
    },
    async close () {}
  }
}
