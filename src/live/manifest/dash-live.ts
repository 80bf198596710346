import { InputError } from '../../core/errors.js';
import { bpsToKbps, sToMs } from '../../core/units.js';
import type { LiveTiming, ManifestRendition, ManifestSegment } from './title.js';

/**
 * A dynamic (live) DASH MPD whose segments follow a SegmentTemplate with `@duration` ($Number$ addressing): every
 * segment's URL and availability time follow from the template and availabilityStartTime, so the client
 * computes them instead of re-reading the MPD (ISO/IEC 23009-1 §5.3.9.5 and §A.3: segment k, numbered from
 * startNumber, is available from AST + Period@start + (k + 1)·duration). dash.js does the same for such MPDs.
 * A refresh would only tell the client what it already knows (here: a new publishTime), so none is made; an MPD
 * whose template lacks `@duration` (a SegmentTimeline) still needs refreshes and takes the fixed-window path.
 */
/**
 * The encoder's start is ProducerReferenceTime's wall clock at presentation time 0 when given, else AST
 * (+ Period@start); the publishing delay is AST minus the encoder's start (0 without ProducerReferenceTime).
 * dvrWindowMs = timeShiftBufferDepth, minimumUpdatePeriodMs (recorded, not used: see above), durationMs =
 * mediaPresentationDuration.
 */
export type DashLiveInfo = LiveTiming;

/** Seconds of an ISO 8601 duration as MPDs write them (`PT2S`, `PT4H`, `P1DT0.5S`); undefined if malformed. */
export function isoDurationMs(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (m === null || text.trim() === 'P' || text.trim() === 'PT') return undefined;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number];
  return sToMs(((d * 24 + h) * 60 + min) * 60 + s);
}

/** Substitutes a SegmentTemplate's identifiers ($RepresentationID$, $Number$ with %0Nd, $Bandwidth$, $$). */
export function expandTemplate(template: string, vars: { id: string; number: number; bandwidth: number }): string {
  return template.replace(/\$(RepresentationID|Number|Bandwidth|)(?:%0(\d+)d)?\$/g, (_all, name: string, width: string | undefined) => {
    if (name === '') return '$';
    const value = name === 'RepresentationID' ? vars.id : String(name === 'Number' ? vars.number : vars.bandwidth);
    return width === undefined ? value : value.padStart(Number(width), '0');
  });
}

function attr(el: Element | null | undefined, name: string): string | undefined {
  const v = el?.getAttribute(name);
  return v === null || v === undefined || v === '' ? undefined : v;
}

function children(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
}

function epochOf(text: string | undefined, field: string, source: string): number {
  const ms = text === undefined ? NaN : Date.parse(text);
  if (!Number.isFinite(ms)) throw new InputError(`${field} is missing or not a date-time (got ${JSON.stringify(text)})`, { file: source, field });
  return ms;
}

function durationOf(text: string | undefined, field: string, source: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = isoDurationMs(text);
  if (ms === undefined) throw new InputError(`${field} "${text}" is not an ISO 8601 duration (e.g. PT2S)`, { file: source, field });
  return ms;
}

/**
 * Reads the live timing and the video renditions of a dynamic MPD with one Period and a SegmentTemplate@duration
 * (on the AdaptationSet or each Representation). Returns undefined when the MPD is not of that kind (the caller
 * falls back to the fixed-window reading). `segmentCount` segments are listed per rendition.
 */
