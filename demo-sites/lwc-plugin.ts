import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from '@lwc/compiler';
import type { Plugin } from 'vite';

/** Where the Lightning Web Components of the demo pages live: `<namespace>/<name>/<name>.{js,html,css}`. */
export const LWC_MODULES = path.resolve(import.meta.dirname, 'lightning/modules');

// A component's template and styles get ids of their own, ending in `.js`: Vite's own CSS and HTML
// handling must not take them for plain stylesheets or pages.
const PREFIX = '\0lwc:';
const SUFFIX = '.lwc.js';

function fileOf(id: string): string {
  return id.slice(PREFIX.length, -SUFFIX.length);
}

function isComponentFile(file: string): boolean {
  return file.startsWith(LWC_MODULES + path.sep);
}

/** `c/accountTable` → `modules/c/accountTable/accountTable.js`; namespace and name from the path. */
function moduleName(file: string): { namespace: string; name: string } {
  const [namespace, name] = path.relative(LWC_MODULES, file).split(path.sep);
  return { namespace: namespace!, name: name! };
}

/**
 * Compiles the demo's Lightning Web Components with the LWC compiler, as Salesforce's own build
 * does: classes with their decorators, templates into render functions, styles (scoped to each
 * component for synthetic shadow). `lwc` is the DOM engine. LWC's Rollup plugin would need Rollup
 * itself beside Vite's bundler; this is the part of it these pages use.
 */
export function lwc(): Plugin {
  return {
    name: 'demo-lwc',
    enforce: 'pre',
    resolveId: {
      // Only `lwc`, components, and the templates and styles components import.
      filter: { id: /^(lwc|[a-z]+\/[a-zA-Z][a-zA-Z0-9]*)$|\.(html|css)(\?.*)?$/ },
      async handler(source, importer) {
        if (source === 'lwc') return this.resolve('@lwc/engine-dom', importer, { skipSelf: true });
        const specifier = /^([a-z]+)\/([a-zA-Z][a-zA-Z0-9]*)$/.exec(source);
        if (specifier) {
          const file = path.join(LWC_MODULES, specifier[1]!, specifier[2]!, `${specifier[2]}.js`);
          return existsSync(file) ? file : null;
        }
        if (!importer || !source.startsWith('.')) return null;
        const from = importer.startsWith(PREFIX) ? fileOf(importer) : importer;
        if (!isComponentFile(from)) return null;
        // The template a component imports implicitly, and the styles its template imports.
        return PREFIX + path.resolve(path.dirname(from), source.replace(/\?.*$/, '')) + SUFFIX;
      },
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = fileOf(id);
      if (existsSync(file)) return readFileSync(file, 'utf8');
      // A component without styles of its own (LWC's compiler makes an empty stylesheet of it), or
      // a module without a template.
      return file.endsWith('.css') ? '' : 'export default void 0;';
    },
    transform(code, id) {
      const file = id.startsWith(PREFIX) ? fileOf(id) : id;
      if (!isComponentFile(file) || !/\.(js|html|css)$/.test(file)) return null;
      if (file.endsWith('.html') && !existsSync(file)) return null;
      const { code: compiled } = transformSync(code, file, {
        ...moduleName(file),
        scopedStyles: file.endsWith('.scoped.css'),
        enableDynamicComponents: false,
      });
      return { code: compiled, map: null };
    },
  };
}
