/**
 * Writes schema/backport.schema.json from the zod schema. Run after changing
 * src/config/schema.ts: `npx tsx scripts/generate-config-schema.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { configJsonSchema } from '../src/config/json-schema.js';

const target = fileURLToPath(new URL('../schema/backport.schema.json', import.meta.url));
const options = (await prettier.resolveConfig(target)) ?? {};
const text = await prettier.format(JSON.stringify(configJsonSchema()), { ...options, filepath: target });
await writeFile(target, text);
console.log(`wrote ${target}`);
