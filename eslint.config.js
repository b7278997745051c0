// ESLint flat config: typescript-eslint with type information for every TypeScript source, the core rules for the
// few JavaScript config files. Formatting is Prettier's job (`npm run lint` runs both); generated code is ignored.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { defineConfig, globalIgnores } = require('eslint/config');

const nodeCommonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
};

module.exports = defineConfig([
  globalIgnores([
    'node_modules/',
    'dist/',
    'build/',
    'coverage/',
    '.data/',
    'cdk8s.out/',
    'prisma/generated/',
    'gitops/',
    'charts/',
    'argocd/',
  ]),
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The project service finds each file's tsconfig; root-level config files outside tsconfig.json's
        // `include` get a default project instead of a parse error.
        projectService: { allowDefaultProject: ['*.ts'] },
        tsconfigRootDir: __dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests read untyped JSON (supertest's `res.body`, parsed YAML manifests) and use jest's loosely typed
    // matchers (`expect.any`, `expect.objectContaining`); the assertions are the type check there. What they must
    // still not do is leave promises floating.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJsGlobals },
  },
]);
