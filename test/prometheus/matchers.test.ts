import t from 'tap'
import fc from 'fast-check'
import { PrometheusInputError } from '../../src/prometheus/errors.js'
import {
  type LabelMatcher, MATCH_OPS, MAX_LABEL_NAME_CHARS, MAX_MATCHERS, MAX_MATCHER_VALUE_CHARS, MAX_MATCH_TEXT_CHARS,
  checkMatcher, checkMatchers, compilesAsRegex, parseMatcherText, parseMatchers, quoteValue, selector, serialiseMatcher, serialiseMatchers
} from '../../src/prometheus/matchers.js'

/** The message of the PrometheusInputError fn throws (fails the test on anything else). */
function inputError (fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof PrometheusInputError) {
      if (error.statusCode !== 400 || error.code !== 'FST_ERR_VALIDATION' || error.message !== `${error.field} ${error.rule}`) throw new Error(`malformed error: ${error.message}`)
      return error.message
    }
    throw error
  }
  throw new Error('no error')
}

t.test('the text form: braces, blanks, trailing comma, the four operators', async (t) => {
  const expected: LabelMatcher[] = [{ name: 'job', op: '=', value: 'engram' }, { name: 'instance', op: '=~', value: 'db-.*' }]
  t.same(parseMatcherText('{job="engram",instance=~"db-.*"}', 'match'), expected, 'the CLI example')
  t.same(parseMatcherText('  { job = "engram" ,\n instance =~ "db-.*" , }  ', 'match'), expected, 'blanks and a trailing comma')
  t.same(parseMatcherText('job="engram",instance=~"db-.*"', 'match'), expected, 'braces are optional')
  t.same(parseMatcherText('job="engram",', 'match'), [expected[0]], 'a trailing comma without braces')
  t.same(parseMatcherText('{a!="1",b!~"2|3"}', 'match'), [{ name: 'a', op: '!=', value: '1' }, { name: 'b', op: '!~', value: '2|3' }])
  t.same(parseMatcherText('{}', 'match'), [], 'no matchers: the whole metric')
  t.same(parseMatcherText('', 'match'), [], 'empty text: no matchers')
  t.same(parseMatcherText('  ', 'match'), [])
})

t.test('the text form reads values as PromQL does', async (t) => {
  const value = (text: string): string => parseMatcherText(`{a=${text}}`, 'match')[0].value
  t.equal(value('"say \\"hi\\""'), 'say "hi"', 'escaped double quote')
  t.equal(value('"C:\\\\dir"'), 'C:\\dir', 'escaped backslash')
  t.equal(value('\'it\\\'s\''), 'it\'s', 'single quotes escape a single quote')
  t.equal(value('\'say "hi"\''), 'say "hi"', 'single quotes hold double quotes as they are')
  t.equal(value('`db-\\d+`'), 'db-\\d+', 'backticks are raw: the backslash stays')
  t.equal(value('"\\x41\\u00e9\\U0001F600\\101"'), 'Aé😀A', '\\x, \\u, \\U and octal escapes')
  t.equal(value('"\\u00E9"'), 'é', 'hex digits in either case')
  t.equal(value('"db-\\\\d+"'), 'db-\\d+', 'a regex backslash written twice')
  t.same(parseMatcherText('{a=~"x|y", b="z"}', 'match').map((m) => m.op), ['=~', '='], '=~ is one operator, not = then ~')
})

