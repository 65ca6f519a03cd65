import { UserError } from '../errors.js';

/**
 * A commander argument parser for a decimal integer option in [min, max]. Anything else is a
 * `UserError` with `code` that names the flag, the range and an example.
 */
export function integerOption(flag: string, min: number, max: number, example: number, code = 'emulate.bad-integer'): (value: string) => number {
  return (value) => {
    const n = /^[0-9]+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) {
      throw new UserError(code, `${flag} "${value}" is not an integer from ${min} to ${max}`, `use a whole number, e.g. ${flag} ${example}`);
    }
    return n;
  };
}
