// A figure by period for several groups, drawn as small multiples: one panel
// per group, sharing the periods and the scale, each with its range as a
// band, the line the board set and the no-difference line. One panel per
// group stays readable with 24 periods and 8 groups, where 8 lines and bands
// on one plot would not. A point marked `few` (too few people to judge) is hollow. role="img" with a title and a description; it is
// always placed next to a table holding the same figures.
import { s, uid } from './dom.js';

const W = 680;
const LEFT = 52;
const RIGHT = 64;
const PANEL_H = 92;
const PANEL_GAP = 34;
const AXIS_H = 30;

const defined = (x) => x !== null && x !== undefined && Number.isFinite(x);

function niceStep(span) {
  const steps = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100];
  return steps.find((v) => span / v <= 4) ?? Math.ceil(span / 4);
}

/**
 * @param {{ id?: string, title: string, desc: string, periods: string[],
 *   series: { label: string, points: ({ value: number, lower?: number | null, upper?: number | null, few?: boolean } | null)[] }[],
 *   lines?: { value: number, label: string, className?: string }[], format: (v: number) => string }} chart
 */
export function periodChart({ id, title, desc, periods, series, lines = [], format }) {
  const chartId = id || uid('period-chart');
  const plotW = W - LEFT - RIGHT;
  const values = series.flatMap((x) => x.points.flatMap((p) => (p ? [p.value, p.lower, p.upper] : []))).filter(defined);
  // The scale shows every estimate and line; a range reaching past twice the highest of them is cut at the edge.
  const highest = Math.max(0, ...series.flatMap((x) => x.points.map((p) => p?.value)).filter(defined), ...lines.map((l) => l.value));
  const top = Math.max(highest * 1.15, Math.min(Math.max(0, ...values), highest * 2), 0.1);
  const step = niceStep(top);
  const max = Math.ceil(top / step - 1e-9) * step;
  const x = (i) => LEFT + ((i + 0.5) / Math.max(1, periods.length)) * plotW;
  const every = Math.max(1, Math.ceil(periods.length / 8));
  const height = series.length * (PANEL_H + PANEL_GAP) + AXIS_H;
  const titleId = `${chartId}-title`;
  const descId = `${chartId}-desc`;
  const svg = s('svg', {
    class: 'ba-chart ba-chart--periods', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': titleId,
    'aria-describedby': descId, id: chartId, preserveAspectRatio: 'xMinYMin meet', focusable: 'false',
  }, s('title', { id: titleId }, title), s('desc', { id: descId }, desc));

  series.forEach((one, k) => {
    const y0 = k * (PANEL_H + PANEL_GAP) + PANEL_GAP - 4;
    const y = (v) => y0 + PANEL_H - (Math.max(0, Math.min(v, max)) / max) * PANEL_H;
    svg.append(s('text', { x: LEFT, y: y0 - 10, class: 'ba-chart__panel-label' }, one.label));
    for (let v = 0; v <= max + 1e-9; v += step) {
      svg.append(s('line', { x1: LEFT, x2: LEFT + plotW, y1: y(v), y2: y(v), class: 'ba-chart__grid' }),
        s('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'ba-chart__tick' }, format(v)));
    }
    // Runs of periods with a figure: the band and the line break where a period has none.
    const runs = [];
    one.points.forEach((p, i) => {
      if (!p || !defined(p.value)) return;
      const last = runs[runs.length - 1];
      if (last && last[last.length - 1].i === i - 1) last.push({ i, p });
      else runs.push([{ i, p }]);
    });
    for (const run of runs) {
      const banded = run.filter(({ p }) => defined(p.lower));
      if (banded.length === run.length) {
        const upper = run.map(({ i, p }) => `${x(i)},${y(defined(p.upper) ? p.upper : max)}`);
        const lower = run.map(({ i, p }) => `${x(i)},${y(p.lower)}`).reverse();
        const points = run.length === 1
          ? [`${x(run[0].i) - 4},${y(defined(run[0].p.upper) ? run[0].p.upper : max)}`, `${x(run[0].i) + 4},${y(defined(run[0].p.upper) ? run[0].p.upper : max)}`,
            `${x(run[0].i) + 4},${y(run[0].p.lower)}`, `${x(run[0].i) - 4},${y(run[0].p.lower)}`]
          : [...upper, ...lower];
        svg.append(s('polygon', { points: points.join(' '), class: 'ba-chart__band' }));
      }
      if (run.length > 1) svg.append(s('polyline', { points: run.map(({ i, p }) => `${x(i)},${y(p.value)}`).join(' '), class: 'ba-chart__series' }));
      for (const { i, p } of run) svg.append(s('circle', { cx: x(i), cy: y(p.value), r: 3, class: p.few ? 'ba-chart__point ba-chart__point--few' : 'ba-chart__point' }));
    }
    one.points.forEach((p, i) => {
      if (!p || !defined(p.value)) svg.append(s('text', { x: x(i), y: y0 + PANEL_H - 4, 'text-anchor': 'middle', class: 'ba-chart__na' }, '–'));
    });
    for (const l of lines) {
      svg.append(s('line', { x1: LEFT, x2: LEFT + plotW, y1: y(l.value), y2: y(l.value), class: ['ba-chart__line', l.className].filter(Boolean).join(' ') }),
        s('text', { x: LEFT + plotW + 4, y: y(l.value) + 4, class: 'ba-chart__line-label' }, l.label));
    }
    // Period names under every panel would crowd it: under the last one, every few.
    if (k === series.length - 1) {
      periods.forEach((name, i) => {
        if (i % every !== 0) return;
        svg.append(s('text', { x: x(i), y: y0 + PANEL_H + 18, 'text-anchor': 'middle', class: 'ba-chart__tick' }, name));
      });
    }
  });
  return svg;
}
