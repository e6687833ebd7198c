import { hasSeveralWildcards, headerAllowed, originAllowed } from '../shared/cors-match.ts';
import { S3Error } from './errors.ts';
import { childElements, childText, type XmlElement, type XmlNode } from './xml.ts';

/** Bucket CORS rules (same shape as the SDK's CORSRule) and the pure matching S3 does. */
export interface CorsRule {
  ID?: string;
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

export interface CorsRequest {
  origin: string;
  method: string;
  /** requested headers (preflight only), lower-case */
  headers: string[];
}

export function findCorsRule(rules: readonly CorsRule[], request: CorsRequest): CorsRule | undefined {
  return rules.find(
    (rule) =>
      originAllowed(rule.AllowedOrigins, request.origin) &&
      rule.AllowedMethods.includes(request.method) &&
      request.headers.every((h) => headerAllowed(rule.AllowedHeaders, h)),
  );
}

/** Response headers for a request that matched `rule`. */
export function corsHeaders(
  rule: CorsRule,
  request: CorsRequest,
  preflight: boolean,
): Record<string, string> {
  const anyOrigin = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : request.origin,
    'Access-Control-Allow-Methods': rule.AllowedMethods.join(', '),
  };
  if (!anyOrigin) headers['Access-Control-Allow-Credentials'] = 'true';
  if (preflight && request.headers.length > 0)
    headers['Access-Control-Allow-Headers'] = request.headers.join(', ');
  if (rule.ExposeHeaders?.length) headers['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return headers;
}

export function parseCorsConfiguration(doc: XmlElement): CorsRule[] {
  if (doc.name !== 'CORSConfiguration') throw new S3Error('MalformedXML');
  const rules = childElements(doc, 'CORSRule').map((el): CorsRule => {
    const list = (name: string) => childElements(el, name).map((c) => c.text.trim());
    const maxAge = childText(el, 'MaxAgeSeconds');
    const id = childText(el, 'ID');
    const rule: CorsRule = {
      AllowedOrigins: list('AllowedOrigin'),
      AllowedMethods: list('AllowedMethod'),
      AllowedHeaders: list('AllowedHeader'),
      ExposeHeaders: list('ExposeHeader'),
      ...(id === undefined ? {} : { ID: id }),
      ...(maxAge === undefined ? {} : { MaxAgeSeconds: Number(maxAge) }),
    };
    validateCorsRule(rule);
    return rule;
  });
  if (rules.length === 0 || rules.length > 100) throw new S3Error('MalformedXML');
  return rules;
}

export function validateCorsRule(rule: CorsRule): void {
  if (rule.AllowedOrigins.length === 0 || rule.AllowedMethods.length === 0) throw new S3Error('MalformedXML');
  for (const method of rule.AllowedMethods)
    if (!METHODS.includes(method))
      throw new S3Error(
        'InvalidRequest',
        `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      );
  // S3's own words for an entry it cannot match.
  for (const [what, entries] of [
    ['AllowedOrigin', rule.AllowedOrigins],
    ['AllowedHeader', rule.AllowedHeaders ?? []],
  ] as const)
    for (const entry of entries)
      if (hasSeveralWildcards(entry))
        throw new S3Error('InvalidRequest', `${what} "${entry}" can not have more than one wildcard.`);
  if (rule.MaxAgeSeconds !== undefined && !Number.isInteger(rule.MaxAgeSeconds))
    throw new S3Error('MalformedXML');
}

export function corsConfigurationXml(rules: readonly CorsRule[]): XmlNode[] {
  return rules.map((rule) => [
    'CORSRule',
    [
      rule.ID === undefined ? undefined : ['ID', rule.ID],
      ...(rule.AllowedHeaders ?? []).map((h): XmlNode => ['AllowedHeader', h]),
      ...rule.AllowedMethods.map((m): XmlNode => ['AllowedMethod', m]),
      ...rule.AllowedOrigins.map((o): XmlNode => ['AllowedOrigin', o]),
      ...(rule.ExposeHeaders ?? []).map((h): XmlNode => ['ExposeHeader', h]),
      rule.MaxAgeSeconds === undefined ? undefined : ['MaxAgeSeconds', rule.MaxAgeSeconds],
    ],
  ]);
}
