/** Moved to src/export/keras-model.ts (one place for every Keras export); kept so existing imports work. */
export { specToJson, specToKeras } from '../export/keras-model';
