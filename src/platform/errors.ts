/**
 * The one error type a feature raises for a refusal the user must read.
 * HTTP turns it into RFC 9457 problem+json; `detail` is French, for people.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

export const notFound = (detail: string) => new AppError(404, 'not-found', 'Introuvable', detail);
export const forbidden = (detail: string) => new AppError(403, 'forbidden', 'Accès refusé', detail);
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new AppError(400, 'invalid-request', 'Demande incorrecte', detail, errors);
export const conflict = (detail: string) => new AppError(409, 'conflict', 'Déjà fait', detail);

/** A refusal about one field of a form: the screen shows the message next to that field. */
export const invalidField = (field: string, message: string) =>
  new AppError(400, 'invalid-field', 'Information incorrecte', message, [{ field, message }]);

/**
 * Whether a database error is the unique index `index` refusing a second row (SQLSTATE 23505),
 * on PostgreSQL (pg names it in `constraint`) and PGlite (in the message).
 */
export function isUniqueViolation(error: unknown, index: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === '23505' && (e.constraint === index || String(e.message ?? '').includes(`"${index}"`));
}