export function readDashLive(doc: Document, manifestUrl: string): { info: DashLiveInfo; renditions: (count: number) => ManifestRendition[] } | undefined {
  const mpd = doc.documentElement;
  if (attr(mpd, 'type') !== 'dynamic') return undefined;
  const periods = children(mpd, 'Period');
  if (periods.length !== 1) return undefined;
  const period = periods[0] as Element;
  const video = children(period, 'AdaptationSet').filter((a) => {
    const kind = attr(a, 'contentType') ?? attr(a, 'mimeType') ?? attr(children(a, 'Representation')[0], 'mimeType') ?? '';
    return kind.startsWith('video');
  });
  type Rep = { rep: Element; set: Element; template: Element };
  const reps: Rep[] = [];
  for (const set of video) {
    for (const rep of children(set, 'Representation')) {
      const template = children(rep, 'SegmentTemplate')[0] ?? children(set, 'SegmentTemplate')[0];
      // A SegmentTimeline (or no @duration) cannot be computed ahead: leave the MPD to the fixed-window path.
      if (template === undefined || attr(template, 'duration') === undefined || children(template, 'SegmentTimeline').length > 0) return undefined;
      reps.push({ rep, set, template });
    }
  }
  const first = reps[0];
  if (first === undefined) return undefined;
  const timescale = Number(attr(first.template, 'timescale') ?? '1');
  const segmentDurationMs = sToMs(Number(attr(first.template, 'duration')) / timescale);
  if (!(segmentDurationMs > 0)) throw new InputError('SegmentTemplate@duration must be > 0', { file: manifestUrl, field: 'SegmentTemplate@duration' });
  for (const r of reps) {
    const d = sToMs(Number(attr(r.template, 'duration')) / Number(attr(r.template, 'timescale') ?? '1'));
    if (Math.abs(d - segmentDurationMs) > 1e-6) {
      throw new InputError(`Representations have different segment durations (${segmentDurationMs} and ${d} ms); abrlab needs an aligned ladder`, { file: manifestUrl, field: 'SegmentTemplate@duration' });
    }
  }
  const periodStartMs = durationOf(attr(period, 'start'), 'Period@start', manifestUrl) ?? 0;
  const astEpochMs = epochOf(attr(mpd, 'availabilityStartTime'), 'MPD@availabilityStartTime', manifestUrl) + periodStartMs;
  // ProducerReferenceTime: the encoder's wall clock at a presentation time (23009-1 §5.12), on the set or the rep.
  const prt = children(first.set, 'ProducerReferenceTime')[0] ?? children(first.rep, 'ProducerReferenceTime')[0];
  let encoderStartEpochMs = astEpochMs;
  if (prt !== undefined) {
    const at = epochOf(attr(prt, 'wallClockTime'), 'ProducerReferenceTime@wallClockTime', manifestUrl);
    const ptMs = sToMs(Number(attr(prt, 'presentationTime') ?? '0') / timescale);
    encoderStartEpochMs = at - ptMs;
  }
  const info: DashLiveInfo = {
    encoderStartEpochMs,
    publishDelayMs: Math.max(0, astEpochMs - encoderStartEpochMs),
    segmentDurationMs,
    source: `DASH SegmentTemplate@duration from availabilityStartTime${prt === undefined ? '' : ' and ProducerReferenceTime'}`,
  };
  const dvr = durationOf(attr(mpd, 'timeShiftBufferDepth'), 'MPD@timeShiftBufferDepth', manifestUrl);
  const mup = durationOf(attr(mpd, 'minimumUpdatePeriod'), 'MPD@minimumUpdatePeriod', manifestUrl);
  const dur = durationOf(attr(mpd, 'mediaPresentationDuration'), 'MPD@mediaPresentationDuration', manifestUrl);
  if (dvr !== undefined) info.dvrWindowMs = dvr;
  if (mup !== undefined) info.minimumUpdatePeriodMs = mup;
  if (dur !== undefined) info.durationMs = dur;

  const renditions = (count: number): ManifestRendition[] =>
    reps.map(({ rep, set, template }, i) => {
      const id = attr(rep, 'id') ?? String(i);
      const bandwidth = Number(attr(rep, 'bandwidth'));
      if (!(bandwidth > 0)) throw new InputError(`Representation "${id}" has no @bandwidth`, { file: manifestUrl });
      const media = attr(template, 'media');
      if (media === undefined) throw new InputError(`the SegmentTemplate of Representation "${id}" has no @media`, { file: manifestUrl });
      const startNumber = Number(attr(template, 'startNumber') ?? '1');
      const segments: ManifestSegment[] = [];
      for (let k = 0; k < count; k++) {
        segments.push({ url: new URL(expandTemplate(media, { id, number: startNumber + k, bandwidth }), manifestUrl).href, durationMs: segmentDurationMs });
      }
      const r: ManifestRendition = {
        id,
        bitrateKbps: bpsToKbps(bandwidth),
        width: Number(attr(rep, 'width') ?? attr(set, 'width') ?? '1'),
        height: Number(attr(rep, 'height') ?? attr(set, 'height') ?? '1'),
        codecs: attr(rep, 'codecs') ?? attr(set, 'codecs') ?? '',
        segments,
      };
      const init = attr(template, 'initialization');
      if (init !== undefined) r.init = { url: new URL(expandTemplate(init, { id, number: startNumber, bandwidth }), manifestUrl).href };
      return r;
    });
  return { info, renditions };
}
