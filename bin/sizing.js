#!/usr/bin/env node
// The `sizing` executable: bin/launch.js picks the sources (checkout) or the build (package, image).
import { enableCompileCache, launch } from './launch.js'

enableCompileCache()
await launch(import.meta.url)
