import t from 'tap'
import { estimateEngram } from '../../src/models/engram/capacity.js'
import { renderEngramReport } from '../../src/models/engram/report.js'
import { argsToInput, scriptFixture } from '../helpers.js'

// The report reads like the script: every line the script prints for sound inputs is there too,
// except the three truncated "Recommended" lines, which the service rounds up instead.
const soundCases = scriptFixture.cases.filter((c) => c.args[1] <= 0.25 && c.stderr === '')
for (const scriptCase of soundCases) {
  t.test(`report lines match estimate_capacity.sh ${scriptCase.args.join(' ')}`, async (t) => {
    const report = renderEngramReport(estimateEngram(argsToInput(scriptCase.args))).split('\n')
    const scriptLines = scriptCase.stdout.split('\n').filter((line) => !line.includes('Recommended:') && !line.startsWith('  ⚠'))
    for (const line of scriptLines) t.ok(report.includes(line), `has "${line}"`)
  })
}

t.test('recommendations and warnings in the report', async (t) => {
  const report = renderEngramReport(estimateEngram())
  t.match(report, '    - Recommended: 8 cores (with headroom)')
  t.match(report, '    - Recommended: 2 GB (with headroom)', 'where the script prints "1 GB"')
  t.match(report, '    - Recommended: 3252 GB (with headroom)')
  t.match(report, '  ⚠ WAL_DOMINATES_STORAGE:')
  t.notMatch(report, 'Compaction:', 'no compaction line when there is no compaction')
  t.match(renderEngramReport(estimateEngram({ compactionsPerHour: 36, segmentSizeMiB: 1000 })), '    - Compaction: 0.1 cores')
  t.match(renderEngramReport(estimateEngram({ opsPerSec: 50_000 })), '  ⚠ HORIZONTAL_SCALING: CPU: 31.0 cores needed')
})
