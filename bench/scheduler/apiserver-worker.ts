/**
 * Runs the embedded API server (memory storage) on a worker thread of the benchmark's process, so
 * it gets a core of its own, as kube-apiserver has in a real cluster (`--apiserver thread`).
 * The parent sends 'stop' and waits for 'stopped'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startApiServer } from '../../pkg/apiserver/server.ts';

const { dataDir } = workerData as { dataDir: string };
const server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'silent' }) });
parentPort?.postMessage({ kubeconfigPath: server.kubeconfigPath, url: server.url });
parentPort?.on('message', (msg: unknown) => {
  if (msg !== 'stop') return;
  void server.stop().then(() => parentPort?.postMessage('stopped'));
});
