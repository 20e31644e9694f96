const cache = new Map<string, RegExp>();

/** `*` any run of characters (`:` and `/` included), `?` one character; the rest is literal. */
export function globToRegExp(glob: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${glob}`;
  let re = cache.get(key);
  if (!re) {
    const source = glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export const globMatch = (glob: string, value: string, caseInsensitive = false) =>
  globToRegExp(glob, caseInsensitive).test(value);
