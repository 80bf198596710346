import { describe, expect, it } from 'vitest';
import type { SessionResultWithTimeline } from '../../src/qoe/types.js';
import { renderSpecToSvg } from '../../src/report/render-svg.js';
import { clipStepsAt, timelineEndMs, timelineSpec } from '../../src/report/timeline-spec.js';
import { sessionA } from './fixtures.js';

/** Just the parts of a layered Vega-Lite spec these tests read. */
interface LooseLayer {
  name?: string;
  mark: { type: string; interpolate?: string };
  data: { values: Record<string, number | string>[] };
  encoding: { x?: { scale?: { domain?: number[] } }; color?: { scale?: { domain: string[]; range: string[] } } };
}
interface LooseSpec {
  vconcat: { layer: LooseLayer[] }[];
}

function layersOf(spec: unknown): LooseLayer[] {
  const loose = JSON.parse(JSON.stringify(spec)) as LooseSpec;
  return loose.vconcat.flatMap((panel) => panel.layer);
}
function layer(spec: unknown, name: string): LooseLayer {
  const found = layersOf(spec).find((l) => l.name === name);
  if (!found) throw new Error(`no layer ${name}`);
  return found;
}
const rows = (l: LooseLayer, key: string): [number, number][] =>
  l.data.values.map((r) => [Number(r['tS']), Number(r[key])]);

