import { DdlCompiler, defaultCapabilities, SqlCompiler, type Dialect } from '../src/index.js'

class TestDdl extends DdlCompiler {
  columnType(column: { kind: string }): string {
    return column.kind.toUpperCase()
  }
  autoIncrementColumn(): string {
    return 'INTEGER PRIMARY KEY AUTOINCREMENT'
  }
}

/** A dialect that compiles with the base compiler and must never be connected in unit tests. */
export function fakeDialect(): Dialect {
  const codecs = { encode: (v: unknown) => v, decoder: () => undefined }
  return {
    name: 'fake',
    capabilities: { ...defaultCapabilities, returning: { insert: true, update: true, delete: true } },
    codecs,
    createDriver: () => {
      throw new Error('unit tests never connect')
    },
    createCompiler: (caps) => new SqlCompiler(caps, codecs),
    createDdlCompiler: (compiler) => new TestDdl(compiler),
    mapError: (e) => e as never,
  }
}
