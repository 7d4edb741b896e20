// Content negotiation for estimate responses: JSON (schema-serialised), YAML, or a text report.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'yaml'
import { NotAcceptableError } from '../errors.js'

export type Format = 'json' | 'yaml' | 'text'

const MEDIA_TYPES: Record<string, Format> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/plain': 'text'
}

const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
  text: 'text/plain; charset=utf-8'
}

interface MediaRange { type: string, quality: number, order: number }

function parseAccept (accept: string): MediaRange[] {
  return accept.split(',').map((part, order) => {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((piece) => piece.trim())
    const q = params.find((param) => param.startsWith('q='))
    const quality = q === undefined ? 1 : Number(q.slice(2))
    return { type, quality: Number.isFinite(quality) ? quality : 0, order }
  }).filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order)
}

function formatOfRange (type: string): Format | undefined {
  if (type === '*/*' || type === 'application/*') return 'json'
  if (type === 'text/*') return 'text'
  return MEDIA_TYPES[type]
}

/** The format a client asked for: ?format wins over Accept; no preference means JSON. */
export function negotiateFormat (accept: string | undefined, formatQuery: Format | undefined): Format | undefined {
  if (formatQuery !== undefined) return formatQuery
  if (accept === undefined || accept.trim() === '') return 'json'
  for (const range of parseAccept(accept)) {
    const format = formatOfRange(range.type)
    if (format !== undefined) return format
  }
  return undefined
}

export function sendFormatted<T> (
  request: FastifyRequest,
  reply: FastifyReply,
  result: T,
  renderText: (result: T) => string
): FastifyReply {
  const format = negotiateFormat(request.headers.accept, (request.query as { format?: Format }).format)
  if (format === undefined) throw new NotAcceptableError(String(request.headers.accept))
  reply.header('vary', 'Accept')
  if (format === 'json') return reply.send(result)
  const render = format === 'yaml' ? (payload: T) => stringify(payload) : renderText
  return reply.type(CONTENT_TYPES[format]).serializer(render as (payload: unknown) => string).send(result)
}
