import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform';
import { sendProblem } from '../plugins/problem';

/**
 * Serves the React app built into web/dist. Any GET that is not an API call
 * gets index.html, so that the browser's router can show the page (deep links).
 */

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const API_PREFIXES = ['/api/', '/fhir', '/dev/', '/healthz', '/readyz'];

export async function registerWeb(app: FastifyInstance, distDir = WEB_DIST): Promise<void> {
  const built = existsSync(distDir + 'index.html');
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: true,
      index: 'index.html',
      setHeaders(res, path) {
        // Vite names assets by content hash: they never change under the same name.
        const immutable = path.includes('/assets/');
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A missing file (anything with an extension) is a 404, not the app's page.
    const wantsPage =
      request.method === 'GET' && !API_PREFIXES.some((p) => path.startsWith(p)) && !/\.[a-z0-9]+$/i.test(path);
    if (wantsPage && built) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    if (wantsPage) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send("L'interface web n'est pas construite : lancez « npm run build:web ».");
    }
    return sendProblem(reply, request, new AppError(404, 'not-found', 'Introuvable', 'Cette adresse n’existe pas.'));
  });
}