t.test('text form errors name the field, the rule and the place', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{a="x\\dy"}', /^match unknown escape \\d \(PromQL's escapes are Go's; for a regex write \\\\d, or quote the value with backticks\) \(at character 6 of/],
    ['{a="x\\\'"}', /unknown escape \\'/],
    ['{a=\'x\\"\'}', /unknown escape \\"/],
    ['{a="\\x4"}', /escape \\x needs 2 hex digits/],
    ['{a="\\x4g"}', /escape \\x needs 2 hex digits/],
    ['{a="\\u12"}', /escape \\u needs 4 hex digits/],
    ['{a="\\xff"}', /escape \\xff is a byte above 0x7f: write the character itself/],
    ['{a="\\377"}', /escape \\377 is a byte above 0x7f/],
    ['{a="\\18"}', /escape \\1 needs 3 octal digits/],
    ['{a="\\uD800"}', /escape \\uD800 is not a Unicode character/],
    ['{a="\\U00110000"}', /escape \\U00110000 is not a Unicode character/],
    ['{a="engram}', /the value has no closing "/],
    ['{a="engram\\', /the value has no closing "/],
    ['{a=`engram}', /the value has no closing `/],
    ['engram_cpu_utilization_percent{a="x"}', /must hold label matchers only, without a metric name \(the service chooses the metrics\)/],
    ['engram_cpu_utilization_percent', /expected an operator: = != =~ !~ \(at character 31/],
    ['{a=x}', /expected a quoted value/],
    ['{a~"x"}', /expected an operator/],
    ['{="x"}', /expected a label name \(at character 2 of/],
    ['{,}', /expected a label name/],
    ['{a="x"', /expected , or } after a matcher/],
    ['{a="x" b="y"}', /expected , or } after a matcher/],
    ['{a="x"} or up', /unexpected text after }/],
    ['{a="x"}}', /unexpected text after }/],
    ['a="x" b="y"', /expected , after a matcher/],
    ['a="x"}', /expected , after a matcher/],
    ['{__name__="up"}', /^match\/0\/name must not start with __/],
    ['{a="x",b="\\n"}', /^match\/1\/value must not contain control characters/],
    ['{a=~"("}', /^match\/0\/value must be a valid regular expression for =~/]
  ]
  for (const [text, expected] of cases) t.match(inputError(() => parseMatcherText(text, 'match')), expected, text)
  t.match(inputError(() => parseMatcherText(' '.repeat(MAX_MATCH_TEXT_CHARS + 1), 'body/match')), `body/match must be at most ${MAX_MATCH_TEXT_CHARS} characters`)
  const long = `{a="${'x'.repeat(200)}" b="y"}`
  t.equal(inputError(() => parseMatcherText(long, 'match')), `match expected , or } after a matcher (at character 207 near ${JSON.stringify(long.slice(146, 266))})`, 'a long text is shown around the error only')
  t.match(inputError(() => parseMatcherText(`{="${'x'.repeat(200)}"}`, 'match')), /\(at character 2 near "\{=\\"x{58}"\)$/, 'from its start when the error is near it')
  const many = Array.from({ length: MAX_MATCHERS + 1 }, (_, i) => `l${i}="v"`).join(',')
  t.equal(inputError(() => parseMatcherText(many, 'match')), `match must have at most ${MAX_MATCHERS} matchers`, 'reading stops at the limit')
  t.same(parseMatcherText(Array.from({ length: MAX_MATCHERS }, (_, i) => `l${i}="v"`).join(','), 'match').length, MAX_MATCHERS, 'the limit itself is accepted')
})

t.test('the structured form: every rule, each error naming its field', async (t) => {
  t.same(checkMatchers([{ name: 'job', op: '=', value: 'engram' }], 'body/match'), [{ name: 'job', op: '=', value: 'engram' }])
  t.same(checkMatchers([], 'body/match'), [])
  for (const op of MATCH_OPS) t.equal(checkMatcher({ name: 'a', op, value: 'x' }, 'm').op, op)
  const m = (fields: Record<string, unknown>): unknown => ({ name: 'job', op: '=', value: 'engram', ...fields })
  const cases: Array<[unknown, string]> = [
    ['{job="x"}', 'body/match must be an array of matchers {name, op, value} or a selector text such as {job="engram"}'],
    [[null], 'body/match/0 must be an object {name, op, value}'],
    [[['job', '=', 'x']], 'body/match/0 must be an object {name, op, value}'],
    [['job'], 'body/match/0 must be an object {name, op, value}'],
    [[m({ query: 'up' })], 'body/match/0/query is not a known field (a matcher has name, op and value)'],
    [[m({ name: 'job-name' })], 'body/match/0/name must be a label name matching ^[a-zA-Z_][a-zA-Z0-9_]*$'],
    [[m({ name: '1job' })], 'body/match/0/name must be a label name matching ^[a-zA-Z_][a-zA-Z0-9_]*$'],
    [[m({ name: 7 })], 'body/match/0/name must be a label name matching ^[a-zA-Z_][a-zA-Z0-9_]*$'],
    [[m({ name: 'a'.repeat(MAX_LABEL_NAME_CHARS + 1) })], `body/match/0/name must be at most ${MAX_LABEL_NAME_CHARS} characters`],
    [[m({ name: '__name__' })], 'body/match/0/name must not start with __ (reserved for Prometheus\'s own labels, __name__ among them: the service chooses the metrics)'],
    [[m({ name: '__meta_x' })], 'body/match/0/name must not start with __ (reserved for Prometheus\'s own labels, __name__ among them: the service chooses the metrics)'],
    [[m({ op: '==' })], 'body/match/0/op must be one of = != =~ !~'],
    [[m({ op: undefined })], 'body/match/0/op must be one of = != =~ !~'],
    [[m({ value: 3 })], 'body/match/0/value must be a string'],
    [[m({ value: 'x'.repeat(MAX_MATCHER_VALUE_CHARS + 1) })], `body/match/0/value must be at most ${MAX_MATCHER_VALUE_CHARS} characters`],
    [[m({ value: 'a\u0000b' })], 'body/match/0/value must not contain control characters (newline, tab, NUL, ...)'],
    [[m({ value: 'a\u007fb' })], 'body/match/0/value must not contain control characters (newline, tab, NUL, ...)'],
    [[m({ value: 'a\u0085b' })], 'body/match/0/value must not contain control characters (newline, tab, NUL, ...)'],
    [[m({ value: 'a\ud800b' })], 'body/match/0/value must be well-formed Unicode (no half of a surrogate pair)'],
    [[m({ value: 'a\udc00' })], 'body/match/0/value must be well-formed Unicode (no half of a surrogate pair)'],
    [[m({}), m({ op: '!~', value: '[' })], 'body/match/1/value must be a valid regular expression for !~'],
    [Array.from({ length: MAX_MATCHERS + 1 }, () => m({})), `body/match must have at most ${MAX_MATCHERS} matchers (it has ${MAX_MATCHERS + 1})`]
  ]
  for (const [input, message] of cases) t.equal(inputError(() => checkMatchers(input, 'body/match')), message, JSON.stringify(input).slice(0, 60))
  t.equal(checkMatcher(m({ value: 'x'.repeat(MAX_MATCHER_VALUE_CHARS) }), 'm').value.length, MAX_MATCHER_VALUE_CHARS, 'the longest value is accepted')
  t.equal(checkMatcher(m({ value: 'é😀 } " \\ ,' }), 'm').value, 'é😀 } " \\ ,', 'non-ASCII, braces, quotes and backslashes are ordinary values')
  t.equal(checkMatcher(m({ op: '=', value: '(' }), 'm').value, '(', 'only regex operators compile the value')
})

t.test('parseMatchers takes either form', async (t) => {
  t.same(parseMatchers('{job="engram"}', 'body/match'), [{ name: 'job', op: '=', value: 'engram' }])
  t.same(parseMatchers([{ name: 'job', op: '=', value: 'engram' }], 'body/match'), [{ name: 'job', op: '=', value: 'engram' }])
  t.match(inputError(() => parseMatchers(7, 'body/match')), /^body\/match must be an array/)
})

t.test('compilesAsRegex: a coarse check that sets aside the RE2 syntax JS lacks', async (t) => {
  for (const ok of ['db-.*', 'engram-[0-9]+', '(?i)Engram', 'a(?i:b)c', '(?-s)x', '(?P<host>db)-\\d+', '', '[[:alpha:]]+', '\\pL']) t.ok(compilesAsRegex(ok), ok)
  for (const bad of ['(', '[', 'a)', '*', 'a{2,1}', '(?P<1>x)']) t.notOk(compilesAsRegex(bad), bad)
  t.ok(compilesAsRegex('(?=x)'), 'look-ahead compiles in JS (RE2 refuses it: Prometheus answers bad_data, tested against the real server)')
})

t.test('serialisation: only backslash and double quote are escaped', async (t) => {
  t.equal(quoteValue('plain'), '"plain"')
  t.equal(quoteValue('a"b\\c'), '"a\\"b\\\\c"')
  t.equal(quoteValue('\'`{}'), '"\'`{}"', 'single quotes, backticks and braces stay as they are: inside "..." they end nothing')
  t.equal(serialiseMatcher({ name: 'instance', op: '=~', value: 'db-\\d+' }), 'instance=~"db-\\\\d+"')
  t.equal(serialiseMatchers([]), '{}')
  t.equal(serialiseMatchers([{ name: 'a', op: '=', value: 'x' }, { name: 'b', op: '!~', value: 'y' }]), '{a="x",b!~"y"}')
})

t.test('selector: the service\'s metric, the checked matchers', async (t) => {
  t.equal(selector('engram_wal_size_bytes', []), 'engram_wal_size_bytes', 'no matchers: the bare metric')
  t.equal(selector('engram_wal_size_bytes', [{ name: 'job', op: '=', value: 'engram' }, { name: 'instance', op: '=~', value: 'engram-.*' }]),
    'engram_wal_size_bytes{job="engram",instance=~"engram-.*"}')
  t.equal(selector('job:engram_cpu:avg5m', []), 'job:engram_cpu:avg5m', 'recording-rule names')
  t.throws(() => selector('up or vector(1)', []), /selector: "up or vector\(1\)" is not a metric name/)
  t.throws(() => selector('', []), /is not a metric name/)
  // a caller that skipped the checks still cannot pass a bad matcher through
  t.equal(inputError(() => selector('up', [{ name: 'job"}or{a="', op: '=', value: 'x' }])), 'match/0/name must be a label name matching ^[a-zA-Z_][a-zA-Z0-9_]*$')
  t.equal(inputError(() => selector('up', [{ name: 'job', op: '=' as '=', value: 'x\ny' }])), 'match/0/value must not contain control characters (newline, tab, NUL, ...)')
  t.equal(inputError(() => selector('up', [{ name: 'job', op: '==' as '=', value: 'x' }])), 'match/0/op must be one of = != =~ !~')
})

/**
 * The test's own reader of a selector as the service writes it: `metric{name op "value",...}` where a
 * value may hold \\ and \" only. Returns the metric and matchers, or throws when anything is off,
 * including text after the closing brace (a value that ended the selector early would leave some).
 */
function readSelector (text: string): { metric: string, matchers: LabelMatcher[] } {
  const metric = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text)?.[0]
  if (metric === undefined) throw new Error('no metric')
  let i = metric.length
  const matchers: LabelMatcher[] = []
  if (i === text.length) return { metric, matchers }
  if (text[i++] !== '{') throw new Error('expected {')
  while (text[i] !== '}') {
    if (matchers.length > 0 && text[i++] !== ',') throw new Error('expected ,')
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0]
    if (name === undefined) throw new Error('expected a name')
    i += name.length
    const op = ['=~', '!~', '!=', '='].find((candidate) => text.startsWith(candidate, i)) as LabelMatcher['op'] | undefined
    if (op === undefined) throw new Error('expected an operator')
    i += op.length
    if (text[i++] !== '"') throw new Error('expected "')
    let value = ''
    for (;;) {
      if (i >= text.length) throw new Error('unterminated value')
      const char = text[i++]
      if (char === '"') break
      if (char === '\\') {
        const escaped = text[i++]
        if (escaped !== '\\' && escaped !== '"') throw new Error(`unexpected escape \\${escaped}`)
        value += escaped
      } else {
        value += char
      }
    }
    matchers.push({ name, op, value })
  }
  if (i !== text.length - 1) throw new Error('text after }')
  return { metric, matchers }
}

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/).filter((name) => !name.startsWith('__'))
// any UTF-16 string: control characters, lone surrogates, astral characters, quotes, backslashes
const anyValue = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '}', '{', ',', '`', '\'', '\n', '=', '~'), fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), fc.constantFrom('😀', 'é', 'a')), maxLength: 40 })
const equalityOp = fc.constantFrom<LabelMatcher['op']>('=', '!=')

