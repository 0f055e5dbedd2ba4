import type { Course } from '../components/index';
import augmentation from './augmentation.md?raw';
import dataset from './dataset.md?raw';
import draw from './draw.md?raw';
import inside from './inside.md?raw';
import intro from './intro.md?raw';
import model from './model.md?raw';
import symbols from './symbols.md?raw';
import training from './training.md?raw';

/** The guided path, in order. Routes are #/<id>. */
export const COURSE: Course = {
  title: 'Digit Lab',
  intro,
  lessons: [
    { id: 'dataset', title: 'Dataset', summary: 'Explore all 70,000 MNIST digits.', body: dataset },
    { id: 'augmentation', title: 'Augmentation', summary: 'Rotate, shift, shear and zoom: what training will see.', body: augmentation },
    { id: 'model', title: 'Model', summary: 'Build the CNN layer by layer.', body: model },
    { id: 'training', title: 'Training', summary: 'Train live in your browser and compare runs.', body: training },
    { id: 'inside', title: 'Inside the network', summary: 'Learned filters and feature maps.', body: inside },
    { id: 'draw', title: 'Draw', summary: 'Draw a digit and watch the network read it.', body: draw },
    { id: 'symbols', title: 'Beyond digits', summary: 'Teach the network your own symbols, and read a whole sum.', body: symbols },
  ],
};
