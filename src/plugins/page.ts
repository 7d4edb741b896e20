// The capacity-review page (issue 17): the files npm run build writes from web/ into dist/web/
// (bin/bundle.js bundleWeb), served at GET / (index.html) and GET /page/<file>. Read once when the app
// is built, so a request costs a map lookup; hidden from the OpenAPI document; public like the
// documentation (plugins/protection.ts isDocumentation): the page loads without a token, and its
// own API calls carry the token the user enters. A file the build did not write is the service's 404.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Where npm run build writes the page: dist/web/ of the checkout or image. */
export const PAGE_DIRECTORY = fileURLToPath(new URL('../../dist/web/', import.meta.url))

/** The path prefix of the page's files (index.html is served at /). */
export const PAGE_PREFIX = '/page/'

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png'
}

/** A file name a route can carry as it is: no separators, no route syntax (`:`, `*`). */
const PLAIN_NAME = /^[\w-]+(\.[\w-]+)+$/

export interface PageFile { body: Buffer, type: string, etag: string }

/**
 * The page's files in `directory` by name: every plain file of a known media type (nothing else is
 * served); none when the directory is missing (the page is not built).
 */
export function readPageFiles (directory: string): Map<string, PageFile> {
  const files = new Map<string, PageFile>()
  if (!existsSync(directory)) return files
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const type = MEDIA_TYPES[extname(entry.name)]
    if (!entry.isFile() || type === undefined || !PLAIN_NAME.test(entry.name)) continue
    const body = readFileSync(join(directory, entry.name))
    // strong: the bytes' digest, so any change of the build changes it
    files.set(entry.name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` })
  }
  return files
}

/** Whether If-None-Match names this entity tag (or `*`); weak comparison, as RFC 9110 13.1.2 asks for GET. */
export function etagMatches (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  return header.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag
  })
}

/** The answer for one file: revalidated on every use (no-cache: the names are not content-hashed), 304 when the browser's copy is current. */
function serve (file: PageFile) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header('cache-control', 'no-cache').header('etag', file.etag)
    if (etagMatches(request.headers['if-none-match'], file.etag)) {
      await reply.code(304).send()
      return
    }
    await reply.type(file.type).send(file.body)
  }
}

/**
 * GET / and GET /page/<file> for each file of the built page in `directory`. Without a build (a
 * checkout run from its sources before npm run build) there is no page: / is a 404, and the log says why.
 */
export function registerPage (app: FastifyInstance, directory: string = PAGE_DIRECTORY): void {
  const files = readPageFiles(directory)
  if (!files.has('index.html')) app.log.warn({ directory }, 'the capacity-review page is not built (npm run build writes it): GET / is a 404')
  for (const [name, file] of files) {
    app.get(name === 'index.html' ? '/' : `${PAGE_PREFIX}${name}`, { schema: { hide: true } }, serve(file))
  }
}
