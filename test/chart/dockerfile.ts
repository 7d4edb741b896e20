// What the image says about how it runs, read from the Dockerfile's last stage: ENV, EXPOSE, USER,
// HEALTHCHECK, CMD. Continuation lines are joined; ENV takes KEY=VALUE pairs (quoted or not) and the
// old `ENV KEY VALUE` form.

export interface ImageFacts {
  /** The last stage's base image (FROM ... [AS name]). */
  base: string
  env: Record<string, string>
  expose: number[]
  /** USER as written: a name, uid, or uid:gid. */
  user: string | undefined
  /** The HEALTHCHECK's command as written, undefined without one. */
  healthcheck: string | undefined
}

function unquote (text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text
}

export function imageFacts (dockerfile: string): ImageFacts {
  const instructions = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)
    .map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => { const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray; return { keyword: keyword.toUpperCase(), rest } })
  const lastFrom = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM')
  if (lastFrom < 0) throw new Error('no FROM in the Dockerfile')
  const stage = instructions.slice(lastFrom)
  const facts: ImageFacts = { base: stage[0].rest.split(/\s+/)[0], env: {}, expose: [], user: undefined, healthcheck: undefined }
  for (const { keyword, rest } of stage.slice(1)) {
    if (keyword === 'ENV') {
      const pairs = [...rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)]
      if (pairs.length > 0) for (const [, key, value] of pairs) facts.env[key] = unquote(value)
      else { const [key, ...value] = rest.split(/\s+/); facts.env[key] = unquote(value.join(' ')) }
    } else if (keyword === 'EXPOSE') {
      facts.expose.push(...rest.split(/\s+/).map((port) => Number(port.replace(/\/tcp$/i, ''))))
    } else if (keyword === 'USER') {
      facts.user = rest.trim()
    } else if (keyword === 'HEALTHCHECK') {
      facts.healthcheck = /^NONE$/i.test(rest.trim()) ? undefined : rest
    }
  }
  return facts
}
