import { spawn } from 'node:child_process';
import { InputError } from '../../core/errors.js';

/** Runs ffmpeg in `cwd`; a missing binary is an InputError, a failure an Error carrying the tail of its stderr. */
export function runFfmpeg(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      // Keep the tail only: ffmpeg's errors come last.
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new InputError(`${cmd} not found: install ffmpeg (Debian package "ffmpeg")`, { field: 'ffmpeg' }));
      else reject(err);
    });
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`ffmpeg exited with code ${code}: ${stderr.trim()}`));
    });
  });
}
