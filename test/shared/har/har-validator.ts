/** Validates a HAR document against the HAR 1.2 JSON schema from `har-schema`, with ajv. */
import { createRequire } from 'node:module';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
const schemas = require('har-schema') as Record<string, { $id: string }>;
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as object;

// har-schema is draft-06 and uses a non-standard `min` keyword: not strict. The three
// formats it uses are defined here (ajv-formats is not installed); `serverIPAddress` is
// `oneOf` ipv4/ipv6, so the formats must really be checked for a valid file to pass.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
ajv.addFormat('ipv4', /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/);
ajv.addFormat('ipv6', (s: string) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
ajv.addFormat('uri', /^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/);
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#');
if (!validate) throw new Error('har-schema: har.json# not found');

export function harSchemaErrors(har: unknown): string[] {
  // Through JSON, as a file would be: drops undefined fields.
  const ok = validate!(JSON.parse(JSON.stringify(har)));
  return ok ? [] : (validate!.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
