/// <reference lib="webworker" />
// The training worker: a module Web Worker (bundled by Vite) that owns its own tfjs backend, so training, validation
// and test scoring never block the page. The page talks to it through Comlink (src/train/engine.ts).
import * as Comlink from 'comlink';
import { TrainerService } from './trainer';

Comlink.expose(new TrainerService());
