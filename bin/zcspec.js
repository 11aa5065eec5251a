#!/usr/bin/env node
// The CLI runs the compiled JavaScript (npm run build): no loader at run time.
import "../dist/cli/bin.js";
