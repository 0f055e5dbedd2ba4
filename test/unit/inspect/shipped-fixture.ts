import { resolve } from 'node:path';
import { fileFetch } from '../../../src/data/node';

/** The URL the shipped model is served from in these tests. */
export const SHIPPED_BASE = 'http://lab.test/model/';

/** Serves data/model/ for SHIPPED_BASE, as the built site does. */
export const shippedModelFetch = (() => {
  const files = fileFetch(resolve('data/model'));
  return ((input: RequestInfo | URL) => files(String(input).replace(SHIPPED_BASE, ''))) as typeof fetch;
})();
