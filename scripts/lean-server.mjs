// The benchmark's lean route: fastify with its defaults and POST /estimate/engram computing the same
// model as the service (its built estimateEngram) and answering JSON.stringify of it: no schemas,
// hooks, headers, metrics or negotiation. What the production stack is compared with (bench (a)).
import Fastify from 'fastify'
import { estimateEngram } from '../dist/models/engram/capacity.js'

const app = Fastify({ logger: false })
app.post('/estimate/engram', async (request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(estimateEngram(request.body ?? {}))))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
process.stdout.write('ready\n')
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
