import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a {@link webhookReceiver} got. */
export type ReceivedRequest = {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** `performance.now()` when the request arrived and when its answer ended. */
  startedAt: number;
  endedAt: number;
};

/** How the receiver answers a path. */
export type ReceiverBehaviour = (request: IncomingMessage, response: ServerResponse) => void;

/** Answers `status` with an empty body. */
export const answer = (status: number): ReceiverBehaviour => (_request, response) => {
  response.writeHead(status).end();
};

/**
 * A real HTTP server on 127.0.0.1 for delivery tests: it records every request (headers,
 * body, timing) and answers each path as told (default 204).
 */
export async function webhookReceiver(behaviours: Record<string, ReceiverBehaviour> = {}) {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((request, response) => {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      const entry: ReceivedRequest = { path, headers, body: Buffer.concat(chunks).toString('utf8'), startedAt, endedAt: startedAt };
      received.push(entry);
      // The end is when the answer is handed to the socket: before the sender can see it.
      response.on('finish', () => {
        entry.endedAt = performance.now();
      });
      (behaviours[path] ?? answer(204))(request, response);
      if (response.writableEnded) entry.endedAt = performance.now();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** `http://127.0.0.1:<port><path>` */
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    /** The requests to one path, in arrival order. */
    at: (path: string) => received.filter((entry) => entry.path === path),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
