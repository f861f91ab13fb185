import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import de from '../../public/_locales/de/messages.json';

const ROOT = join(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every key passed to `t()` as a literal, and every `'…'` key in the key tables of these files. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const files = ['entrypoints', 'components', 'utils'].flatMap((dir) => sources(join(ROOT, dir)));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) keys.add(match[1]!);
    for (const match of text.matchAll(/:\s*'((?:popup|options|error|settingsError)[A-Z][A-Za-z0-9]*)'/g)) keys.add(match[1]!);
  }
  return keys;
}

describe('locale files', () => {
  it('have every key the code uses, in English and German', () => {
    const missing = [...usedKeys()].filter((key) => !(key in en) || !(key in de));
    expect(missing).toEqual([]);
  });

  it('are both complete: German has every English key and no other', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same substitutions in both languages', () => {
    const subs = (message: string) => [...message.matchAll(/\$\d/g)].map((m) => m[0]).sort();
    const english = en as Record<string, { message: string }>;
    const german = de as Record<string, { message: string }>;
    const differing = Object.keys(english).filter(
      (key) => german[key] && subs(english[key]!.message).join() !== subs(german[key]!.message).join(),
    );
    expect(differing).toEqual([]);
  });
});
