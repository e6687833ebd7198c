import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from './config.ts';
import { editDistance, settingWarnings } from './setting-names.ts';

describe('settingWarnings: settings that look like Hoist’s but are not read', () => {
  it('names a misspelt setting and the one it is likely meant to be', () => {
    expect(settingWarnings({ S3_ENDPIONT: 'http://127.0.0.1:7480', S3_BUCKET: 'b' }, SETTING_NAMES)).toEqual([
      "S3_ENDPIONT is not a Hoist setting (did you mean S3_ENDPOINT?): it is ignored. The settings are in the README's Configuration.",
    ]);
    expect(settingWarnings({ HOIST_PRESIGN_TLL: '1h' }, SETTING_NAMES)[0]).toContain(
      '(did you mean HOIST_PRESIGN_TTL?)',
    );
  });

  it('names one that is like none without a guess, and leaves set settings, other tools’ and empty ones alone', () => {
    expect(settingWarnings({ S3_ACCESS_KEY: 'x' }, SETTING_NAMES)).toEqual([
      "S3_ACCESS_KEY is not a Hoist setting (did you mean S3_ACCESS_KEY_ID?): it is ignored. The settings are in the README's Configuration.",
    ]);
    expect(settingWarnings({ HOIST_COLOUR_SCHEME: 'dark' }, SETTING_NAMES)).toEqual([
      "HOIST_COLOUR_SCHEME is not a Hoist setting: it is ignored. The settings are in the README's Configuration.",
    ]);
    expect(
      settingWarnings(
        { S3_ENDPOINT: 'aws', HOIST_SECRET: 's', S3_KIND: 'rgw', AWS_REGION: 'eu-west-1', S3_TYPO: '' },
        SETTING_NAMES,
      ),
    ).toEqual([]);
  });

  it('says the AWS CLI’s endpoint variable is not read when S3_ENDPOINT is unset, and how to use that store', () => {
    expect(settingWarnings({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480' }, SETTING_NAMES)).toEqual([
      'AWS_ENDPOINT_URL_S3 is set, but Hoist reads S3_ENDPOINT, which is not: it uses its embedded store. To use the store at http://127.0.0.1:7480, set S3_ENDPOINT=http://127.0.0.1:7480.',
    ]);
    expect(
      settingWarnings({ AWS_ENDPOINT_URL_S3: 'http://x:1', S3_ENDPOINT: 'http://x:1' }, SETTING_NAMES),
    ).toEqual([]);
  });

  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('ENDPIONT', 'ENDPOINT')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
