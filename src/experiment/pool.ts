/**
 * A small worker_threads pool: N workers running src/experiment/worker.ts, each fed up to two requests at a time
 * (the second waits in the worker's message queue, so a worker never idles between batches). Replies come back
 * in completion order; the runner restores plan order itself.
 *
 * Starting a TypeScript worker (under tsx or vitest) follows shared/TOOLCHAIN.md §5: Node 20 cannot start a
 * `.ts` worker by itself, even with `--import tsx` in execArgv, so an eval bootstrap registers tsx first and then
 * imports the worker; compiled code (dist/) starts `worker.js` directly.
 */
import { Worker } from 'node:worker_threads';

/** Requests a worker may have queued at once. */
const PER_WORKER = 2;

interface Pending<Res> {
  resolve(res: Res): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Job<Req, Res> extends Pending<Res> {
  id: number;
  request: Req;
  transfer: ArrayBuffer[];
}

/** The message a worker posts back: `{id, ok: true, value}` or `{id, ok: false, error}`. */
export type WorkerReply<Res> = { id: number; ok: true; value: Res } | { id: number; ok: false; error: SerializedError };

/** An error crossing the thread boundary (InputErrors are rebuilt as InputErrors on the main thread). */
export interface SerializedError {
  message: string;
  stack?: string;
  /** True for an InputError (the message already names its file and field). */
  input: boolean;
}

export class WorkerPool<Req, Res> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job<Req, Res>[] = [];
  private readonly pending = new Map<number, Pending<Res> & { slot: Slot }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    size: number,
    workerData: unknown,
    private readonly decodeError: (e: SerializedError) => Error,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(workerData));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Sends `request` to the next free worker; resolves with its reply. */
  run(request: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; pending requests are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('worker pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(workerData: unknown): Slot {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const workerUrl = new URL(`./worker${ext}`, import.meta.url);
    const worker =
      ext === '.ts'
        ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData })
        : new Worker(workerUrl, { workerData });
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (reply: WorkerReply<Res>) => this.onReply(slot, reply));
    worker.on('error', (err: Error) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a worker exited unexpectedly (code ${code})`));
    });
    return slot;
  }

  private dispatch(): void {
    for (;;) {
      const job = this.queue[0];
      if (job === undefined) return;
      // The least busy worker; ties go to the first, so dispatch is the same from run to run.
      let slot: Slot | undefined;
      for (const s of this.slots) if (s.busy < PER_WORKER && (slot === undefined || s.busy < slot.busy)) slot = s;
      if (slot === undefined) return;
      this.queue.shift();
      slot.busy++;
      this.pending.set(job.id, { resolve: job.resolve, reject: job.reject, slot });
      slot.worker.postMessage({ id: job.id, request: job.request }, job.transfer);
    }
  }

  private onReply(slot: Slot, reply: WorkerReply<Res>): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    slot.busy--;
    if (reply.ok) p.resolve(reply.value);
    else p.reject(this.decodeError(reply.error));
    this.dispatch();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const job of this.queue.splice(0)) job.reject(err);
  }
}
