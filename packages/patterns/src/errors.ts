/**
 * A pattern that cannot be compiled. Services map it to their own error at their edge (Heimdall's
 * PolicyValidationError, the Gateway's BAD_USER_INPUT), naming the input field it came from.
 */
export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    /** What is wrong, as a clause: `"[" at 4 is never closed`. */
    readonly problem: string,
  ) {
    super(`"${pattern}" is not a valid glob: ${problem}.`);
    this.name = 'PatternError';
  }
}
