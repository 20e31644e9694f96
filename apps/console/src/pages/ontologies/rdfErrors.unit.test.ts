import { describe, expect, it } from 'vitest';
import { importErrorPosition, offsetOf } from './rdfErrors.js';

const turtle = '@prefix ex: <https://ex.org/> .\nex:A a ex:B ;\n  ex:c "x" .\n';

describe('offsetOf', () => {
  it('turns a 1-based line and column into an offset', () => {
    expect(offsetOf(turtle, 1, 1)).toBe(0);
    expect(turtle.slice(offsetOf(turtle, 2, 8))).toMatch(/^ex:B/);
    expect(turtle.slice(offsetOf(turtle, 3, 3))).toMatch(/^ex:c/);
  });

  it('clamps past the end of a line or of the text', () => {
    expect(offsetOf(turtle, 2, 999)).toBe(turtle.indexOf('\n', turtle.indexOf('ex:A')));
    expect(offsetOf(turtle, 99, 1)).toBe(turtle.length);
    expect(offsetOf('', 1, 5)).toBe(0);
  });
});

describe('importErrorPosition', () => {
  it('takes the first error with a line, as Odin sends it', () => {
    const errors = [
      { message: 'other', extensions: { code: 'INTERNAL' } },
      { message: 'Unexpected "."', extensions: { code: 'BAD_USER_INPUT', field: 'input.content', line: 3, column: 3 } },
    ];
    expect(importErrorPosition(errors, turtle)).toEqual({ line: 3, column: 3, offset: offsetOf(turtle, 3, 3) });
  });

  it('gives null when no error says where, and ignores nonsense positions', () => {
    expect(importErrorPosition([{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }], turtle)).toBeNull();
    expect(importErrorPosition([{ message: 'x', extensions: { line: 0, column: 1 } }], turtle)).toBeNull();
    expect(importErrorPosition([{ message: 'x', extensions: { line: '2' } }], turtle)).toBeNull();
    expect(importErrorPosition([{ message: 'x', extensions: { line: 2 } }], turtle)?.column).toBe(1);
  });
});
