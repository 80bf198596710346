import { Command } from 'commander';

/**
 * `abrlab scenario validate F`: every problem of a scenario file, each with its field path; exit 2 if any.
 * `abrlab scenario schema`: the JSON Schema of scenario files, for editors.
 */
export function scenarioCommand(): Command {
  const cmd = new Command('scenario').description('work with scenario files');
  cmd
    .command('validate')
    .description('check a scenario file against the schema and print every problem with its field path')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .action(async (file: string) => {
      const { readFile } = await import('node:fs/promises');
      const { InputError } = await import('../core/errors.js');
      const { parseScenarioDocument, scenarioIssues } = await import('../experiment/scenario.js');
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new InputError(`cannot read scenario (${err.code ?? 'error'})`, { file });
      });
      const issues = scenarioIssues(parseScenarioDocument(text, file));
      if (issues.length === 0) {
        process.stdout.write(`${file}: valid\n`);
        return;
      }
      for (const i of issues) process.stderr.write(`${file}: field "${i.field || '(root)'}": ${i.message}\n`);
      // One summary line as the InputError, so the CLI's single catch sets exit code 2.
      throw new InputError(`${issues.length} problem${issues.length > 1 ? 's' : ''}`, { file });
    });
  cmd
    .command('schema')
    .description('print the scenario JSON Schema (for editors: # yaml-language-server: $schema=...)')
    .option('--out <file>', 'write it to a file instead')
    .action(async (flags: { out?: string }) => {
      const { scenarioJsonSchema } = await import('../experiment/scenario-json-schema.js');
      const text = JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
      if (flags.out === undefined) return void process.stdout.write(text);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(flags.out, text);
    });
  return cmd;
}
