#!/usr/bin/env node
import { run } from './index.js'

process.exitCode = await run(process.argv.slice(2))
// Every connection is closed by now; a handle left open by a user's migration must not keep the process alive.
setTimeout(() => process.exit(), 2000).unref()
