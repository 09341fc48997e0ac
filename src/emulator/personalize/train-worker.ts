import { parentPort } from 'node:worker_threads';
import { runTrainJob, type JobOutcome, type JobReply, type TrainJob } from './train-job.ts';

/**
 * The training thread: runs one job at a time as the pool posts them and replies with the
 * outcome, moving the model's bytes rather than copying them.
 */
async function handle(job: TrainJob): Promise<void> {
  let outcome: JobOutcome;
  try {
    outcome = await runTrainJob(job);
  } catch (err) {
    outcome = { type: 'crashed', message: err instanceof Error ? err.message : String(err) };
  }
  const reply: JobReply = { id: job.id, outcome };
  parentPort?.postMessage(reply, outcome.type === 'trained' ? transferable(outcome.model) : []);
}

/** A small Buffer can be a view on Node's shared pool, which must not be detached. */
function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

parentPort?.on('message', (job: TrainJob) => void handle(job));
