// Accessible SVG charts: horizontal bars with interval whiskers and reference
// lines. Each chart is role="img" with a title and a description, and is
// always placed next to a table holding the same figures. Text from the data
// goes in as text nodes only.
import { s, uid } from './dom.js';

const W = 680;
const LABEL_W = 230;
const RIGHT = 70;
const ROW_H = 30;
const TOP = 34;

function shortLabel(text, max = 24) {
  const t = String(text);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A tick step giving at most 6 intervals, and the axis maximum. */
function niceScale(x) {
  const top = x > 0 ? x : 1;
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000];
  const step = steps.find((v) => top / v <= 6) ?? Math.ceil(top / 6);
  return { step, max: Math.ceil(top / step - 1e-9) * step };
}

/**
 * rows: [{label, value, lower?, upper?, className?}]; lines: [{value, label, className}]
 * format(value) → text; title, desc: the accessible name and description.
 * @param {{ title: string, desc: string, rows: any[], lines?: any[], format: (v: number) => string,
 *   tickFormat?: (v: number) => string, domainMax?: number, id: string }} chart
 */
export function barChart({ title, desc, rows, lines = [], format, tickFormat = format, domainMax, id }) {
  const chartId = id || uid('chart');
  const plotW = W - LABEL_W - RIGHT;
  const highest = Math.max(0, ...rows.flatMap((r) => [r.value ?? 0, r.upper ?? 0]), ...lines.map((l) => l.value));
  const scale = niceScale(Math.max(domainMax ?? 0, highest * 1.05));
  const { max } = scale;
  const x = (v) => LABEL_W + (Math.max(0, Math.min(v, max)) / max) * plotW;
  const height = TOP + rows.length * ROW_H + 28;
  const titleId = `${chartId}-title`;
  const descId = `${chartId}-desc`;
  const svg = s('svg', {
    class: 'ba-chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': descId,
    id: chartId, preserveAspectRatio: 'xMinYMin meet', focusable: 'false',
  }, s('title', { id: titleId }, title), s('desc', { id: descId }, desc));

  // Axis ticks
  const ticks = Math.round(max / scale.step);
  for (let i = 0; i <= ticks; i += 1) {
    const v = scale.step * i;
    svg.append(s('line', { x1: x(v), x2: x(v), y1: TOP - 6, y2: TOP + rows.length * ROW_H, class: 'ba-chart__grid' }),
      s('text', { x: x(v), y: TOP + rows.length * ROW_H + 18, class: 'ba-chart__tick', 'text-anchor': 'middle' }, tickFormat(v)));
  }
  rows.forEach((r, i) => {
    const y = TOP + i * ROW_H;
    const label = s('text', { x: LABEL_W - 8, y: y + ROW_H / 2 + 5, 'text-anchor': 'end', class: 'ba-chart__label' }, shortLabel(r.label));
    svg.append(label);
    if (r.value === null || r.value === undefined) {
      svg.append(s('text', { x: LABEL_W + 4, y: y + ROW_H / 2 + 5, class: 'ba-chart__na' }, 'not defined'));
      return;
    }
    svg.append(s('rect', { x: LABEL_W, y: y + 6, width: Math.max(1, x(r.value) - LABEL_W), height: ROW_H - 12, class: ['ba-chart__bar', r.className].filter(Boolean).join(' ') }));
    if (r.lower !== null && r.lower !== undefined && r.upper !== null && r.upper !== undefined) {
      const cy = y + ROW_H / 2;
      svg.append(
        s('line', { x1: x(r.lower), x2: x(r.upper), y1: cy, y2: cy, class: 'ba-chart__whisker' }),
        s('line', { x1: x(r.lower), x2: x(r.lower), y1: cy - 6, y2: cy + 6, class: 'ba-chart__whisker' }),
        s('line', { x1: x(r.upper), x2: x(r.upper), y1: cy - 6, y2: cy + 6, class: 'ba-chart__whisker' }));
    }
    const labelX = Math.max(x(r.value), r.upper !== null && r.upper !== undefined ? x(r.upper) : 0) + 6;
    svg.append(s('text', { x: Math.min(labelX, W - RIGHT + 6), y: y + ROW_H / 2 + 5, class: 'ba-chart__value' }, format(r.value)));
  });
  for (const l of lines) {
    svg.append(s('line', { x1: x(l.value), x2: x(l.value), y1: TOP - 8, y2: TOP + rows.length * ROW_H, class: ['ba-chart__line', l.className].filter(Boolean).join(' ') }),
      s('text', { x: x(l.value), y: TOP - 14, 'text-anchor': 'middle', class: 'ba-chart__line-label' }, l.label));
  }
  return svg;
}
