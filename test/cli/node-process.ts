// A Node process for the CLI tests: its exit code and everything it wrote, with the CLI's own
// environment variables cleared so the developer's never reach it.
import { spawn } from 'node:child_process'

export interface Finished { code: number | null, stdout: string, stderr: string }

/**
 * Runs `node ...args` with `stdin` as standard input. `coverage: false` opts out of tap's coverage
 * collection (tap's processinfo instruments every child it spawns; _TAPJS_PROCESSINFO_COVERAGE_=0 is
 * its opt-out).
 */
export async function runNode (args: string[], { stdin = '', coverage = true, cwd }: { stdin?: string, coverage?: boolean, cwd?: string } = {}): Promise<Finished> {
  const env = { ...process.env, SIZING_URL: '', SIZING_API_TOKEN: '', ...(coverage ? {} : { _TAPJS_PROCESSINFO_COVERAGE_: '0' }) }
  const child = spawn(process.execPath, args, { cwd, env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.end(stdin)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}
