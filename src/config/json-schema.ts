/**
 * The editor JSON schema of `.github/backport.yml`, derived from the zod schema so the two
 * cannot drift (a test compares it with the checked-in `schema/backport.schema.json`).
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // 'input' describes what a person writes: fields with defaults are optional.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'throw' });
  return { ...schema, title: 'Backport Assistant configuration (.github/backport.yml)' };
}
