import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // The bin build runs at the same time: its files are not cleaned away.
    clean: ['!bin.js', '!bin.js.map'],
    sourcemap: true,
    target: 'node20',
  },
  {
    // The `orm` binary: ESM only, with its shebang; it imports the package entry, not a second copy.
    entry: ['src/bin.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    external: ['./index.js'],
  },
])
