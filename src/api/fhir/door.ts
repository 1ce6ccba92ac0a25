/**
 * What every FHIR route shares: the content type, errors as OperationOutcomes, the response
 * schema of a resource, and the patient designated by an INS.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findRecordByIns, NO_MATCH, type RecordFacts } from '../../records';
import type { AppContext } from '../../platform';
import { AppError, badRequest, notFound } from '../../platform';
import { INS_OID } from '../../identity';
import { FHIR_JSON, operationOutcome } from './resources';

export const FHIR_CONTENT_TYPE = `${FHIR_JSON}; charset=utf-8`;
export const INS_SYSTEMS = new Set<string>(Object.values(INS_OID).map((oid) => `urn:oid:${oid}`));

/** The absolute base of the FHIR door, as the resources' urls and links write it. */
export const fhirBase = (ctx: AppContext) => `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir`;

export function sendOutcome(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  challenge(reply, request, error.status);
  return reply.code(error.status).type(FHIR_CONTENT_TYPE).send(operationOutcome(error, request.id));
}

/**
 * RFC 6750 §3: every 401 tells how to authenticate (`Bearer`, with `error="invalid_token"` when the
 * guard refused a token: guard.ts sets it); a 403 to a request that carried a token says the token
 * is good but does not reach this (§3.1 `insufficient_scope`: the access policy refused).
 */
function challenge(reply: FastifyReply, request: FastifyRequest, status: number): void {
  if (status === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer');
  if (status === 403 && /^Bearer\s/i.test(request.headers.authorization ?? '')) reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
}

/** The record under the INS of `patient.identifier`; a miss says only that no DMP matches (as the JSON lookup does). */
export async function recordOfIdentifier(ctx: AppContext, token: string): Promise<RecordFacts> {
  const [system, value] = token.split('|') as [string, string];
  if (!INS_SYSTEMS.has(system)) throw badRequest('Le patient se désigne par son INS : urn:oid:1.2.250.1.213.1.4.8|<NIR> (ou l’OID du NIA).');
  const record = await findRecordByIns(ctx, value.trim().toUpperCase());
  if (!record || `urn:oid:${record.insOid}` !== system) throw notFound(NO_MATCH);
  return record;
}

/**
 * A FHIR resource as answered: only its type is declared, the rest follows the FHIR R4 specification
 * (and IHE MHD) and passes through untouched.
 */
export function fhirResource<T extends string>(resourceType: T) {
  return z.looseObject({ resourceType: z.literal(resourceType) });
}

/**
 * A resource as FHIR JSON writes it (R4 §2.6.2 "JSON Representation of Resources"): an object is
 * never empty, an array never empty, null never a value (except in the array of a repeating
 * primitive's extensions, `_given: [null, {…}]`, where it keeps a place). Whoever built the
 * resource, an empty list (a search that found nothing) leaves the element out. Pure, copies.
 */
export function fhirJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => (item === null && key.startsWith('_') ? null : fhirJson(item))).filter((item) => item !== undefined);
    return items.length && items.some((item) => item !== null) ? items : undefined;
  }
  if (value === null) return undefined;
  if (typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, fhirJson(v, k)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}
