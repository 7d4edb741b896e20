// Label matchers from a request, never PromQL: the request may narrow a metric the service chooses
// (`{job="engram",instance=~"db-.*"}`), nothing else. Matchers arrive as the selector text the CLI's
// --match takes or as `[{name, op, value}]`, are validated, and are written back by the service
// (`name="escaped value"`), so no request text reaches Prometheus unquoted. Pure: no I/O.
import { PrometheusInputError } from './errors.js'
import { LABEL_NAME } from './series.js'

/** The four matcher operators of PromQL (Prometheus docs, querying/basics.md "Instant vector selectors"). */
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const
export type MatchOp = typeof MATCH_OPS[number]

export interface LabelMatcher {
  /** A label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __). */
  name: string
  op: MatchOp
  /** The value as meant (unescaped): a string for = and !=, an RE2 regular expression for =~ and !~. */
  value: string
}

/** Most matchers a request may give: a selector narrows by job, instance and a few more labels. */
export const MAX_MATCHERS = 16
/** Longest label name accepted (Prometheus has no limit; names this long are a mistake or an attack). */
export const MAX_LABEL_NAME_CHARS = 128
/** Longest matcher value, in UTF-16 units: room for an instance regex listing dozens of hosts. */
export const MAX_MATCHER_VALUE_CHARS = 1024
/** Longest selector text (--match): every matcher at its longest, with room for quotes and blanks. */
export const MAX_MATCH_TEXT_CHARS = 16_384
/** A metric name (Prometheus's data model; colons are for recording rules). Only the service names metrics. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

// C0 and C1 control characters and DEL, and UTF-16 halves without their pair (they would reach
// Prometheus as U+FFFD: another value than the one validated)
const CONTROL = /\p{Cc}/u
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * A coarse check that an RE2 regex is well formed: JS compiles it (without the u flag, leniently)
 * once the RE2 syntax JS lacks is set aside: flag groups `(?i)`, `(?i:...)` and `(?P<name>`.
 * RE2 and JS still differ (JS takes back-references and look-arounds, RE2 refuses them):
 * Prometheus's own refusal (bad_data) comes back as a 400 too (PrometheusQueryError).
 */
