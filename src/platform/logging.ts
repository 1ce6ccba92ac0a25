import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. What goes in is an allowlist (ids, route patterns,
 * status codes, durations): never a NIR, a name, a code, a password or a
 * document. As a second guard, free text that reaches a log (stack frames,
 * which name files and functions) is scrubbed of anything that looks personal.
 */

const PERSONAL_PATTERNS: RegExp[] = [
  /[0-9A-Z._%+-]+@[0-9A-Z.-]+\.[A-Z]{2,}/gi, // email
  /\b[1-478][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2A|2B)[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?\b/gi, // NIR / NIA
  /(?:\+33|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g, // phone number
  /\b\d{6,}\b/g, // one-time codes, card serials, any long number
  /\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{12}\b/g, // creation codes
];

export function scrub(text: string): string {
  return PERSONAL_PATTERNS.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}

/**
 * An error's message may quote anything (a user's name in a thrown message, a
 * value in a database complaint), so only its kind, its code (e.g. SQLSTATE)
 * and where it happened are logged: the request id links to the rest.
 */
function serializeError(err: unknown) {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code } : {}),
    stack: scrub(frames.join('\n')),
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, error: serializeError },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
