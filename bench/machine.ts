import { cpus, totalmem } from 'node:os';

/** One line naming the machine, Node and the command, printed above every benchmark's figures. */
export function machineLine(command: string): string {
  const cpu = cpus();
  return `machine: ${cpu[0]?.model ?? 'unknown cpu'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\ncommand: ${command}`;
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
