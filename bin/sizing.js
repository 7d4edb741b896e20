#!/usr/bin/env node
// The `sizing` executable: bin/launch.js picks the sources (checkout) or the build (package, image).
import { launch } from './launch.js'

await launch(import.meta.url)
