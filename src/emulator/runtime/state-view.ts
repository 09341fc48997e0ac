import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from '../persist.ts';
import { STATE_FILE, type ResourceRecord } from '../personalize/store.ts';

/**
 * The Personalize control plane's records, as the runtime sees them: read from the state file the
 * control plane saves before answering each call, so whatever a client created is visible here at
 * once, without the runtime sharing (or changing) the control plane's memory. Re-read only when
 * the file was replaced.
 */
export class StateView {
  private stamp = '';
  private byArn = new Map<string, ResourceRecord>();

  constructor(private readonly dir: string) {}

  /** The record with this ARN as last saved, of any kind. */
  get(arn: string): ResourceRecord | undefined {
    this.refresh();
    return this.byArn.get(arn);
  }

  list(kind: string): ResourceRecord[] {
    this.refresh();
    return [...this.byArn.values()].filter((r) => r.kind === kind);
  }

  private refresh(): void {
    const path = join(this.dir, STATE_FILE);
    let stamp = 'absent';
    try {
      const stat = statSync(path);
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      // No state yet: nothing has been created.
    }
    if (stamp === this.stamp) return;
    const file = readJson<{ records: ResourceRecord[] }>(path, { records: [] });
    this.byArn = new Map(file.records.map((r) => [r.arn, r]));
    this.stamp = stamp;
  }
}
