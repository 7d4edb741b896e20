// The benchmark's baseline: a bare fastify server that answers every POST /estimate/engram with the
// same bytes the service returns for the default request, doing no work but HTTP and JSON parsing.
import Fastify from 'fastify'

const body = process.env.BARE_BODY ?? '{}'
const app = Fastify({ logger: false })
app.post('/estimate/engram', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
process.stdout.write('ready\n')
process.on('SIGTERM', () => { app.close().then(() => process.exit(0)) })
