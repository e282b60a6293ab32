import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** The worker script: plain JavaScript beside this file in src/ (tests) and dist/ (tsc copies it). */
const WORKER_FILE = path.join(__dirname, 'argon2-worker.mjs');

export type HashJob = { op: 'hash'; password: string } | { op: 'verify'; hash: string; password: string };

interface Task {
  id: number;
  job: HashJob;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/** The queue is full: every thread is busy and enough work waits already. */
export class HashingPoolBusyError extends Error {
  constructor() {
    super('Too many password checks are waiting.');
    this.name = 'HashingPoolBusyError';
  }
}

/**
 * Default thread count: one less than the CPU count, so the event loop (which serves the model
 * gateway in the same process) keeps a core, and at most 4 (each argon2id run holds 19 MiB).
 */
export const defaultHashingThreads = (): number => Math.min(4, Math.max(1, availableParallelism() - 1));

/**
 * A small worker_threads pool for argon2id. Each thread runs one job at a time; jobs wait in a
 * bounded FIFO queue. A thread that dies fails its job and is replaced on the next job. Idle
 * threads do not keep the process alive.
 */
export class HashingPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly threads: number,
    private readonly params: Readonly<Record<string, number>>,
    private readonly maxQueued: number,
  ) {}

  run<T>(job: HashJob): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The password hashing pool is closed.'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new HashingPoolBusyError());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Jobs waiting for a thread (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Fails waiting and running jobs, and stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = new Error('The password hashing pool is closed.');
    for (const task of this.queue.splice(0)) task.reject(closed);
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.task?.reject(closed);
      slot.task = null;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.task === null) ?? (this.slots.length < this.threads ? this.spawn() : null);
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref(); // a pending job keeps the process alive until it answers
      slot.worker.postMessage({ id: task.id, ...task.job });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_FILE, { workerData: { params: this.params } }), task: null };
    slot.worker.unref();
    slot.worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const task = slot.task;
      slot.task = null;
      slot.worker.unref();
      if (task?.id === msg.id) {
        if (msg.ok) task.resolve(msg.value);
        else task.reject(new Error(msg.error ?? 'argon2 failed'));
      }
      this.dispatch();
    });
    const lost = (err: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.task?.reject(err);
      slot.task = null;
      if (!this.closed) this.dispatch();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) => lost(new Error(`A password hashing thread exited (code ${code}).`)));
    this.slots.push(slot);
    return slot;
  }
}
