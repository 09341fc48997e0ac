import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './harness.ts';

/** A fresh copy of examples/ecommerce (poc.yaml, schemas, data) in a temp directory. */
export function copyEcommerceExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-ecommerce-'));
  cpSync(join(REPO_ROOT, 'examples', 'ecommerce'), dir, { recursive: true });
  return dir;
}