t.test('property: any value either is refused with a 400 or round-trips, and never ends the selector early', async () => {
  fc.assert(fc.property(fc.array(fc.record({ name: labelName, op: equalityOp, value: anyValue }), { maxLength: 5 }), (matchers) => {
    let checked: LabelMatcher[]
    try {
      checked = checkMatchers(matchers, 'match')
    } catch (error) {
      if (!(error instanceof PrometheusInputError)) throw error
      // refused: only for the characters the rules name
      if (!matchers.some((m) => /\p{Cc}|[\uD800-\uDFFF]/u.test(m.value))) throw error
      return
    }
    const text = selector('engram_wal_size_bytes', checked)
    const read = readSelector(text)
    if (read.metric !== 'engram_wal_size_bytes' || JSON.stringify(read.matchers) !== JSON.stringify(matchers)) throw new Error(`${text} read back as ${JSON.stringify(read)}`)
    // and the service's own text reader gives the same matchers back
    if (JSON.stringify(parseMatcherText(serialiseMatchers(checked), 'match')) !== JSON.stringify(matchers)) throw new Error(`parseMatcherText(${serialiseMatchers(checked)})`)
  }), { numRuns: 3_000 })
})

t.test('property: regex values round-trip too when they compile', async () => {
  const regexValue = fc.string({ unit: fc.constantFrom('a', '.', '*', '|', '(', ')', '[', ']', '\\', '"', '}', 'd', '+', '?'), maxLength: 12 })
  fc.assert(fc.property(regexValue, fc.constantFrom<LabelMatcher['op']>('=~', '!~'), (value, op) => {
    const matcher = { name: 'instance', op, value }
    if (!compilesAsRegex(value)) {
      inputError(() => checkMatcher(matcher, 'm'))
      return
    }
    const read = readSelector(selector('up', [checkMatcher(matcher, 'm')]))
    if (read.matchers[0].value !== value) throw new Error(value)
  }), { numRuns: 2_000 })
})
