// LabModelController against a real lab state and real (small) models; the host is a stand-in element that answers
// the context request as <lab-app> does.
import * as tf from '@tensorflow/tfjs';
import type { ReactiveController } from 'lit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabModelController } from '../../../components/lab-model-controller';
import { buildModel } from '../../../src/model/build';
import { LabModel } from '../../../src/model/lab-model';
import { SMALL_SPEC } from '../../../src/model/spec';
import { createLabState, type LabState } from '../../../src/state/lab-state';

class FakeHost extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  readonly updateComplete = Promise.resolve(true);
  constructor(state: LabState) {
    super();
    // What <lab-app>'s ContextProvider does: answer the request with the lab state.
    this.addEventListener('context-request', (event) => {
      const request = event as Event & { callback: (value: LabState, unsubscribe?: () => void) => void };
      event.stopPropagation();
      request.callback(state, () => {});
    });
  }
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
    for (const c of this.controllers) c.hostUpdated?.();
  }
}

function setup(autoLoad = true) {
  const state = createLabState();
  state.update('backend', { status: 'ready', active: 'cpu' });
  const host = new FakeHost(state);
  const changes: (LabModel | null)[] = [];
  const controller = new LabModelController(host as unknown as HTMLElement & FakeHost, { autoLoad, onModelChanged: (m) => changes.push(m) });
  host.connect();
  return { state, host, controller, changes };
}

const smallLabModel = (description: string) => new LabModel(buildModel(SMALL_SPEC), 'trained', description, SMALL_SPEC, [], { testAccuracy: 0.9 });

const realFetch = globalThis.fetch;
const realDocument = (globalThis as { document?: unknown }).document;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // modelBaseUrl() reads document.baseURI.
  (globalThis as { document?: unknown }).document = { baseURI: 'http://lab.test/' };
});

afterAll(() => {
  globalThis.fetch = realFetch;
  (globalThis as { document?: unknown }).document = realDocument;
});

describe('LabModelController', () => {
  it('gives the lab model, follows a new one, and says when the shown result is stale', async () => {
    const { state, controller, changes } = setup(false);
    const first = smallLabModel('first');
    state.set('model', first);
    expect(controller.model).toBe(first);
    expect(controller.status).toBe('ready');
    await expect(controller.load()).resolves.toBe(first);
    expect(controller.stale).toBe(false); // nothing shown yet: nothing stale
    controller.markFresh();
    expect(controller.shownModel).toBe(first);
    const second = smallLabModel('second');
    state.set('model', second); // disposes the first
    expect(changes).toEqual([first, second]);
    expect(controller.stale).toBe(true);
    controller.markFresh(second);
    expect(controller.stale).toBe(false);
    state.set('model', null);
  });

  it('loads on connect, and reports a failed load as busy, then error, with the reason', async () => {
    globalThis.fetch = (() => Promise.reject(new Error('offline'))) as typeof fetch;
    const { host, controller } = setup();
    expect(controller.loading).toBe(true);
    expect(controller.status).toBe('busy');
    await expect(controller.load()).rejects.toThrow('The pre-trained model could not be loaded');
    expect(controller.loading).toBe(false);
    expect(controller.status).toBe('error');
    expect(controller.error).toMatch(/could not be loaded/);
    expect(host.updates).toBeGreaterThanOrEqual(2);
  });

  it('stops waiting when its signal aborts (the shared load goes on for the other cells)', async () => {
    globalThis.fetch = (() => new Promise(() => {})) as typeof fetch;
    const { controller } = setup(false);
    const abort = new AbortController();
    const waiting = controller.load(abort.signal);
    abort.abort(new Error('the cell was removed'));
    await expect(waiting).rejects.toThrow('the cell was removed');
    expect(controller.loading).toBe(true);
  });
});
