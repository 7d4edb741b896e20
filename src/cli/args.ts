// Command-line words to a command, its positionals and its options. Options the CLI knows take
// the arity declared here; any other `--name` is a model input (`--expected-nodes 2e6`), typed
// later against the model's schema.
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Options with a value; the repeatable ones collect every occurrence. */
const VALUE_OPTIONS = new Set(['url', 'token', 'format', 'file', 'model', 'delta', 'prometheus', 'window', 'end', 'match'])
const REPEATABLE_OPTIONS = new Set(['fail-on', 'warn-on', 'vary', 'output', 'input'])
const FLAG_OPTIONS = new Set(['help', 'version', 'strict', 'lenient'])
const SHORT: Record<string, string> = { f: 'file', h: 'help', o: 'output' }

export interface ParsedArgs {
  positionals: string[]
  options: Map<string, string>
  lists: Map<string, string[]>
  flags: Set<string>
  /** `--name value` pairs that are not CLI options: model inputs, in order. */
  inputs: Array<[string, string]>
}

const looksLikeOption = (word: string | undefined): boolean => word !== undefined && /^--?[A-Za-z]/.test(word)

export function parseArgs (words: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], options: new Map(), lists: new Map(), flags: new Set(), inputs: [] }
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (word === '--') {
      parsed.positionals.push(...words.slice(i + 1))
      break
    }
    if (!looksLikeOption(word)) {
      parsed.positionals.push(word)
      continue
    }
    const long = word.startsWith('--')
    const [rawName, inlineValue] = long ? splitInline(word.slice(2)) : [SHORT[word.slice(1)] ?? '', undefined]
    if (rawName === '') throw new UsageError(`unknown option ${word}`)
    const name = rawName
    if (FLAG_OPTIONS.has(name)) {
      if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`)
      parsed.flags.add(name)
      continue
    }
    const takesValue = VALUE_OPTIONS.has(name) || REPEATABLE_OPTIONS.has(name)
    let value = inlineValue
    if (value === undefined) {
      const next = words[i + 1]
      if (takesValue) {
        if (next === undefined || looksLikeOption(next)) throw new UsageError(`--${name} needs a value`)
        value = next
        i++
      } else if (next !== undefined && !next.startsWith('--')) {
        value = next
        i++
      } else {
        value = 'true' // a model's boolean input given as a bare flag: --multi-tenant
      }
    }
    if (REPEATABLE_OPTIONS.has(name)) parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value])
    else if (VALUE_OPTIONS.has(name)) {
      if (parsed.options.has(name)) throw new UsageError(`--${name} is given twice`)
      parsed.options.set(name, value)
    } else parsed.inputs.push([name, value])
  }
  return parsed
}

function splitInline (text: string): [string, string | undefined] {
  const equals = text.indexOf('=')
  return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)]
}

/** expectedNodes -> expected-nodes, segmentSizeMiB -> segment-size-mib, requireHA -> require-ha */
export const kebabCase = (camel: string): string => camel
  .replace(/[KMGT]iB/g, (unit) => unit.toUpperCase())
  .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
  .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
  .toLowerCase()

/** A flag names a field in kebab case or as the field itself, whatever the letter case. */
const flagKey = (name: string): string => name.replace(/-/g, '').toLowerCase()

export interface InputField { name: string, type: string, enum?: string[] }

/** A number as people type them: 2e6, 1_000_000, 0.5. */
export function parseNumber (text: string, option: string): number {
  const value = Number(text.replace(/_/g, ''))
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${option}: "${text}" is not a number`)
  return value
}

/** Model inputs from flags, typed by the model's schema; unknown names are a usage error. */
export function inputsFromFlags (pairs: ReadonlyArray<[string, string]>, fields: readonly InputField[], model: string): Record<string, unknown> {
  const byName = new Map(fields.map((field) => [flagKey(field.name), field]))
  const inputs: Record<string, unknown> = {}
  for (const [flag, text] of pairs) {
    const field = byName.get(flagKey(flag))
    if (field === undefined) {
      throw new UsageError(`unknown option --${flag} for model ${model} (inputs: ${fields.map((f) => `--${kebabCase(f.name)}`).join(' ')})`)
    }
    inputs[field.name] = typedValue(field, text, `--${flag}`)
  }
  return inputs
}

function typedValue (field: InputField, text: string, option: string): unknown {
  if (field.type === 'number' || field.type === 'integer') return parseNumber(text, option)
  if (field.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new UsageError(`${option}: "${text}" is not true or false`)
    return text === 'true'
  }
  if (field.type === 'string') return text
  throw new UsageError(`${option}: ${field.type} inputs are given in a scenario file (--file)`)
}

export interface AxisSpec { input: string, from: number, to: number, points: number, scale: 'linear' | 'log' }

/** --vary expectedNodes=1e5..1e8[:points[:log]] */
export function parseVary (text: string): AxisSpec {
  const match = /^([^=]+)=([^.:]+(?:\.\d+)?(?:e[-+]?\d+)?)\.\.([^:]+)(?::(\d+))?(?::(linear|log))?$/i.exec(text)
  if (match === null) throw new UsageError(`--vary "${text}": write input=from..to[:points[:linear|log]], e.g. expectedNodes=1e5..1e8:31:log`)
  const [, input, from, to, points, scale] = match
  return {
    input,
    from: parseNumber(from, `--vary ${input} from`),
    to: parseNumber(to, `--vary ${input} to`),
    points: points === undefined ? 11 : Number(points),
    scale: (scale?.toLowerCase() ?? 'linear') as 'linear' | 'log'
  }
}
