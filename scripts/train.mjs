#!/usr/bin/env node
// `npm run train -- [options]`: trains a model preset on MNIST in Node and writes data/model/. See scripts/train-model.ts.
import { register } from 'tsx/esm/api';

register();
await import('./train-model.ts');
