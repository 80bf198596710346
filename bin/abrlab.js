#!/usr/bin/env node
// The installed command runs the compiled CLI (`npm run build`, which `prepare` runs on install).
import('../dist/src/cli/main.js').then(
  async (cli) => {
    process.exitCode = await cli.main(process.argv.slice(2));
  },
  (err) => {
    console.error(`abrlab: cannot start (${err.message}); run "npm run build" first`);
    process.exitCode = 1;
  },
);
