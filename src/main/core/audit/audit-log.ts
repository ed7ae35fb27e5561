// The audit log: every change and every test, one JSON line each, in audit.log beside the stores.
// Bounded: past MAX_BYTES the file rotates (audit.1.log ... audit.3.log), so it never grows
// without limit. Entries name actions, connections and outcomes; never a secret.
import { appendFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEntry, AuditQuery } from '../../../shared/types';

export const MAX_AUDIT_BYTES = 1024 * 1024;
const KEEP_ROTATED = 3;

export class AuditLog {
  private readonly file: string;
  private readonly user: string;

  constructor(
    dataDir: string,
    private readonly now: () => Date,
    private readonly maxBytes = MAX_AUDIT_BYTES,
  ) {
    this.file = path.join(dataDir, 'audit.log');
    this.user = currentUser();
  }

  get path(): string {
    return this.file;
  }

  append(entry: Omit<AuditEntry, 'time' | 'user'>): void {
    const line = `${JSON.stringify({ time: this.now().toISOString(), user: this.user, ...entry })}\n`;
    try {
      if (existsSync(this.file) && statSync(this.file).size + line.length > this.maxBytes) this.rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // The audit log must never stop the admin's work; a failed append is retried with the next one.
    }
  }

  /** Newest first, across the rotated files, filtered. */
  query(query: AuditQuery = {}): AuditEntry[] {
    const files = [this.file, ...Array.from({ length: KEEP_ROTATED }, (_, i) => `${this.file.slice(0, -4)}.${i + 1}.log`)];
    const entries: AuditEntry[] = [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').reverse();
      for (const line of lines) {
        try {
          entries.push(JSON.parse(line) as AuditEntry);
        } catch {
          // A torn last line (power loss) is skipped, the rest is kept.
        }
      }
    }
    const text = query.text?.toLowerCase();
    return entries
      .filter(
        (e) =>
          (!query.action || e.action === query.action) &&
          (!query.outcome || e.outcome === query.outcome) &&
          (!query.connectionId || e.connectionId === query.connectionId) &&
          (!text || `${e.connectionName ?? ''} ${e.detail ?? ''} ${e.action}`.toLowerCase().includes(text)),
      )
      .slice(0, query.limit ?? 500);
  }

  private rotate(): void {
    const base = this.file.slice(0, -4);
    for (let i = KEEP_ROTATED - 1; i >= 1; i--) {
      if (existsSync(`${base}.${i}.log`)) renameSync(`${base}.${i}.log`, `${base}.${i + 1}.log`);
    }
    renameSync(this.file, `${base}.1.log`);
  }
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

const CSV_COLUMNS: Array<keyof AuditEntry> = ['time', 'user', 'action', 'connectionId', 'connectionName', 'outcome', 'detail'];

export function auditToCsv(entries: AuditEntry[]): string {
  const cell = (value: unknown): string => {
    const text = value === undefined || value === null ? '' : String(value);
    // Quote always; neutralise spreadsheet formulas (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replace(/"/g, '""')}"`;
  };
  return [CSV_COLUMNS.join(','), ...entries.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}
