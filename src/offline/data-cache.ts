/**
 * The MNIST files in the service worker's cache. They are too large to precache on install (11 MB, and the lab
 * downloads them anyway, with its own progress bar); they are kept the first time they pass by. The cache's name
 * carries the revision of the data manifest, so a new data set never mixes with the old one.
 */

export const DATA_CACHE_PREFIX = 'digit-lab-mnist-';

/** The message the page sends once its data set has loaded, and the service worker's answer. */
export interface CacheDataMessage {
  type: 'CACHE_DATA';
}
export interface CacheDataReply {
  /** Files the manifest lists. */
  files: number;
  /** Files fetched and stored now (0: they were all kept already). */
  added: number;
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
