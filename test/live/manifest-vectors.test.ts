import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { isHlsMaster, parseHlsMaster, parseHlsMedia } from '../../src/live/manifest/hls.js';
import { loadTitle } from '../../src/live/manifest/load.js';
import { mpdTitle, parseMpd } from '../../src/live/manifest/mpd.js';

/**
 * Real-world manifests from ../shared/vectors/ (see SOURCES.md there). Each must parse into the catalog model
 * or fail with a clear InputError. Expected values are read off the files by hand (attributes quoted in comments).
 */
const VECTORS = fileURLToPath(new URL('../../../shared/vectors/', import.meta.url));
const present = existsSync(VECTORS);
const BASE = 'http://cdn.test/t/';
/** An instant after every availability start in the dynamic vectors, so their windows are non-empty. */
const NOW = Date.parse('2024-01-01T00:00:00Z');

const read = (kind: 'mpd' | 'hls', name: string): string => readFileSync(`${VECTORS}${kind}/${name}`, 'utf8');
const dash = (name: string) => {
  const parsed = parseMpd(read('mpd', name), BASE + name, { nowEpochMs: NOW });
  return { parsed, title: parsed.pendingIndex.length === 0 ? mpdTitle(parsed, BASE + name, 'v') : undefined };
};

describe.skipIf(!present)('manifest vectors (../shared/vectors): DASH', () => {
  it('livesim2 static $Number$: 3-rung ladder (low-delay copies dropped), 4 × 2 s segments', () => {
    const { title } = dash('livesim2_testpic_2s_low_delay_static_number.mpd');
    // bandwidth 303557 / 1012632 / 2024826; duration="2000" timescale="1000"; PT8S.
    expect(title?.catalog.representations.map((r) => r.bitrateKbps)).toEqual([303.557, 1012.632, 2024.826]);
    expect(title?.catalog.segmentCount).toBe(4);
    expect(title?.catalog.segmentDurationAt(3)).toBe(2000);
    expect(title?.segmentUrl(0, 0)).toBe(`${BASE}360/1.m4s`);
    expect(title?.segmentUrl(0, 3)).toBe(`${BASE}360/4.m4s`);
    expect(title?.notes.some((n) => n.includes('duplicates'))).toBe(true);
  });

  it('livesim2 SegmentTimeline + $Time$: alternating 4 s / 8 s segments', () => {
    const { title } = dash('livesim2_alt_seg_dur_static_timeline_time.mpd');
    // timescale 90000: S t=0 d=360000, S d=720000.
    expect(title?.catalog.segmentCount).toBe(2);
    expect([title?.catalog.segmentDurationAt(0), title?.catalog.segmentDurationAt(1)]).toEqual([4000, 8000]);
    expect(title?.segmentUrl(0, 0)).toBe(`${BASE}V300/0.m4s`);
    expect(title?.segmentUrl(0, 1)).toBe(`${BASE}V300/360000.m4s`);
  });

  it('dynamic MPDs need the current time, and then give a window of segments', () => {
    expect(() => parseMpd(read('mpd', 'livesim2_dynamic_timeline_time.mpd'), BASE)).toThrow(/dynamic \(live\) MPD needs the current time/);
    for (const name of ['livesim2_dynamic_timeline_time.mpd', 'livesim2_dynamic_timeline_number.mpd', 'livesim2_dynamic_multiperiod_timeline_time.mpd', 'shaka_7401_dynamic_multiperiod_number_fmt.mpd']) {
      const { title } = dash(name);
      expect(title?.dynamic, name).toBe(true);
      expect(title?.catalog.segmentCount, name).toBeGreaterThan(0);
    }
    // startNumber="855820264" with a SegmentTimeline: the first URL carries that number.
    expect(dash('livesim2_dynamic_timeline_number.mpd').title?.segmentUrl(0, 0)).toBe(`${BASE}V300/855820264.m4s`);
    // $Number%05d$ with startNumber="1".
    expect(dash('shaka_7401_dynamic_multiperiod_number_fmt.mpd').title?.segmentUrl(0, 0)).toBe(`${BASE}chunk-stream0-00001.m4s`);
  });

  it('a malformed MPD is refused with its line', () => {
    let err: unknown;
    try {
      dash('livesim2_testpic_2s_MALFORMED_attr.mpd');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).line).toBe(2);
    expect((err as Error).message).toMatch(/not well-formed XML .*attribute space is required/);
  });

  it('SegmentList with mediaRange: byte ranges and sizes from the ranges', () => {
    const { title } = dash('shaka_6339_segmentlist_byterange.mpd');
    // SegmentURL media="v.mp4" mediaRange="746-18481" ... 5 entries; Initialization range="36-745"; duration 9982/1000.
    expect(title?.catalog.segmentCount).toBe(5);
    expect(title?.segmentUrl(0, 0)).toBe(`${BASE}v.mp4`);
    expect(title?.segmentRange(0, 0)).toEqual({ start: 746, end: 18481 });
    expect(title?.catalog.sizesBytes[0]?.[0]).toBe(18481 - 746 + 1);
    expect(title?.catalog.segmentDurationAt(0)).toBe(9982);
    expect(title?.renditions[0]?.init).toEqual({ url: `${BASE}v.mp4`, range: { start: 36, end: 745 } });
  });

  it('SegmentBase: the sidx at indexRange is left to fetch', () => {
    const { parsed } = dash('shaka_multi_codec_segmentbase.mpd');
    // BaseURL video_144p_108k_h264.mp4, SegmentBase indexRange="860-1071", Initialization range="0-859".
    expect(parsed.pendingIndex).toEqual([{ renditionId: parsed.renditions[0]?.id, url: `${BASE}video_144p_108k_h264.mp4`, range: { start: 860, end: 1071 } }]);
    expect(parsed.renditions[0]?.init?.range).toEqual({ start: 0, end: 859 });
  });

  it('MPD-level absolute BaseURL and startNumber 2 (gap at start)', () => {
    const { title } = dash('dashjs_video_gap_at_start_timeline.mpd');
    // S d="76800" r="13" at timescale 12800: 14 segments of 6 s.
    expect(title?.catalog.representations).toHaveLength(3);
    expect(title?.catalog.segmentCount).toBe(14);
    expect(title?.catalog.segmentDurationAt(0)).toBe(6000);
    expect(title?.segmentUrl(0, 0)).toBe('http://refapp.hbbtv.org/videos/01_llama_drama_1080p_25f75g6sv3/v1_2.m4s');
  });
});

