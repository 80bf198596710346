/**
 * A batch of planned sessions → their results.jsonl text and metric vectors. The same function runs in a worker
 * thread and in-process (`--workers 0`), so both give the same bytes.
 */
import { isInputError, InputError } from '../core/errors.js';
import { METRIC_COUNT, writeMetricVector } from './aggregate.js';
import type { RunContext } from './context.js';
import type { SerializedError } from './pool.js';
import { runPlannedGroup, runPlannedSession, type ResultRow } from './session-run.js';

export interface BatchRequest {
  /** Plan indices, ascending. */
  indices: number[];
}

export interface BatchResult {
  /** One JSON line per session (each ending in "\n"), in the order of `indices`. */
  text: string;
  /** METRIC_COUNT values per session, SUMMARY_METRICS order. */
  metrics: Float64Array;
}

export function runBatch(ctx: RunContext, req: BatchRequest): BatchResult {
  const metrics = new Float64Array(req.indices.length * METRIC_COUNT);
  let text = '';
  // With cdnSharing a session runs with its group: one simulation gives the rows of the whole group (the arms of
  // a block of users interleave in the plan), kept here until their turn. The runner cuts batches at block
  // boundaries, so no group is simulated twice, except after a --resume that stopped mid-block.
  const grouped = ctx.scenario.cdnSharing !== undefined;
  const waiting = new Map<number, ResultRow>();
  req.indices.forEach((index, k) => {
    let row: ResultRow | undefined;
    if (grouped) {
      if (!waiting.has(index)) for (const [i, r] of runPlannedGroup(ctx, index)) waiting.set(i, r);
      row = waiting.get(index) as ResultRow;
      waiting.delete(index);
    } else {
      row = runPlannedSession(ctx, index);
    }
    text += JSON.stringify(row) + '\n';
    writeMetricVector(row, metrics, k * METRIC_COUNT);
  });
  return { text, metrics };
}

export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }), input: isInputError(e) };
}

export function deserializeError(e: SerializedError): Error {
  if (e.input) return new InputError(e.message);
  const err = new Error(e.message);
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
