// LabCell's status derived from @lit/task-like sources (Lit runs in Node through its server shim).
import { TaskStatus } from '@lit/task';
import { describe, expect, it } from 'vitest';
import { LabCell, type CellStatus, type StatusSource } from '../../../components/lab-cell';

class TestCell extends LabCell {
  follow(...sources: StatusSource[]): void {
    this.statusFrom(...sources);
  }
  /** One update's derivation, as Lit runs it before each render. */
  derive(): void {
    this.willUpdate(new Map());
  }
  report(error: unknown): void {
    this.fail(error);
  }
}
customElements.define('test-cell', TestCell);

const source = (status: TaskStatus | CellStatus, error: unknown = undefined): { status: TaskStatus | CellStatus; error: unknown } => ({ status, error });

describe('LabCell.statusFrom', () => {
  it('follows a task: initial → idle, pending → busy, complete → ready, error → error with its message', () => {
    const cell = new TestCell();
    const task = source(TaskStatus.INITIAL);
    cell.follow(task);
    const seen: string[] = [];
    for (const [status, error] of [[TaskStatus.INITIAL], [TaskStatus.PENDING], [TaskStatus.COMPLETE], [TaskStatus.ERROR, new Error('no model')]] as const) {
      task.status = status;
      task.error = error;
      cell.derive();
      seen.push(`${cell.status}:${cell.errorMessage ?? ''}`);
    }
    expect(seen).toEqual(['idle:', 'busy:', 'ready:', 'error:no model']);
    task.status = TaskStatus.COMPLETE;
    cell.derive();
    expect([cell.status, cell.errorMessage]).toEqual(['ready', null]);
  });

  it('combines sources: any error wins, then any busy, else the last one', () => {
    const cell = new TestCell();
    const model = source('busy');
    const task = source(TaskStatus.INITIAL);
    cell.follow(model, task);
    cell.derive();
    expect(cell.status).toBe('busy');
    model.status = 'ready';
    cell.derive();
    expect(cell.status).toBe('idle');
    model.status = 'error';
    model.error = 'The pre-trained model could not be loaded';
    cell.derive();
    expect([cell.status, cell.errorMessage]).toEqual(['error', 'The pre-trained model could not be loaded']);
  });

  it("keeps an error the cell reported itself until a source changes", () => {
    const cell = new TestCell();
    const task = source(TaskStatus.COMPLETE);
    cell.follow(task);
    cell.derive();
    cell.report(new Error('Pick a digit from 0 to 9,999.'));
    cell.derive();
    expect([cell.status, cell.errorMessage]).toEqual(['error', 'Pick a digit from 0 to 9,999.']);
    task.status = TaskStatus.PENDING;
    cell.derive();
    expect([cell.status, cell.errorMessage]).toEqual(['busy', null]);
  });
});
