/// <reference types="vite-plugin-pwa/client" />
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { registerSW } from 'virtual:pwa-register';
import { STAGING_CACHE, isDataFilePath, type CacheDataMessage, type CacheDataReply } from '../src/offline/data-cache';

export interface OfflineOptions {
  /** Resolves once the lab's data set has loaded (the service worker then keeps its files without a second download). */
  datasetLoaded: () => Promise<void>;
}

/**
 * The lab as an installable, offline app (page side): registers the service worker (src/offline/sw.ts), says when
 * the lab first works offline, and when a new version is waiting, so the learner reloads into it instead of one
 * page mixing two versions. Where service workers are unavailable (a plain-http host, private modes, tests that
 * block them) the lab simply works online.
 */
export class OfflineController implements ReactiveController {
  /** A new version is installed and waits for `update()`. */
  needRefresh = false;
  /** The app, the model and the MNIST files are now kept in this browser (said once, on the visit that kept them). */
  offlineReady = false;
  /** Why the lab could not be kept for offline use, if it tried and failed. */
  offlineError: string | null = null;

  private updateServiceWorker: ((reload?: boolean) => Promise<void>) | null = null;
  private started = false;
  /** The page's copies of data files in the staging cache, being written. */
  private readonly keeping: Promise<unknown>[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: OfflineOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.started || !('serviceWorker' in navigator)) return;
    this.started = true;
    // No service worker in charge yet: this visit installs the lab.
    const firstInstall = navigator.serviceWorker.controller === null;
    this.updateServiceWorker = registerSW({
      onNeedRefresh: () => {
        this.needRefresh = true;
        this.host.requestUpdate();
      },
      onRegisteredSW: (_url, registration) => {
        if (registration) void this.keepData(firstInstall);
      },
      onRegisterError: () => {
        // Refused (private mode, blocked): the lab works online as before, and keeps no copies for a worker.
        void Promise.allSettled(this.keeping).then(() => caches.delete(STAGING_CACHE));
      },
    });
  }

  /**
   * `fetch` for the data set's files: while no service worker is in charge yet (the first visit), each data file is
   * also copied, as its bytes arrive, to the staging cache that the worker adopts, so it is downloaded only once.
   */
  readonly fetchData: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const uncontrolled = 'serviceWorker' in navigator && navigator.serviceWorker.controller === null;
    if (!uncontrolled || !response.ok || !response.body || typeof caches === 'undefined' || !isDataFilePath(url.pathname)) return response;
    const [forLab, forCache] = response.body.tee();
    const copy = new Response(forCache, { status: response.status, statusText: response.statusText, headers: response.headers });
    this.keeping.push(
      caches
        .open(STAGING_CACHE)
        .then((cache) => cache.put(url.href, copy))
        .catch(() => {
          // No room or no Cache Storage: the worker downloads the file itself.
        }),
    );
    return new Response(forLab, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  /** Reloads into the waiting version. */
  update(): void {
    void this.updateServiceWorker?.(true);
  }

  dismiss(): void {
    this.needRefresh = false;
    this.offlineReady = false;
    this.offlineError = null;
    this.host.requestUpdate();
  }

  /** Once the worker runs and the data set is here, asks the worker to keep the MNIST files. */
  private async keepData(firstInstall: boolean): Promise<void> {
    const [registration] = await Promise.all([navigator.serviceWorker.ready, this.options.datasetLoaded()]);
    await Promise.allSettled(this.keeping);
    if (!registration.active) return;
    const message: CacheDataMessage = { type: 'CACHE_DATA' };
    const reply = await ask(registration.active, message);
    if (reply.error) this.offlineError = `The lab could not be kept for offline use: ${reply.error}`;
    else if (firstInstall || reply.added > 0) this.offlineReady = true;
    this.host.requestUpdate();
  }
}

/** Sends `message` to the service worker and waits for its answer on a channel of their own. */
function ask(worker: ServiceWorker, message: CacheDataMessage): Promise<CacheDataReply> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<CacheDataReply>) => resolve(event.data);
    worker.postMessage(message, [channel.port2]);
  });
}
