// The documented examples of README.md and docs/*.md, read from the Markdown, and how an example's
// output is compared with the document (test/doc-examples.test.ts runs them; the convention is also
// written at the top of docs/examples.md).
//
// An example is
// - in a ```console block: a line starting with `$ ` is a command (a line ending with `\`, or inside
//   a quoted string, continues it on the next line, as in bash); the lines up to the next command are its expected output
//   (standard output and standard error, as a terminal shows them);
// - a `<details><summary><code>command</code> ...</summary>` followed by a fenced block: the
//   block is the command's expected output.
// A command ending with `&` (after any `# comment`) starts something in the background: the test
// provides it (see the test), and it has no output.
//
// What the comparison leaves out (the elision convention), and nothing else:
// - a line that is `...` alone (indentation allowed): zero or more lines left out;
// - a line that is only a JSON string `"... some words ..."` (an array element, a comma after it
//   allowed): zero or more lines left out (in pretty-printed JSON, the elements shortened);
// - `"key": "... some words ..."` (a comma after it allowed): that JSON value left out, on one line
//   or, in pretty-printed JSON, an object or array over several lines up to its closing bracket;
// - `"... some words ..."` elsewhere inside a line: any text on that one line;
// - `<...>` inside a line: any text on that one line (a value that varies: a count, a date, an id).
// Line ends: `\r\n` is a line break, as a terminal shows it, and a missing line break at the end of
// the output does not matter.

export interface Example {
  /** README.md, docs/examples.md, ... */
  doc: string
  /** the line of the command in the document (1-based) */
  line: number
  /** the command as written (continuation lines joined with "\n"), HTML entities decoded */
  command: string
  /** the expected output, line by line */
  expected: string[]
  /** the command ends with `&`: it starts a server in the background */
  background: boolean
}

export interface Block {
  doc: string
  /** the line of the opening fence (1-based) */
  line: number
  examples: Example[]
}

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

function decodeHtml (text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity] as string)
}

/** The command without a trailing `# comment` (outside quotes), for the background test only. */
function withoutComment (command: string): string {
  let quote = ''
  for (let index = 0; index < command.length; index++) {
    const character = command[index]
    if (quote !== '') {
      if (character === '\\' && quote === '"') index++
      else if (character === quote) quote = ''
    } else if (character === "'" || character === '"') {
      quote = character
    } else if (character === '\\') {
      index++
    } else if (character === '#' && (index === 0 || /\s/.test(command[index - 1] as string))) {
      return command.slice(0, index).trimEnd()
    }
  }
  return command.trimEnd()
}

/** Whether the text ends inside a quoted string (bash then reads the next line into it). */
function insideQuotes (text: string): boolean {
  let quote = ''
  for (let index = 0; index < text.length; index++) {
    const character = text[index]
    if (quote === "'") {
      if (character === "'") quote = ''
    } else if (character === '\\') {
      index++
    } else if (quote === '"') {
      if (character === '"') quote = ''
    } else if (character === "'" || character === '"') {
      quote = character
    } else if (character === '#' && (index === 0 || /\s/.test(text[index - 1] as string))) {
      return false
    }
  }
  return quote !== ''
}

function isBackground (command: string): boolean {
  const bare = withoutComment(command)
  return bare.endsWith('&') && !bare.endsWith('&&')
}

/** The closing fence's index from the opening one's. */
function closingFence (lines: string[], open: number): number {
  const indent = /^(\s*)/.exec(lines[open] as string)?.[1] ?? ''
  for (let index = open + 1; index < lines.length; index++) {
    if ((lines[index] as string).trim() === '```' && (lines[index] as string).startsWith(indent)) return index
  }
  throw new Error(`unclosed fence at line ${open + 1}`)
}

