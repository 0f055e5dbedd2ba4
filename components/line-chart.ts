import { axisBottom, axisLeft, format, line, scaleLinear, select } from 'd3';
import { css, html, LitElement, svg, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { tokens } from './styles/tokens';

/** One line: y values at x = 0, 1, 2, … (or at `x` when given). */
export interface ChartSeries {
  name: string;
  values: readonly number[];
  /** x of each value; defaults to its index. */
  x?: readonly number[];
  color?: string;
  /** Draw thin and light (the raw values under a smoothed line). */
  faint?: boolean;
}

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a'];
const MARGIN = { top: 8, right: 12, bottom: 36, left: 48 };

/**
 * A line chart drawn with d3 into SVG: cheap enough to redraw every second while a run trains (a few milliseconds,
 * where a vega chart took 100–180 ms of the page's main thread), resizes with its box, and needs no `eval` (strict
 * CSP). The legend is plain HTML; the SVG has a text alternative.
 */
export class LineChart extends LitElement {
  static properties = {
    series: { attribute: false },
    xLabel: { type: String, attribute: 'x-label' },
    yLabel: { type: String, attribute: 'y-label' },
    yDomain: { attribute: false },
    height: { type: Number },
    integerX: { type: Boolean, attribute: 'integer-x' },
    width: { state: true },
  };

  declare series: readonly ChartSeries[];
  declare xLabel: string;
  declare yLabel: string;
  /** Fixed y range (e.g. [0, 1] for accuracy); fitted to the data otherwise. */
  declare yDomain: readonly [number, number] | null;
  declare height: number;
  /** x is a count (epochs): ticks only at whole numbers. */
  declare integerX: boolean;
  declare width: number;

  private readonly resize = new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (w > 0 && w !== this.width) this.width = w;
  });

  static styles = [
    tokens,
    css`
      :host {
        display: block;
        min-width: 0;
        font-size: var(--lab-font-tiny, 0.75rem);
      }
      svg {
        display: block;
        overflow: visible;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.9rem;
        margin: 0.2rem 0 0 ${MARGIN.left}px;
        color: var(--lab-muted);
      }
      .swatch {
        display: inline-block;
        width: 0.9rem;
        height: 3px;
        vertical-align: middle;
        margin-right: 0.3rem;
      }
      .axis-label {
        fill: var(--lab-muted);
      }
    `,
  ];

  constructor() {
    super();
    this.series = [];
    this.xLabel = '';
    this.yLabel = '';
    this.yDomain = null;
    this.height = 200;
    this.integerX = false;
    this.width = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  private colorOf(s: ChartSeries, i: number): string {
    return s.color ?? COLORS[i % COLORS.length];
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const root = this.renderRoot.querySelector<SVGGElement>('g.plot');
    if (!root || this.width === 0) return;
    const width = Math.max(80, this.width - MARGIN.left - MARGIN.right);
    const height = this.height - MARGIN.top - MARGIN.bottom;
    const shown = this.series.filter((s) => s.values.length > 0);
    const xsOf = (s: ChartSeries) => s.x ?? s.values.map((_v, i) => i);
    const allX = shown.flatMap((s) => xsOf(s) as number[]);
    const allY = shown.flatMap((s) => s.values.filter(Number.isFinite) as number[]);
    const x = scaleLinear()
      .domain(allX.length ? [Math.min(...allX), Math.max(...allX, Math.min(...allX) + 1)] : [0, 1])
      .range([0, width]);
    const [lo, hi] = this.yDomain ?? (allY.length ? [Math.min(...allY), Math.max(...allY)] : [0, 1]);
    const pad = this.yDomain ? 0 : (hi - lo || 1) * 0.05;
    const y = scaleLinear().domain([lo - pad, hi + pad]).nice().range([height, 0]);
    const plot = select(root);
    const xTicks = Math.max(2, Math.floor(width / 70));
    const xAxis = axisBottom(x);
    if (this.integerX) {
      const [from, to] = x.domain();
      xAxis.tickValues(x.ticks(Math.min(xTicks, Math.ceil(to - from))).filter(Number.isInteger)).tickFormat(format('d'));
    } else xAxis.ticks(xTicks);
    plot.select<SVGGElement>('g.x-axis').attr('transform', `translate(0,${height})`).call(xAxis);
    plot.select<SVGGElement>('g.y-axis').call(axisLeft(y).ticks(5));
    plot
      .select('g.lines')
      .selectAll<SVGPathElement, ChartSeries>('path')
      .data(shown, (s) => s.name)
      .join('path')
      .attr('fill', 'none')
      .attr('stroke', (s, i) => this.colorOf(s, i))
      .attr('stroke-width', (s) => (s.faint ? 1 : 2))
      .attr('d', (s) => {
        const xs = xsOf(s);
        return line<number>()
          .defined((v) => Number.isFinite(v))
          .x((_v, i) => x(xs[i]))
          .y((v) => y(v))([...s.values]);
      });
  }

  override render() {
    const h = this.height;
    const w = Math.max(80, this.width);
    const shown = this.series.filter((s) => s.values.length > 0);
    const last = shown.map((s) => `${s.name} ${Number.isFinite(s.values.at(-1)!) ? s.values.at(-1)!.toPrecision(3) : '—'}`).join(', ');
    return html`<svg width=${w} height=${h} role="img" aria-label="${this.yLabel} by ${this.xLabel}${last ? `: last values ${last}` : ''}">
        ${svg`<g class="plot" transform="translate(${MARGIN.left},${MARGIN.top})">
          <g class="lines"></g>
          <g class="x-axis"></g>
          <g class="y-axis"></g>
          <text class="axis-label" x=${(w - MARGIN.left - MARGIN.right) / 2} y=${h - MARGIN.top - 4} text-anchor="middle">${this.xLabel}</text>
          <text class="axis-label" transform="rotate(-90)" x=${-(h - MARGIN.top - MARGIN.bottom) / 2} y=${-MARGIN.left + 12} text-anchor="middle">${this.yLabel}</text>
        </g>`}
      </svg>
      <div class="legend">
        ${shown.map((s, i) => html`<span><span class="swatch" style=${styleMap({ background: this.colorOf(s, i) })}></span>${s.name}</span>`)}
      </div>`;
  }
}

customElements.define('line-chart', LineChart);

declare global {
  interface HTMLElementTagNameMap {
    'line-chart': LineChart;
  }
}
