import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePath, exampleFromSchema, readApiReference } from './openapi';

const weather = JSON.parse(
  readFileSync(join(__dirname, '../../../../libs/testing/sample-apps/weather-api/openapi.json'), 'utf8'),
) as Record<string, unknown>;

describe('readApiReference', () => {
  it('lists the sample API’s operations with parameters, resolved body schema and responses', () => {
    const ref = readApiReference(weather);
    expect(ref.title).toBe('Weather API');
    expect(ref.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /forecast', 'GET /cities', 'POST /alerts']);
    const forecast = ref.operations[0]!;
    expect(forecast.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['city', 'query', true],
      ['days', 'query', false],
    ]);
    expect(forecast.responses.map((r) => r.status)).toEqual(['200', '404']);
    expect(forecast.responses[0]!.schema!.properties.map((p) => p.name)).toEqual(['city', 'forecast']);
    const alerts = ref.operations[2]!;
    expect(alerts.requestBody).toMatchObject({ required: true, contentType: 'application/json' });
    expect(alerts.requestBody!.schema!.properties.map((p) => [p.name, p.required, p.schema.type])).toEqual([
      ['city', true, 'string'],
      ['belowC', true, 'number'],
    ]);
  });

  it('merges path-level parameters (the operation’s own win) and survives cycles and remote refs', () => {
    const doc = {
      paths: {
        '/items/{id}': {
          parameters: [
            { name: 'id', in: 'path', schema: { type: 'string', example: 'a1' } },
            { name: 'v', in: 'query', description: 'shared' },
          ],
          get: {
            parameters: [{ name: 'v', in: 'query', description: 'own', required: true, schema: { type: 'integer' } }],
            responses: { '200': { $ref: 'https://elsewhere/x' } },
          },
        },
      },
      components: { schemas: { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } } },
    };
    const op = readApiReference(doc).operations[0]!;
    expect(op.parameters.map((p) => [p.name, p.description, p.required])).toEqual([
      ['id', null, true],
      ['v', 'own', true],
    ]);
    expect(op.responses).toEqual([{ status: '200', description: null, schema: null }]);
    expect(examplePath(op)).toBe('/items/a1?v=0');
    const cyclic = readApiReference({
      paths: { '/n': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } },
      components: doc.components,
    });
    expect(cyclic.operations[0]!.requestBody!.schema!.properties[0]!.schema.type).toBe('Node');
  });

  it('reads nothing from a missing or odd document instead of failing the page', () => {
    expect(readApiReference(null).operations).toEqual([]);
    expect(readApiReference({ paths: 'nope', info: 3 }).operations).toEqual([]);
  });
});

describe('examples for the try-it panel', () => {
  it('fills required query parameters and builds a body from the schema', () => {
    const ref = readApiReference(weather);
    expect(examplePath(ref.operations[0]!)).toBe('/forecast?city=lisbon');
    expect(exampleFromSchema(ref.operations[2]!.requestBody!.schema)).toEqual({ city: 'string', belowC: 0 });
  });
});
