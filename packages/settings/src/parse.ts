import { z } from 'zod';
import { SettingsError, problemsOf } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A service's variables: each key is the variable's name, each value a helper of `setting`. */
export type SettingsShape = Record<string, z.ZodType<unknown, unknown>>;

/**
 * The typed values of `schema` read from `env`, or one SettingsError naming every variable that
 * does not parse. Variables the schema does not name are ignored (the environment holds many).
 */
export function parseSettings<S extends SettingsShape>(
  shape: S | z.ZodObject<S>,
  env: Env = process.env,
): z.output<z.ZodObject<S>> {
  const schema = shape instanceof z.ZodObject ? shape : z.object(shape);
  const result = schema.safeParse(env);
  if (!result.success) throw new SettingsError(problemsOf(result.error.issues, env));
  return result.data as z.output<z.ZodObject<S>>;
}

/**
 * For a service's main.ts: the settings, or their message on stderr and exit code 1, before
 * anything connects to a store (a stack trace would only hide which variable is wrong).
 */
export function settingsOrExit<T>(service: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`${service}: invalid settings\n${error.message}\n`);
    process.exit(1);
  }
}
