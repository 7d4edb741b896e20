// The analyses' pure parts: figure paths, gates, diff, sweep grids, sensitivity, and their layouts.
import t from 'tap'
import { diffEstimates } from '../../../src/models/analysis/diff.js'
import { elementKey, flattenFigures, numericLeaves, valueAt, withValue } from '../../../src/models/analysis/figures.js'
import { GateError, checkedGate, evaluateGate, parseGate, resolveGateFigure } from '../../../src/models/analysis/gates.js'
import { perturb, runSensitivity } from '../../../src/models/analysis/sensitivity.js'
import { axisValues, runSweep, tableOf } from '../../../src/models/analysis/sweep.js'
import { sweepCsv } from '../../../src/models/analysis/sweep-formats.js'
import { renderSweepSvg } from '../../../src/models/analysis/sweep-chart.js'
import { renderDiffText, renderSensitivityText, renderSweepText, table } from '../../../src/models/analysis/text.js'

const estimate = {
  inputs: { nodes: 10, tables: [{ name: 'a', rows: 5 }, { name: 'b.c', rows: 7 }] },
  totals: { cores: 4, tier: 'small', ha: false },
  components: [{ component: 'api', replicas: 2 }, { service: 'db', replicas: 1 }, { replicas: 9 }],
  warnings: [{ code: 'W1', severity: 'warning', message: 'one' }],
  assumptions: [{ name: 'x', value: 1, unit: 'u', source: 's' }]
}

t.test('figures are scalar leaves named by path; inputs, warnings and assumptions are not figures', async (t) => {
  t.same([...flattenFigures(estimate)], [
    ['totals.cores', 4], ['totals.tier', 'small'], ['totals.ha', false],
    ['components.api.replicas', 2], ['components.db.replicas', 1], ['components.2.replicas', 9]
  ])
  t.same([...numericLeaves(estimate.inputs)], [['nodes', 10], ['tables.a.rows', 5], ['tables.1.rows', 7]], 'a name with a dot falls back to the index')
  t.equal(elementKey({ name: '' }, 3), '3')
  t.equal(elementKey(null, 1), '1')
  t.equal(valueAt(estimate, 'components.db.replicas'), 1)
  t.equal(valueAt(estimate, 'components.zz.replicas'), undefined)
  t.equal(valueAt(estimate, 'totals.cores.deeper'), undefined)
})

t.test('withValue changes one field of a copy, copying a defaulted list first', async (t) => {
  const scenario = { nodes: 3 }
  const changed = withValue(scenario, estimate.inputs, 'tables.a.rows', 50)
  t.same(changed, { nodes: 3, tables: [{ name: 'a', rows: 50 }, { name: 'b.c', rows: 7 }] })
  t.same(scenario, { nodes: 3 }, 'the scenario is untouched')
  t.same(estimate.inputs.tables[0].rows, 5, 'the resolved inputs are untouched')
  t.same(withValue(scenario, estimate.inputs, 'nodes', 8), { nodes: 8 })
  t.same(withValue({ tables: [{ name: 'a', rows: 1 }] }, estimate.inputs, 'tables.0.rows', 2), { tables: [{ name: 'a', rows: 2 }] }, 'by index too')
  t.same(withValue({ limits: { cpu: 1 } }, {}, 'limits.cpu', 2), { limits: { cpu: 2 } })
  t.same(withValue({ sizes: [1, 2, 3] }, {}, 'sizes.1', 7), { sizes: [1, 7, 3] }, 'a list of numbers, by index')
})

