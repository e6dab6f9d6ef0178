import { sqlite } from '@orm/sqlite'
import { runConformance } from '@orm/testkit'

runConformance({ name: 'sqlite', createDialect: () => sqlite() })
