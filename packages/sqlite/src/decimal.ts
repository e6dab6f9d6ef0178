import { ValidationError } from '@orm/core'

/**
 * A decimal as text with exactly `scale` fraction digits, rounded half away from zero like a DECIMAL column.
 * Pure string work: going through a float would lose digits past 2^53.
 */
export function normalizeDecimal(value: string, scale: number): string {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(value)
  if (!match || (match[2] === '' && !match[3])) throw new ValidationError(`"${value}" is not a decimal number.`)
  const negative = match[1] === '-'
  let digits = match[2] + (match[3] ?? '')
  // Where the decimal point sits within `digits`, after applying the exponent.
  let point = match[2].length + Number(match[4] ?? 0)
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length)
  let whole = digits.slice(0, point)
  let fraction = digits.slice(point)
  if (fraction.length > scale) {
    const roundUp = fraction.charCodeAt(scale) >= 53 // '5'
    fraction = fraction.slice(0, scale)
    if (roundUp) {
      const bumped = increment(whole + fraction)
      whole = bumped.slice(0, bumped.length - scale)
      fraction = bumped.slice(bumped.length - scale)
    }
  }
  fraction = fraction.padEnd(scale, '0')
  whole = whole.replace(/^0+(?=\d)/, '') || '0'
  const text = scale > 0 ? `${whole}.${fraction}` : whole
  return negative && /[1-9]/.test(text) ? `-${text}` : text
}

/** Adds one to a string of decimal digits. */
function increment(digits: string): string {
  const out = digits.split('')
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1)
      return out.join('')
    }
    out[i] = '0'
  }
  return '1' + out.join('')
}
