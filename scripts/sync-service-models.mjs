// Copies the official botocore service models from ../shared/aws-models into the package, minus the
// documentation strings (they are 80% of the bytes and nothing reads them). Run after shared/ updates them.
import { readFileSync, writeFileSync } from 'node:fs';

const sources = {
  bedrock: '../shared/aws-models/botocore/bedrock/2023-04-20/service-2.json',
  'bedrock-runtime': '../shared/aws-models/botocore/bedrock-runtime/2023-09-30/service-2.json',
};
const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => k !== 'documentation' && k !== 'documentationUrl').map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
};
for (const [name, path] of Object.entries(sources)) {
  const model = strip(JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')));
  writeFileSync(new URL(`../src/emulator/service-models/${name}.json`, import.meta.url), JSON.stringify(model) + '\n');
}