/** Every ```console block and every <details> example of one Markdown document. */
export function parseExamples (doc: string, text: string): Block[] {
  const lines = text.split('\n')
  const blocks: Block[] = []
  let summaryCommand: { command: string, line: number } | undefined
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    const summary = /^<details><summary><code>(.*?)<\/code>/.exec(line)
    if (summary !== null) {
      summaryCommand = { command: decodeHtml(summary[1] as string), line: index + 1 }
      continue
    }
    const fence = /^\s*```(\w*)\s*$/.exec(line)
    if (fence === null) continue
    const close = closingFence(lines, index)
    const body = lines.slice(index + 1, close)
    if (fence[1] === 'console') {
      const examples: Example[] = []
      for (let at = 0; at < body.length; at++) {
        const text = body[at] as string
        if (!text.startsWith('$ ')) {
          if (examples.length === 0) throw new Error(`${doc}:${index + 2 + at}: console output before any command`)
          examples[examples.length - 1]?.expected.push(text)
          continue
        }
        const start = at
        let command = text.slice(2)
        while ((command.endsWith('\\') || insideQuotes(command)) && at + 1 < body.length) command += '\n' + (body[++at] as string)
        examples.push({ doc, line: index + 2 + start, command, expected: [], background: isBackground(command) })
      }
      blocks.push({ doc, line: index + 1, examples })
    } else if (summaryCommand !== undefined) {
      blocks.push({ doc, line: index + 1, examples: [{ doc, line: summaryCommand.line, command: summaryCommand.command, expected: body, background: false }] })
    }
    summaryCommand = undefined
    index = close
  }
  return blocks
}

/** Every ```sh block of a document: its line and its text. */
export function shellBlocks (text: string): Array<{ line: number, text: string }> {
  const lines = text.split('\n')
  const blocks: Array<{ line: number, text: string }> = []
  for (let index = 0; index < lines.length; index++) {
    if (!/^\s*```sh\s*$/.test(lines[index] as string)) continue
    const close = closingFence(lines, index)
    blocks.push({ line: index + 1, text: lines.slice(index + 1, close).join('\n') })
    index = close
  }
  return blocks
}

type Pattern = { kind: 'lines' } | { kind: 'line', regex: RegExp, text: string } | { kind: 'value', key: string, indent: string }

const ELIDED_LINE = /^\s*(\.\.\.|"\.\.\. [^"]*\.\.\.",?)\s*$/
const ELIDED_IN_LINE = /<\.\.\.>|"\.\.\. [^"]*\.\.\."/g
const ELIDED_VALUE = /^(\s*)("(?:[^"\\]|\\.)*": )"\.\.\. [^"]*\.\.\.",?\s*$/

function escapeRegex (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function pattern (line: string): Pattern {
  if (ELIDED_LINE.test(line)) return { kind: 'lines' }
  const value = ELIDED_VALUE.exec(line)
  if (value !== null) return { kind: 'value', indent: value[1] as string, key: value[2] as string }
  const parts = line.split(ELIDED_IN_LINE)
  return { kind: 'line', regex: new RegExp(`^${parts.map(escapeRegex).join('.*')}$`), text: line }
}

/** The output as lines: `\r\n` is a line break, and a final line break is not a line. */
export function outputLines (output: string): string[] {
  const lines = output.replace(/\r\n/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** The last line of the pretty-printed JSON value that starts on line `start` at this indentation. */
function valueEnd (lines: string[], start: number, indent: string): number {
  const first = (lines[start] as string).trimEnd()
  if (!first.endsWith('{') && !first.endsWith('[')) return start
  const closing = first.endsWith('{') ? '}' : ']'
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index] as string
    if (line === indent + closing || line === `${indent}${closing},`) return index
  }
  return lines.length
}

/**
 * Whether the output matches the expected lines under the elision convention; when it does not,
 * the number of expected lines that matched before the first that cannot (the furthest any way
 * of matching got).
 */
export function matchOutput (expected: string[], output: string): { ok: boolean, matchedLines: number } {
  const patterns = expected.map(pattern)
  const actual = outputLines(output)
  const memo = new Map<number, boolean>()
  let furthest = 0
  const from = (p: number, a: number): boolean => {
    const key = p * (actual.length + 1) + a
    const known = memo.get(key)
    if (known !== undefined) return known
    furthest = Math.max(furthest, p)
    let result: boolean
    if (p === patterns.length) {
      result = a === actual.length
    } else {
      const current = patterns[p] as Pattern
      if (current.kind === 'lines') {
        result = false
        for (let skip = a; skip <= actual.length && !result; skip++) result = from(p + 1, skip)
      } else if (current.kind === 'value') {
        result = a < actual.length && (actual[a] as string).startsWith(current.indent + current.key) && from(p + 1, valueEnd(actual, a, current.indent) + 1)
      } else {
        result = a < actual.length && current.regex.test(actual[a] as string) && from(p + 1, a + 1)
      }
    }
    memo.set(key, result)
    return result
  }
  const ok = from(0, 0)
  return { ok, matchedLines: ok ? expected.length : furthest }
}
