import pluralize from 'pluralize'

/** managerId -> manager_id, HTTPStatus -> http_status. Property names map to column names with this. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase()
}

/** post_tags -> postTags */
export function camelCase(name: string): string {
  return name.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

export function singular(word: string): string {
  return pluralize.singular(word)
}

export function plural(word: string): string {
  return pluralize.plural(word)
}
