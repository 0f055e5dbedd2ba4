import { ensureDataset } from '../src/state/actions';
import type { MnistDataset } from '../src/data/mnist';
import type { LabState } from '../src/state/lab-state';

/** Where the prepared data and the shipped model live: relative to the page, so any sub-path works. */
export const dataBaseUrl = (): string => new URL('mnist/', document.baseURI).href;
export const modelBaseUrl = (): string => new URL('model/', document.baseURI).href;

/** The lab's data set, loaded once for the state (what the engines and the run history are given). */
export const labDataset =
  (state: LabState) =>
  (): Promise<MnistDataset> =>
    ensureDataset(state, dataBaseUrl());
