/** Registers every element of the lab. */
import './lab-app';
import './dataset-explorer';
import './augment-preview';
import './model-builder';
import './train-panel';
import './filter-viewer';
import './activation-viewer';
import './draw-pad';
import './symbol-lab';
import './lab-model-badge';
import './run-export';

export type { Course, Lesson } from './lesson';