t.test('gates parse, name what is wrong, and fail when their condition holds', async (t) => {
  t.same(parseGate(' cores>=32 '), { kind: 'figure', text: 'cores>=32', figure: 'cores', comparison: '>=', threshold: 32 })
  t.same(parseGate('cost > 1.5e3'), { kind: 'figure', text: 'cost > 1.5e3', figure: 'cost', comparison: '>', threshold: 1500 })
  t.same(parseGate('warning:HORIZONTAL_SCALING'), { kind: 'warning', text: 'warning:HORIZONTAL_SCALING', code: 'HORIZONTAL_SCALING' })
  t.same(parseGate('severity:critical'), { kind: 'severity', text: 'severity:critical', severity: 'critical' })
  t.throws(() => parseGate('severity:bad'), GateError)
  t.throws(() => parseGate('cores'), { message: /is not a gate/ })
  t.throws(() => parseGate('cores>x'), { message: /is not a gate/ })
  const figures = flattenFigures(estimate)
  const aliases = { cores: 'totals.cores' }
  const verdict = (text: string) => {
    const gate = parseGate(text)
    resolveGateFigure(gate, figures, aliases, 'm')
    return evaluateGate(gate, figures, estimate.warnings, aliases)
  }
  const cases: Array<[string, boolean]> = [['cores>3', true], ['cores>4', false], ['cores>=4', true], ['cores<4', false], ['cores<=4', true], ['cores==4', true], ['cores!=4', false], ['components.api.replicas>1', true]]
  for (const [text, failed] of cases) t.equal(verdict(text).failed, failed, text)
  t.same(verdict('cores>3'), { gate: 'cores>3', subject: 'totals.cores', value: 4, failed: true })
  t.same(verdict('warning:W1'), { gate: 'warning:W1', subject: 'W1', value: 1, failed: true })
  t.same(verdict('warning:W2'), { gate: 'warning:W2', subject: 'W2', value: 0, failed: false })
  t.same(verdict('severity:warning'), { gate: 'severity:warning', subject: 'severity warning', value: 1, failed: true })
  t.same(verdict('severity:critical').failed, false)
  t.throws(() => verdict('cost>1'), { message: '"cost>1": cost is not a numeric figure of model m (aliases: cores; or any figure path such as totals.cores)' })
  t.throws(() => resolveGateFigure(parseGate('totals.tier>1'), figures, {}, 'm'), { message: '"totals.tier>1": totals.tier is not a numeric figure of model m' })
  t.equal(resolveGateFigure(parseGate('warning:W1'), figures, {}, 'm'), '')
  t.throws(() => resolveGateFigure(parseGate('x>1'), new Map([['tier', 'small']]), { cores: 'c' }, 'm'), { message: '"x>1": x is not a numeric figure of model m (aliases: cores; or any figure path such as )' }, 'no numeric figure to suggest')
  t.same(checkedGate('cores>1', figures, aliases, 'm'), parseGate('cores>1'))
  t.same(evaluateGate(parseGate('cores>1'), new Map(), [], aliases), { gate: 'cores>1', subject: 'totals.cores', value: null, failed: false }, 'a figure one side lacks does not fail')
})

t.test('a diff lists changed figures, warnings that came and went, and gate verdicts', async (t) => {
  const after = {
    ...estimate,
    totals: { cores: 6, tier: 'medium', ha: false },
    components: [{ component: 'api', replicas: 0 }, { service: 'db', replicas: 1 }],
    warnings: [{ code: 'W2', severity: 'critical', message: 'two' }]
  }
  const before = { ...estimate, components: [{ component: 'api', replicas: 0 }, ...estimate.components.slice(1)] }
  const diff = diffEstimates(before, after, [parseGate('cores>5'), parseGate('warning:W1')], { cores: 'totals.cores' })
  t.same(diff.changed, [
    { figure: 'totals.cores', before: 4, after: 6, change: 2, relativeChange: 0.5 },
    { figure: 'totals.tier', before: 'small', after: 'medium', change: null, relativeChange: null },
    { figure: 'components.2.replicas', before: 9, after: null, change: null, relativeChange: null }
  ])
  t.same(diff.warningsAppeared, [{ code: 'W2', severity: 'critical', message: 'two' }])
  t.same(diff.warningsDisappeared, [{ code: 'W1', severity: 'warning', message: 'one' }])
  t.same(diff.gates, [
    { gate: 'cores>5', subject: 'totals.cores', value: 6, failed: true, before: 4, failedBefore: false },
    { gate: 'warning:W1', subject: 'W1', value: 0, failed: false, before: 1, failedBefore: true }
  ])
  t.equal(diff.failed, true)
  const [zeroBefore, zeroAfter] = [{ ...estimate, totals: { cores: 0 } }, { ...estimate, totals: { cores: 2 } }]
  const zero = diffEstimates(zeroBefore, zeroAfter, [], {})
  t.same(zero.changed[0], { figure: 'totals.cores', before: 0, after: 2, change: 2, relativeChange: null }, 'no relative change from 0')
  const [tinyBefore, tinyAfter] = [{ ...estimate, totals: { cores: 1e-323 } }, { ...estimate, totals: { cores: 1e-10 } }]
  const tiny = diffEstimates(tinyBefore, tinyAfter, [], {})
  t.equal(tiny.changed[0].relativeChange, null, 'a subnormal before: no Infinity')
  const same = diffEstimates(estimate, structuredClone(estimate), [], {})
  t.same([same.changed, same.warningsAppeared, same.warningsDisappeared, same.failed], [[], [], [], false], 'identical estimates: empty diff')
  const text = renderDiffText('m', diff)
  t.match(text, 'Diff of m: 3 figure(s) changed, 1 warning(s) appeared, 1 disappeared')
  t.match(text, /totals\.cores\s+4\s+6\s+\+2\s+\+50%/)
  t.match(text, '+ W2 (critical): two')
  t.match(text, '- W1 (warning): one')
  t.match(text, 'FAIL cores>5  (totals.cores: 4 -> 6)')
  t.match(text, 'pass warning:W1  (W1: 1 -> 0, failed before too)')
  t.match(text, 'Verdict: FAILED')
  t.match(renderDiffText('m', same), /No figure changed\.\n\nVerdict: ok/)
})

