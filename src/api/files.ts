import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidField } from '../platform';
import type { DocumentFormat } from '../documents';

/** The two file exchanges every document route shares: an upload received, a document's bytes sent. */

export interface Upload {
  bytes: Buffer;
  /** A text field sent with the file, or undefined. */
  field(name: string): string | undefined;
}

const MALFORMED_UPLOAD = 'Le fichier n’est pas arrivé en entier ou l’envoi est mal formé. Réessayez de l’envoyer.';

/**
 * Reads the one file of a multipart request; stops with 413 as soon as the size limit is passed.
 * A body the parser cannot read to its end (cut before its closing boundary, not multipart inside)
 * is the sender's fault, answered 400 like a missing file, not an error of the service.
 */
export async function readUpload(request: FastifyRequest, missingMessage: string): Promise<Upload> {
  const part = await request.file().catch(malformedUpload);
  if (!part) throw invalidField('file', missingMessage);
  const bytes = await part.toBuffer().catch(malformedUpload);
  return {
    bytes,
    field(name) {
      const value = part.fields[name];
      return value && 'value' in value ? String(value.value) : undefined;
    },
  };
}

/** The parser's own errors carry no HTTP status; those with one (413 over the limit…) are kept. */
function malformedUpload(error: unknown): never {
  if (error instanceof Error && 'statusCode' in error) throw error;
  throw invalidField('file', MALFORMED_UPLOAD);
}

const EXTENSION: Record<DocumentFormat, string> = { pdf: 'pdf', cda: 'xml', text: 'txt', jpeg: 'jpg', png: 'png' };

/** Sends a document's bytes, to be shown in a frame of our own pages or downloaded. */
export function sendDocumentBytes(
  reply: FastifyReply,
  row: { document_id: string; format: DocumentFormat; media_type: string },
  bytes: Buffer,
  disposition: 'inline' | 'attachment' = 'inline',
): FastifyReply {
  return reply
    .type(row.format === 'text' ? 'text/plain; charset=utf-8' : row.media_type)
    .header('content-disposition', `${disposition}; filename="document-${row.document_id}.${EXTENSION[row.format]}"`)
    .header('cache-control', 'private, no-store')
    // The bytes come from outside: the browser must not guess another type nor run anything.
    .header('x-content-type-options', 'nosniff')
    // A PDF needs the browser's viewer; anything else is sandboxed.
    .header(
      'content-security-policy',
      row.format === 'pdf'
        ? "default-src 'none'; frame-ancestors 'self'"
        : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
    )
    .header('x-frame-options', 'SAMEORIGIN')
    .send(bytes);
}
