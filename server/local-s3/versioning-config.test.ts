import { describe, expect, it } from 'vitest';
import { parseVersioningConfiguration } from './versioning-config.ts';
import { parseXml } from './xml.ts';

const parse = (xml: string) => parseVersioningConfiguration(parseXml(xml));
const failure = (xml: string) => {
  try {
    parse(xml);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe('parseVersioningConfiguration', () => {
  it('takes Enabled and Suspended, with MfaDelete Disabled or left out', () => {
    expect(parse(`<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`)).toBe(
      'Enabled',
    );
    expect(
      parse(
        '<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>',
      ),
    ).toBe('Suspended');
  });

  it('refuses MFA delete as not implemented, and anything else as S3 does', () => {
    expect(
      failure(
        '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>',
      ),
    ).toBe('NotImplemented');
    expect(failure('<VersioningConfiguration></VersioningConfiguration>')).toBe(
      'IllegalVersioningConfigurationException',
    );
    expect(failure('<VersioningConfiguration><Status>On</Status></VersioningConfiguration>')).toBe(
      'MalformedXML',
    );
    expect(failure('<Versioning><Status>Enabled</Status></Versioning>')).toBe('MalformedXML');
  });
});
