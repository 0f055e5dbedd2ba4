import * as d3 from 'd3';
import type { HistogramBin } from '../src/data/stats';
import { formatInteger as count, formatPercent } from '../src/format';

/** d3 charts of the dataset explorer. Each draws into an <svg> with a viewBox, so it scales with the page. */

const WIDTH = 440;
const HEIGHT = 250;
const MARGIN = { top: 28, right: 12, bottom: 46, left: 56 };
const TRAIN_COLOUR = '#1f6feb';
const TEST_COLOUR = '#e36209';


function frame(svg: SVGSVGElement, title: string) {
  const root = d3.select(svg);
  root.selectAll('*').remove();
  root.attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`).attr('role', 'img').attr('aria-label', title);
  root.append('title').text(title);
  return root;
}

function axisLabels(root: d3.Selection<SVGSVGElement, unknown, null, undefined>, x: string, y: string): void {
  root
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', MARGIN.left + (WIDTH - MARGIN.left - MARGIN.right) / 2)
    .attr('y', HEIGHT - 8)
    .attr('text-anchor', 'middle')
    .text(x);
  root
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14, ${MARGIN.top + (HEIGHT - MARGIN.top - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(y);
}

/** Grouped bars: each digit's share of the training and of the test split, so splits of different sizes compare. */
/** A left axis in percent, with faint grid lines across the plot. */
function percentAxis(root: d3.Selection<SVGSVGElement, unknown, null, undefined>, y: d3.ScaleLinear<number, number>, ticks: number): void {
  root
    .append('g')
    .attr('transform', `translate(${MARGIN.left}, 0)`)
    .call(d3.axisLeft(y).ticks(ticks).tickFormat((v) => `${Math.round(Number(v) * 100)}%`))
    .call((g) => g.selectAll('.tick line').clone().attr('x2', WIDTH - MARGIN.left - MARGIN.right).attr('stroke-opacity', 0.08));
}

export function drawClassBalance(svg: SVGSVGElement, train: number[], test: number[]): void {
  const root = frame(svg, 'Class balance: share of each digit in the training and test splits');
  const totals = { train: d3.sum(train), test: d3.sum(test) };
  const rows = train.map((n, digit) => ({ digit: String(digit), train: n, test: test[digit] }));
  const x = d3.scaleBand().domain(rows.map((r) => r.digit)).range([MARGIN.left, WIDTH - MARGIN.right]).padding(0.2);
  const inner = d3.scaleBand().domain(['train', 'test']).range([0, x.bandwidth()]).padding(0.08);
  const maxShare = d3.max(rows, (r) => Math.max(r.train / totals.train, r.test / totals.test)) ?? 0.1;
  const y = d3.scaleLinear().domain([0, Math.max(0.12, maxShare * 1.05)]).range([HEIGHT - MARGIN.bottom, MARGIN.top]).nice();

  root.append('g').attr('transform', `translate(0, ${HEIGHT - MARGIN.bottom})`).call(d3.axisBottom(x).tickSizeOuter(0));
  percentAxis(root, y, 6);
  // The 10% line: a perfectly balanced data set.
  root
    .append('line')
    .attr('x1', MARGIN.left)
    .attr('x2', WIDTH - MARGIN.right)
    .attr('y1', y(0.1))
    .attr('y2', y(0.1))
    .style('stroke', 'var(--lab-muted)')
    .attr('stroke-dasharray', '4 3');

  for (const split of ['train', 'test'] as const) {
    root
      .append('g')
      .attr('fill', split === 'train' ? TRAIN_COLOUR : TEST_COLOUR)
      .selectAll('rect')
      .data(rows)
      .join('rect')
      .attr('x', (r) => (x(r.digit) ?? 0) + (inner(split) ?? 0))
      .attr('width', inner.bandwidth())
      .attr('y', (r) => y(r[split] / totals[split]))
      .attr('height', (r) => y(0) - y(r[split] / totals[split]))
      .append('title')
      .text((r) => `${split === 'train' ? 'Training' : 'Test'}: ${count(r[split])} images of ${r.digit} (${formatPercent(r[split] / totals[split])})`);
  }
  const legend = root.append('g').attr('transform', `translate(${MARGIN.left + 8}, 10)`);
  [
    [`Training (${count(totals.train)})`, TRAIN_COLOUR],
    [`Test (${count(totals.test)})`, TEST_COLOUR],
    ['10% = balanced', null],
  ].forEach(([label, colour], i) => {
    const item = legend.append('g').attr('transform', `translate(${[0, 118, 222][i]}, 0)`);
    if (colour) item.append('rect').attr('width', 11).attr('height', 11).attr('fill', colour);
    else item.append('line').attr('x1', 0).attr('x2', 12).attr('y1', 6).attr('y2', 6).style('stroke', 'var(--lab-muted)').attr('stroke-dasharray', '4 3');
    item.append('text').attr('x', 16).attr('y', 10).attr('class', 'legend').text(label as string);
  });
  axisLabels(root, 'Digit', 'Share of the split');
}

/** Bars of how many ink pixels fall in each intensity bin. */
export function drawHistogram(svg: SVGSVGElement, bins: HistogramBin[], splitName: string): void {
  const root = frame(svg, `Pixel intensity histogram of the ${splitName} split (ink pixels only)`);
  const total = d3.sum(bins, (b) => b.count) || 1;
  const x = d3.scaleLinear().domain([bins[0].from, bins[bins.length - 1].to + 1]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = d3
    .scaleLinear()
    .domain([0, (d3.max(bins, (b) => b.count) ?? 1) / total])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top])
    .nice();
  root
    .append('g')
    .attr('transform', `translate(0, ${HEIGHT - MARGIN.bottom})`)
    .call(d3.axisBottom(x).tickValues([1, 52, 103, 154, 205, 255]).tickSizeOuter(0));
  percentAxis(root, y, 5);
  root
    .append('g')
    .selectAll('rect')
    .data(bins)
    .join('rect')
    .attr('x', (b) => x(b.from) + 0.5)
    .attr('width', (b) => Math.max(1, x(b.to + 1) - x(b.from) - 1))
    .attr('y', (b) => y(b.count / total))
    .attr('height', (b) => y(0) - y(b.count / total))
    .attr('fill', '#6e40c9')
    .append('title')
    .text((b) => `Values ${b.from}–${b.to}: ${count(b.count)} pixels (${formatPercent(b.count / total)} of ink pixels)`);
  axisLabels(root, 'Pixel value (1 = faintest ink, 255 = full ink)', 'Share of ink pixels');
}
