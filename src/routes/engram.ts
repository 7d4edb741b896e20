// POST /estimate/engram (JSON body) and GET /estimate/engram (same fields as query string).
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { type EngramInput, estimateEngram } from '../models/engram/capacity.js'
import { renderEngramReport } from '../models/engram/report.js'
import { serializeEngramEstimate } from '../plugins/engram-serializer.js'
import { sendFormatted } from '../plugins/formats.js'
import { errorResponses } from '../schemas/common.js'
import { EngramQuerySchema, EngramRequestSchema, FormatOnlyQuerySchema } from '../schemas/engram.js'

const description = 'Resource plan for an Engram deployment: tier node counts, CPU cores, memory (MiB), storage (GiB) ' +
  'and network (Mbit/s) by component, recommendations with the seed\'s headroom rounded up, warnings and assumptions. ' +
  'Reproduces seed 004\'s estimate_capacity.sh except for its documented defects (README, Deviations). ' +
  'Accept: application/yaml or text/plain (or ?format=yaml|text) for YAML or a terminal report.'

const response = { 200: Type.Ref('EngramEstimate'), ...errorResponses }
const renderers = { text: renderEngramReport, json: serializeEngramEstimate }

export async function engramRoutes (app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()

  typed.post('/estimate/engram', {
    config: { formats: true },
    schema: { tags: ['engram'], summary: 'Estimate Engram capacity', description, body: EngramRequestSchema, querystring: FormatOnlyQuerySchema, response }
  }, async (request, reply) => {
    return await sendFormatted(request, reply, estimateEngram(request.body as Partial<EngramInput>), renderers)
  })

  typed.get('/estimate/engram', {
    config: { formats: true },
    schema: { tags: ['engram'], summary: 'Estimate Engram capacity (query string)', description, querystring: EngramQuerySchema, response }
  }, async (request, reply) => {
    const { format: _format, ...fields } = request.query
    return await sendFormatted(request, reply, estimateEngram(fields as Partial<EngramInput>), renderers)
  })
}
