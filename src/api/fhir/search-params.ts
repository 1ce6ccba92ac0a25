/**
 * Reading a FHIR R4 search (pure): the parameters of the query string and of a POST _search
 * form body together (http.html#search), their modifiers, comma OR-lists with FHIR's escapes
 * (search.html#escaping), tokens, dates with their prefixes, strings, references.
 *
 * Unknown parameters follow search.html#errors: ignored by default (and left out of the
 * Bundle's self link, which says what was applied), refused with a 400 when the client asks
 * for `Prefer: handling=strict`. A modifier this server does not know is always refused: ignoring
 * `:not` would answer the opposite of the question.
 */
import { badRequest } from '../../platform';
import type { CodeMatch, DateCriterion, NameMatch } from '../../documents';

export const MAX_COUNT = 100;
export const DEFAULT_COUNT = 20;

interface Occurrence {
  modifier: string | undefined;
  value: string;
}

export class SearchParams {
  private readonly byName = new Map<string, Occurrence[]>();
  private readonly used = new Set<string>();
  readonly strict: boolean;

  constructor(pairs: [string, string][], prefer: string | undefined) {
    for (const [key, value] of pairs) {
      const colon = key.indexOf(':');
      const name = colon < 0 ? key : key.slice(0, colon);
      const modifier = colon < 0 ? undefined : key.slice(colon + 1);
      this.byName.set(name, [...(this.byName.get(name) ?? []), { modifier, value }]);
    }
    this.strict = /(^|[,;\s])handling\s*=\s*strict\b/i.test(prefer ?? '');
  }

  /** The query string's pairs, then a form body's (x-www-form-urlencoded), as FHIR joins them. */
  static of(query: unknown, body: unknown, prefer: string | undefined): SearchParams {
    const pairs: [string, string][] = [];
    for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      for (const v of [value].flat()) if (typeof v === 'string') pairs.push([key, v]);
    }
    if (typeof body === 'string') for (const [key, value] of new URLSearchParams(body)) pairs.push([key, value]);
    return new SearchParams(pairs, prefer);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Each occurrence of the parameter (repeats AND together), marked as applied; refuses a modifier not in `modifiers`. */
  take(name: string, modifiers: readonly string[] = []): Occurrence[] {
    const found = this.byName.get(name) ?? [];
    for (const o of found) {
      if (o.modifier !== undefined && !modifiers.includes(o.modifier)) {
        throw badRequest(`Le modificateur « :${o.modifier} » n’est pas pris en charge pour le paramètre ${name}.`);
      }
    }
    if (found.length) this.used.add(name);
    return found;
  }

  /** The one value of a parameter that may appear once (a control parameter: _count, _sort…). */
  single(name: string): string | undefined {
    const found = this.take(name);
    if (found.length > 1) throw badRequest(`Le paramètre ${name} ne peut être donné qu’une fois.`);
    return found[0]?.value;
  }

  /** Gives a parameter back: taken, then found to say nothing this server applies (an unknown sort key). */
  release(name: string): void {
    this.used.delete(name);
  }

  /** Refuses the parameters nobody took, when the client asked for strict handling; lists them otherwise. */
  finish(): string[] {
    const ignored = [...this.byName.keys()].filter((name) => !this.used.has(name));
    if (ignored.length && this.strict) {
      throw badRequest(`Paramètres de recherche non pris en charge : ${ignored.join(', ')} (Prefer: handling=strict).`);
    }
    return ignored;
  }

  /** The applied parameters, as the Bundle's links repeat them. */
  applied(): [string, string][] {
    const out: [string, string][] = [];
    for (const [name, list] of this.byName) {
      if (!this.used.has(name)) continue;
      for (const o of list) out.push([o.modifier ? `${name}:${o.modifier}` : name, o.value]);
    }
    return out;
  }
}

/** Splits on a separator not escaped by a backslash (search.html#escaping), keeping the escapes. */
function splitUnescaped(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === separator && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\([\\,|$])/g, '$1');

