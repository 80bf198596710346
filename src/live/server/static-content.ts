import { realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { InputError } from '../../core/errors.js';

const TYPES: Record<string, string> = {
  '.mpd': 'application/dash+xml',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.m4v': 'video/mp4',
  '.ts': 'video/mp2t',
  '.aac': 'audio/aac',
  '.vtt': 'text/vtt',
  // Trick-play files of `abrlab content make` (thumbs/).
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.bif': 'application/octet-stream',
};

/** Manifests (answered whole, unshaped, never faulted): everything else is media. */
const MANIFEST_EXTS = new Set(['.mpd', '.m3u8']);

export type StaticLookup =
  | { kind: 'file'; path: string; sizeBytes: number; contentType: string; manifest: boolean }
  | { kind: 'refused'; reason: string }
  | { kind: 'missing' };

/**
 * A content directory served read-only. Only regular files under the root are served: the decoded path is
 * resolved against the root and refused if it leaves it (`..`, encoded `%2e%2e`, backslashes, NUL), and the
 * real path (symlinks followed) must still be under the root's real path.
 */
export class StaticContent {
  readonly root: string;

  constructor(root: string) {
    try {
      this.root = realpathSync(resolve(root));
    } catch (err) {
      throw new InputError(`cannot open content directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file: root });
    }
  }

  async lookup(rawPath: string): Promise<StaticLookup> {
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return { kind: 'refused', reason: 'bad percent-encoding' };
    }
    if (path.includes('\0') || path.includes('\\')) return { kind: 'refused', reason: 'NUL or backslash in path' };
    if (path.split('/').some((p) => p === '..')) return { kind: 'refused', reason: 'path leaves the content root' };
    const full = resolve(this.root, '.' + (path.startsWith('/') ? path : `/${path}`));
    if (!this.inside(full)) return { kind: 'refused', reason: 'path leaves the content root' };
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      return { kind: 'missing' };
    }
    if (!this.inside(real)) return { kind: 'refused', reason: 'link leaves the content root' };
    const st = await stat(real).catch(() => undefined);
    if (st === undefined || !st.isFile()) return { kind: 'missing' };
    const ext = extname(real).toLowerCase();
    return { kind: 'file', path: real, sizeBytes: st.size, contentType: TYPES[ext] ?? 'application/octet-stream', manifest: MANIFEST_EXTS.has(ext) };
  }

  private inside(p: string): boolean {
    return p === this.root || p.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }
}
