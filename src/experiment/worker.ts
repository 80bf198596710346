/**
 * A sweep worker (started by pool.ts): builds the run context from the scenario text once, then answers batch
 * requests (lists of plan indices) with their result lines and metric vectors. It shares nothing with other
 * workers; everything it computes follows from the scenario and the plan index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch, serializeError, type BatchRequest, type BatchResult } from './batch.js';
import { prepareRun, type RunContext } from './context.js';
import type { WorkerReply } from './pool.js';
import { scenarioFromText } from './scenario.js';

export interface SweepWorkerData {
  scenarioText: string;
  scenarioFile: string;
}

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
const data = workerData as SweepWorkerData;
// A failed load is reported on every request rather than thrown, so the main thread gets the InputError.
const ready: Promise<RunContext> = Promise.resolve().then(() => prepareRun(scenarioFromText(data.scenarioText, data.scenarioFile)));
ready.catch(() => undefined);
// Requests are answered strictly in arrival order (one promise chain), however long loading takes.
let chain: Promise<void> = Promise.resolve();

port.on('message', (msg: { id: number; request: BatchRequest }) => {
  chain = chain.then(async () => {
    let reply: WorkerReply<BatchResult>;
    const transfer: ArrayBuffer[] = [];
    try {
      const value = runBatch(await ready, msg.request);
      transfer.push(value.metrics.buffer as ArrayBuffer);
      reply = { id: msg.id, ok: true, value };
    } catch (err) {
      reply = { id: msg.id, ok: false, error: serializeError(err) };
    }
    port.postMessage(reply, transfer);
  });
});