/** The values of one occurrence: a comma OR-list. */
export function orList(value: string): string[] {
  return splitUnescaped(value, ',').map((part) => part.trim()).filter((part) => part !== '');
}

/** A token value: `code`, `system|code`, `|code` (no system) or `system|` (any code of it). */
export function token(raw: string): CodeMatch {
  const [first, second] = splitUnescaped(raw, '|', 2);
  if (second === undefined) return { code: unescape(first!) };
  if (second === '') return { system: unescape(first!) };
  return { system: unescape(first!), code: unescape(second) };
}

export const tokens = (value: string) => orList(value).map(token);

const DATE = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * A date parameter's value, as the range its precision covers (a year, a month, a day, a minute,
 * a second); without a time zone, a time is read in UTC. `ap` is taken as ±10 % of the distance
 * to now, at least the value's own range (search.html#prefix recommends 10 %).
 */
export function dateCriterion(raw: string, name: string, now: Date): DateCriterion {
  const match = DATE.exec(raw.trim());
  const invalid = () => badRequest(`Le paramètre ${name} attend une date : AAAA, AAAA-MM, AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss+01:00, précédée au besoin de eq, ne, gt, lt, ge, le, sa, eb ou ap (« ${raw} »).`);
  if (!match) throw invalid();
  const [, prefix = 'eq', year, month, day, hour, minute, second, fraction, zone] = match;
  let start: Date;
  let end: Date;
  if (hour !== undefined) {
    const text = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${zone ?? 'Z'}`;
    start = new Date(text);
    end = new Date(start.getTime() + (second === undefined ? 60_000 : fraction ? 1 : 1000));
  } else {
    const y = Number(year);
    const m = month === undefined ? 0 : Number(month) - 1;
    const d = day === undefined ? 1 : Number(day);
    start = new Date(Date.UTC(y, m, d));
    end = day !== undefined ? new Date(Date.UTC(y, m, d + 1)) : month !== undefined ? new Date(Date.UTC(y, m + 1, 1)) : new Date(Date.UTC(y + 1, 0, 1));
    if (start.getUTCMonth() !== m || start.getUTCDate() !== d) throw invalid();
  }
  if (Number.isNaN(start.getTime())) throw invalid();
  if (prefix !== 'ap') return { op: prefix as DateCriterion['op'], start, end };
  const margin = Math.abs(now.getTime() - start.getTime()) * 0.1;
  return { op: 'eq', start: new Date(start.getTime() - margin), end: new Date(end.getTime() + margin) };
}

/** A string parameter's values (FHIR: starts with, case and accents aside), `:exact` or `:contains`. */
export function names(occurrence: Occurrence): NameMatch[] {
  const mode = occurrence.modifier === 'exact' ? 'exact' : occurrence.modifier === 'contains' ? 'contains' : 'start';
  return orList(occurrence.value).map((value) => ({ value: unescape(value), mode }));
}
export const STRING_MODIFIERS = ['exact', 'contains'] as const;

/** The id a reference parameter designates: `Type/id`, an absolute `…/Type/id`, or the bare id. */
export function referenceId(raw: string, type: string): string | null {
  const value = unescape(raw.trim());
  const at = value.lastIndexOf(`${type}/`);
  if (at >= 0) {
    const before = value.slice(0, at);
    if (before !== '' && !before.endsWith('/')) return null;
    const id = value.slice(at + type.length + 1);
    return id.includes('/') ? null : id;
  }
  return value.includes('/') ? null : value;
}

/** `_count`: a server may return fewer than asked (search.html#count): capped, never refused for being large. */
export function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d+$/.test(raw.trim())) throw badRequest('Le paramètre _count est un nombre entier positif.');
  return Math.min(Number(raw), MAX_COUNT);
}

export function pageOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,9}$/.test(raw.trim())) throw badRequest('Le paramètre _offset est un nombre entier positif.');
  return Number(raw);
}
