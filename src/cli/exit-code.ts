/**
 * Thrown by a command that has printed its own output and must end with a particular exit code, such as
 * `abrlab gate`'s 1 for a regression (distinct from 2, bad input, and from an internal error). `main` returns
 * `exitCode` and prints `message` only when it is not empty.
 */
export class CommandExit extends Error {
  override readonly name = 'CommandExit';
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}
