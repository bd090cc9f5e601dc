/**
 * Backport latency per branch over time as a hand-written SVG: one dot per merged backport
 * (x: when it merged, y: how long it took), joined per branch. Branches differ by colour,
 * dash pattern and marker shape, so the chart reads without colour vision; the title and
 * description give screen readers the numbers. No dependency, no script.
 */
import { escapeHtml as esc } from './html.js';
import type { LatencyPoint } from '../ledger/latency.js';
import { formatDuration, medianOf } from '../ledger/latency.js';

export interface ChartSeries {
  branch: string;
  points: readonly LatencyPoint[];
}

export interface ChartOptions {
  from: Date;
  to: Date;
  width?: number;
  height?: number;
  /** Makes element ids unique when several charts share a page. */
  idPrefix?: string;
}

const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a3069', '#bf3989', '#4d2d00'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];
const SHAPES = ['circle', 'square', 'diamond', 'triangle'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOUR = 3_600_000;
const M = { left: 64, right: 132, top: 24, bottom: 52 };

export function renderLatencyChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const frame = chartFrame(series, options);
  const { width, height } = frame;
  const id = options.idPrefix ?? 'latency';
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"` +
      ` role="img" aria-labelledby="${id}-title ${id}-desc" font-family="sans-serif" font-size="12">`,
    `<title id="${id}-title">Backport latency per branch</title>`,
    `<desc id="${id}-desc">${esc(describe(series, options))}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...axes(frame),
  ];
  if (series.every((s) => s.points.length === 0)) {
    out.push(
      `<text x="${M.left + frame.pw / 2}" y="${M.top + frame.ph / 2}" text-anchor="middle" fill="#57606a">` +
        `No backport merged in this period</text>`,
    );
  }
  series.forEach((s, i) => out.push(...seriesWithLegend(s, i, frame)));
  out.push('</svg>');
  return out.join('\n');
}

/** The plot area and both scales: time across, latency up, in hours or days by the largest. */
interface Frame {
  width: number;
  height: number;
  /** Plot width and height, inside the margins. */
  pw: number;
  ph: number;
  t0: number;
  t1: number;
  /** Latency axis unit (an hour or a day), its tick step and top, in that unit. */
  days: boolean;
  unit: number;
  step: number;
  yMax: number;
  x(t: number): number;
  y(ms: number): number;
}

function chartFrame(series: readonly ChartSeries[], options: ChartOptions): Frame {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const t0 = options.from.getTime();
  const t1 = Math.max(options.to.getTime(), t0 + 1);
  const maxMs = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.latencyMs)));
  const days = maxMs > 72 * HOUR;
  const unit = days ? 24 * HOUR : HOUR;
  const step = niceStep(Math.max(maxMs / unit, 1) / 4);
  const yMax = step * Math.max(1, Math.ceil(maxMs / unit / step));
  return {
    width,
    height,
    pw,
    ph,
    t0,
    t1,
    days,
    unit,
    step,
    yMax,
    x: (t) => M.left + ((t - t0) / (t1 - t0)) * pw,
    y: (ms) => M.top + ph - (ms / unit / yMax) * ph,
  };
}

/** Grid lines with latency labels, six date ticks, both axis lines and their titles. */
function axes({ height, pw, ph, t0, t1, days, unit, step, yMax, x, y }: Frame): string[] {
  const out: string[] = [];
  for (let k = 0; k * step <= yMax + 1e-9; k++) {
    const v = k * step;
    const yy = f(y(v * unit));
    out.push(
      `<line x1="${M.left}" y1="${yy}" x2="${M.left + pw}" y2="${yy}" stroke="#d0d7de" stroke-width="1"/>`,
      `<text x="${M.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#57606a">${f(v)}</text>`,
    );
  }
  for (let k = 0; k <= 5; k++) {
    const t = t0 + ((t1 - t0) * k) / 5;
    const d = new Date(t);
    out.push(
      `<line x1="${f(x(t))}" y1="${M.top + ph}" x2="${f(x(t))}" y2="${M.top + ph + 5}" stroke="#57606a"/>`,
      `<text x="${f(x(t))}" y="${M.top + ph + 18}" text-anchor="middle" fill="#57606a">${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#57606a"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#57606a"/>`,
    `<text x="${M.left + pw / 2}" y="${height - 10}" text-anchor="middle" fill="#24292f">Backport merged (UTC)</text>`,
    `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#24292f">` +
      `Latency (${days ? 'days' : 'hours'})</text>`,
  );
  return out;
}

/** The `i`-th branch: its line and marks (each with a title), and its entry in the legend. */
function seriesWithLegend(s: ChartSeries, i: number, { pw, x, y }: Frame): string[] {
  const color = COLORS[i % COLORS.length] as string;
  const dash = DASHES[i % DASHES.length] as string;
  const shape = SHAPES[i % SHAPES.length] as (typeof SHAPES)[number];
  const pts = s.points.map((p) => [x(Date.parse(p.at)), y(p.latencyMs), p] as const);
  const out = [`<g class="series" data-branch="${esc(s.branch)}">`];
  if (pts.length > 1) {
    const path = pts.map(([px, py]) => `${f(px)},${f(py)}`).join(' ');
    out.push(
      `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
  }
  for (const [px, py, p] of pts) {
    const label = `${s.branch}: #${p.source} took ${formatDuration(p.latencyMs)} (merged ${p.at.slice(0, 10)})`;
    out.push(marker(shape, px, py, color, esc(label)));
  }
  out.push('</g>');
  const ly = M.top + 8 + i * 20;
  const lx = M.left + pw + 16;
  out.push(
    `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    marker(shape, lx + 12, ly, color, ''),
    `<text x="${lx + 30}" y="${ly}" dominant-baseline="middle" fill="#24292f">${esc(clip(s.branch, 12))}</text>`,
  );
  return out;
}

function marker(
  shape: (typeof SHAPES)[number],
  cx: number,
  cy: number,
  color: string,
  title: string,
): string {
  const t = title ? `<title>${title}</title>` : '';
  const a = `fill="${color}" stroke="#ffffff" stroke-width="1"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${f(cx)}" cy="${f(cy)}" r="4.5" ${a}>${t}</circle>`;
    case 'square':
      return `<rect x="${f(cx - 4)}" y="${f(cy - 4)}" width="8" height="8" ${a}>${t}</rect>`;
    case 'diamond':
      return `<polygon points="${f(cx)},${f(cy - 5.5)} ${f(cx + 5.5)},${f(cy)} ${f(cx)},${f(cy + 5.5)} ${f(cx - 5.5)},${f(cy)}" ${a}>${t}</polygon>`;
    case 'triangle':
      return `<polygon points="${f(cx)},${f(cy - 5.5)} ${f(cx + 5.5)},${f(cy + 4.5)} ${f(cx - 5.5)},${f(cy + 4.5)}" ${a}>${t}</polygon>`;
  }
}

function describe(series: readonly ChartSeries[], options: ChartOptions): string {
  const span = `${options.from.toISOString().slice(0, 10)} to ${options.to.toISOString().slice(0, 10)}`;
  const parts = series.map((s) => {
    const median = medianOf(s.points.map((p) => p.latencyMs).sort((a, b) => a - b));
    return median === null
      ? `${s.branch}: no backport merged`
      : `${s.branch}: ${s.points.length} backport${s.points.length === 1 ? '' : 's'}, median ${formatDuration(median)}`;
  });
  return `Time from upstream merge to backport merge, ${span}. ${parts.join('; ') || 'No branches'}.`;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * pow >= raw) as number) * pow;
}

function f(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
