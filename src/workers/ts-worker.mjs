// Development and tests only (tsx, tap): Node 20 does not carry tsx's ESM loader into worker
// threads, so the TypeScript worker is loaded through tsx's API here. The built service (dist/)
// loads request-worker.js directly and never reads this file.
import { register } from 'tsx/esm/api'

register()
const worker = await import('./request-worker.ts')
export default worker.default
