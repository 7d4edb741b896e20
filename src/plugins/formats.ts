// Content negotiation for estimate responses: JSON (schema-serialised), YAML, or a text report.
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'yaml'
import { NotAcceptableError } from '../errors.js'

export type Format = 'json' | 'yaml' | 'text' | 'svg' | 'csv'

const MEDIA_TYPES: Record<string, Format> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/plain': 'text',
  'image/svg+xml': 'svg',
  'text/csv': 'csv'
}

const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8'
}

/** The media type a format is named by in errors. */
export const MEDIA_OF: Record<Format, string> = { json: 'application/json', yaml: 'application/yaml', text: 'text/plain', svg: 'image/svg+xml', csv: 'text/csv' }

const DEFAULT_FORMATS: readonly Format[] = ['json', 'yaml', 'text']

/**
 * What a route answers: each format with what its body is, in preference order (the first is the
 * answer when the client states no preference). The one declaration behind the route's `?format`
 * enum, the media types of its OpenAPI 200 response and the formats it negotiates; JSON's body is
 * the response schema, so its text is unused.
 */
export type FormatMenu = Readonly<Partial<Record<Format, string>>>

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The formats the route answers (see FormatMenu); absent: JSON only. */
    formats?: FormatMenu
  }
}

/** A report for terminals, laid out like the seed script's output. */
export const TEXT_REPORT = 'A report for terminals, laid out like the seed script\'s output: the same figures as the JSON.'
export const YAML_DOCUMENT = 'The JSON document as YAML.'

/** The formats of an estimate: JSON, the same document as YAML, and a text report. */
export const ESTIMATE_FORMATS: FormatMenu = { json: '', yaml: YAML_DOCUMENT, text: TEXT_REPORT }

/** The formats a menu lists, in preference order. */
export function formatsOf (menu: FormatMenu): Format[] {
  return Object.keys(menu) as Format[]
}

/** The media types of formats, as a 406 lists what a route offers. */
export const mediaTypesOf = (formats: readonly Format[]): string => formats.map((format) => MEDIA_OF[format]).join(', ')

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

/** The format a client asked for: ?format wins over Accept; no preference means the first format. */
export function negotiateFormat (accept: string | undefined, formatQuery: Format | undefined, formats: readonly Format[] = DEFAULT_FORMATS): Format | undefined {
  if (formatQuery !== undefined) return formats.includes(formatQuery) ? formatQuery : undefined
  if (accept === undefined || accept.trim() === '') return formats[0]
  for (const range of parseAccept(accept)) {
    const format = range.type === '*/*' ? formats[0] : formatOfRange(range.type)
    if (format !== undefined && formats.includes(format)) return format
  }
  return undefined
}

export interface Renderers<T> {
  /** A faster JSON serializer than the route's response schema, producing the same document. */
  json?: (result: T) => string
  text: (result: T) => string
  yaml?: (result: T) => string
  svg?: (result: T) => string
  csv?: (result: T) => string
  /**
   * Formats written as a stream of chunks (large tables): the same bytes as the renderer above for
   * that format, sent as each chunk is rendered instead of after the last one.
   */
  stream?: Partial<Record<Format, (result: T) => Iterable<string>>>
}

/** Adds a field to Vary, keeping what others put there (CORS adds Origin): never overwrites it. */
export function varyOn (reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary')
  if (current === undefined) {
    reply.header('vary', field)
    return
  }
  const fields = String(current).split(',').map((name) => name.trim()).filter((name) => name !== '')
  if (!fields.some((name) => name.toLowerCase() === field.toLowerCase() || name === '*')) fields.push(field)
  reply.header('vary', fields.join(', '))
}

/**
 * Sends a result in the format negotiated among the route's declared formats (config.formats): JSON
 * through the response schema, the rest rendered.
 */
export function sendFormatted<T> (request: FastifyRequest, reply: FastifyReply, result: T, renderText: ((result: T) => string) | Renderers<T>): FastifyReply {
  const renderers: Renderers<T> = typeof renderText === 'function' ? { text: renderText } : renderText
  // every route that answers in several formats declares them (FormatMenu)
  const formats = formatsOf(request.routeOptions.config.formats as FormatMenu)
  const formatQuery = (request.query as { format?: Format }).format
  const format = negotiateFormat(request.headers.accept, formatQuery, formats)
  // ?format was validated against these formats (its enum): only Accept can name none of them
  if (format === undefined) throw new NotAcceptableError(String(request.headers.accept), mediaTypesOf(formats))
  varyOn(reply, 'Accept')
  const streamed = renderers.stream?.[format]
  if (streamed !== undefined) return reply.type(CONTENT_TYPES[format]).send(Readable.from(streamed(result)))
  if (format === 'json') return renderers.json === undefined ? reply.send(result) : reply.type(CONTENT_TYPES.json).serializer(renderers.json as (payload: unknown) => string).send(result)
  const render = { yaml: renderers.yaml ?? ((payload: T) => stringify(payload)), text: renderers.text, svg: renderers.svg as (payload: T) => string, csv: renderers.csv as (payload: T) => string }[format]
  return reply.type(CONTENT_TYPES[format]).serializer(render as (payload: unknown) => string).send(result)
}

/**
 * The benchmark's "without negotiation" (BuildOptions.benchWithout): the JSON sendFormatted answers a
 * client that states no preference, sent without reading Accept or ?format (nor adding Vary).
 */
export function sendDefaultJson<T> (_request: FastifyRequest, reply: FastifyReply, result: T, renderers: ((result: T) => string) | Renderers<T>): FastifyReply {
  const json = typeof renderers === 'function' ? undefined : renderers.json
  return json === undefined ? reply.send(result) : reply.type(CONTENT_TYPES.json).serializer(json as (payload: unknown) => string).send(result)
}
