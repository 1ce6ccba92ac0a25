import { createServer } from 'node:net';

/**
 * A loopback address with a port free right now. For a server that must know its own public
 * address before it listens (an OpenID provider and its client in the same process): start the
 * app with PUBLIC_URL set to it, then listen on its port.
 */
export async function freeLocalUrl(): Promise<{ url: string; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return { url: `http://127.0.0.1:${address.port}`, port: address.port };
}
