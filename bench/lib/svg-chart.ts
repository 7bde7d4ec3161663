/**
 * Draws the Oxibase/peer ratios as an SVG without dependencies: one group of bars per
 * measurement, one bar per peer, a logarithmic y axis, and a highlighted 1.0 line (bars above it
 * are where Oxibase is ahead).
 */
import type { Report } from './report.ts';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#9c755f'];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function ratioChartSvg(report: Report, title: string): string {
  const peers = report.engines.filter((e) => e.id !== report.baseId && report.ratios[e.id] !== undefined);
  const rows = report.rows.filter((row) => peers.some((p) => report.ratios[p.id]?.[row.key] !== undefined));
  const all = rows.flatMap((row) => peers.map((p) => report.ratios[p.id]?.[row.key]).filter((r): r is number => r !== undefined));
  const lo = Math.floor(Math.log10(Math.min(0.1, ...all)));
  const hi = Math.ceil(Math.log10(Math.max(10, ...all)));
  const barW = 9;
  const groupW = Math.max(1, peers.length) * barW + 14;
  const left = 60;
  const top = 50;
  const plotH = 360;
  const width = left + Math.max(1, rows.length) * groupW + 20;
  const height = top + plotH + 190;
  const y = (ratio: number): number => top + plotH - ((Math.log10(ratio) - lo) / (hi - lo)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let exp = lo; exp <= hi; exp++) {
    const yy = y(10 ** exp).toFixed(1);
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${10 ** exp >= 1 ? 10 ** exp : (10 ** exp).toFixed(-exp)}×</text>`);
  }
  rows.forEach((row, rowIdx) => {
    const gx = left + rowIdx * groupW + 7;
    peers.forEach((peer, peerIdx) => {
      const r = report.ratios[peer.id]?.[row.key];
      if (r === undefined) return;
      const y1 = y(1);
      const yr = y(r);
      const x = gx + peerIdx * barW;
      parts.push(`<rect x="${x}" y="${Math.min(y1, yr).toFixed(1)}" width="${barW - 1}" height="${Math.max(0.5, Math.abs(yr - y1)).toFixed(1)}" ` +
        `fill="${COLORS[peerIdx % COLORS.length]}"><title>${esc(`${row.title}: Oxibase/${peer.id} = ${r.toFixed(2)}×`)}</title></rect>`);
    });
    const lx = gx + (peers.length * barW) / 2;
    parts.push(`<text transform="translate(${lx},${top + plotH + 8}) rotate(60)" font-size="10">${esc(row.key)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="black" stroke-width="1.5"/>`);
  parts.push(`<text x="${width - 12}" y="${(y(1) - 4).toFixed(1)}" text-anchor="end">1.0</text>`);
  peers.forEach((peer, peerIdx) => {
    const lx = left + peerIdx * 130;
    parts.push(`<rect x="${lx}" y="30" width="10" height="10" fill="${COLORS[peerIdx % COLORS.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="39">${esc(peer.id)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
