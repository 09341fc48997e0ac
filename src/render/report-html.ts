import type { Report } from '../report/types.ts';
import { confidenceText, deltaText, gateText, isBest, measured, metricLabel, num, pairedNote, statusNote, valueCell } from './report-format.ts';
import { barChartSvg, escapeXml as esc } from './report-svg.ts';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:980px;color:#1f2328;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right;white-space:nowrap}th:first-child,td:first-child,td.note{text-align:left}
td.best{font-weight:700;background:#dafbe1}.muted{color:#656d76;font-size:.9rem}
.gate{padding:.4rem .6rem;margin:.3rem 0;border-radius:6px}.gate.pass{background:#dafbe1}.gate.fail{background:#ffebe9}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart .bar{fill:#8c959f}svg.chart .bar.best{fill:#1a7f37}svg.chart .bar.baseline{fill:#bf8700}
svg.chart .error-bar,svg.chart .error-cap{stroke:#1f2328;stroke-width:1.5}svg.chart .axis{stroke:#8c959f}
svg.chart text{font-size:12px;fill:#1f2328}svg.chart .value{fill:#656d76}
`;

/**
 * The report as one self-contained HTML page (inline CSS and SVG; no scripts, fonts or other
 * assets), for an artifact or a browser: gates, the metrics table, deltas, metadata twins and a
 * bar chart per metric with error bars when intervals exist.
 */
export function renderReportHtml(report: Report): string {
  const shown = measured(report);
  const body: string[] = [`<h1>Evaluation report for ${esc(report.pocName)}</h1>`];
  if (report.baseline !== undefined) body.push(`<p class="muted">Baseline: <code>${esc(report.baseline)}</code>. Green bars and bold cells: best per metric; amber: the baseline.</p>`);
  if (report.gates.length > 0) {
    body.push('<h2>Gates</h2>');
    for (const g of report.gates) body.push(`<div class="gate ${g.outcome}">${esc(gateText(g))}</div>`);
  }
  if (shown.length > 0) {
    body.push('<h2>Metrics</h2><table><thead><tr><th>metric</th>');
    for (const s of shown) body.push(`<th>${esc(s.ref)}<br><span class="muted">${esc(s.recipe)}</span></th>`);
    body.push('</tr></thead><tbody>');
    for (const m of report.metrics) {
      body.push(`<tr><td>${esc(metricLabel(m))}</td>${shown.map((s) => `<td${isBest(report, s.ref, m) ? ' class="best"' : ''}>${esc(valueCell(s, m))}</td>`).join('')}</tr>`);
    }
    body.push('</tbody></table>');
    const paired = pairedNote(report);
    if (report.intervals !== undefined) body.push(`<p class="muted">Brackets and error bars: ${Math.round(report.intervals.level * 100)}% bootstrap intervals over the held-out users (${report.intervals.resamples} resamples). ${paired === '' ? 'Overlapping intervals mean a difference may be noise.' : esc(paired)}</p>`);
  }
  const missing = report.solutions.filter((s) => s.metrics === undefined);
  if (missing.length > 0) body.push(`<h2>Without metrics</h2><ul>${missing.map((s) => `<li><code>${esc(s.ref)}</code> (${esc(s.recipe)}): ${esc(statusNote(s))}</li>`).join('')}</ul>`);
  if (report.deltas.length > 0) {
    body.push(`<h2>Against the baseline</h2><table><thead><tr><th>solution</th><th>metric</th><th>value</th><th>baseline</th><th>delta</th><th></th></tr></thead><tbody>`);
    for (const d of report.deltas) body.push(`<tr><td>${esc(d.solution)}</td><td>${esc(metricLabel(d.metric))}</td><td>${num(d.value)}</td><td>${num(d.baseline)}</td><td>${esc(deltaText(d))}</td><td class="note">${esc(confidenceText(d))}</td></tr>`);
    body.push('</tbody></table>');
  }
  for (const t of report.twins) {
    body.push(`<h2>Metadata: ${esc(t.withMetadata)} beside ${esc(t.withoutMetadata)}</h2><p class="muted">${esc(t.recipe)}, with item and user metadata and without.</p>`);
    body.push('<table><thead><tr><th>metric</th><th>with metadata</th><th>without</th><th>delta</th><th></th></tr></thead><tbody>');
    for (const d of t.deltas) body.push(`<tr><td>${esc(metricLabel(d.metric))}</td><td>${num(d.value)}</td><td>${num(d.baseline)}</td><td>${esc(deltaText(d))}</td><td class="note">${esc(confidenceText(d))}</td></tr>`);
    body.push('</tbody></table>');
  }
  if (shown.length > 0) {
    body.push('<h2>Charts</h2>');
    for (const m of report.metrics) {
      const bars = shown.flatMap((s) => {
        const value = s.metrics?.[m];
        if (value === undefined) return [];
        const i = s.intervals?.[m];
        return [{ label: s.ref, value, ...(i === undefined ? {} : { lower: i.lower, upper: i.upper }), baseline: s.ref === report.baseline, best: isBest(report, s.ref, m) }];
      });
      body.push(`<figure><figcaption>${esc(metricLabel(m))}</figcaption>${barChartSvg(m, `${metricLabel(m)} by solution`, bars)}</figure>`);
    }
  }
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(`${report.pocName}: evaluation report`)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