export function compilesAsRegex (value: string): boolean {
  const body = value.replace(/\(\?[imsU-]+\)/g, '').replace(/\(\?[imsU-]+:/g, '(?:').replace(/\(\?P</g, '(?<')
  try {
    // anchored as Prometheus anchors it
    RegExp(`^(?:${body})$`)
    return true
  } catch {
    return false
  }
}

/** A checked matcher, or a PrometheusInputError naming `${field}/name|op|value` and the rule. */
export function checkMatcher (input: unknown, field: string): LabelMatcher {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new PrometheusInputError(field, 'must be an object {name, op, value}')
  const record = input as Record<string, unknown>
  const unknown = Object.keys(record).find((key) => key !== 'name' && key !== 'op' && key !== 'value')
  if (unknown !== undefined) throw new PrometheusInputError(`${field}/${unknown}`, 'is not a known field (a matcher has name, op and value)')
  const { name, op, value } = record
  if (typeof name !== 'string' || !LABEL_NAME.test(name)) throw new PrometheusInputError(`${field}/name`, `must be a label name matching ${LABEL_NAME.source}`)
  if (name.length > MAX_LABEL_NAME_CHARS) throw new PrometheusInputError(`${field}/name`, `must be at most ${MAX_LABEL_NAME_CHARS} characters`)
  if (name.startsWith('__')) {
    throw new PrometheusInputError(`${field}/name`, 'must not start with __ (reserved for Prometheus\'s own labels, __name__ among them: the service chooses the metrics)')
  }
  if (typeof op !== 'string' || !(MATCH_OPS as readonly string[]).includes(op)) throw new PrometheusInputError(`${field}/op`, `must be one of ${MATCH_OPS.join(' ')}`)
  if (typeof value !== 'string') throw new PrometheusInputError(`${field}/value`, 'must be a string')
  if (value.length > MAX_MATCHER_VALUE_CHARS) throw new PrometheusInputError(`${field}/value`, `must be at most ${MAX_MATCHER_VALUE_CHARS} characters`)
  if (CONTROL.test(value)) throw new PrometheusInputError(`${field}/value`, 'must not contain control characters (newline, tab, NUL, ...)')
  if (LONE_SURROGATE.test(value)) throw new PrometheusInputError(`${field}/value`, 'must be well-formed Unicode (no half of a surrogate pair)')
  if ((op === '=~' || op === '!~') && !compilesAsRegex(value)) throw new PrometheusInputError(`${field}/value`, `must be a valid regular expression for ${op}`)
  return { name, op: op as MatchOp, value }
}

/** Checked matchers from the structured form `[{name, op, value}]` (at most MAX_MATCHERS). */
export function checkMatchers (input: unknown, field: string): LabelMatcher[] {
  if (!Array.isArray(input)) throw new PrometheusInputError(field, 'must be an array of matchers {name, op, value} or a selector text such as {job="engram"}')
  if (input.length > MAX_MATCHERS) throw new PrometheusInputError(field, `must have at most ${MAX_MATCHERS} matchers (it has ${input.length})`)
  return input.map((matcher: unknown, index) => checkMatcher(matcher, `${field}/${index}`))
}

/** The Go/PromQL one-character escapes (the quote itself is handled apart: only the opening quote may be escaped). */
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
/** \x, \u and \U: how many hex digits follow. */
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 }

/** Longest selector text an error message repeats whole; a longer one is shown around the error. */
const SHOWN_TEXT_CHARS = 120

/** Reads a selector text left to right; every error names the character where it stopped. */
class SelectorReader {
  position = 0
  readonly text: string
  readonly field: string

  constructor (text: string, field: string) {
    this.text = text
    this.field = field
  }

  fail (rule: string): never {
    // a long text is quoted around the place only: an error message is no echo of a 16 KiB body
    const shown = this.text.length <= SHOWN_TEXT_CHARS
      ? `of ${JSON.stringify(this.text)}`
      : `near ${JSON.stringify(this.text.slice(Math.max(0, this.position - SHOWN_TEXT_CHARS / 2), this.position + SHOWN_TEXT_CHARS / 2))}`
    throw new PrometheusInputError(this.field, `${rule} (at character ${this.position + 1} ${shown})`)
  }

  skipBlanks (): void {
    while (/\s/.test(this.text.charAt(this.position))) this.position++
  }

  /** Takes `literal` when the text continues with it. */
  take (literal: string): boolean {
    if (!this.text.startsWith(literal, this.position)) return false
    this.position += literal.length
    return true
  }

  atEnd (): boolean {
    return this.position >= this.text.length
  }

  labelName (): string {
    // sticky: matched where the reader stands, without copying the rest of the text
    const pattern = /[a-zA-Z_][a-zA-Z0-9_]*/y
    pattern.lastIndex = this.position
    const name = pattern.exec(this.text)?.[0]
    if (name === undefined) this.fail('expected a label name')
    this.position += name.length
    return name
  }

  op (): MatchOp {
    // two-character operators first: "=~" is not "=" followed by "~"
    const op = ['=~', '!~', '!=', '='].find((candidate) => this.take(candidate))
    if (op === undefined) this.fail('expected an operator: = != =~ !~')
    return op as MatchOp
  }

  /** A string literal as PromQL reads one: "..." or '...' with Go escapes, `...` raw. */
  stringLiteral (): string {
    const quote = this.text.charAt(this.position)
    if (quote !== '"' && quote !== '\'' && quote !== '`') this.fail('expected a quoted value ("...", \'...\' or `...`)')
    this.position++
    let value = ''
    for (;;) {
      if (this.atEnd()) this.fail(`the value has no closing ${quote}`)
      const char = this.text.charAt(this.position++)
      if (char === quote) return value
      value += char === '\\' && quote !== '`' ? this.escape(quote) : char
    }
  }

  /** The character an escape stands for, the backslash already read. */
  escape (quote: string): string {
    if (this.atEnd()) this.fail(`the value has no closing ${quote}`)
    const letter = this.text.charAt(this.position++)
    if (letter === quote) return quote
    if (Object.hasOwn(SIMPLE_ESCAPES, letter)) return SIMPLE_ESCAPES[letter]
    if (Object.hasOwn(HEX_ESCAPES, letter)) return this.codePoint(letter, this.text.slice(this.position, this.position + HEX_ESCAPES[letter]), 16)
    if (/[0-7]/.test(letter)) return this.codePoint(letter, letter + this.text.slice(this.position, this.position + 2), 8)
    // point at the backslash
    this.position -= 2
    return this.fail(`unknown escape \\${letter} (PromQL's escapes are Go's; for a regex write \\\\${letter}, or quote the value with backticks)`)
  }

  /** \xHH, \uHHHH, \UHHHHHHHH, \OOO; \x and octal are bytes in Go, taken here when ASCII only (else the bytes of one character would be needed). */
  codePoint (letter: string, digits: string, radix: 8 | 16): string {
    const width = radix === 16 ? HEX_ESCAPES[letter] : 3
    if (digits.length !== width || !(radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/).test(digits)) this.fail(`escape \\${letter} needs ${width} ${radix === 16 ? 'hex' : 'octal'} digits`)
    const code = parseInt(digits, radix)
    const byte = letter === 'x' || radix === 8
    if (byte && code > 0x7f) this.fail(`escape \\${letter === 'x' ? 'x' : ''}${digits} is a byte above 0x7f: write the character itself`)
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`escape \\${letter}${digits} is not a Unicode character`)
    this.position += radix === 8 ? 2 : width
    return String.fromCodePoint(code)
  }
}

