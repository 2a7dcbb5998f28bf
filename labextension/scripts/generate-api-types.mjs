// Writes src/openapi.ts: TypeScript types generated (openapi-typescript) from the server's OpenAPI
// document, so the typed client in src/api.ts cannot drift from the REST API it calls.
//
// The document comes from orchestr_lab.server_ext.openapi.openapi_document (through
// openapi_document.py, which leaves out the machine's list of time zones), written to
// ../build/openapi.json on the way. The Python that imports orchestr_lab is $ORCHESTR_LAB_PYTHON
// (the Makefile sets it to the project's venv), else python3. The generated file is committed, so
// the npm build needs no Python; tests/test_frontend_types.py fails when it is stale.
//
//   node scripts/generate-api-types.mjs [--out FILE] [--document FILE]   (jlpm generate:api)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
/** The value after `--name` on the command line, else `fallback`. */
function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return resolve(index > 0 ? process.argv[index + 1] : fallback);
}
const out = option('out', resolve(here, '..', 'src', 'openapi.ts'));
const documentPath = option('document', resolve(here, '..', '..', 'build', 'openapi.json'));

const python = process.env.ORCHESTR_LAB_PYTHON || 'python3';
const dump = spawnSync(python, [resolve(here, 'openapi_document.py')], {
  cwd: resolve(here, '..', '..'),
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 << 20
});
if (dump.error || dump.status !== 0) {
  console.error(
    `error: ${python} could not write the OpenAPI document` + (dump.error ? `: ${dump.error.message}` : '')
  );
  process.exit(dump.status || 1);
}
mkdirSync(dirname(documentPath), { recursive: true });
writeFileSync(documentPath, dump.stdout);

// Fields with a server default are always present in answers: required in the generated types
// (openapi-typescript's defaultNonNullable). Request bodies loosen them again in api.ts.
const ast = await openapiTS(JSON.parse(dump.stdout), { defaultNonNullable: true });
writeFileSync(out, astToString(ast));
console.log(`wrote ${out} from ${documentPath}`);
