/** One bar of a chart: a solution's value of one metric, with its interval when known. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly lower?: number;
  readonly upper?: number;
  readonly baseline: boolean;
  readonly best: boolean;
}

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const WIDTH = 640;
const LABEL = 230;
const ROW = 30;
const BAR = 18;
const TOP = 8;
const RIGHT = 70;

const f = (n: number): string => (Math.round(n * 100) / 100).toString();

/**
 * A horizontal bar chart as inline SVG: one bar per solution (`rect.bar`, the baseline's with
 * class `baseline`, the best with `best`), an error bar (`line.error-bar`) where an interval is
 * known, the value at the end of each bar, and a `<title>` per bar for hovering. No external
 * fonts or scripts, so the page stays self-contained; the scale starts at zero so bar lengths
 * compare honestly.
 */
export function barChartSvg(metric: string, title: string, bars: readonly Bar[]): string {
  const height = TOP * 2 + bars.length * ROW;
  const max = Math.max(1e-12, ...bars.map((b) => Math.max(b.value, b.upper ?? 0)));
  const span = WIDTH - LABEL - RIGHT;
  const x = (v: number): number => LABEL + (Math.max(0, v) / max) * span;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-metric="${escapeXml(metric)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<line class="axis" x1="${LABEL}" y1="${TOP - 4}" x2="${LABEL}" y2="${height - TOP + 4}" />`,
  ];
  bars.forEach((b, i) => {
    const y = TOP + i * ROW + (ROW - BAR) / 2;
    const mid = y + BAR / 2;
    const classes = ['bar', ...(b.baseline ? ['baseline'] : []), ...(b.best ? ['best'] : [])].join(' ');
    const range = b.lower !== undefined && b.upper !== undefined ? ` (${b.lower.toFixed(4)} to ${b.upper.toFixed(4)})` : '';
    parts.push(`<text class="label" x="${LABEL - 8}" y="${f(mid)}" text-anchor="end" dominant-baseline="middle">${escapeXml(b.label)}</text>`);
    parts.push(`<rect class="${classes}" x="${LABEL}" y="${f(y)}" width="${f(x(b.value) - LABEL)}" height="${BAR}"><title>${escapeXml(`${b.label}: ${b.value.toFixed(4)}${range}`)}</title></rect>`);
    if (b.lower !== undefined && b.upper !== undefined) {
      const [x1, x2] = [f(x(b.lower)), f(x(b.upper))];
      parts.push(`<g class="error-bar-group"><line class="error-bar" x1="${x1}" y1="${f(mid)}" x2="${x2}" y2="${f(mid)}" /><line class="error-cap" x1="${x1}" y1="${f(mid - 5)}" x2="${x1}" y2="${f(mid + 5)}" /><line class="error-cap" x1="${x2}" y1="${f(mid - 5)}" x2="${x2}" y2="${f(mid + 5)}" /></g>`);
    }
    const end = Math.max(x(b.value), b.upper === undefined ? 0 : x(b.upper));
    parts.push(`<text class="value" x="${f(end + 6)}" y="${f(mid)}" dominant-baseline="middle">${b.value.toFixed(4)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
