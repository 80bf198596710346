import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

/**
 * Which simulation model a `--video` argument implies (DESIGN.md: both profiles are auto-detected by content):
 * a directory with `video_size_0` is Pensieve's; a JSON object with `segment_duration_ms` and `bitrates_kbps` is
 * Sabre's movie; anything else is an abrlab catalog for the fluid model.
 */
export async function detectProfile(videoPath: string): Promise<'fluid' | 'pensieve' | 'sabre'> {
  const info = await stat(videoPath).catch(() => undefined);
  if (info === undefined) throw new InputError('video not found', { file: videoPath });
  if (info.isDirectory()) {
    const hasSizes = await stat(join(videoPath, 'video_size_0')).then(() => true, () => false);
    if (hasSizes) return 'pensieve';
    throw new InputError('a video directory must hold Pensieve video_size_0..N files', { file: videoPath });
  }
  const head = (await readFile(videoPath, 'utf8')).slice(0, 4096);
  if (/"segment_duration_ms"/.test(head) && /"bitrates_kbps"/.test(head)) return 'sabre';
  return 'fluid';
}