describe('timelineSpec for session A (hand-built, 0–16 s)', () => {
  const spec = timelineSpec(sessionA, { color: '#0072B2' });

  it('draws capacity and played bitrate as step lines cut at the session end (16 s)', () => {
    const capacity = layer(spec, 'capacity');
    expect(capacity.mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    // Capacity 2000 kbps from 0, 500 from 3 s, 3000 from 9 s; the point at 16 s closes the last step.
    expect(rows(capacity, 'kbps')).toEqual([
      [0, 2000],
      [3, 500],
      [9, 3000],
      [16, 3000],
    ]);
    const played = layer(spec, 'played');
    expect(played.mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    expect(rows(played, 'kbps')).toEqual([
      [2.5, 1000],
      [6.5, 2500],
      [12, 1000],
      [16, 1000],
    ]);
    expect(capacity.encoding.x?.scale?.domain).toEqual([0, 16]);
  });

  it('draws the buffer in seconds as a polyline on the second panel', () => {
    const buffer = layer(spec, 'buffer');
    expect(buffer.mark.type).toBe('line');
    expect(buffer.mark.interpolate).toBeUndefined();
    expect(rows(buffer, 'bufferS')).toEqual([
      [0, 0],
      [2.5, 4],
      [6, 0.5],
      [6.5, 4],
      [10.5, 0],
      [12, 4],
      [16, 0],
    ]);
    expect(JSON.parse(JSON.stringify(spec)).vconcat[1].layer.map((l: LooseLayer) => l.name)).toEqual([
      'buffer_stalls',
      'buffer',
    ]);
  });

  it('shades the stall (10.5–12 s) and the startup (0–2.5 s) as rects, and marks the abandonment at 8 s', () => {
    expect(layer(spec, 'rate_stalls').mark.type).toBe('rect');
    expect(layer(spec, 'rate_stalls').data.values).toEqual([{ startS: 10.5, endS: 12 }]);
    expect(layer(spec, 'buffer_stalls').data.values).toEqual([{ startS: 10.5, endS: 12 }]);
    expect(layer(spec, 'rate_startup').data.values).toEqual([{ startS: 0, endS: 2.5 }]);
    expect(layer(spec, 'events').mark.type).toBe('rule');
    expect(layer(spec, 'events').data.values).toEqual([{ tS: 8, kind: 'abandon', label: 'abandoned segment 2 at 2500 kbps' }]);
  });

  it('lists only what is drawn in the legend, with the policy colour for its bitrate', () => {
    expect(layer(spec, 'capacity').encoding.color?.scale).toEqual({
      domain: ['link capacity', 'played bitrate', 'startup', 'stall', 'abandon'],
      range: ['#8a8a8a', '#0072B2', '#bdbdbd', '#e15759', '#b2182b'],
    });
  });
});

describe('capacity series of a 100k-point trace after decimation (spec level)', () => {
  // The trace: 100,001 points 10 ms apart, 2000 kbps at even i and 3000 at odd i, a spike of 9000 at
  // i = 12,345 and a dip of 100 at i = 54,321; the session's buffer runs to 1,000,000 ms, the trace's last point.
  // The chart keeps 2000 points per series → M4 with 500 bins of 2000 ms (see decimate.test.ts for the rule).
  const n = 100_001;
  const capT: number[] = [];
  const capK: number[] = [];
  for (let i = 0; i < n; i++) {
    capT.push(i * 10);
    capK.push(i % 2 === 0 ? 2000 : 3000);
  }
  capK[12_345] = 9000;
  capK[54_321] = 100;
  const session: SessionResultWithTimeline = {
    ...sessionA,
    timeline: {
      capacity: { tMs: capT, kbps: capK },
      buffer: { tMs: [0, 1_000_000], bufferMs: [0, 0] },
      played: { tMs: [0], kbps: [2000] },
      stalls: [],
      playStartMs: 0,
      marks: [],
    },
  };
  const spec = timelineSpec(session, { color: '#0072B2', maxPointsPerSeries: 2000 });
  const capacity = rows(layer(spec, 'capacity'), 'kbps');

  it('is a step line with the first and last points and 3 points per bin (4 in the dip bin)', () => {
    expect(layer(spec, 'capacity').mark.interpolate).toBe('step-after');
    expect(capacity.length).toBe(1501);
    expect(capacity[0]).toEqual([0, 2000]);
    expect(capacity[capacity.length - 1]).toEqual([1000, 2000]);
  });

  it('keeps the spike and the dip at their exact times, with the bins around them', () => {
    // Bin 61 = 122–124 s: first (122 s, 2000), spike (123.45 s, 9000), last (123.99 s, 3000).
    expect(capacity.filter(([t]) => t >= 122 && t < 124)).toEqual([
      [122, 2000],
      [123.45, 9000],
      [123.99, 3000],
    ]);
    // Bin 271 = 542–544 s: first, earliest max (542.01 s), dip (543.21 s, 100), last.
    expect(capacity.filter(([t]) => t >= 542 && t < 544)).toEqual([
      [542, 2000],
      [542.01, 3000],
      [543.21, 100],
      [543.99, 3000],
    ]);
  });

  it('renders to a compact SVG (decimated, not 100k vertices)', async () => {
    const svg = await renderSpecToSvg(spec, 'long');
    // 100k vertices would be ~1.5 MB (TOOLCHAIN.md §2: 50k points gave 748 KiB); ~1.5k points stay far below.
    expect(svg.length).toBeLessThan(250_000);
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

describe('timeline clipping', () => {
  it('ends the chart at the last buffer, played, stall or mark time, not at the end of a looping trace', () => {
    expect(timelineEndMs({ ...sessionA.timeline, capacity: { tMs: [0, 500_000], kbps: [1, 2] } })).toBe(16_000);
    // Nothing but the trace: fall back to the trace's last point.
    expect(
      timelineEndMs({
        capacity: { tMs: [0, 5000], kbps: [1, 2] },
        buffer: { tMs: [], bufferMs: [] },
        played: { tMs: [], kbps: [] },
        stalls: [],
        playStartMs: 0,
        marks: [],
      }),
    ).toBe(5000);
  });

  it('cuts a step function at the end with the value in force there', () => {
    const s = { tMs: [0, 3000, 9000, 20_000], values: [2000, 500, 3000, 100] };
    expect(clipStepsAt(s, 16_000)).toEqual({ tMs: [0, 3000, 9000, 16_000], values: [2000, 500, 3000, 3000] });
    // A point exactly at the end starts a step there: its value is the one in force.
    expect(clipStepsAt(s, 9000)).toEqual({ tMs: [0, 3000, 9000], values: [2000, 500, 3000] });
    expect(clipStepsAt({ tMs: [], values: [] }, 9000)).toEqual({ tMs: [], values: [] });
  });

  it('renders a session with an empty timeline (nothing played) without throwing', async () => {
    const empty: SessionResultWithTimeline = {
      ...sessionA,
      timeline: {
        capacity: { tMs: [], kbps: [] },
        buffer: { tMs: [], bufferMs: [] },
        played: { tMs: [], kbps: [] },
        stalls: [],
        playStartMs: 0,
        marks: [],
      },
    };
    const svg = await renderSpecToSvg(timelineSpec(empty, { color: '#0072B2' }), 'empty');
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});
