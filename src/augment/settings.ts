/** Augmentation settings, with the meaning of Keras' ImageDataGenerator. */
export interface AugmentSettings {
  enabled: boolean;
  /** rotation_range: degrees, uniform in [-r, r]. */
  rotation: number;
  /** width_shift_range: fraction of the width, uniform in [-w, w]. */
  widthShift: number;
  /** height_shift_range: fraction of the height. */
  heightShift: number;
  /** shear_range: degrees (Keras ≥ 2.2 reads shear_range in degrees). */
  shear: number;
  /** zoom_range: scale uniform in [1 - z, 1 + z]. */
  zoom: number;
}

export const DEFAULT_AUGMENT: AugmentSettings = {
  enabled: true,
  rotation: 10,
  widthShift: 0.1,
  heightShift: 0.1,
  shear: 10,
  zoom: 0.1,
};
