import { axisBottom, axisLeft, max, scaleBand, scaleLinear, select } from 'd3';
import { formatPercent } from '../src/format';
import type { ChartSeries } from './line-chart';
import './line-chart';

/**
 * Charts drawn into a cell's own containers with d3 (SVG): no `eval`, so they work under the lab's strict
 * Content-Security-Policy, where vega (tfjs-vis) compiles its expressions with `Function` and draws nothing.
 */

export interface Series {
  name: string;
  values: readonly number[];
  color?: string;
}

export interface LineOptions {
  xLabel: string;
  yLabel: string;
  height?: number;
  yAxisDomain?: [number, number];
}

/** Draws one line per series into `container` (a `<line-chart>`, point i at x = i). */
export async function drawLines(container: HTMLElement, series: readonly Series[], options: LineOptions): Promise<void> {
  const shown: ChartSeries[] = series.filter((s) => s.values.length > 0).map((s) => ({ name: s.name, values: s.values, color: s.color }));
  if (shown.length === 0) return;
  const chart = document.createElement('line-chart');
  chart.series = shown;
  chart.xLabel = options.xLabel;
  chart.yLabel = options.yLabel;
  chart.yDomain = options.yAxisDomain ?? null;
  chart.height = options.height ?? 220;
  container.replaceChildren(chart);
  await chart.updateComplete;
}

const BAR = { width: 440, height: 220, margin: { top: 12, right: 12, bottom: 40, left: 52 } } as const;

/** One bar per digit (values 0–1, shown as percentages), each with its value as a tooltip and in the text alternative. */
export async function drawBars(container: HTMLElement, values: { digit: number; value: number }[], yLabel: string): Promise<void> {
  const { width, height, margin } = BAR;
  const description = `${yLabel} per digit: ${values.map((v) => `${v.digit} ${formatPercent(v.value)}`).join(', ')}`;
  const root = select(container)
    .selectAll<SVGSVGElement, null>('svg')
    .data([null])
    .join('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', description)
    .style('max-width', `${width}px`)
    .style('width', '100%')
    .style('display', 'block');
  root.selectAll('*').remove();
  const x = scaleBand()
    .domain(values.map((v) => String(v.digit)))
    .range([margin.left, width - margin.right])
    .padding(0.2);
  const top = Math.max(1, max(values, (v) => v.value) ?? 1);
  const y = scaleLinear().domain([0, top]).range([height - margin.bottom, margin.top]);
  root.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(axisBottom(x).tickSizeOuter(0));
  root
    .append('g')
    .attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).ticks(5).tickFormat((v) => `${Math.round(Number(v) * 100)}%`))
    .call((g) => g.selectAll('.tick line').clone().attr('x2', width - margin.left - margin.right).attr('stroke-opacity', 0.1));
  root
    .append('g')
    .attr('fill', '#1f6feb')
    .selectAll('rect')
    .data(values)
    .join('rect')
    .attr('x', (v) => x(String(v.digit)) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (v) => y(v.value))
    .attr('height', (v) => y(0) - y(v.value))
    .append('title')
    .text((v) => `${v.digit}: ${formatPercent(v.value)}`);
  root
    .append('text')
    .attr('x', margin.left + (width - margin.left - margin.right) / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .text('Digit');
  root
    .append('text')
    .attr('transform', `translate(14,${margin.top + (height - margin.top - margin.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .text(yLabel);
}
