// A model's request schema (from GET /openapi.json) as form fields: the label from the field name,
// the unit, range and default from the schema and its description, the value typed read back as the
// JSON the model takes. No field is known in advance: any model the catalogue lists gets its form.

export interface FieldSchema {
  type?: string
  description?: string
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  enum?: unknown[]
  $ref?: string
}

export interface Field { name: string, schema: FieldSchema, required: boolean }

interface ObjectSchema { properties?: Record<string, FieldSchema>, required?: string[], $ref?: string }

export interface OpenApiDocument {
  paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: ObjectSchema }> } } }>
  components?: { schemas?: Record<string, ObjectSchema> }
}

/** Follows a local `$ref` (`#/components/schemas/Name`, or the bare component name @fastify/swagger may write). */
function resolved<T extends { $ref?: string }> (schema: T, document: OpenApiDocument): T {
  if (schema.$ref === undefined) return schema
  const name = schema.$ref.split('/').at(-1) as string
  return (document.components?.schemas?.[name] ?? schema) as T
}

/** The top-level fields of the JSON body `POST path` takes, in the schema's order. */
export function requestFields (document: OpenApiDocument, path: string): Field[] {
  const body = document.paths[path]?.post?.requestBody?.content?.['application/json']?.schema
  if (body === undefined) return []
  const schema = resolved(body, document)
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({ name, schema: resolved(field, document), required: required.has(name) }))
}

/** `expectedNodes` -> `Expected nodes`, `memoryGiB` -> `Memory GiB`: words split at capitals, units and acronyms kept. */
export function labelOf (name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ').map((word) => /^[A-Z][a-z]+$/.test(word) ? word.toLowerCase() : word)
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The unit a description states (`Unit: nodes.`), if any. */
export function unitOf (schema: FieldSchema): string | undefined {
  return /Unit: (.+?)\.(?:\s|$)/.exec(schema.description ?? '')?.[1]
}

export type FieldKind = 'number' | 'choice' | 'boolean' | 'text' | 'json'

export function kindOf (schema: FieldSchema): FieldKind {
  if (schema.enum !== undefined) return 'choice'
  switch (schema.type) {
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'string':
      return 'text'
    default:
      return 'json'
  }
}

export const isNumeric = (field: Field): boolean => kindOf(field.schema) === 'number'

/** What the field shows when it is left empty: the schema's default. */
export function placeholderOf (schema: FieldSchema): string {
  if (schema.default === undefined) return ''
  return typeof schema.default === 'object' ? JSON.stringify(schema.default) : String(schema.default)
}

/** The value typed, as the JSON body takes it; undefined when empty (the model's default applies). A number that does not parse is sent as typed: the service's 400 says what is wrong. */
export function parseValue (kind: FieldKind, text: string): { value?: unknown, invalid?: string } {
  const trimmed = text.trim()
  if (trimmed === '') return {}
  switch (kind) {
    case 'number': {
      const plain = trimmed.replace(/[,_\s]/g, '')
      const number = Number(plain)
      return { value: plain !== '' && Number.isFinite(number) ? number : trimmed }
    }
    case 'boolean':
      return { value: trimmed === 'true' }
    case 'json':
      try {
        return { value: JSON.parse(trimmed) }
      } catch (error) {
        return { invalid: `not valid JSON: ${(error as Error).message}` }
      }
    default:
      return { value: trimmed }
  }
}

/** A value as the field shows it (the reverse of parseValue). */
export function showValue (value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
}

/** The field a validation message names: `body/expectedNodes must be ...` -> expectedNodes (after `prefix`, e.g. `body/after/`). */
export function fieldOfMessage (message: string, prefix: string): string | undefined {
  if (!message.startsWith(prefix)) return undefined
  return /^[^/\s]+/.exec(message.slice(prefix.length))?.[0]
}
