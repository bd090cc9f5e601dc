import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema.js';

const checkedIn = JSON.parse(
  readFileSync(new URL('../../schema/backport.schema.json', import.meta.url), 'utf8'),
);
const example: unknown = parse(
  readFileSync(new URL('../../docs/backport.example.yml', import.meta.url), 'utf8'),
);

describe('schema/backport.schema.json', () => {
  it('is up to date with the zod schema (run `npx tsx scripts/generate-config-schema.ts`)', () => {
    expect(checkedIn).toEqual(configJsonSchema());
  });

  it('documents every key', () => {
    const properties = checkedIn.properties as Record<string, { description?: string }>;
    expect(Object.keys(properties).length).toBeGreaterThan(15);
    for (const [key, property] of Object.entries(properties)) {
      expect([key, typeof property.description]).toEqual([key, 'string']);
    }
  });

  it('accepts the example file and rejects unknown keys, as an editor would', () => {
    const validate = new Ajv2020({ strict: false }).compile(checkedIn);
    expect(validate(example)).toBe(true);
    expect(validate({ lables: ['x'] })).toBe(false);
  });
});