/**
 * Matchers from the selector text of the CLI's --match: `{job="engram", instance=~"db-.*"}`
 * (braces optional, blanks and a trailing comma allowed, values quoted as PromQL quotes them). A
 * metric name in front is refused: the service chooses the metrics. Then checked as checkMatchers
 * checks the structured form (fields `${field}/<index>/name|op|value`).
 */
export function parseMatcherText (text: string, field: string): LabelMatcher[] {
  if (text.length > MAX_MATCH_TEXT_CHARS) throw new PrometheusInputError(field, `must be at most ${MAX_MATCH_TEXT_CHARS} characters`)
  const reader = new SelectorReader(text, field)
  reader.skipBlanks()
  const braced = reader.take('{')
  if (!braced && /^[a-zA-Z_:][a-zA-Z0-9_:]*\s*\{/.test(text.slice(reader.position))) {
    reader.fail('must hold label matchers only, without a metric name (the service chooses the metrics)')
  }
  const matchers: Array<{ name: string, op: string, value: string }> = []
  for (;;) {
    reader.skipBlanks()
    if (reader.atEnd() || (braced && reader.text.charAt(reader.position) === '}')) break
    const name = reader.labelName()
    reader.skipBlanks()
    const op = reader.op()
    reader.skipBlanks()
    matchers.push({ name, op, value: reader.stringLiteral() })
    // stop reading at the limit: the rest of a long text is not worth parsing
    if (matchers.length > MAX_MATCHERS) throw new PrometheusInputError(field, `must have at most ${MAX_MATCHERS} matchers`)
    reader.skipBlanks()
    if (!reader.take(',')) break
  }
  if (braced && !reader.take('}')) reader.fail('expected , or } after a matcher')
  reader.skipBlanks()
  if (!reader.atEnd()) reader.fail(braced ? 'unexpected text after }' : 'expected , after a matcher')
  return checkMatchers(matchers, field)
}

/** Matchers from either form: a string is selector text (parseMatcherText), anything else the structured form (checkMatchers). */
export function parseMatchers (input: unknown, field: string): LabelMatcher[] {
  return typeof input === 'string' ? parseMatcherText(input, field) : checkMatchers(input, field)
}

/** A value as a PromQL double-quoted string: backslash and double quote escaped, nothing else can end it. */
export function quoteValue (value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

/** One matcher as PromQL text: name, operator, quoted value. */
export function serialiseMatcher (matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.op}${quoteValue(matcher.value)}`
}

/** The matchers as selector text `{a="x",b=~"y"}` (`{}` for none), the form parseMatcherText reads. */
export function serialiseMatchers (matchers: LabelMatcher[]): string {
  return `{${matchers.map(serialiseMatcher).join(',')}}`
}

/**
 * The series selector `metric{matchers}` for a metric the service names. The matchers are checked
 * again (checkMatchers, field "match"): whatever a caller passes, no value can end the selector or
 * add PromQL. A metric name outside Prometheus's grammar is a programming error (a plain Error).
 */
export function selector (metric: string, matchers: LabelMatcher[]): string {
  if (!METRIC_NAME.test(metric)) throw new Error(`selector: ${JSON.stringify(metric)} is not a metric name`)
  const checked = checkMatchers(matchers, 'match')
  return checked.length === 0 ? metric : `${metric}${serialiseMatchers(checked)}`
}
