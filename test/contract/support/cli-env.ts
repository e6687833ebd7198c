import { join } from 'node:path';
import type { S3Target } from './target.ts';

/**
 * The environment an AWS CLI or boto3 run gets against `target`: its keys and region, and none of the
 * machine's own settings (HOME and the config files are in `work`, which may hold a `config` to use).
 */
export function cliEnv(target: S3Target, work: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: target.region,
    AWS_REGION: target.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    PYENV_VERSION: process.env['PYENV_VERSION'],
    PYENV_ROOT: process.env['PYENV_ROOT'] ?? '/root/.pyenv',
  };
}
