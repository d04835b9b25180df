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
    // The web pages' browser modules (served as they are, no build step).
    files: ['src/web/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'sessionStorage', 'fetch', 'atob', 'TextDecoder', 'URLSearchParams', 'Intl', 'Node']
        .map((name) => [name, 'readonly']))
    }
  }
]
