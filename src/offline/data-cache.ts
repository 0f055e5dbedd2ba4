/**
 * The MNIST files in the service worker's cache. They are too large to precache on install (11 MB, and the lab
 * downloads them anyway, with its own progress bar); they are kept the first time they pass by. The cache's name
 * carries the revision of the data manifest, so a new data set never mixes with the old one.
 *
 * On the first visit the service worker is not yet in charge while the lab downloads them, so the page keeps a copy
 * as the bytes arrive, in a staging cache; the service worker adopts it (CACHE_DATA) and downloads only what is
 * missing there. The files cross the network once.
 */

export const DATA_CACHE_PREFIX = 'digit-lab-mnist-';
/** Where the page keeps the files it downloaded before the service worker was in charge (not under the prefix above:
 * a new worker's clean-up removes every data cache but its own). */
export const STAGING_CACHE = 'digit-lab-staging-mnist';

/** The message the page sends once its data set has loaded, and the service worker's answer. */
export interface CacheDataMessage {
  type: 'CACHE_DATA';
}
export interface CacheDataReply {
  /** Files the manifest lists. */
  files: number;
  /** Files stored now (0: they were all kept already). */
  added: number;
  /** Of those, how many the worker downloaded itself (not found in the page's staging copy). */
  downloaded: number;
  error?: string;
}

export const dataCacheName = (manifestRevision: string | null | undefined): string => `${DATA_CACHE_PREFIX}${manifestRevision ?? 'unversioned'}`;


/** Whether a path is one of the data files under mnist/ (not the manifest, which is precached). */
export const isDataFilePath = (pathname: string): boolean => /\/mnist\/[^/]+\.u8z$/.test(pathname);

/** The data files' URLs from the text of mnist/manifest.json at `manifestUrl`. */
export function dataFileUrls(manifestText: string, manifestUrl: string): string[] {
  const manifest = JSON.parse(manifestText) as { files?: Record<string, { path?: unknown }> };
  const files = Object.values(manifest.files ?? {});
  if (!files.length || files.some((f) => typeof f?.path !== 'string')) throw new Error('mnist/manifest.json lists no data files');
  return files.map((f) => new URL(f.path as string, manifestUrl).href);
}
