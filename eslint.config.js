// Keeps the one rule of the layout true: imports point lessons → components → src, never back.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'data/', '**/*.as.ts', '**/*.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: restrict([
      { group: ['lit', 'lit/*', '@lit/*'], message: 'src/ is the engine: no Lit, no DOM framework.' },
      { group: ['**/components/**', '**/lessons/**'], message: 'src/ never imports from components/ or lessons/.' },
    ]),
  },
  {
    files: ['components/**/*.ts'],
    rules: restrict([
      { group: ['**/lessons/**'], message: 'components/ never imports from lessons/.' },
      {
        group: ['@tensorflow/tfjs', '@tensorflow/tfjs-*', '!@tensorflow/tfjs-vis'],
        message: 'Components hold no tensors: engine work (and tfjs) lives in src/. Only @tensorflow/tfjs-vis is allowed here.',
      },
    ]),
  },
);
