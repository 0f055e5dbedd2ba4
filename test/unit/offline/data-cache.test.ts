import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_CACHE_PREFIX, STAGING_CACHE, dataCacheName, dataFileUrls, isDataFilePath } from '../../../src/offline/data-cache';

describe('the MNIST files in the service worker cache', () => {
  it('lists the prepared data files from the real manifest, next to it', () => {
    const text = readFileSync('data/mnist/manifest.json', 'utf8');
    const urls = dataFileUrls(text, 'https://example.org/lab/mnist/manifest.json');
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\/example\.org\/lab\/mnist\/[\w-]+\.u8z$/);
      expect(isDataFilePath(new URL(url).pathname)).toBe(true);
    }
  });

  it('refuses a manifest without data files', () => {
    expect(() => dataFileUrls('{"files": {}}', 'https://example.org/mnist/manifest.json')).toThrow('lists no data files');
    expect(() => dataFileUrls('{"files": {"a": {"path": 3}}}', 'https://example.org/mnist/manifest.json')).toThrow('lists no data files');
  });

  it('knows data files from other paths, and names the cache by the manifest revision', () => {
    expect(isDataFilePath('/lab/mnist/train-images.u8z')).toBe(true);
    expect(isDataFilePath('/lab/mnist/manifest.json')).toBe(false);
    expect(isDataFilePath('/lab/model/weights.bin')).toBe(false);
    expect(dataCacheName('abc123')).toBe(`${DATA_CACHE_PREFIX}abc123`);
    expect(dataCacheName(null)).not.toBe(dataCacheName('abc123'));
  });
});

describe('the staging cache', () => {
  it('is not named like a data cache (a new worker removes every data cache but its own)', () => {
    expect(STAGING_CACHE.startsWith(DATA_CACHE_PREFIX)).toBe(false);
  });
});
