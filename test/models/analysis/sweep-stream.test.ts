// Streamed sweep renderings: the chunks join to exactly the bytes of the whole rendering.
import t from 'tap'
import fc from 'fast-check'
import { type Sweep, sweepCsv, sweepCsvChunks, sweepJsonChunks } from '../../../src/models/analysis/sweep.js'

const row = (index: number) => ({ inputs: { expectedNodes: index }, outputs: { cores: index / 3, tier: index % 2 === 0 ? 'small' : null }, warnings: index % 5 === 0 ? ['A', 'B'] : [] })
const sweepOf = (rows: number): Sweep => ({ inputs: ['expectedNodes'], outputs: ['cores', 'tier'], rows: Array.from({ length: rows }, (_, i) => row(i)), warningOnsets: [], tierChanges: [] })

t.test('sweepJsonChunks joins to JSON.stringify, at every chunk boundary', async (t) => {
  for (const rows of [0, 1, 255, 256, 257, 1000]) {
    const document = { model: 'engram', points: rows, ...sweepOf(rows), warnings: [] }
    const chunks = [...sweepJsonChunks(document)]
    t.equal(chunks.join(''), JSON.stringify(document), `${rows} rows`)
    t.equal(chunks.length, 2 + Math.ceil(rows / 256), `${rows} rows: the head, a chunk per 256 rows, the tail`)
  }
  const withGaps = { model: 'x', skipped: undefined, rows: [{ a: 1 }, undefined, () => 1], after: () => 1, tail: [1, 'two', null] }
  t.equal([...sweepJsonChunks(withGaps as never)].join(''), JSON.stringify(withGaps), 'undefined and functions left out of objects and null in arrays, as JSON.stringify does')
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue(), { maxLength: 600 }), fc.integer({ min: 1, max: 300 }), (head, rows, perChunk) => {
    const document = { ...head, rows }
    return [...sweepJsonChunks(document, perChunk)].join('') === JSON.stringify(document)
  }), { numRuns: 300 })
})

t.test('sweepCsvChunks joins to the CSV, a header then chunks of rows', async (t) => {
  const sweep = sweepOf(600)
  const chunks = [...sweepCsvChunks(sweep, 256)]
  t.equal(chunks.length, 1 + 3)
  t.equal(chunks.join(''), sweepCsv(sweep))
  t.equal(chunks[0], 'expectedNodes,cores,tier,warnings\r\n')
  t.equal(sweepCsv(sweep).split('\r\n')[1], '0,0,small,A B')
  t.equal(sweepCsv(sweepOf(0)), 'expectedNodes,cores,tier,warnings\r\n', 'no rows: the header')
})
