import t from 'tap'
import { renderReport } from '../../src/models/report.js'

t.test('the generic report prints every figure, warnings and assumptions', async (t) => {
  const report = renderReport('Title', {
    tier: 'small',
    sizing: { cores: 1234.56789, pools: [{ name: 'api', size: 3 }], ok: true },
    warnings: [],
    assumptions: [{ name: 'x', value: 2, unit: 'GB', source: 'seed 001' }]
  })
  t.equal(report, [
    '======================================', 'Title', '======================================', '',
    'tier: small', '',
    'sizing:', '  cores: 1,234.5679', '  pools:', '    [1]:', '      name: api', '      size: 3', '  ok: true', '',
    'Warnings:', '  (none)', '',
    'Assumptions:', '  x = 2 GB (seed 001)', ''
  ].join('\n'))
})