t.test('sweep axes: linear and log steps with exact ends, integers rounded', async (t) => {
  t.same(axisValues({ input: 'x', from: 0, to: 1, points: 11, scale: 'linear', integer: false }), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
  t.same(axisValues({ input: 'x', from: 1e5, to: 1e9, points: 5, scale: 'log', integer: false }), [1e5, 1e6, 1e7, 1e8, 1e9])
  t.same(axisValues({ input: 'x', from: 10, to: 1, points: 4, scale: 'linear', integer: false }), [10, 7, 4, 1], 'descending ranges')
  t.same(axisValues({ input: 'x', from: 1, to: 3, points: 5, scale: 'linear', integer: true }), [1, 2, 2, 3, 3])
  t.same(axisValues({ input: 'x', from: 7, to: 9, points: 1, scale: 'log', integer: false }), [7])
})

t.test('a sweep tabulates, finds warning onsets and tier changes along the first input, line by line', async (t) => {
  const model = (point: Record<string, number>) => ({
    size: { cores: point.x * (point.y ?? 1), tier: point.x >= 3 ? 'large' : 'small' },
    warnings: point.x >= 2 ? [{ code: 'BIG', severity: 'warning' }, { code: 'BIG', severity: 'warning' }] : point.y === 2 ? [{ code: 'Y2', severity: 'info' }] : []
  })
  const one = runSweep([{ input: 'x', from: 1, to: 4, points: 4, scale: 'linear', integer: false }], ['size.cores', 'size.tier', 'size.missing'], ['size.tier'], model)
  t.same(one.rows.map((row) => row.outputs), [1, 2, 3, 4].map((x) => ({ 'size.cores': x, 'size.tier': x >= 3 ? 'large' : 'small', 'size.missing': null })))
  t.same(one.rows[1].warnings, ['BIG'], 'codes once per point')
  t.same(one.warningOnsets, [{ code: 'BIG', severity: 'warning', row: 1, inputs: { x: 2 }, previousInputs: { x: 1 }, atStart: false }])
  t.same(one.tierChanges, [{ figure: 'size.tier', from: 'small', to: 'large', row: 2, inputs: { x: 3 }, previousInputs: { x: 2 } }])
  const two = runSweep([{ input: 'x', from: 1, to: 3, points: 3, scale: 'linear', integer: false }, { input: 'y', from: 1, to: 2, points: 2, scale: 'linear', integer: false }], ['size.cores'], [], model)
  t.same(two.rows.map((row) => row.inputs), [{ x: 1, y: 1 }, { x: 2, y: 1 }, { x: 3, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 2 }, { x: 3, y: 2 }])
  t.same(two.warningOnsets.map((onset) => [onset.code, onset.row, onset.atStart, onset.previousInputs]), [['BIG', 1, false, { x: 1, y: 1 }], ['Y2', 3, true, null], ['BIG', 4, false, { x: 1, y: 2 }]], 'per line of the second input')
  t.equal(sweepCsv(tableOf(two)).split('\r\n')[0], 'x,y,size.cores,warnings')
  t.equal(sweepCsv(tableOf(one)).split('\r\n')[3], '3,3,large,,BIG', 'a missing figure is an empty cell')
  t.equal(sweepCsv(tableOf({ ...one, rows: [{ inputs: { x: 1 }, outputs: { 'size.cores': 1, 'size.tier': 'a,"b"', 'size.missing': null }, warnings: [] }] })).split('\r\n')[1], '1,1,"a,""b""",,', 'RFC 4180 quoting')
  const text = renderSweepText('m', one)
  t.match(text, 'Sweep of m over x: 4 point(s)')
  t.match(text, 'BIG (warning) between x = 1 and 2')
  t.match(text, 'size.tier: small -> large between x = 2 and 3')
  t.match(renderSweepText('m', two), 'Y2 (info) at x = 1, y = 2 (already at the start)')
  t.match(renderSweepText('m', two), 'BIG (warning) between x = 1 and 2 (y = 2)')
  t.match(renderSweepText('m', { ...one, warningOnsets: [], tierChanges: [] }), /Warnings first appear:\n {2}\(none\)\nTier changes:\n {2}\(none\)/)
})

t.test('the sweep chart: one panel per numeric output, a line per second-input value, onset markers', async (t) => {
  const model = (point: Record<string, number>) => ({ a: point.x, b: 2 * point.x, c: 'text', warnings: point.x > 10 ? [{ code: 'W', severity: 'info' }] : [] })
  const axis = { input: 'x', from: 1, to: 100, points: 5, scale: 'log' as const, integer: false }
  const svg = renderSweepSvg(runSweep([axis], ['a', 'b', 'c'], [], model), true)
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.equal(svg.match(/<polyline/g)?.length, 2, 'two numeric outputs, one line each')
  t.match(svg, 'Sweep over x (log scale)')
  t.match(svg, 'non-numeric outputs not drawn: c')
  t.match(svg, 'W at x = 31.62')
  const lines = runSweep([{ ...axis, scale: 'linear', points: 3 }, { input: 'y', from: 1, to: 12, points: 12, scale: 'linear', integer: false }], ['a', 'b', 'a2', 'a3', 'a4', 'a5', 'a6'].slice(0, 2), [], model)
  const many = renderSweepSvg(lines, false)
  t.equal(many.match(/<polyline/g)?.length, 20, '10 of 12 lines in each of 2 panels')
  t.match(many, '10 of the y lines drawn')
  t.match(many, 'y = 12')
  const flat = renderSweepSvg(runSweep([{ ...axis, points: 1 }], ['a'], [], () => ({ a: 0, warnings: [] })), false)
  t.notMatch(flat, /NaN|Infinity/, 'one point, flat line: no division by zero')
  const wide = { ...lines, outputs: ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'], rows: lines.rows.map((row) => ({ ...row, outputs: Object.fromEntries(['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'].map((name, i) => [name, i])) })) }
  t.match(renderSweepSvg(wide, false), '1 more outputs not drawn')
  t.match(renderSweepSvg({ ...lines, outputs: ['c'], rows: lines.rows.map((row) => ({ ...row, outputs: { c: 'x' } })) }, false), 'No numeric output to draw.')
})

t.test('perturbation stays within bounds; integers move by at least 1', async (t) => {
  t.same(perturb({ value: 100, integer: false }, 10), { low: 90, high: 110.00000000000001 })
  t.same(perturb({ value: 3, integer: true }, 10), { low: 2, high: 4 })
  t.same(perturb({ value: 50, integer: true }, 10), { low: 45, high: 55 })
  t.same(perturb({ value: 0.95, integer: false, minimum: 0, maximum: 1 }, 10), { low: 0.855, high: 1 })
  t.same(perturb({ value: 1, integer: true, minimum: 1, maximum: 1024 }, 10), { low: 1, high: 2 })
  t.same(perturb({ value: 0.001, integer: false, exclusiveMinimum: 0.001 }, 10), { low: 0.001, high: 0.0011 }, 'an exclusive minimum keeps the value as the low end')
  t.same(perturb({ value: -10, integer: false }, 10), { low: -11, high: -9 })
})

t.test('sensitivity: elasticities by central difference, tornado order, skipped inputs', async (t) => {
  // y = 2a + b^2 - 3c, z = 0
  const compute = (inputs: Record<string, number>) => ({ y: 2 * inputs.a + inputs.b ** 2 - 3 * inputs.c, z: 0, warnings: [] })
  const base = { a: 10, b: 5, c: 1, d: 0, e: 7, bad: 4 }
  const bounds = new Map([
    ['a', { value: 10, integer: false }], ['b', { value: 5, integer: false }], ['c', { value: 1, integer: false }],
    ['d', { value: 0, integer: false }], ['e', { value: 7, integer: false, minimum: 7, maximum: 7 }], ['bad', { value: 4, integer: false }]
  ])
  const result = runSensitivity(bounds, ['y', 'z'], 10, (input, value) => input === 'bad' && value > 4 ? { invalid: 'body/scenario/bad must be <= 4' } : { estimate: compute({ ...base, [input]: value }) }, compute(base))
  const y = result.outputs[0]
  t.equal(y.value, 42)
  t.same(y.drivers.map((d) => [d.input, d.rank]), [['b', 1], ['a', 2], ['c', 3]], 'widest swing first')
  const byInput = Object.fromEntries(y.drivers.map((d) => [d.input, d]))
  t.ok(Math.abs((byInput.a.elasticity as number) - (2 * 10) / 42) < 1e-12, 'linear term: elasticity = 2a / y')
  t.ok(Math.abs((byInput.b.elasticity as number) - (2 * 25) / 42) < 1e-12, 'square term: central difference is exact, 2b^2 / y')
  t.ok((byInput.c.elasticity as number) < 0, 'a term that lowers y has a negative elasticity')
  t.ok(Math.abs(byInput.c.swing - (-3 * 0.2)) < 1e-12)
  t.same(result.outputs[1].drivers.map((d) => d.elasticity), [null, null, null], 'an output at 0 has no elasticity')
  t.same(result.skipped, [
    { input: 'd', value: 0, reason: 'the value is 0: a relative change of 0 is 0 (sweep it instead)' },
    { input: 'e', value: 7, reason: 'the schema bounds leave no room to move it' },
    { input: 'bad', value: 4, reason: 'a changed value is not a valid scenario: body/scenario/bad must be <= 4' }
  ])
  const subnormal = runSensitivity(new Map([['a', { value: 1e-320, integer: false }]]), ['y'], 10, (input, value) => ({ estimate: { y: value > 1e-320 ? 1 : 0, warnings: [] } }), { y: 1e-320, warnings: [] })
  t.equal(subnormal.outputs[0].drivers[0].elasticity, null, 'a ratio that overflows is null, not Infinity')
  const oneSided = runSensitivity(new Map([['a', { value: 10, integer: false, maximum: 10 }]]), ['y'], 10, (input, value) => ({ estimate: compute({ ...base, [input]: value }) }), compute(base))
  t.same([oneSided.outputs[0].drivers[0].low, oneSided.outputs[0].drivers[0].high], [9, 10], 'at its maximum: one-sided')
  const atMinimum = runSensitivity(new Map([['a', { value: 10, integer: false, minimum: 10 }]]), ['y'], 10, (input, value) => ({ estimate: compute({ ...base, [input]: value }) }), compute(base))
  t.same([atMinimum.outputs[0].drivers[0].low, atMinimum.outputs[0].drivers[0].high], [10, 11], 'at its minimum: one-sided')
  const lowInvalid = runSensitivity(new Map([['a', { value: 10, integer: false }]]), ['y'], 10, (input, value) => value < 10 ? { invalid: 'body/scenario/a must be >= 10' } : { estimate: compute({ ...base, [input]: value }) }, compute(base))
  t.match(lowInvalid.skipped, [{ input: 'a', reason: /must be >= 10/ }], 'a lower value that is not a valid scenario')
  const text = renderSensitivityText('m', result)
  t.match(text, 'Sensitivity of m: each input moved -/+10%')
  t.match(text, /^b\s+5\s+.*#{30}$/m)
  t.match(text, 'd = 0: the value is 0')
  t.notMatch(renderSensitivityText('m', { ...result, skipped: [] }), 'Not moved')
  t.match(renderSensitivityText('m', { ...result, outputs: [{ output: 'z', value: 0, drivers: [{ input: 'a', value: 1, low: 0.9, high: 1.1, outputLow: 0, outputHigh: 0, swing: 0, elasticity: null, rank: 1 }] }] }), /a\s+1\s+0\s+0\s+0\s+-/)
})

t.test('text tables pad columns', async (t) => {
  t.same(table(['a', 'bb'], [['xyz', '1'], ['q', '22']]), ['a    bb', '---  --', 'xyz   1', 'q    22'])
})
