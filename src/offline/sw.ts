/// <reference lib="webworker" />
// The lab's service worker, built by vite-plugin-pwa (injectManifest) from Workbox's modules: the app shell, the
// WASM binaries, the training worker and its chunks, and the shipped model are precached (the build lists them in
// self.__WB_MANIFEST, each with a revision); the MNIST files are kept the first time they are loaded. Every response
// it gives carries the cross-origin isolation headers (./isolation). A new version waits until the learner accepts
// "Reload to update" (SKIP_WAITING), so one page never mixes two versions.
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { ExpirationPlugin } from 'workbox-expiration';
import { CacheFirst } from 'workbox-strategies';
import { DATA_CACHE_PREFIX, STAGING_CACHE, dataCacheName, dataFileUrls, isDataFilePath, type CacheDataReply } from './data-cache';
import { isolationPlugin } from './isolation';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

const manifestEntries = self.__WB_MANIFEST;
const DATA_MANIFEST = 'mnist/manifest.json';
const dataManifestRevision = manifestEntries.find((e) => typeof e !== 'string' && e.url === DATA_MANIFEST);
const DATA_CACHE = dataCacheName(typeof dataManifestRevision === 'object' ? dataManifestRevision.revision : null);

addPlugins([isolationPlugin]);
precacheAndRoute(manifestEntries);
cleanupOutdatedCaches();
// The lab is one page: every navigation (any query, any #/route) gets the precached index.html.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/bench\.html$/] }));

const dataStrategy = new CacheFirst({
  cacheName: DATA_CACHE,
  matchOptions: { ignoreVary: true },
  plugins: [new CacheableResponsePlugin({ statuses: [200] }), isolationPlugin],
});
registerRoute(({ url, sameOrigin }) => sameOrigin && isDataFilePath(url.pathname), dataStrategy);

// A build chunk that is not precached (h5wasm for the Keras export: 1 MB compressed, used by few) is kept the first
// time it loads. Its name carries its hash, so a kept one is never stale; the oldest go as new versions add theirs.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.includes('/assets/'),
  new CacheFirst({ cacheName: 'digit-lab-chunks', plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 8 }), isolationPlugin] }),
);

/**
 * Keeps every data file the manifest lists: from the page's staging copy (first visit), else downloaded (the
 * browser's HTTP cache may still have it).
 */
async function cacheDataFiles(): Promise<CacheDataReply> {
  const manifestUrl = new URL(DATA_MANIFEST, self.registration.scope).href;
  const manifest = (await matchPrecache(DATA_MANIFEST)) ?? (await fetch(manifestUrl));
  const urls = dataFileUrls(await manifest.text(), manifestUrl);
  const cache = await caches.open(DATA_CACHE);
  const staging = await caches.open(STAGING_CACHE);
  let added = 0;
  let downloaded = 0;
  for (const url of urls) {
    if (await cache.match(url, { ignoreVary: true })) continue;
    let response = await staging.match(url, { ignoreVary: true });
    if (!response) {
      response = await fetch(url, { cache: 'force-cache' });
      if (!response.ok) throw new Error(`${new URL(url).pathname}: the server answered ${response.status}`);
      downloaded++;
    }
    await cache.put(url, response);
    added++;
  }
  await caches.delete(STAGING_CACHE);
  return { files: urls.length, added, downloaded };
}

self.addEventListener('message', (event) => {
  const type = (event.data as { type?: string } | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  if (type === 'CACHE_DATA') {
    const reply = (answer: CacheDataReply) => event.ports[0]?.postMessage(answer);
    event.waitUntil(cacheDataFiles().then(reply, (error: unknown) => reply({ files: 0, added: 0, downloaded: 0, error: String(error) })));
  }
});

// A new data set's cache replaces the old one once this version is in charge.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith(DATA_CACHE_PREFIX) && n !== DATA_CACHE).map((n) => caches.delete(n)))),
  );
});

// The first version takes charge of the page that installed it at once (there is no older one to mix with).
clientsClaim();
