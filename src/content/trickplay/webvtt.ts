/**
 * WebVTT thumbnail tracks (reference §2.5.2 "Format 3"): one cue per thumbnail whose payload is the sprite URL
 * with a media-fragment box, `sprite_00.jpg#xywh=320,0,320,180` (W3C Media Fragments URI 1.0, §4.2.2).
 */
import { InputError } from '../../core/errors.js';
import { REFERENCE_THUMBNAILS, spriteFileName, thumbnailCount, tile, type ThumbnailLayout } from './layout.js';

export interface VttThumbnailCue {
  startMs: number;
  endMs: number;
  url: string;
  box: { x: number; y: number; w: number; h: number };
}

/** `hh:mm:ss.mmm`. */
export function vttTimestamp(ms: number): string {
  const total = Math.round(ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}.${String(milli).padStart(3, '0')}`;
}

export function writeThumbnailVtt(p: { durationMs: number; urlPrefix?: string; layout?: ThumbnailLayout }): string {
  const layout = p.layout ?? REFERENCE_THUMBNAILS;
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < thumbnailCount(p.durationMs, layout); i++) {
    const t = tile(i, layout);
    lines.push(`${vttTimestamp(t.startMs)} --> ${vttTimestamp(t.endMs)}`);
    lines.push(`${p.urlPrefix ?? ''}${spriteFileName(t.sheet)}#xywh=${t.x},${t.y},${t.w},${t.h}`);
    lines.push('');
  }
  return lines.join('\n');
}

const CUE_TIME = /^(\d{2,}):(\d{2}):(\d{2})\.(\d{3})$|^(\d{2}):(\d{2})\.(\d{3})$/;

function parseTime(text: string, line: number, file: string): number {
  const m = CUE_TIME.exec(text.trim());
  if (m === null) throw new InputError(`bad WebVTT timestamp "${text.trim()}"`, { file, line });
  if (m[1] !== undefined) return Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 + Number(m[4]);
  return Number(m[5]) * 60_000 + Number(m[6]) * 1000 + Number(m[7]);
}

/** Parses a thumbnail track; errors name the file and line. */
export function parseThumbnailVtt(text: string, file = 'thumbnails.vtt'): VttThumbnailCue[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (!(lines[0] ?? '').startsWith('WEBVTT')) throw new InputError('not a WebVTT file: the first line must start with WEBVTT', { file, line: 1 });
  const cues: VttThumbnailCue[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.includes('-->')) continue;
    const [from = '', rest = ''] = line.split('-->');
    const startMs = parseTime(from, i + 1, file);
    const endMs = parseTime(rest.trim().split(/\s+/)[0] ?? '', i + 1, file);
    const payload = (lines[i + 1] ?? '').trim();
    const hash = payload.lastIndexOf('#xywh=');
    if (hash < 0) throw new InputError(`cue payload "${payload}" has no #xywh= box`, { file, line: i + 2 });
    const nums = payload.slice(hash + 6).split(',').map(Number);
    if (nums.length !== 4 || nums.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new InputError(`#xywh needs four non-negative integers, got "${payload.slice(hash + 6)}"`, { file, line: i + 2 });
    }
    const [x = 0, y = 0, w = 0, h = 0] = nums;
    cues.push({ startMs, endMs, url: payload.slice(0, hash), box: { x, y, w, h } });
  }
  return cues;
}