describe.skipIf(!present)('manifest vectors (../shared/vectors): HLS', () => {
  const master = (name: string) => parseHlsMaster(read('hls', name), BASE + name);
  const media = (name: string) => parseHlsMedia(read('hls', name), BASE + name);

  it('master playlists: video variants kept, I-frame and audio-only variants left out with a note', () => {
    // A comment before #EXTM3U; BANDWIDTH 240000 / 40000 / 440000 / 1928000.
    expect(master('m3u8parser_master_simple.m3u8').variants.map((v) => v.bitrateKbps)).toEqual([240, 40, 440, 1928]);
    const groups = master('m3u8parser_master_fmp4_groups_iframes.m3u8');
    expect(groups.variants).toHaveLength(24);
    expect(groups.notes).toContain('6 I-frame (trick play) variant(s) ignored');
    const audio = master('m3u8parser_master_multiple_audio_groups.m3u8');
    expect(audio.variants).toHaveLength(3);
    expect(audio.notes).toContain('1 audio-only variant(s) ignored');
  });

  it('media playlists: byte ranges with implicit offsets, EXT-X-MAP, live and event playlists', () => {
    const ts = media('m3u8parser_media_vod_ts_byterange.m3u8');
    // #EXT-X-BYTERANGE:522828@0 then 587500@522828.
    expect(ts.segments).toHaveLength(17);
    expect(ts.segments[0]?.range).toEqual({ start: 0, end: 522827 });
    expect(ts.segments[1]?.range).toEqual({ start: 522828, end: 522828 + 587500 - 1 });
    const fmp4 = media('m3u8parser_media_vod_fmp4_map_byterange.m3u8');
    // EXT-X-MAP BYTERANGE="720@0"; first segment 5666510@720.
    expect(fmp4.init).toEqual({ url: `${BASE}main.mp4`, range: { start: 0, end: 719 } });
    expect(fmp4.segments[0]).toEqual({ url: `${BASE}main.mp4`, durationMs: 6006, range: { start: 720, end: 720 + 5666510 - 1 } });
    expect(media('m3u8parser_media_live_no_endlist.m3u8').live).toBe(true);
    const event = media('m3u8parser_media_event.m3u8');
    expect(event.live).toBe(false);
    expect(event.segments[0]?.url).toBe('http://cdn.test/test/ts-files/zencoder/haze/Haze_Mantel_President_encoded_1200-00001.ts');
    expect(media('m3u8parser_media_discontinuity.m3u8').segments).toHaveLength(9);
    expect(media('shaka_media_pdt_ts_rollover.m3u8').segments).toHaveLength(10);
  });

  it('LL-HLS: whole segments only, the parts-only tail left out with a note', () => {
    const ll = media('m3u8parser_media_llhls_parts.m3u8');
    expect(ll.segments).toHaveLength(7);
    expect(ll.notes[0]).toMatch(/partial \(LL-HLS parts only\)/);
  });

  it('a media playlist given as the title URL is refused: it carries no ladder', async () => {
    const name = 'm3u8parser_media_discontinuity.m3u8';
    expect(isHlsMaster(read('hls', name), name)).toBe(false);
    const fetch = async (): Promise<Uint8Array> => new TextEncoder().encode(read('hls', name));
    await expect(loadTitle(BASE + name, { fetch })).rejects.toThrow(/media playlist carries no bitrate ladder/);
  });
});

describe.skipIf(present)('manifest vectors', () => {
  it('skipped: ../shared/vectors/ is not present beside the checkout', () => undefined);
});
