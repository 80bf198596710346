import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { isPolicyPath, resolvePolicyFactory } from '../../src/abr/load-policy.js';
import type { AbrContext } from '../../src/abr/types.js';
import { InputError } from '../../src/core/errors.js';
import { constantTrace } from '../../src/net/trace.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog } from '../helpers/fakes.js';
// Type-only: makes `tsc --noEmit` check the example module (examples/ is outside the tsconfig include).
import type { BufferThresholdParams } from '../../examples/policies/buffer-threshold.js';

const EXAMPLES = ['buffer-threshold.ts', 'buffer-threshold.js'].map((f) => fileURLToPath(new URL(`../../examples/policies/${f}`, import.meta.url)));
const catalog = cbrCatalog({ ratesKbps: [300, 750, 1500, 3000], segments: 30 });

function ctx(over: Partial<AbrContext> = {}): AbrContext {
  return {
    nowMs: 0,
    catalog,
    segmentIndex: 3,
    bufferMs: 0,
    maxBufferMs: 60_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: 2000,
    latencyMs: undefined,
    maxIndex: 3,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

describe.each(EXAMPLES)('example policy %s', (file) => {
  it('loads as a path (`--policy ./x`) and names itself', async () => {
    expect(isPolicyPath(file)).toBe(true);
    const { name } = await resolvePolicyFactory(file);
    expect(name).toBe('buffer-threshold');
  });

  it('follows its three buffer bands (defaults 10 s / 20 s, safety 0.8)', async () => {
    const { factory } = await resolvePolicyFactory(file);
    const p = factory({});
    // Throughput 2000 kbps × 0.8 = 1600 kbps budget → best fit 1500 kbps, rung 2.
    expect(p.chooseRepresentation(ctx({ bufferMs: 5000 }))).toEqual({ index: 0, reason: 'buffer-threshold:low-buffer' });
    expect(p.chooseRepresentation(ctx({ bufferMs: 15_000 }))).toEqual({ index: 1, reason: 'buffer-threshold:mid-buffer' });
    expect(p.chooseRepresentation(ctx({ bufferMs: 25_000 }))).toEqual({ index: 2, reason: 'buffer-threshold:high-buffer' });
    // No estimate yet → lowest; device cap 1 with a huge estimate → 1.
    expect(p.chooseRepresentation(ctx({ bufferMs: 25_000, throughputKbps: undefined })).index).toBe(0);
    expect(p.chooseRepresentation(ctx({ bufferMs: 25_000, throughputKbps: 1e6, maxIndex: 1 })).index).toBe(1);
  });

  it('takes params: lowBufferMs 2000 puts a 5 s buffer in the middle band', async () => {
    const { factory } = await resolvePolicyFactory(file);
    const params: Partial<BufferThresholdParams> = { lowBufferMs: 2000 };
    expect(factory(params).chooseRepresentation(ctx({ bufferMs: 5000 })).index).toBe(1);
  });

  it('a bad param is an InputError naming the file', async () => {
    const { factory } = await resolvePolicyFactory(file);
    expect(() => factory({ lowBufferMs: 'x' })).toThrow(InputError);
    expect(() => factory({ lowBuferMs: 1 })).toThrow(/unknown param "lowBuferMs"/);
    expect(() => factory({ lowBufferMs: 30_000 })).toThrow(`${file}: the policy factory rejected its params: lowBufferMs must not exceed highBufferMs`);
  });

  it('runs a whole session', async () => {
    const { factory } = await resolvePolicyFactory(file);
    // One request at a time so each sample reads the whole link (the reference estimator counts latency too):
    // e.g. rung 2's 750,000 B take 20 + 1500 ms: 6e6 bits / 1520 ms = 3947 kbps, × 0.8 = 3158 ≥ 3000 → rung 3.
    const r = simulateSession({ trace: constantTrace(4000), catalog, policy: factory({}), latencyMs: 20, player: { maxParallel: 1 } });
    expect(r.policy).toBe('buffer-threshold');
    expect(r.summary.endReason).toBe('finished');
    expect(r.segments.length).toBe(30);
    // At 4000 kbps the budget is 3200 → rung 3 once the buffer passes 20 s; the start is at rung 0.
    expect(r.segments[0]?.repIndex).toBe(0);
    expect(r.segments.some((s) => s.repIndex === 3)).toBe(true);
  });
});

describe('bad policy modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'abrlab-user-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  async function inputError(file: string): Promise<InputError> {
    const err = await resolvePolicyFactory(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).file).toBe(file);
    expect((err as InputError).message).toContain(file);
    return err as InputError;
  }

  it('no factory export', async () => {
    const e = await inputError(write('none.mjs', 'export const x = 1;\n'));
    expect(e.message).toMatch(/must export a factory function/);
  });
  it('an exported policy object instead of a factory', async () => {
    const e = await inputError(write('object.ts', "export default { name: 'o', chooseRepresentation: () => ({ index: 0, reason: 'o' }) };\n"));
    expect(e.message).toMatch(/exports a policy object/);
  });
  it('a factory returning the wrong shape', async () => {
    const e = await inputError(write('shape.js', 'export default function createPolicy() { return { name: 1 }; }\n'));
    expect(e.message).toMatch(/string `name` and a `chooseRepresentation\(ctx\)` method/);
  });
  it('a module that does not compile', async () => {
    const e = await inputError(write('broken.ts', 'export default function (: {\n'));
    expect(e.message).toMatch(/cannot load policy module/);
  });
  it('a missing file', async () => {
    await inputError(join(dir, 'missing.ts'));
  });
  it('a CommonJS module exporting createPolicy loads', async () => {
    const f = write('cjs.cjs', "module.exports = { createPolicy: () => ({ name: 'cjs', chooseRepresentation: () => ({ index: 0, reason: 'c' }) }) };\n");
    expect((await resolvePolicyFactory(f)).name).toBe('cjs');
  });
});
