// Schema parts shared by every route. Shared objects carry an $id so the OpenAPI component names
// are stable; every numeric field states its unit, bounds and default in its description.
import { Type, type TSchema } from 'typebox'

export const WarningSchema = Type.Object({
  code: Type.String({ description: 'Stable machine-readable code, e.g. HORIZONTAL_SCALING, SEED_INCONSISTENCY.' }),
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

export const errorResponses = {
  400: ErrorRef,
  404: ErrorRef,
  406: ErrorRef,
  413: ErrorRef,
  415: ErrorRef,
  422: ErrorRef,
  500: ErrorRef,
  503: ErrorRef
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

export const FormatQuery = Type.Unsafe<'json' | 'yaml' | 'text' | 'svg'>({
  type: 'string',
  enum: ['json', 'yaml', 'text', 'svg'],
  description: 'Response format, overriding the Accept header: json (default), yaml, text (a report for terminals), or svg (a chart, forecasts only).'
})
