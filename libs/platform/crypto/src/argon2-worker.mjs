// One thread of the password-hashing pool (hashing-pool.ts): argon2id from hash-wasm, off the
// api's event loop. Plain JavaScript so Node runs it as it is, from src/ in tests and from dist/
// after the build (tsc copies it). Messages: { id, op: 'hash', password } → { id, ok, value:
// PHC string }; { id, op: 'verify', hash, password } → { id, ok, value: boolean }; failures
// → { id, ok: false, error }.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { argon2id, argon2Verify } from 'hash-wasm';

const params = workerData.params;

async function run(job) {
  if (job.op === 'hash') return argon2id({ ...params, password: job.password, salt: randomBytes(16), outputType: 'encoded' });
  if (job.op === 'verify') return argon2Verify({ password: job.password, hash: job.hash });
  throw new Error(`unknown operation ${job.op}`);
}

parentPort.on('message', (job) => {
  run(job).then(
    (value) => parentPort.postMessage({ id: job.id, ok: true, value }),
    (err) => parentPort.postMessage({ id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
