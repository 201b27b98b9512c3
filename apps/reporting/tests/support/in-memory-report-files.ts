import type { DownloadLinks, ReportFiles } from '../../src/domain/ports';

/** The reports bucket in memory: what was written under each key, and links that name the key. */
export class InMemoryReportFiles implements ReportFiles, DownloadLinks {
  readonly bucket = 'reports-test';
  readonly objects = new Map<string, { body: string; contentType: string }>();

  async write(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }

  async downloadUrl(key: string, expiresInSeconds: number, fileName: string): Promise<string> {
    return `https://${this.bucket}.example/${key}?expires=${expiresInSeconds}&name=${fileName}`;
  }
}
