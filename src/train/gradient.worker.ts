/// <reference lib="webworker" />
// The gradient worker: the training worker's peer in data-parallel training (src/train/data-parallel.ts). It owns
// its own WASM backend and a copy of the network, computes gradients on its half of each batch and applies the
// averaged update it is sent.
import * as Comlink from 'comlink';
import { GradientWorkerService } from './gradient-peer';

Comlink.expose(new GradientWorkerService());
