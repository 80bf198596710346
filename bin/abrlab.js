#!/usr/bin/env node
// The installed command runs the compiled CLI (built by `npm run build`, run by `prepare` on install).
import('../dist/src/cli/main.js').catch((err) => {
  console.error(`abrlab: cannot start (${err.message}); run "npm run build" first`);
  process.exit(1);
});
