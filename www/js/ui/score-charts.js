// Accessible SVG charts of scores: ROC curves, calibration and the spread
// of scores, one line style per group (colour is never the only cue). Each
// is role="img" with a title and a description, and is always placed next
// to a table holding the same figures. Text from the data goes in as text
// nodes only.
import { s, uid } from './dom.js';

const SIZE = 360;
const PAD = { left: 54, right: 16, top: 16, bottom: 46 };
// Dash patterns and markers tell the groups apart in print and for colour-blind readers.
const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 5', '8 2'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle', 'cross', 'circle'];

function shortLabel(text, max = 22) {
  const t = String(text);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function marker(kind, x, y, cls) {
  const r = 3.5;
  if (kind === 'square') return s('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, class: cls });
  if (kind === 'diamond') return s('polygon', { points: `${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`, class: cls });
  if (kind === 'triangle') return s('polygon', { points: `${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}`, class: cls });
  if (kind === 'cross') return s('path', { d: `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`, class: `${cls} ba-chart__cross` });
  return s('circle', { cx: x, cy: y, r, class: cls });
}

/**
 * A square plot over [0, 1] × [0, 1] with a diagonal, one polyline (and
 * markers) per series, and a legend below.
 * @param {{ title: string, desc: string, xLabel: string, yLabel: string, diagonal: string,
 *   series: { label: string, points: [number, number][], markers?: boolean }[], id?: string }} chart
 */
export function unitPlot({ title, desc, xLabel, yLabel, diagonal, series, id }) {
  const chartId = id || uid('chart');
  const plot = SIZE - PAD.left - PAD.right;
  const legendRows = Math.ceil(series.length / 2);
  const height = PAD.top + plot + PAD.bottom + legendRows * 20 + 8;
  const x = (v) => PAD.left + Math.max(0, Math.min(1, v)) * plot;
  const y = (v) => PAD.top + (1 - Math.max(0, Math.min(1, v))) * plot;
  const svg = s('svg', {
    class: 'ba-chart ba-chart--square', viewBox: `0 0 ${SIZE} ${height}`, role: 'img', 'aria-labelledby': `${chartId}-title`,
    'aria-describedby': `${chartId}-desc`, id: chartId, preserveAspectRatio: 'xMinYMin meet', focusable: 'false',
  }, s('title', { id: `${chartId}-title` }, title), s('desc', { id: `${chartId}-desc` }, desc));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(
      s('line', { x1: x(v), x2: x(v), y1: y(0), y2: y(1), class: 'ba-chart__grid' }),
      s('line', { x1: x(0), x2: x(1), y1: y(v), y2: y(v), class: 'ba-chart__grid' }),
      s('text', { x: x(v), y: y(0) + 16, class: 'ba-chart__tick', 'text-anchor': 'middle' }, String(v)),
      s('text', { x: x(0) - 6, y: y(v) + 4, class: 'ba-chart__tick', 'text-anchor': 'end' }, String(v)));
  }
  svg.append(
    s('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: 'ba-chart__line ba-chart__diagonal' }),
    // Below the diagonal, clear of curves that bow above it.
    s('text', { x: x(0.78), y: y(0.66), class: 'ba-chart__line-label', transform: `rotate(-45 ${x(0.78)} ${y(0.66)})`, 'text-anchor': 'middle' }, diagonal),
    s('text', { x: x(0.5), y: y(0) + 34, class: 'ba-chart__label', 'text-anchor': 'middle' }, xLabel),
    s('text', { x: 14, y: y(0.5), class: 'ba-chart__label', 'text-anchor': 'middle', transform: `rotate(-90 14 ${y(0.5)})` }, yLabel));
  series.forEach((line, k) => {
    const cls = `ba-chart__series ba-chart__series--${k % 6}`;
    const d = line.points.map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join('');
    svg.append(s('path', { d, class: cls, 'stroke-dasharray': DASHES[k % DASHES.length], fill: 'none' }));
    if (line.markers) for (const [px, py] of line.points) svg.append(marker(MARKERS[k % MARKERS.length], x(px), y(py), `${cls} ba-chart__marker`));
    const lx = PAD.left + (k % 2) * (plot / 2);
    const ly = PAD.top + plot + PAD.bottom + Math.floor(k / 2) * 20;
    svg.append(
      s('line', { x1: lx, x2: lx + 26, y1: ly - 4, y2: ly - 4, class: cls, 'stroke-dasharray': DASHES[k % DASHES.length] }),
      marker(MARKERS[k % MARKERS.length], lx + 13, ly - 4, `${cls} ba-chart__marker`),
      s('text', { x: lx + 32, y: ly, class: 'ba-chart__tick' }, shortLabel(line.label)));
  });
  return svg;
}

/**
 * Small multiples: for each group, columns over the score bands, the
 * positive-label part dark and the negative light, as shares of the group.
 * @param {{ title: string, desc: string, bandLabels: string[], groups: { label: string,
 *   bands: { rows: number, positives: number, negatives: number }[] }[], labelled: boolean, id?: string }} chart
 */
export function distributionPlot({ title, desc, bandLabels, groups, labelled, id }) {
  const chartId = id || uid('chart');
  const W = 680;
  const LABEL_W = 150;
  const ROW_H = 64;
  const top = 10;
  const height = top + groups.length * ROW_H + 40;
  const plotW = W - LABEL_W - 10;
  const bw = plotW / Math.max(1, bandLabels.length);
  const svg = s('svg', {
    class: 'ba-chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': `${chartId}-title`,
    'aria-describedby': `${chartId}-desc`, id: chartId, preserveAspectRatio: 'xMinYMin meet', focusable: 'false',
  }, s('title', { id: `${chartId}-title` }, title), s('desc', { id: `${chartId}-desc` }, desc));
  const highest = Math.max(0.01, ...groups.flatMap((g) => {
    const n = g.bands.reduce((t, b) => t + b.rows, 0) || 1;
    return g.bands.map((b) => b.rows / n);
  }));
  groups.forEach((g, k) => {
    const y0 = top + k * ROW_H;
    const base = y0 + ROW_H - 12;
    const n = g.bands.reduce((t, b) => t + b.rows, 0) || 1;
    svg.append(s('text', { x: LABEL_W - 8, y: base - 18, 'text-anchor': 'end', class: 'ba-chart__label' }, shortLabel(g.label)),
      s('line', { x1: LABEL_W, x2: LABEL_W + plotW, y1: base, y2: base, class: 'ba-chart__grid' }));
    g.bands.forEach((b, i) => {
      const x = LABEL_W + i * bw + 1;
      const scale = (ROW_H - 18) / highest;
      const pos = (labelled ? b.positives : 0) / n * scale;
      const all = b.rows / n * scale;
      svg.append(s('rect', { x, y: base - all, width: Math.max(1, bw - 2), height: all - pos, class: 'ba-chart__bar ba-chart__bar--light' }));
      if (pos > 0) svg.append(s('rect', { x, y: base - pos, width: Math.max(1, bw - 2), height: pos, class: 'ba-chart__bar' }));
    });
  });
  const last = bandLabels.length - 1;
  const bottom = top + groups.length * ROW_H + 14;
  svg.append(
    s('text', { x: LABEL_W, y: bottom, class: 'ba-chart__tick' }, bandLabels[0] ?? ''),
    s('text', { x: LABEL_W + plotW, y: bottom, class: 'ba-chart__tick', 'text-anchor': 'end' }, bandLabels[last] ?? ''),
    s('text', { x: LABEL_W + plotW / 2, y: bottom + 18, class: 'ba-chart__label', 'text-anchor': 'middle' },
      labelled ? 'Score (dark: the true outcome was positive; light: negative)' : 'Score'));
  return svg;
}
