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
  // 1266.77 MiB under 60%: 3 GiB (41.2% used); the script's x1.25 rounded up is 2 (it prints "1 GB")
  t.match(report, '    - Recommended: 3 GB: 1 x 3 GB, 41.2% used on day 90 (under 60%; the script\'s x1.25: 2 GB)')
  // writes only: (1.139 + 0.687 + 865.173 + 2.739) x 1.5 = 1304.6 -> 1305; the script's 3251.2 -> 3252
  t.match(report, '    - Recommended: 1305 GB: 1 x 1305 GB (with headroom; the script\'s: 3252 GB)')
  t.match(report, '  Layout: 1 instance, 1 copy of the data, each instance holding 100.0% of it')
  t.match(renderEngramReport(estimateEngram({ opsPerSec: 200_000, replicationFactor: 2 })), '  Layout: 24 shards, 3 copies of the data, each instance holding 12.5% of it')
  t.match(report, '  ⚠ WAL_DOMINATES_STORAGE:')
  t.notMatch(report, 'Compaction:', 'no compaction line when there is no compaction')
  t.match(renderEngramReport(estimateEngram({ compactionsPerHour: 36, segmentSizeMiB: 1000 })), '    - Compaction: 0.1 cores')
  t.match(renderEngramReport(estimateEngram({ opsPerSec: 50_000 })), '  ⚠ HORIZONTAL_SCALING: CPU: 31.0 cores needed')
})
