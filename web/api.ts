// The service's API as the page calls it: the same origin, the bearer token the user entered (kept in
// sessionStorage: this tab, this browser session), the service's one error shape.

const TOKEN_KEY = 'sizing-service.token'

export const storedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? ''

export function keepToken (token: string): void {
  if (token === '') sessionStorage.removeItem(TOKEN_KEY)
  else sessionStorage.setItem(TOKEN_KEY, token)
}

/** The service's error body: `{ statusCode, error, code, message }`. */
export interface ServiceError { statusCode: number, error: string, code: string, message: string }

export class RequestFailed extends Error {
  constructor (readonly status: number, readonly body: ServiceError) {
    super(body.message)
  }
}

interface CallOptions { body?: unknown, accept?: string }

/** GET, or POST with a JSON body; a non-2xx answer throws RequestFailed with the service's error. */
export async function call (path: string, { body, accept = 'application/json' }: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept }
  const token = storedToken()
  if (token !== '') headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (!response.ok) {
    const text = await response.text()
    let error: ServiceError
    try {
      error = JSON.parse(text) as ServiceError
    } catch {
      error = { statusCode: response.status, error: response.statusText, code: 'UNKNOWN', message: `${response.status} ${response.statusText}` }
    }
    throw new RequestFailed(response.status, error)
  }
  return response
}

export const getJson = async <T>(path: string): Promise<T> => await (await call(path)).json() as T
export const postJson = async <T>(path: string, body: unknown): Promise<T> => await (await call(path, { body })).json() as T
export const postText = async (path: string, body: unknown, accept: string): Promise<string> => await (await call(path, { body, accept })).text()

/** The file name of a Content-Disposition attachment, or the fallback. */
export function attachmentName (response: Response, fallback: string): string {
  return /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback
}
