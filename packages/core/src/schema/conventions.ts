import { camelCase, plural, singular, snakeCase } from './naming.js'

/**
 * The default names of relation keys and pivot tables (API.md section 2). Table keys are used, not database
 * names, because keys are what users write everywhere else (`users` -> `userId`, `blog_posts` -> `blogPostId`).
 */

/** users -> userId: the property that points at a row of that table. */
export function foreignKeyProp(tableKey: string): string {
  const word = camelCase(singular(tableKey))
  return word.charAt(0).toLowerCase() + word.slice(1) + 'Id'
}

/** posts + tags -> post_tag: the two singular keys in snake_case, in alphabetical order. */
export function pivotTableName(a: string, b: string): string {
  return [snakeCase(singular(a)), snakeCase(singular(b))].sort().join('_')
}

/** taggable -> taggables: the default pivot of morphToMany / morphedByMany. */
export function morphPivotName(morph: string): string {
  return snakeCase(plural(morph))
}

export const morphIdProp = (morph: string): string => `${morph}Id`
export const morphTypeProp = (morph: string): string => `${morph}Type`
