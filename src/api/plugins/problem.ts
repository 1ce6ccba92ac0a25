import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from '../../platform';

/**
 * Every error leaves as RFC 9457 application/problem+json with a French
 * sentence for people and the request id for support. Never a stack trace.
 */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  errors?: FieldError[];
}

const TYPE_BASE = 'https://opendmp.fr/problemes/';

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: Problem = {
    type: TYPE_BASE + error.type,
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    requestId: request.id,
  };
  return reply.code(error.status).type('application/problem+json; charset=utf-8').send(body);
}

export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      field: fieldName(issue.instancePath),
      message: issue.message ?? 'Valeur incorrecte',
    }));
    return new AppError(400, 'invalid-request', 'Demande incorrecte', 'Certaines informations sont incorrectes.', errors);
  }
  const status = (error as FastifyError).statusCode;
  if (status === 413) return new AppError(413, 'too-large', 'Envoi trop volumineux', 'Le contenu envoyé dépasse la taille permise.');
  if (status === 415) return new AppError(415, 'unsupported-media-type', 'Format non pris en charge', 'Le format envoyé n’est pas accepté.');
  if (status === 429) return new AppError(429, 'too-many-requests', 'Trop de tentatives', 'Trop de tentatives. Réessayez dans quelques minutes.');
  if (status && status >= 400 && status < 500) {
    return new AppError(status, 'invalid-request', 'Demande incorrecte', 'La demande n’a pas pu être comprise.');
  }
  return new AppError(500, 'internal', 'Erreur du service', 'Le service a rencontré un problème. Réessayez plus tard.');
}

function fieldName(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.') || 'body';
}

export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, problem);
  });
}
