import { escapeRegex, type Piece } from './parse.js';

function body(pieces: readonly Piece[], notSep: string): string {
  let out = '';
  for (const p of pieces) {
    if (p.t === 'char') out += escapeRegex(p.c);
    else if (p.t === 'one') out += p.source;
    else if (p.t === 'star') out += `${notSep}*`;
    else if (p.t === 'any') out += '.*';
    else if (p.t === 'levels') out += `(?:${escapeRegex(p.sep)}.*)?`;
    else out += `(?:${p.alts.map((a) => body(a, notSep)).join('|')})`;
  }
  return out;
}

/** The pieces as one anchored regular expression (backtracking: used only for patterns with few runs). */
export const toRegExp = (pieces: readonly Piece[], seps: string): RegExp =>
  new RegExp(`^${body(pieces, `[^${escapeRegex(seps)}]`)}$`, 's');
