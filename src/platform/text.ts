/** Text that must fit a narrow character set (an SMS's GSM-7, the glyphs of a PDF's font). */

// Latin letters that Unicode does not decompose into a base letter and an accent.
const UNDECOMPOSED: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', ŀ: 'l', Ŀ: 'L' };

/** `ch` without its accents if that is drawable (ő → o, Ł → L), otherwise "?". */
export function plainLetter(ch: string, drawable: (c: string) => boolean): string {
  const bare = UNDECOMPOSED[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
  return bare && [...bare].every(drawable) ? bare : '?';
}
