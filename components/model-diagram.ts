import * as d3 from 'd3';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { formatShape, type ModelAnalysis, type Shape } from '../src/model/analyze';
import { LAYER_NAMES, type LayerType } from '../src/model/spec';
import { tokens } from './styles/tokens';

/** One colour per layer type, shared by the diagram and the layer list (data colours: they name a layer type). */
export const LAYER_COLORS: Record<LayerType, string> = {
  conv2d: '#1f6feb',
  activation: '#d4a72c',
  maxPool2d: '#2da44e',
  avgPool2d: '#4ac26b',
  batchNorm: '#8250df',
  dropout: '#8c959f',
  flatten: '#1b7c83',
  dense: '#cf222e',
};

interface Row {
  label: string;
  shape: Shape | null;
  color: string;
  error: boolean;
}

const ROW = 30;
const GLYPH_X = 150;
const GLYPH_W = 96;
const WIDTH = 340;

/**
 * The stack as a picture: one row per tensor, from the 28×28×1 input to the 10 outputs. An image-shaped tensor is
 * drawn as a stack of squares (side ∝ height, depth ∝ log2 of channels); a flat one as a bar (length ∝ log of size).
 */
export class ModelDiagram extends LitElement {
  static properties = { analysis: { attribute: false } };
  declare analysis: ModelAnalysis | null;

  constructor() {
    super();
    this.analysis = null;
  }

  static styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      svg {
        width: 100%;
        height: auto;
        font: 12px system-ui, sans-serif;
      }
      .label {
        fill: var(--lab-text);
      }
      .shape {
        fill: var(--lab-muted);
        font-variant-numeric: tabular-nums;
      }
      .error .label,
      .error .shape {
        fill: var(--lab-danger);
        font-weight: 600;
      }
      .impossible {
        fill: var(--lab-danger);
      }
      .link {
        stroke: var(--lab-border);
      }
    `,
  ];

  private rows(): Row[] {
    const a = this.analysis;
    if (!a) return [];
    return [
      { label: 'Input image', shape: a.inputShape, color: '#24292f', error: false },
      ...a.layers.map((l) => ({
        label: `${l.index + 1}. ${LAYER_NAMES[l.layer.type] ?? '?'}`,
        shape: l.outputShape,
        color: LAYER_COLORS[l.layer.type] ?? '#8c959f',
        error: l.error !== null,
      })),
    ];
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('analysis')) this.draw();
  }

  private draw(): void {
    const svgEl = this.renderRoot.querySelector('svg');
    if (!svgEl) return;
    const rows = this.rows();
    const height = rows.length * ROW + 8;
    const svg = d3.select(svgEl).attr('viewBox', `0 0 ${WIDTH} ${height}`);
    const maxSide = 22;
    const side = (s: Shape) => Math.max(3, (s[0] / 28) * maxSide);
    const depth = (s: Shape) => Math.min(7, Math.round(Math.log2(s[2]))) + 1;
    const barLength = d3.scaleLog().domain([1, 100_000]).range([6, GLYPH_W]).clamp(true);

    const g = svg
      .selectAll<SVGGElement, Row>('g.row')
      .data(rows)
      .join((enter) => {
        const row = enter.append('g').attr('class', 'row');
        row.append('line').attr('class', 'link');
        row.append('text').attr('class', 'label').attr('x', 0).attr('dy', '0.35em');
        row.append('g').attr('class', 'glyph');
        row.append('text').attr('class', 'shape').attr('x', WIDTH).attr('text-anchor', 'end').attr('dy', '0.35em');
        return row;
      })
      .attr('class', (d) => `row${d.error ? ' error' : ''}`)
      .attr('transform', (_d, i) => `translate(0, ${i * ROW + ROW / 2 + 4})`);

    g.select('line.link')
      .attr('x1', GLYPH_X - 12)
      .attr('x2', GLYPH_X - 12)
      .attr('y1', (_d, i) => (i === 0 ? 0 : -ROW / 2))
      .attr('y2', (_d, i) => (i === rows.length - 1 ? 0 : ROW / 2));
    g.select('text.label').text((d) => d.label);
    g.select('text.shape').text((d) => (d.shape ? formatShape(d.shape) : d.error ? 'impossible' : '—'));

    g.select<SVGGElement>('g.glyph').each(function (d) {
      const glyph = d3.select(this);
      glyph.selectAll('*').remove();
      glyph.append('circle').attr('cx', GLYPH_X - 12).attr('r', 3.5).attr('fill', d.color);
      if (!d.shape) {
        glyph.append('text').attr('class', 'impossible').attr('x', GLYPH_X).attr('dy', '0.35em').text(d.error ? '✕' : '');
        return;
      }
      if (d.shape.length === 3) {
        const s = side(d.shape);
        const n = depth(d.shape);
        for (let k = n - 1; k >= 0; k--) {
          glyph
            .append('rect')
            .attr('x', GLYPH_X + k * 3)
            .attr('y', -s / 2 - k)
            .attr('width', s)
            .attr('height', s)
            .attr('fill', d.color)
            .attr('fill-opacity', k === 0 ? 0.85 : 0.25)
            .attr('stroke', d.color);
        }
      } else {
        glyph
          .append('rect')
          .attr('x', GLYPH_X)
          .attr('y', -4)
          .attr('width', barLength(d.shape[0]))
          .attr('height', 8)
          .attr('rx', 2)
          .attr('fill', d.color)
          .attr('fill-opacity', 0.85);
      }
    });
  }

  override render() {
    const rows = this.rows();
    const description = rows.map((r) => `${r.label}: ${r.shape ? formatShape(r.shape) : 'impossible'}`).join('; ');
    return html`<svg role="img" aria-label=${`Diagram of the tensor shapes through the model. ${description}`}></svg>`;
  }
}

customElements.define('model-diagram', ModelDiagram);

declare global {
  interface HTMLElementTagNameMap {
    'model-diagram': ModelDiagram;
  }
}
