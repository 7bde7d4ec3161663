/**
 * Turns the per-engine outcomes into a report: one row per measurement key with each engine's
 * value, and the Oxibase/peer ratio per key. Ratios are oriented so > 1 means Oxibase is better:
 * ops/s ratio = oxibase / peer; ms, bytes/row and MB ratio = peer / oxibase.
 * The text form is Markdown tables, so a run can be pasted into docs/benchmarks.md as is.
 */
import type { EngineOutcome } from '../worker.ts';
import type { Unit } from '../workloads/workload.ts';

export interface ReportRow {
  readonly key: string;
  readonly title: string;
  readonly unit: Unit;
  /** Engine id -> value, or a string saying why there is none ('n/a', 'error: ...'). */
  readonly values: Record<string, number | string>;
}

export interface Report {
  readonly engines: readonly { id: string; label: string }[];
  /** The Oxibase engine the ratios use (memory preferred), or null when none ran. */
  readonly baseId: string | null;
  readonly rows: readonly ReportRow[];
  /** Peer engine id -> measurement key -> ratio. */
  readonly ratios: Record<string, Record<string, number>>;
}

export function higherIsBetter(unit: Unit): boolean {
  return unit === 'ops/s';
}

function collectRows(outcomes: readonly EngineOutcome[]): ReportRow[] {
  const rows = new Map<string, ReportRow>();
  for (const o of outcomes) {
    for (const m of Object.values(o.results)) {
      if (!rows.has(m.key)) rows.set(m.key, { key: m.key, title: m.title, unit: m.unit, values: {} });
    }
  }
  for (const row of rows.values()) {
    for (const o of outcomes) {
      const m = o.results[row.key];
      const workloadId = row.key.startsWith('speedtest_') ? 'speedtest' : row.key.startsWith('memory_') ? 'memory' : row.key;
      if (m !== undefined) row.values[o.id] = m.value;
      else if (o.unavailable !== null) row.values[o.id] = 'n/a';
      else row.values[o.id] = o.failures[workloadId]?.startsWith('n/a') === true ? 'n/a' : 'error';
    }
  }
  const peak: ReportRow = { key: 'peak_rss', title: 'Peak RSS of the engine process', unit: 'MB', values: {} };
  for (const o of outcomes) peak.values[o.id] = o.unavailable === null && Number.isFinite(o.peakRssMb) ? o.peakRssMb : 'n/a';
  return [...rows.values(), peak];
}

export function buildReport(outcomes: readonly EngineOutcome[]): Report {
  const rows = collectRows(outcomes);
  const ran = outcomes.filter((o) => o.unavailable === null);
  const baseId = ran.find((o) => o.id === 'oxibase')?.id ?? ran.find((o) => o.id === 'oxibase-disk')?.id ?? null;
  const ratios: Record<string, Record<string, number>> = {};
  if (baseId !== null) {
    for (const o of outcomes) {
      if (o.id === baseId) continue;
      const perKey: Record<string, number> = {};
      for (const row of rows) {
        const base = row.values[baseId];
        const peer = row.values[o.id];
        if (typeof base !== 'number' || typeof peer !== 'number' || !(base > 0) || !(peer > 0)) continue;
        perKey[row.key] = higherIsBetter(row.unit) ? base / peer : peer / base;
      }
      ratios[o.id] = perKey;
    }
  }
  return { engines: outcomes.map((o) => ({ id: o.id, label: o.label })), baseId, rows, ratios };
}

export function formatValue(value: number | string | undefined, unit: Unit): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (unit === 'ops/s') return value >= 100 ? String(Math.round(value)) : value.toPrecision(3);
  if (unit === 'ms') return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3);
  return value.toFixed(0);
}

function table(header: string[], lines: string[][]): string {
  const out = [`| ${header.join(' | ')} |`, `|${header.map((_h, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const line of lines) out.push(`| ${line.join(' | ')} |`);
  return `${out.join('\n')}\n`;
}

export function formatReport(report: Report): string {
  const header = ['Workload', 'Unit', ...report.engines.map((e) => e.id)];
  const valueLines = report.rows.map((row) => [row.title, row.unit, ...report.engines.map((e) => formatValue(row.values[e.id], row.unit))]);
  let text = `\nEngines: ${report.engines.map((e) => `${e.id} = ${e.label}`).join('; ')}\n\n`;
  text += table(header, valueLines);
  if (report.baseId === null) return text;
  const peers = report.engines.filter((e) => e.id !== report.baseId);
  text += `\nRatio ${report.baseId} / peer (> 1: Oxibase faster or smaller)\n\n`;
  const ratioLines = report.rows.map((row) => [row.title, row.unit, ...peers.map((p) => {
    const r = report.ratios[p.id]?.[row.key];
    return r === undefined ? (typeof row.values[p.id] === 'string' ? String(row.values[p.id]) : '—') : `${r.toFixed(2)}×`;
  })]);
  text += table(['Workload', 'Unit', ...peers.map((p) => p.id)], ratioLines);
  return text;
}
