// Schema parts shared by every route. Shared objects carry an $id so the OpenAPI component names
// are stable; every numeric field states its unit, bounds and default in its description.
import { Type, type TObject, type TSchema } from 'typebox'
import { WARNING_CODES, type WarningCode } from '../models/common.js'
import { type Format, type FormatMenu, formatsOf } from '../plugins/formats.js'

/** A warning's code: one of the codes the models raise. */
export const WarningCodeSchema = Type.Unsafe<WarningCode>({ type: 'string', enum: [...WARNING_CODES], description: 'Stable machine-readable code, e.g. HORIZONTAL_SCALING, SEED_INCONSISTENCY.' })

export const WarningSchema = Type.Object({
  code: WarningCodeSchema,
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')], { description: 'info: worth knowing; warning: act before production; critical: the plan does not work as given.' }),
  message: Type.String({ description: 'What was found and what to do, for a person.' })
}, { $id: 'Warning', additionalProperties: false, description: 'A condition the plan triggers.' })

export const AssumptionSchema = Type.Object({
  name: Type.String({ description: 'Name of the constant or default.' }),
  value: Type.Number({ description: 'Value used in the computation.' }),
  unit: Type.String({ description: 'Unit of value.' }),
  source: Type.String({ description: 'Seed document and section it comes from, or SERVICE when the seed gives none.' }),
  note: Type.Optional(Type.String({ description: 'Why this value, and any seed contradiction it resolves.' }))
}, { $id: 'Assumption', additionalProperties: false, description: 'A constant behind the figures.' })

export const ErrorResponseSchema = Type.Object({
  statusCode: Type.Integer({ description: 'HTTP status code.' }),
  error: Type.String({ description: 'HTTP status text.' }),
  code: Type.String({ description: 'Stable error code, e.g. FST_ERR_VALIDATION, NOT_FOUND.' }),
  message: Type.String({ description: 'What is wrong, naming the field and the rule.' })
}, { $id: 'ErrorResponse', additionalProperties: false, description: 'Every error has this shape.' })

export const sharedSchemas = [WarningSchema, AssumptionSchema, ErrorResponseSchema]

export const WarningsRef = Type.Array(Type.Ref('Warning'), { description: 'Conditions the plan triggers, most important first by severity.' })
export const AssumptionsRef = Type.Array(Type.Ref('Assumption'), { description: 'Every constant behind the figures, with its seed reference.' })
export const ErrorRef = Type.Ref('ErrorResponse')

const errorAnswer = (description: string): TSchema => Type.Ref('ErrorResponse', { description })

/** The errors every operation but the probes may answer, each in the one error format. */
export const errorResponses = {
  400: errorAnswer('The request is not valid: the message names the field and the rule (for a body that is not JSON, also its line and column).'),
  401: errorAnswer('With API_TOKEN set: no bearer token, or not the right one.'),
  404: errorAnswer('No such path, or no such named item (tier, preset).'),
  406: errorAnswer('The Accept header (or ?format) names no format this operation answers.'),
  413: errorAnswer('The body is larger than BODY_LIMIT_BYTES.'),
  415: errorAnswer('The body is not JSON (or YAML where the operation takes YAML), or cannot be read as sent: a charset other than UTF-8 (UNSUPPORTED_CHARSET), a Content-Encoding (UNSUPPORTED_CONTENT_ENCODING), a transfer coding other than chunked (UNSUPPORTED_TRANSFER_ENCODING).'),
  422: errorAnswer('Valid fields whose combination cannot be answered, e.g. a sweep above its figure budget.'),
  429: errorAnswer('With RATE_LIMIT_MAX set: too many requests in the window.'),
  500: errorAnswer('A defect of the service; never the request\'s fault.'),
  503: errorAnswer('Shedding load, workers busy, a task over its time budget, or shutting down: retry after Retry-After seconds.')
}

interface QuantityOptions {
  description: string
  unit: string
  minimum: number
  maximum: number
  default: number
  exclusiveMinimum?: boolean
  integer?: boolean
}

/** A bounded input number whose description carries its unit, range and default. */
export function inputQuantity (options: QuantityOptions): TSchema {
  const lower = options.exclusiveMinimum === true ? `above ${options.minimum}` : `${options.minimum}`
  const description = `${options.description} Unit: ${options.unit}. Range: ${lower} to ${options.maximum}. Default: ${options.default}.`
  const bounds = options.exclusiveMinimum === true
    ? { exclusiveMinimum: options.minimum, maximum: options.maximum }
    : { minimum: options.minimum, maximum: options.maximum }
  const schema = { description, default: options.default, ...bounds }
  return options.integer === true ? Type.Integer(schema) : Type.Number(schema)
}

/** An output number whose description carries its unit. */
export function outputQuantity (unit: string, description: string): TSchema {
  return Type.Number({ description: `${description} Unit: ${unit}.`, minimum: 0 })
}

const FORMAT_MEANINGS: Record<Format, string> = {
  json: 'json (JSON)',
  yaml: 'yaml (YAML)',
  text: 'text (a report for terminals)',
  csv: 'csv (a CSV table)',
  svg: 'svg (an SVG chart)'
}

/** The `format` query parameter of a route: exactly the formats it answers, first the default. */
export function formatQuery (menu: FormatMenu): TSchema {
  const formats = formatsOf(menu)
  return Type.Unsafe<Format>({
    type: 'string',
    enum: formats,
    description: `Response format, overriding the Accept header: ${formats.map((format) => FORMAT_MEANINGS[format]).join(', ')}. Default: ${formats[0]}.`
  })
}

/** A query-string schema with the route's optional `format` parameter added. */
export function withFormatQuery (query: TObject, menu: FormatMenu): TObject {
  return Type.Object({ ...query.properties, format: Type.Optional(formatQuery(menu)) }, { additionalProperties: false })
}

/** The query string of a route whose only parameter is `format`. */
export function formatOnlyQuery (menu: FormatMenu): TObject {
  return withFormatQuery(Type.Object({}), menu)
}
