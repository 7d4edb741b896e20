// Load shedding's decision (issue 29, point 3, finding 2): the share of requests refused follows the
// waiting time (the shortest event-loop delay of an interval against a target), not utilisation
// alone; hard limits refuse everything. Pure functions fed samples; no time is asserted.
import t from 'tap'
import { CALM, DELAY_RESOLUTION_MS, PressureMonitor, type PressureLimits, type PressureSample, QUEUE_REASON, SHED_DECAY, SHED_GAIN, hardLimitReason, nextShedState } from '../../src/plugins/pressure.js'

const limits: PressureLimits = { maxEventLoopUtilization: 0.9, targetEventLoopDelayMs: 20, maxEventLoopDelayMs: 1000, maxHeapUsedBytes: 1e9, maxRssBytes: 2e9 }
const calm: PressureSample = { eventLoopUtilization: 0.3, eventLoopDelayMs: 12, minEventLoopDelayMs: 0.5, heapUsedBytes: 1e8, rssBytes: 2e8 }
const queued: PressureSample = { ...calm, eventLoopUtilization: 1, eventLoopDelayMs: 60, minEventLoopDelayMs: 40 }

t.test('hardLimitReason: a stall, the heap or RSS past its limit; each off with 0', async (t) => {
  t.equal(hardLimitReason(calm, limits), undefined)
  t.equal(hardLimitReason({ ...calm, eventLoopDelayMs: 1500 }, limits), 'eventLoopDelay')
  t.equal(hardLimitReason({ ...calm, heapUsedBytes: 2e9 }, limits), 'heapUsedBytes')
  t.equal(hardLimitReason({ ...calm, rssBytes: 3e9 }, limits), 'rssBytes')
  const off = { ...limits, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 }
  t.equal(hardLimitReason({ ...calm, eventLoopDelayMs: 1e6, heapUsedBytes: 1e12, rssBytes: 1e12 }, off), undefined)
})

t.test('nextShedState: nothing is shed below capacity', async (t) => {
  // a closed-loop client at capacity: the loop busy all the time, its turns short (32 connections: a few ms)
  const saturated = { ...calm, eventLoopUtilization: 1, eventLoopDelayMs: 9, minEventLoopDelayMs: 3 }
  let state = CALM
  for (let i = 0; i < 50; i++) state = nextShedState(state, saturated, limits)
  t.equal(state.probability, 0, 'busy with short turns: answered fast, not overloaded')
  // one long stall among short turns (a burst, a GC): the shortest delay stays low
  t.equal(nextShedState(CALM, { ...saturated, eventLoopDelayMs: 300 }, limits).probability, 0)
  // a loop at capacity whose shortest delay wanders below the target: its rises never add up
  state = CALM
  for (let i = 0; i < 50; i++) state = nextShedState(state, { ...saturated, minEventLoopDelayMs: i % 2 === 0 ? 18 : 0 }, limits)
  t.equal(state.probability, 0, 'below the target only the distance counts, not the trend')
  // long turns, but idle time in the loop
  t.equal(nextShedState(CALM, { ...queued, eventLoopUtilization: 0.5 }, limits).probability, 0)
})

t.test('nextShedState: a standing queue raises the share step by step; it falls back once the queue drains', async (t) => {
  const first = nextShedState(CALM, queued, limits)
  // error (40 - 20) / 20 = 1, trend 40 / 20 = 2 (capped at 4 targets): 0.1 + 0.4
  t.ok(first.probability > 0 && first.probability < 1, `a step, not a jump to 1 (${first.probability})`)
  t.equal(first.minEventLoopDelayMs, 40)
  const second = nextShedState(first, queued, limits)
  t.equal(Number((second.probability - first.probability).toFixed(6)), SHED_GAIN, 'a steady queue adds the gain each interval')
  let state = second
  for (let i = 0; i < 30; i++) state = nextShedState(state, queued, limits)
  t.equal(state.probability, 1, 'at most everything')
  const drained = nextShedState(state, { ...queued, minEventLoopDelayMs: 2 }, limits)
  t.ok(drained.probability < state.probability, 'below the target the share falls')
  t.equal(nextShedState({ probability: 0.5, minEventLoopDelayMs: 2 }, calm, limits).probability, 0.5 - SHED_DECAY, 'idle time: it decays')
  t.equal(nextShedState({ probability: 0.05, minEventLoopDelayMs: 2 }, calm, limits).probability, 0, 'never below 0')
  t.equal(nextShedState(CALM, queued, { ...limits, maxEventLoopUtilization: 0 }).probability, 0, 'MAX_EVENT_LOOP_UTILIZATION=0: waiting-time shedding off')
})

t.test('PressureMonitor.shed: the share refused is spread evenly over requests; hard limits refuse all', async (t) => {
  const monitor = new PressureMonitor(limits)
  t.equal(monitor.shed(), undefined, 'nothing before any sample')
  monitor.probability = 0.25
  monitor.reason = QUEUE_REASON
  const refused = Array.from({ length: 100 }, () => monitor.shed()).filter((reason) => reason !== undefined)
  t.equal(refused.length, 25)
  t.ok(refused.every((reason) => reason === QUEUE_REASON))
  monitor.stop()
  t.equal(monitor.probability, 0)
  t.equal(monitor.reason, undefined)
})

t.test('PressureMonitor: reads no event-loop figures before it starts; a hard limit from a sample refuses everything', async (t) => {
  const monitor = new PressureMonitor({ ...limits, maxHeapUsedBytes: 1 })
  const sample = monitor.sample()
  t.equal(sample.eventLoopUtilization, 0)
  t.equal(sample.eventLoopDelayMs, 0)
  t.equal(sample.minEventLoopDelayMs, 0)
  t.ok(sample.rssBytes > 0)
  t.equal(monitor.rssBytes, sample.rssBytes, 'kept for memory admission')
  t.equal(monitor.reason, 'heapUsedBytes')
  t.equal(monitor.probability, 1)
  t.equal(monitor.shed(), 'heapUsedBytes')
  t.equal(monitor.shed(), 'heapUsedBytes')
})

t.test('PressureMonitor measures a standing queue from the moment sampling starts', async (t) => {
  const monitor = new PressureMonitor({ ...limits, targetEventLoopDelayMs: 5, maxEventLoopDelayMs: 0 })
  t.teardown(() => { monitor.stop() })
  monitor.start(60_000)
  monitor.start(60_000) // a second start keeps the first sampler
  t.ok(monitor.idleRssBytes > 0, 'RSS at rest, when sampling starts')
  await new Promise((resolve) => setTimeout(resolve, 3 * DELAY_RESOLUTION_MS))
  monitor.sample() // the interval starts here
  // every turn of the loop 40 ms long for a while: the delay monitor's timer is late every time
  for (let turn = 0; turn < 6; turn++) {
    await new Promise((resolve) => setImmediate(resolve))
    const busyUntil = Date.now() + 40
    while (Date.now() < busyUntil);
  }
  const sample = monitor.sample()
  t.ok(sample.eventLoopUtilization > 0.9, `busy (${sample.eventLoopUtilization})`)
  t.ok(sample.minEventLoopDelayMs > 5, `every turn was late (${sample.minEventLoopDelayMs} ms)`)
  t.ok(monitor.probability > 0)
  t.equal(monitor.reason, QUEUE_REASON)
  monitor.stop()
  t.equal(monitor.reason, undefined, 'stopping clears the verdict')
})
