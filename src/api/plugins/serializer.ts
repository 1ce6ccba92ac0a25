import { isDeepStrictEqual } from 'node:util';
import { createSerializerCompiler } from 'fastify-type-provider-zod';

/**
 * Answers are written through the routes' zod response schemas, which drop any key a schema does
 * not declare: that keeps an internal field from leaking. In tests a dropped key is an error
 * instead, so that a schema that forgot a field the web app reads fails the tests loudly rather
 * than silently changing the answer (a person trying the demo never meets that error).
 */

const lenient = createSerializerCompiler({});
type Compiler = typeof lenient;

export function responseSerializer(strict: boolean): Compiler {
  if (!strict) return lenient;
  return (route) => {
    const serialize = lenient(route);
    return (data: unknown) => {
      const written = serialize(data);
      const given: unknown = JSON.parse(JSON.stringify(data) ?? 'null');
      if (!isDeepStrictEqual(JSON.parse(written), given)) {
        throw new Error(`${route.method} ${route.url}: the response schema drops or changes part of the answer; declare every field the handler returns`);
      }
      return written;
    };
  };
}
