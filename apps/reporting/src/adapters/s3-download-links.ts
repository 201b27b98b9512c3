import { formatUrl } from '@aws-sdk/core/util';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { requiredEnv } from '@storefront/lambda-runtime';
import type { DownloadLinks } from '../domain/ports';

export interface S3DownloadLinksOptions {
  bucket: string;
  region: string;
  credentials: ReturnType<typeof fromEnv>;
  /** A custom S3 endpoint (the local emulator), addressed path-style as the SDK does for one; else AWS's own. */
  endpoint?: string | undefined;
  /** The signing time; now unless a test fixes it. */
  signingDate?: () => Date;
}

/**
 * Download links to files of the reports bucket: a presigned GET, which whoever holds it may use to read that one
 * file until it expires, with no credentials of their own. Signed by the SDK's own S3 presigner on a request written
 * here, rather than through the S3 client and its GetObject command: the same URL (a unit test compares them) without
 * the client's ~150 KiB in the function that serves reports.
 */
export class S3DownloadLinks implements DownloadLinks {
  private readonly presigner: S3RequestPresigner;

  constructor(private readonly options: S3DownloadLinksOptions) {
    this.presigner = new S3RequestPresigner({ credentials: options.credentials, region: options.region, sha256: Sha256 });
  }

  async downloadUrl(key: string, expiresInSeconds: number, fileName: string): Promise<string> {
    const { bucket, region, endpoint } = this.options;
    // Each segment of the key encoded as the S3 client writes a key into a path.
    const path = key.split('/').map(extendedEncodeURIComponent).join('/');
    const url = endpoint
      ? new URL(`${endpoint.replace(/\/$/, '')}/${bucket}/${path}`)
      : new URL(`https://${bucket}.s3.${region}.amazonaws.com/${path}`);
    const request = new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: { 'response-content-disposition': `attachment; filename="${fileName}"`, 'x-id': 'GetObject' },
      // The client asks S3 to send the object's checksum (its default response validation): the same link either way.
      headers: { host: url.host, 'x-amz-checksum-mode': 'ENABLED' },
    });
    const signed = await this.presigner.presign(request, { expiresIn: expiresInSeconds, signingDate: this.options.signingDate?.() });
    return formatUrl(signed);
  }
}

/** Links to the bucket named by REPORTS_BUCKET, signed with the function's own credentials. */
export const downloadLinksFromEnvironment = (): S3DownloadLinks =>
  new S3DownloadLinks({
    bucket: requiredEnv('REPORTS_BUCKET'),
    region: requiredEnv('AWS_REGION'),
    credentials: fromEnv(),
    endpoint: process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL,
  });
