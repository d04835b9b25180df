import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', '.tap/**', 'data/**', 'dist/**', 'coverage/**', 'bench/results/**'] }),
  {
    rules: {
      // tap's t.test() returns a promise that tap itself awaits.
      'no-void': 'off'
    }
  }
]
