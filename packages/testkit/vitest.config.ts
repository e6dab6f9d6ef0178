import { vitestConfig } from '@orm/vitest-config'

export default vitestConfig()
