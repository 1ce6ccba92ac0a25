import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidField } from '../platform';
import type { DocumentFormat } from '../documents';

/** The two file exchanges every document route shares: an upload received, a document's bytes sent. */

export interface Upload {
  bytes: Buffer;
  /** A text field sent with the file, or undefined. */
  field(name: string): string | undefined;
}

/** Reads the one file of a multipart request; stops with 413 as soon as the size limit is passed. */
export async function readUpload(request: FastifyRequest, missingMessage: string): Promise<Upload> {
  const part = await request.file();
  if (!part) throw invalidField('file', missingMessage);
  const bytes = await part.toBuffer();
  return {
    bytes,
    field(name) {
      const value = part.fields[name];
      return value && 'value' in value ? String(value.value) : undefined;
    },
  };
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
