import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3DownloadLinks } from '../../src/adapters/s3-download-links';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const signingDate = new Date('2026-03-02T08:30:00.000Z');
const key = 'reports/daily/2026-03-01.csv';
const fileName = 'sales-2026-03-01.csv';

/** The URL the S3 client itself presigns for the same GetObject. */
function clientSigned(client: S3Client, bucket: string): Promise<string> {
  const get = new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: `attachment; filename="${fileName}"` });
  return getSignedUrl(client, get, { expiresIn: 900, signingDate });
}

describe('download links to report files', () => {
  it('signs the same URL as the S3 client on AWS', async () => {
    // Prepare
    const links = new S3DownloadLinks({
      bucket: 'storefront-reports',
      region: 'eu-west-1',
      credentials: async () => credentials,
      signingDate: () => signingDate,
    });
    const expected = await clientSigned(new S3Client({ region: 'eu-west-1', credentials }), 'storefront-reports');

    // Act
    const url = await links.downloadUrl(key, 900, fileName);

    // Assert
    expect(url).toBe(expected);
    expect(url).toMatch(/^https:\/\/storefront-reports\.s3\.eu-west-1\.amazonaws\.com\/reports\/daily\/2026-03-01\.csv\?/);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('signs the same path-style URL as the S3 client on a custom endpoint', async () => {
    // Prepare
    const endpoint = 'http://127.0.0.1:4566';
    const links = new S3DownloadLinks({
      bucket: 'reports-local',
      region: 'us-east-1',
      credentials: async () => credentials,
      endpoint,
      signingDate: () => signingDate,
    });
    const expected = await clientSigned(new S3Client({ region: 'us-east-1', credentials, endpoint }), 'reports-local');

    // Act
    const url = await links.downloadUrl(key, 900, fileName);

    // Assert
    expect(url).toBe(expected);
    expect(url.startsWith('http://127.0.0.1:4566/reports-local/reports/daily/2026-03-01.csv?')).toBe(true);
  });

  it('encodes a key as the S3 client does', async () => {
    // Prepare
    const odd = "reports/daily/it's (draft) #1.csv";
    const links = new S3DownloadLinks({
      bucket: 'storefront-reports',
      region: 'eu-west-1',
      credentials: async () => credentials,
      signingDate: () => signingDate,
    });
    const get = new GetObjectCommand({
      Bucket: 'storefront-reports',
      Key: odd,
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    });
    const expected = await getSignedUrl(new S3Client({ region: 'eu-west-1', credentials }), get, { expiresIn: 60, signingDate });

    // Act
    const url = await links.downloadUrl(odd, 60, fileName);

    // Assert
    expect(url).toBe(expected);
  });
});
