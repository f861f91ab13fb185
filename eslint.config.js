import js from '@eslint/js';
import nounsanitized from 'eslint-plugin-no-unsanitized';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'demo-sites/dist/**', 'artifacts/**', 'demo-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  nounsanitized.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Preact's escape hatch for raw HTML: API text must never reach it.
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'API text is rendered as text only.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Build nodes, not HTML.' },
      ],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['tests/**', 'mock-api/**', 'bench/**', 'scripts/**', 'demo-sites/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The Lightning pages' plain JavaScript (LWC's compiler takes .js) runs in the browser.
    files: ['demo-sites/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
);
