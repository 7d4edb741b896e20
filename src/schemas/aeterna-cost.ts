// Schemas of the Aeterna cost (issue 27, point 6): the price overrides a request may state, and the
// answer of aeternaCost with seed 000's cost lines recomputed beside it.
import { Type, type TSchema } from 'typebox'
import { AETERNA_PRICES, AETERNA_PRICE_DESCRIPTIONS, AETERNA_PRICE_MAXIMA, AETERNA_PRICE_NAMES, AETERNA_PRICE_SOURCES, AETERNA_PRICE_UNITS, type AeternaPriceName } from '../models/aeterna/cost.js'
import { outputQuantity } from './common.js'

const obj = (properties: Record<string, TSchema>, description: string) =>
  Type.Object(properties, { additionalProperties: false, description })
const text = (description: string) => Type.String({ description })

const byPrice = (schema: (name: AeternaPriceName) => TSchema): Record<string, TSchema> =>
  Object.fromEntries(AETERNA_PRICE_NAMES.map((name) => [name, schema(name)]))

/** One override: no `default` keyword, so a price left out stays out (the model applies the default). */
const priceOverride = (name: AeternaPriceName): TSchema => Type.Optional(Type.Number({
  minimum: 0,
  maximum: AETERNA_PRICE_MAXIMA[name],
  description: `${AETERNA_PRICE_DESCRIPTIONS[name]} Unit: ${AETERNA_PRICE_UNITS[name]}. Range: 0 to ${AETERNA_PRICE_MAXIMA[name]}. Default: ${AETERNA_PRICES[name]} (${AETERNA_PRICE_SOURCES[name]}).`
}))

export const AeternaPricesSchema = obj(byPrice(priceOverride),
  'Prices replacing the defaults by name (us-east-1, on-demand, Linux); every one optional.')

const resolvedPrice = (name: AeternaPriceName): TSchema => outputQuantity(AETERNA_PRICE_UNITS[name], `${AETERNA_PRICE_DESCRIPTIONS[name]} The default or the request's override.`)

export const CostLineSchema = obj({
  item: text('What is billed, e.g. "EC2 m5.xlarge nodes", "EBS gp3 storage (postgresql)".'),
  quantity: outputQuantity('as `unit`', 'How much of it is billed in a month.'),
  unit: text('Unit of quantity: instance-hours, GiB-month, IOPS-month, MiB/s-month, ALB-hours, LCU-hours, GiB.'),
  usdPerMonth: outputQuantity('USD per month', 'The line\'s cost, rounded to whole cents (half up).'),
  price: text('How the figure is computed, e.g. "3 nodes x 730 h x $0.192 per hour".')
}, 'One billed item.')

const usdRange = (description: string) => obj({
  min: outputQuantity('USD per month', 'Low end.'),
  max: outputQuantity('USD per month', 'High end; the same as min for a single figure.')
}, description)

export const SeedCostRowSchema = obj({
  seedLine: text('The cost line as seed 000 states it.'),
  seedUsdPerMonth: usdRange('The seed\'s figure ("~$X" gives min = max).'),
  computedUsdPerMonth: Type.Optional(outputQuantity('USD per month', 'The line recomputed from the seed\'s own inputs with these prices (the low end when the inputs are a range); left out when these prices cannot reproduce it (managed databases).')),
  computedHighUsdPerMonth: Type.Optional(outputQuantity('USD per month', 'The high end when the seed\'s inputs are a range (the same figure otherwise); left out when not reproducible.')),
  agrees: Type.Optional(Type.Boolean({ description: 'Whether the seed\'s figure holds: a range when the computed figure overlaps it, a single "~$X" within 10%; left out when not reproducible.' })),
  note: text('Why it agrees or not, with the arithmetic.')
}, 'One of seed 000\'s cost lines against the prices.')

export const AeternaCostSchema = obj({
  lines: Type.Array(CostLineSchema, { description: 'Every billed item; items with nothing billed are left out.' }),
  totalUsdPerMonth: outputQuantity('USD per month', 'Sum of the lines, exact to the cent.'),
  prices: obj(byPrice(resolvedPrice), 'The prices used: the defaults with the request\'s overrides.'),
  seedComparison: Type.Optional(Type.Array(SeedCostRowSchema, { description: 'Seed 000\'s cost lines for the tier, recomputed; empty for the small tier (the seed states no cost).' }))
}, 'Monthly AWS cost of an Aeterna plan: us-east-1, on-demand, Linux.')
