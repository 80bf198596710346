/**
 * Deterministic shards of a plan, for batch engines (Kubernetes Indexed Jobs, Slurm job arrays, CI matrices).
 * Users — (video, trace, replicate), with all their arms — are dealt round-robin: user u goes to shard u mod n.
 * Dealing users rather than cutting the plan into blocks keeps shards balanced when videos or traces differ in
 * length, keeps every pair of an A/B in one shard, and lets `abrlab merge` rebuild the plan order by reading the
 * shards' files in turn without an index column. With `cdnSharing` the unit dealt is a block of users (all the
 * users whose sessions share edges, src/experiment/edge-groups.ts), so no shard splits a group.
 */
import { InputError } from '../core/errors.js';

export interface Shard {
  /** 0-based shard number. */
  index: number;
  count: number;
}

/** The shard that runs plan index `i`, dealing units of `unitSessions` consecutive sessions (a user's arms). */
export function shardOf(i: number, unitSessions: number, count: number): number {
  return Math.floor(i / unitSessions) % count;
}

/** The plan indices of `shard`, ascending (all of them without a shard). */
export function shardIndices(sessions: number, unitSessions: number, shard: Shard | undefined): number[] {
  const out: number[] = [];
  for (let i = 0; i < sessions; i++) if (shard === undefined || shardOf(i, unitSessions, shard.count) === shard.index) out.push(i);
  return out;
}

/** Parses `i/n` (0 ≤ i < n). */
export function parseShard(text: string, source = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new InputError(`${source}: expected i/n (e.g. 0/4), got "${text}"`);
  return checkShard(Number(m[1]), Number(m[2]), source);
}

function checkShard(index: number, count: number, source: string): Shard {
  if (!Number.isInteger(count) || count < 1) throw new InputError(`${source}: the shard count must be a positive integer, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new InputError(`${source}: shard index ${index} is not in 0..${count - 1}`);
  return { index, count };
}

export interface ShardSource {
  shard: Shard;
  /** Where it came from, for the log line. */
  from: string;
}

/**
 * The shard of this process: `--shard i/n` first; else a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` with the
 * count from `--shard-count N` or `JOB_COMPLETION_COUNT` (Kubernetes does not export the completion count: set it
 * in the pod's env, equal to `completions`); else a Slurm array's `SLURM_ARRAY_TASK_ID` and
 * `SLURM_ARRAY_TASK_COUNT` (ids are taken relative to `SLURM_ARRAY_TASK_MIN`, so `--array=1-8` works).
 * Undefined when none is set: the whole plan.
 */
export function resolveShard(flags: { shard?: string; shardCount?: number }, env: NodeJS.ProcessEnv): ShardSource | undefined {
  if (flags.shard !== undefined) return { shard: parseShard(flags.shard), from: '--shard' };
  const k8s = env['JOB_COMPLETION_INDEX'];
  if (k8s !== undefined && k8s !== '') {
    const countText = flags.shardCount !== undefined ? String(flags.shardCount) : env['JOB_COMPLETION_COUNT'];
    if (countText === undefined || countText === '') {
      throw new InputError('JOB_COMPLETION_INDEX is set but the shard count is not: pass --shard-count N or set JOB_COMPLETION_COUNT (= the Job\'s completions)');
    }
    return { shard: checkShard(intOf(k8s, 'JOB_COMPLETION_INDEX'), intOf(countText, 'JOB_COMPLETION_COUNT'), 'JOB_COMPLETION_INDEX'), from: 'JOB_COMPLETION_INDEX' };
  }
  const slurm = env['SLURM_ARRAY_TASK_ID'];
  if (slurm !== undefined && slurm !== '') {
    const countText = flags.shardCount !== undefined ? String(flags.shardCount) : env['SLURM_ARRAY_TASK_COUNT'];
    if (countText === undefined || countText === '') throw new InputError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (or pass --shard-count N)');
    const min = env['SLURM_ARRAY_TASK_MIN'];
    const base = min === undefined || min === '' ? 0 : intOf(min, 'SLURM_ARRAY_TASK_MIN');
    return { shard: checkShard(intOf(slurm, 'SLURM_ARRAY_TASK_ID') - base, intOf(countText, 'SLURM_ARRAY_TASK_COUNT'), 'SLURM_ARRAY_TASK_ID'), from: 'SLURM_ARRAY_TASK_ID' };
  }
  if (flags.shardCount !== undefined) throw new InputError('--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (or use --shard i/n)');
  return undefined;
}

function intOf(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new InputError(`${name}: expected an integer, got "${text}"`);
  return n;
}
