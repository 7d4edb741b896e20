// PostgreSQL's configuration parameters, by name (data/postgresql/parameters.json: the server's GUC
// table at a postgres/postgres commit). PostgreSQL refuses to start with a parameter it does not
// know in its configuration; names with a dot belong to extensions and are not checked.
import { readFileSync } from 'node:fs'

interface ParameterList { source: { repository: string, path: string, commit: string, read: string }, names: string[] }

let loaded: { list: ParameterList, lower: ReadonlySet<string> } | undefined

/** Read once, when first needed. */
function parameters (): { list: ParameterList, lower: ReadonlySet<string> } {
  if (loaded === undefined) {
    const list = JSON.parse(readFileSync(new URL('../../../data/postgresql/parameters.json', import.meta.url), 'utf8')) as ParameterList
    loaded = { list, lower: new Set(list.names.map((name) => name.toLowerCase())) }
  }
  return loaded
}

/** Where the list comes from, for messages. */
export const parameterSource = (): string => `PostgreSQL's GUC table, ${parameters().list.source.path} at postgres/postgres ${parameters().list.source.commit.slice(0, 8)}`

/** Whether PostgreSQL knows the name (case-insensitive, as PostgreSQL reads it); an extension's dotted name always passes. */
export function isPostgresParameter (name: string): boolean {
  return name.includes('.') || parameters().lower.has(name.toLowerCase())
}

/** Edits (insert, delete, substitute) between two short names. */
function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)))
    previous = current
  }
  return previous[b.length]
}

/** The known name within two edits of a misspelt one, if there is one. */
export function closestParameter (name: string): string | undefined {
  const lower = name.toLowerCase()
  const near = parameters().list.names.map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) })).filter(({ distance }) => distance <= 2)
  return near.sort((a, b) => a.distance - b.distance)[0]?.candidate
}
