// npm run chaos [-- part ...] [--strict]: the attack suite of issue 29 ("What to build", point 7).
// Each part starts the built service (dist/service/server.js) fresh on free ports, attacks it, and
// prints its figures against the targets; the last line sums them up. Not part of `npm test`:
// it measures speed and memory, which a test must not assert on two busy cores. Exit code 0 (it is a
// report) unless the suite itself broke, or with --strict, when any target is missed.
// CHAOS_ENV="NAME=value ..." adds settings to every service started (docs/operations.md).
import { cpus, totalmem } from 'node:os'
import { fuzz } from './fuzz.js'
import { overload } from './overload.js'
import { prometheus } from './prometheus.js'
import { formatTable, type PartResult, tally } from './report.js'
import { PINNED } from './service.js'
import { shutdown } from './shutdown.js'
import { slow } from './slow.js'
import { sweeps } from './sweeps.js'
import { yamlMemory } from './yaml-memory.js'

const PARTS: Record<string, () => Promise<PartResult>> = {
  fuzz,
  overload,
  slow,
  prometheus,
  'yaml-memory': yamlMemory,
  sweeps,
  shutdown
}

function chosenParts (args: readonly string[]): string[] {
  const names = args.filter((arg) => !arg.startsWith('--'))
  const unknown = names.filter((name) => !(name in PARTS))
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}: choose among ${Object.keys(PARTS).join(', ')}`)
  return names.length === 0 ? Object.keys(PARTS) : names
}

async function main (): Promise<number> {
  const args = process.argv.slice(2)
  const strict = args.includes('--strict')
  let names: string[]
  try {
    names = chosenParts(args)
  } catch (error) {
    console.error(`chaos: ${(error as Error).message}`)
    return 2
  }
  console.log(`chaos: ${names.join(', ')}; machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${PINNED ? '; service on core 1, suite on core 0 (taskset)' : ''}`)
  const results: PartResult[] = []
  let broken = false
  for (const name of names) {
    const started = performance.now()
    let result: PartResult
    try {
      result = await PARTS[name]()
    } catch (error) {
      broken = true
      result = { part: name, figures: [], notes: [`the part broke: ${(error as Error).stack ?? String(error)}`] }
    }
    result.part = `${result.part} (${((performance.now() - started) / 1000).toFixed(0)} s)`
    results.push(result)
    console.log(formatTable(result))
  }
  const totals = tally(results)
  console.log(`chaos summary: ${totals.PASS} PASS, ${totals.FAIL} FAIL, ${totals.SKIP} SKIP (${totals.INFO} figures for information)${broken ? '; a part broke' : ''}`)
  if (broken) return 2
  return strict && totals.FAIL > 0 ? 1 : 0
}

process.exitCode = await main()
// open handles (a prober, a socket the service never closed) must not keep the report waiting
process.exit()
