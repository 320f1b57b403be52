// The stylesheets' house rules, checked by reading the files (a CSS module's class
// names are plain strings to TypeScript: a typo would be an unstyled element, not
// an error).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = dirname(fileURLToPath(import.meta.url));
const SRC = dirname(UI);

function filesUnder(dir: string, ends: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ends.some((x) => e.name.endsWith(x)))
    .map((e) => join(e.parentPath, e.name));
}
const read = (f: string) => readFileSync(f, 'utf8');
const withoutComments = (css: string) => css.replace(/\/\*[^]*?\*\//g, '');
/** The class names a module defines (React Flow's own, under :global(), are not its). */
const classesOf = (css: string) => new Set([...withoutComments(css).replace(/:global\([^)]*\)/g, '').matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((m) => m[1]));

const cssFiles = filesUnder(SRC, ['.css']);
const modules = cssFiles.filter((f) => f.endsWith('.module.css'));
const code = filesUnder(UI, ['.tsx', '.ts']).filter((f) => !/\.test\.tsx?$/.test(f));

/** Each `import x from './Y.module.css'` in the UI's code, with the names used on `x`. */
const imports = code.flatMap((file) => {
  const text = read(file);
  const body = text.replace(/^import .*$/gm, '');
  return [...text.matchAll(/^import (\w+) from '(\.[^']+\.module\.css)';$/gm)].map(([, name, path]) => ({
    file: relative(SRC, file),
    module: join(dirname(file), path),
    used: new Set([...body.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1])),
    indexed: new RegExp(`\\b${name}\\[`).test(body),
  }));
});

describe('stylesheets', () => {
  it('are global only for the tokens and the reset; everything else is a CSS module', () => {
    expect(cssFiles.filter((f) => !f.endsWith('.module.css')).map((f) => relative(SRC, f)).sort()).toEqual(['ui/reset.css', 'ui/tokens.css']);
  });

  it('every class a component uses is defined in the module it imports, and looked up by name', () => {
    expect(imports.length).toBeGreaterThan(15);
    for (const i of imports) {
      const defined = classesOf(read(i.module));
      expect([...i.used].filter((c) => !defined.has(c)), `${i.file} uses classes ${relative(SRC, i.module)} does not define`).toEqual([]);
      expect(i.indexed, `${i.file} looks classes up by a computed name: spell them out (a map), so this test sees them`).toBe(false);
    }
  });

  it('every class a module defines is used', () => {
    for (const m of modules) {
      const used = new Set(imports.filter((i) => i.module === m).flatMap((i) => [...i.used]));
      expect(used.size, `${relative(SRC, m)} is imported by no component`).toBeGreaterThan(0);
      expect([...classesOf(read(m))].filter((c) => !used.has(c)), `${relative(SRC, m)} defines classes nothing uses`).toEqual([]);
    }
  });

  it('colours are tokens: no colour is written outside tokens.css', () => {
    for (const f of cssFiles.filter((x) => !x.endsWith('tokens.css'))) {
      expect(withoutComments(read(f)).match(/#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(/g), relative(SRC, f)).toBeNull();
    }
  });

  it('tokens.css holds custom properties only', () => {
    const declarations = [...withoutComments(read(join(UI, 'tokens.css'))).matchAll(/([\w-]+)\s*:/g)].map((m) => m[1]);
    expect(declarations.length).toBeGreaterThan(50);
    expect(declarations.filter((d) => !d.startsWith('--'))).toEqual([]);
  });

  // The drawing is scaled by React Flow's zoom, and its boxes are sized in pixels by
  // geometry.ts: its type must not grow with the bars' and panels' --scale. (Canvas.module.css
  // is the frame around the drawing: its pick hint sits on the screen, and does scale.)
  it('the drawing does not follow --scale: no rem, no panel type or spacing', () => {
    const drawing = modules.filter((x) => relative(UI, x).startsWith('canvas') && !x.endsWith('Canvas.module.css'));
    expect(drawing.length).toBeGreaterThan(10);
    for (const f of drawing) {
      expect(withoutComments(read(f)).match(/\d(rem)\b|var\(--(text|space|scale|sidebar)[\w-]*\)/g), relative(SRC, f)).toBeNull();
    }
  });
});
