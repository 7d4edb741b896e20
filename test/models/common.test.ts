import t from 'tap'
import fc from 'fast-check'
import { ceilClean, decimalClean, exactFloorProduct, floorProduct, nextEven, rangeRowIndex, sortBySeverity } from '../../src/models/common.js'

t.test('ceilClean ignores float noise but not real fractions', async (t) => {
  t.equal(ceilClean(4.006666666666667 * 1.5), 7)
  t.equal(ceilClean(0.1 * 3 * 10), 3, '3.0000000000000004 is 3')
  t.equal(ceilClean(3.001), 4)
  t.equal(ceilClean(1234567890123.4), 1234567890124, 'large values keep their fraction')
  t.equal(ceilClean(0), 0)
})

t.test('nextEven rounds up to an even count', async (t) => {
  t.same([1, 2, 2.1, 3, 6.01, 7].map(nextEven), [2, 2, 4, 4, 8, 8])
})

t.test('floorProduct is exact in decimal', async (t) => {
  t.equal(floorProduct(100, 0.29), 29)
  t.equal(floorProduct(100, 0.29, 3), 87)
  t.equal(floorProduct(5, 0.1), 0)
  t.equal(floorProduct(5, 0.1, 3), 1)
  t.equal(floorProduct(1e12, 1e-7), 100_000)
  t.equal(floorProduct(3, 1e21), 3e21, 'large factors in exponent form')
  t.equal(floorProduct(7, 2), 14)
  t.equal(floorProduct(2 ** 53, 1), 2 ** 53, 'from 2^53 on, exact arithmetic')
})

t.test('floorProduct takes plain arithmetic only where it cannot differ from the exact decimal', async () => {
  // factors as typed (decimals of up to 6 places), counts and multipliers as the models use them
  const factor = fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 6 })).map(([digits, places]) => Number((digits / 10 ** places).toFixed(places)))
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), factor, fc.integer({ min: 1, max: 1000 }), (count, f, multiplier) =>
    floorProduct(count, f, multiplier) === exactFloorProduct(count, f, multiplier)), { numRuns: 20_000 })
  // products that land on a whole number in decimal but not in binary
  for (const [count, f, multiplier] of [[100, 0.29, 1], [100, 0.57, 1], [1000, 0.1, 3], [3, 0.1, 10], [10, 1.1, 1], [1e12, 0.1, 1]]) {
    const expected = exactFloorProduct(count, f, multiplier)
    if (floorProduct(count, f, multiplier) !== expected) throw new Error(`${count} x ${f} x ${multiplier}: ${floorProduct(count, f, multiplier)} != ${expected}`)
  }
})

t.test('decimalClean keeps whole numbers below 10^15 as they are and rounds the rest to 15 digits', async (t) => {
  t.equal(decimalClean(4898.799999999999), 4898.8)
  t.equal(decimalClean(12), 12)
  t.equal(decimalClean(-7), -7)
  t.equal(decimalClean(1234567890123456), 1234567890123460, 'a whole number of 16 digits is rounded as before')
  fc.assert(fc.property(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), (value) => decimalClean(value) === Number(value.toPrecision(15))))
})

t.test('sortBySeverity puts critical first and keeps order within a severity', async (t) => {
  const sorted = sortBySeverity([
    { code: 'NO_METRICS', severity: 'info', message: '' },
    { code: 'RTO_EXCEEDED', severity: 'critical', message: '' },
    { code: 'WORKER_PACKING', severity: 'warning', message: '' },
    { code: 'FARGATE_ROUNDED', severity: 'info', message: '' },
    { code: 'ACU_ABOVE_AWS_LIMIT', severity: 'critical', message: '' }
  ])
  t.same(sorted.map((w) => w.code), ['RTO_EXCEEDED', 'ACU_ABOVE_AWS_LIMIT', 'WORKER_PACKING', 'NO_METRICS', 'FARGATE_ROUNDED'])
})

t.test('one boundary rule for every range table: shared ends take the higher row, "<x" and ">x" keep theirs', async (t) => {
  const rows = [{ from: 0, fromInclusive: true }, { from: 1, fromInclusive: true }, { from: 10, fromInclusive: true }, { from: 100, fromInclusive: false }]
  t.same([-1, 0, 0.999, 1, 1.001, 9.999, 10, 10.001, 99.999, 100, 100.001, 1e9].map((value) => rangeRowIndex(value, rows)), [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3])
  t.equal(rangeRowIndex(5, [{ from: 0, fromInclusive: true }]), 0, 'a one-row table')
})
