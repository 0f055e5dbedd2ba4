/** Jupyter notebooks (nbformat 4.5) and percent-format Python scripts from one list of cells. */
import { pyCommentText } from './python';

export interface ExportCell {
  kind: 'markdown' | 'code';
  /** The cell's text, lines joined with '\n', no trailing newline. */
  source: string;
}

interface NotebookCell {
  id: string;
  cell_type: 'markdown' | 'code';
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

/** nbformat stores a cell's source as lines, each but the last ending in '\n'. */
function sourceLines(source: string): string[] {
  const lines = source.split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** The notebook as nbformat 4.5 JSON text, with a Python 3 kernel and no outputs. */
export function toNotebookJson(cells: readonly ExportCell[]): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python' },
    },
    cells: cells.map((cell, i): NotebookCell => {
      const base = { id: `cell-${String(i + 1).padStart(2, '0')}`, metadata: {}, source: sourceLines(cell.source) };
      return cell.kind === 'code'
        ? { ...base, cell_type: 'code', execution_count: null, outputs: [] }
        : { ...base, cell_type: 'markdown' };
    }),
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/**
 * The cells as one Python script in the "percent" format (`# %%` starts a cell) that VS Code, Spyder and Jupytext
 * open as a notebook; Markdown becomes comments. `header` lines come first.
 */
export function toPercentScript(header: readonly string[], cells: readonly ExportCell[]): string {
  const parts = cells.map((cell) =>
    cell.kind === 'code'
      ? `# %%\n${cell.source}`
      : `# %% [markdown]\n${cell.source
          .split('\n')
          .map((line) => (line.trim() ? `# ${pyCommentText(line)}` : '#'))
          .join('\n')}`,
  );
  return `${[header.join('\n'), ...parts].join('\n\n')}\n`;
}
