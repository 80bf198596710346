import { Command, CommanderError } from 'commander';
import { isInputError } from '../core/errors.js';
import { simCommand } from './sim.js';
import { compareCommand } from './compare.js';
import { runCommand } from './run.js';
import { abCommand } from './ab.js';
import { gateCommand } from './gate.js';
import { CommandExit } from './exit-code.js';
import { mergeCommand } from './merge.js';
import { scenarioCommand } from './scenario.js';
import { tracesCommand } from './traces.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { liveCommand } from './live.js';
import { contentCommand } from './content.js';
import { simContentCommand } from './sim-content.js';
import { VERSION } from '../version.js';

/** Builds the `abrlab` command (a local Command, so tests can build and drive their own). */
export function buildCli(): Command {
  return new Command('abrlab')
    .description('discrete-event simulator and benchmark harness for adaptive-bitrate video streaming')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(runCommand())
    .addCommand(mergeCommand())
    .addCommand(abCommand())
    .addCommand(gateCommand())
    .addCommand(scenarioCommand())
    .addCommand(simCommand())
    .addCommand(compareCommand())
    .addCommand(tracesCommand())
    .addCommand(reportCommand())
    .addCommand(serveCommand())
    .addCommand(liveCommand())
    .addCommand(contentCommand())
    .addCommand(simContentCommand());
}

/**
 * Runs the CLI. User mistakes (bad flags, missing or malformed files) print one line and exit 2; anything else
 * is a bug and prints its stack with exit 1.
 */
export async function main(argv: string[]): Promise<number> {
  const cli = buildCli();
  // exitOverride is not inherited by commands added with addCommand: set it on every level, so that usage errors
  // come back here as CommanderErrors instead of exiting the process.
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(cli);
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommandExit) {
      if (err.message !== '') process.stderr.write(`abrlab: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors have already been printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isInputError(err)) {
      process.stderr.write(`abrlab: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`abrlab: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /[\\/]cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
