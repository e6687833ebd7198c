import { S3Error } from './errors.ts';
import type { VersioningStatus } from './records.ts';
import { childText, type XmlElement } from './xml.ts';

/**
 * The body of PutBucketVersioning: `<VersioningConfiguration><Status>Enabled|Suspended</Status>` and optionally
 * `<MfaDelete>`. MFA delete is not something the store can do: Enabled is refused (501), Disabled changes nothing.
 */
export function parseVersioningConfiguration(doc: XmlElement): VersioningStatus {
  if (doc.name !== 'VersioningConfiguration') throw new S3Error('MalformedXML');
  const mfaDelete = childText(doc, 'MfaDelete')?.trim();
  if (mfaDelete === 'Enabled')
    throw new S3Error('NotImplemented', 'MFA delete is not implemented by the local store');
  if (mfaDelete !== undefined && mfaDelete !== 'Disabled') throw new S3Error('MalformedXML');
  const status = childText(doc, 'Status')?.trim();
  if (status === undefined)
    throw new S3Error('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
  if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  return status;
}
