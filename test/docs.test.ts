// The README and docs/*.md: every relative link and image points into the repository (and an anchor
// to a heading of its target, by GitHub's slug rules), nothing names ../shared, and the README's first
// screen has the two commands, three curl calls and one sizing call.
import t from 'tap'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
const read = (page: string): string => readFileSync(join(root, page), 'utf8')

/** The lines outside fenced code blocks. */
function prose (text: string): string[] {
  let fenced = false
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return false
    }
    return !fenced
  })
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors (text: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const line of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)
    if (heading === null) continue
    const slug = heading[1].toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    result.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return result
}

/** Targets of inline links and images, code spans left out. */
function links (text: string): string[] {
  return prose(text).flatMap((line) => [...line.replace(/`[^`]*`/g, 'code').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]))
}

t.test('the anchor rules are GitHub\'s', async (t) => {
  t.same([...anchors('# Aurora request fields (`/estimate/aurora`, seed 001)\n```\n# not a heading\n```\n## Tests\n## Tests\n')],
    ['aurora-request-fields-estimateaurora-seed-001', 'tests', 'tests-1'])
})

t.test('every relative link and image points to a file in the repository, and every anchor to a heading', async (t) => {
  for (const page of pages) {
    for (const target of links(read(page))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue
      const [path, anchor] = target.split('#', 2)
      const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path))
      const inRepository = relative(root, file)
      t.ok(!inRepository.startsWith('..') && existsSync(file), `${page}: ${target} exists in the repository`)
      if (anchor !== undefined && file.endsWith('.md') && existsSync(file)) {
        t.ok(anchors(readFileSync(file, 'utf8')).has(anchor), `${page}: ${target} names a heading`)
      }
    }
  }
})

t.test('no page names ../shared (not in a clone)', async (t) => {
  for (const page of pages) t.notOk(read(page).includes('../shared'), page)
})

t.test('every docs page is linked from the README', async (t) => {
  const linked = new Set(links(read('README.md')).map((target) => target.split('#')[0]))
  for (const page of pages.filter((page) => page !== 'README.md')) t.ok(linked.has(page), page)
})

t.test('the README\'s first screen: the two commands, three curl calls, one sizing call', async (t) => {
  const screen = read('README.md').split('\n').slice(0, 60)
  t.ok(screen.some((line) => line.includes('npm ci && npm start')), 'npm ci && npm start')
  t.ok(screen.some((line) => line.includes('npm ci && npm test')), 'npm ci && npm test')
  t.ok(screen.filter((line) => /^\s*(\$ )?curl /.test(line)).length >= 3, 'three curl command lines')
  t.ok(screen.some((line) => /^\s*(\$ )?(npx )?sizing /.test(line)), 'a sizing command line')
})
