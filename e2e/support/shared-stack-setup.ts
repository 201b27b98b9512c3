import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRY_VARIABLE } from './shared-stack';

/** Jest's globalSetup for the e2e project: a folder where each process registers the shared stack it booted. */
export default function createSharedStackRegistry(): void {
  process.env[REGISTRY_VARIABLE] = mkdtempSync(join(tmpdir(), 'storefront-e2e-shared-'));
}
