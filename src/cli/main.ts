#!/usr/bin/env node
// Entry point of the `sizing` executable (bin/sizing.js loads it): real standard streams, the
// process environment and the exit code.
import { readFileSync } from 'node:fs'
import { text } from 'node:stream/consumers'
import { runCli } from './cli.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (chunk) => { process.stdout.write(chunk) },
  stderr: (chunk) => { process.stderr.write(chunk) },
  readStdin: async () => await text(process.stdin),
  env: process.env
}, version)
