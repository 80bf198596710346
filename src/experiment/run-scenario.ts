/**
 * The entry the CLI, the A/B analysis and the gate call to run a scenario: `runScenario(loaded, {outDir, command,
 * workers?, quiet?, resume?, shard?})` → RunOutcome (`files.results`, `aggregates`, …). The runner itself lives in
 * runner.ts (worker pool, shards, resume).
 */
export { runScenario, type RunOptions, type RunOutcome } from './runner.js';
