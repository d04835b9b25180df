import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', '.tap/**', 'data/**', 'dist/**', 'coverage/**', 'bench/results/**'] }),
  {
    rules: {
      // tap's t.test() returns a promise that tap itself awaits.
      'no-void': 'off'
    }
  },
  {
    // One way to run a transaction: Database.transaction (src/db/client.ts), which owns the pg
    // checkout. drizzle's own db.transaction() leaks a pooled connection when BEGIN fails.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/db/client.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='transaction'][callee.object.name=/^(db|tx)$/], CallExpression[callee.property.name='transaction'][callee.object.property.name=/^#?db$/]",
        message: 'Use Database.transaction (fastify.database.transaction), not drizzle\'s db.transaction().'
      }]
    }
  },
  {
    // The web pages' browser modules (served as they are, no build step).
    files: ['src/web/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'sessionStorage', 'fetch', 'atob', 'TextDecoder', 'URLSearchParams', 'Intl', 'Node']
        .map((name) => [name, 'readonly']))
    }
  }
]
