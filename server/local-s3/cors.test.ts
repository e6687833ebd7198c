import { describe, expect, it } from 'vitest';
import { corsHeaders, findCorsRule, parseCorsConfiguration, type CorsRule } from './cors.ts';
import { buildXml, parseXml } from './xml.ts';
import { corsConfigurationXml } from './cors.ts';

const rules: CorsRule[] = [
  {
    AllowedOrigins: ['https://app.example'],
    AllowedMethods: ['PUT'],
    AllowedHeaders: ['content-*'],
    MaxAgeSeconds: 60,
  },
  {
    AllowedOrigins: ['http://*.local'],
    AllowedMethods: ['GET', 'PUT'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag'],
  },
];

describe('cors', () => {
  it('matches origin, method and requested headers (wildcards, case-insensitive headers)', () => {
    expect(
      findCorsRule(rules, { origin: 'https://app.example', method: 'PUT', headers: ['content-type'] }),
    ).toBe(rules[0]);
    expect(
      findCorsRule(rules, { origin: 'https://app.example', method: 'PUT', headers: ['x-amz-meta-a'] }),
    ).toBeUndefined();
    expect(findCorsRule(rules, { origin: 'http://a.local', method: 'GET', headers: ['X-Anything'] })).toBe(
      rules[1],
    );
    expect(
      findCorsRule(rules, { origin: 'https://evil.example', method: 'GET', headers: [] }),
    ).toBeUndefined();
    expect(findCorsRule(rules, { origin: 'http://a.local', method: 'DELETE', headers: [] })).toBeUndefined();
    const anyPort: CorsRule = { AllowedOrigins: ['http://127.0.0.1:*'], AllowedMethods: ['PUT'] };
    expect(findCorsRule([anyPort], { origin: 'http://127.0.0.1:8080', method: 'PUT', headers: [] })).toBe(
      anyPort,
    );
  });

  it('refuses an AllowedOrigin or AllowedHeader with more than one "*", in S3\'s words', () => {
    const withEntries = (origin: string, header: string) =>
      `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedHeader>${header}</AllowedHeader></CORSRule></CORSConfiguration>`;
    expect(() => parseCorsConfiguration(parseXml(withEntries('https://*.*.com', '*')))).toThrow(
      expect.objectContaining({
        code: 'InvalidRequest',
        message: 'AllowedOrigin "https://*.*.com" can not have more than one wildcard.',
      }),
    );
    expect(() => parseCorsConfiguration(parseXml(withEntries('*', 'x-*-*')))).toThrow(
      expect.objectContaining({ code: 'InvalidRequest', message: expect.stringMatching(/AllowedHeader/) }),
    );
    expect(parseCorsConfiguration(parseXml(withEntries('https://*.example.com', 'x-amz-*')))).toHaveLength(1);
  });

  it('builds response headers', () => {
    const h = corsHeaders(
      rules[1]!,
      { origin: 'http://a.local', method: 'PUT', headers: ['content-type'] },
      true,
    );
    expect(h).toEqual({
      'Access-Control-Allow-Origin': 'http://a.local',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, PUT',
      'Access-Control-Allow-Headers': 'content-type',
      'Access-Control-Expose-Headers': 'ETag',
    });
    const star = corsHeaders(
      { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
      { origin: 'x', method: 'GET', headers: [] },
      false,
    );
    expect(star['Access-Control-Allow-Origin']).toBe('*');
  });

  it('round-trips the XML configuration and rejects unsupported methods', () => {
    const xml = buildXml('CORSConfiguration', corsConfigurationXml(rules));
    expect(parseCorsConfiguration(parseXml(xml))).toEqual([
      { ...rules[0], ExposeHeaders: [] },
      { ...rules[1] },
    ]);
    const bad =
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>';
    expect(() => parseCorsConfiguration(parseXml(bad))).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }),
    );
  });
});
