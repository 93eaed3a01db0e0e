// A body member sent as JSON `null` is a member not sent. Bedrock's APIs are restJson1 (the service models'
// `protocol`), and Smithy's restJson1 compliance tests state it for servers: RestJsonServersDontSerializeNullStructureValues,
// "Rest Json should not deserialize null structure values" — the body `{"stringValue": null}` is the input `{}`.
// An absent optional member is no error (only `required` members are). The request parser hands each top-level
// body member to its shape's coercer, so those coercers get `undefined` (absent) and `null` for every shape type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coerce, type Issues } from '../../src/emulator/protocol/validate.js';
import type { ServiceModel } from '../../src/emulator/protocol/service-model.js';
import { startEmulatorForTest } from '../jobs/helpers.js';

// One shape of each type a Smithy model has, with constraints, so that a null that got through would be checked.
const MODEL: ServiceModel = {
  metadata: { serviceId: 'Test', endpointPrefix: 'test' },
  operations: {},
  shapes: {
    Struct: { type: 'structure', required: ['s'], members: { s: { shape: 'Str' } } },
    Union: { type: 'structure', union: true, members: { a: { shape: 'Str' }, b: { shape: 'Int' } } },
    List: { type: 'list', member: { shape: 'Str' }, min: 1 },
    Map: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Int' }, min: 1 },
    Str: { type: 'string', min: 1, pattern: '[a-z]+', enum: ['ab'] },
    Int: { type: 'integer', min: 1 },
    Long: { type: 'long', min: 1 },
    Float: { type: 'float', min: 1 },
    Double: { type: 'double', min: 1 },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
    Blob: { type: 'blob', min: 1 },
    Doc: { type: 'structure', document: true },
  },
};

describe('a null or absent member of any shape type', () => {
  for (const shape of Object.keys(MODEL.shapes)) {
    it(`${shape}: no value and no issue`, () => {
      for (const value of [null, undefined]) {
        const issues: Issues = { constraints: [], types: [] };
        // A fresh model each time: coercers are built once per model and shape.
        expect(coerce(structuredClone(MODEL), { shape }, value, 'member', issues), String(value)).toBeUndefined();
        expect(issues, String(value)).toEqual({ constraints: [], types: [] });
      }
    });
  }
  it('a member bound as a JSON value (jsonvalue) too', () => {
    const issues: Issues = { constraints: [], types: [] };
    expect(coerce(structuredClone(MODEL), { shape: 'Str', jsonvalue: true }, null, 'member', issues)).toBeUndefined();
    expect(issues).toEqual({ constraints: [], types: [] });
  });
});

describe('Converse over HTTP with null members', () => {
  let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
  beforeAll(async () => {
    env = await startEmulatorForTest();
  });
  afterAll(() => env.cleanup());
  const post = async (operation: 'converse' | 'count-tokens', body: object) => {
    const res = await fetch(`${env.server.endpoint}/model/anthropic.claude-3-haiku-20240307-v1:0/${operation}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  /** The answer without its measured latency. */
  const converse = async (body: object) => {
    const { status, body: { metrics, ...answer } } = await post('converse', body);
    return { status, answer };
  };
  const messages = [{ role: 'user', content: [{ text: 'Name three rivers.' }] }];

  it('answers as if the null members were not sent', async () => {
    const plain = await converse({ messages });
    expect(plain.status).toBe(200);
    const nulls = await converse({
      messages, system: null, inferenceConfig: null, toolConfig: null, guardrailConfig: null, additionalModelRequestFields: null,
      additionalModelResponseFieldPaths: null, promptVariables: null, requestMetadata: null, performanceConfig: null,
    });
    expect(nulls).toEqual(plain);
  });
  it('and nested null members as if absent from their structure', async () => {
    const empty = await converse({ messages, inferenceConfig: {} });
    expect(empty.status).toBe(200);
    expect(await converse({ messages, inferenceConfig: { maxTokens: null, temperature: null, topP: null, stopSequences: null } })).toEqual(empty);
  });
  it('still requires a required member sent as null (CountTokens: input)', async () => {
    const res = await post('count-tokens', { input: null });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null");
  });
  it('refuses a null item of a list or value of a map as a null member: every list and map in the service models is dense (none is @sparse)', async () => {
    // AWS's validation wording for a null item: "Value null at '<list>.<n>.member' failed to satisfy constraint:
    // Member must not be null" (1-based index), the form of every other member constraint.
    for (const [body, at] of [
      [{ messages: [null] }, 'messages.1.member'],
      [{ messages: [messages[0], null] }, 'messages.2.member'],
      [{ messages: [{ role: 'user', content: [null] }] }, 'messages.1.member.content.1.member'],
      [{ messages, system: [null] }, 'system.1.member'],
      // Maps are dense too (none is @sparse): a null value of requestMetadata, at the map's path and its key.
      [{ messages, requestMetadata: { team: null } }, 'requestMetadata.team'],
    ] as const) {
      const res = await post('converse', body);
      expect([res.status, res.body.message], at).toEqual([400, `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`]);
    }
  });
});
