/** The augmentation part of a run export: Keras layers that draw the same random rotations, shifts, shears and zooms. */
import { AUGMENT_LIMITS, AUGMENT_RANGE_KEYS } from '../augment/settings';
import type { ExportCell } from './notebook';
import { pyNumber } from './python';
import { code, md, type CheckedRun, type Target } from './keras-cells';

export function augmentationCells(run: CheckedRun, target: Target): ExportCell[] {
  const a = run.augmentation;
  if (!a) {
    return [md('## Augmentation', '', 'This run trained without augmentation: the network sees every digit exactly as it is.')];
  }
  const cells = [
    md(
      '## Augmentation',
      '',
      'Every time an image comes round in training it gets a new random change: rotated, shifted, sheared, zoomed.',
      "The lab's settings follow the arguments of Keras' old `ImageDataGenerator`, which Keras 3 no longer has, so the",
      'few lines below do what the lab does: one affine transform per image about its centre (zoom, shear, rotation,',
      'then shift), sampled bilinearly, black where the frame has no image. Each setting is a range: every image draws',
      "its own value inside it. (Keras' `RandomRotation`, `RandomTranslation`, `RandomShear` and `RandomZoom` layers do",
      'much the same, one step at a time.)',
    ),
    code(
      'AUGMENT = dict(',
      ...AUGMENT_RANGE_KEYS.map((key) => `    ${AUGMENT_LIMITS[key].keras}=${pyNumber(a[key], `The augmentation's ${AUGMENT_LIMITS[key].keras}`)},`),
      ')',
      '',
      '',
      'def random_affine_params(n, rng, rotation_range, width_shift_range, height_shift_range, shear_range, zoom_range):',
      '    """n random transforms, each value uniform in [-range, range] (zoom in [1 - range, 1 + range])."""',
      '',
      '    def uniform(r):',
      '        return rng.uniform(-r, r, n)',
      '',
      '    return dict(',
      '        rotation=uniform(rotation_range),  # degrees, counter-clockwise',
      '        shift_x=uniform(width_shift_range),  # fraction of the width; positive moves the digit right',
      '        shift_y=uniform(height_shift_range),  # fraction of the height; positive moves it down',
      '        shear=uniform(shear_range),  # degrees; positive slants it like italics',
      '        zoom_x=1 + uniform(zoom_range),  # above 1 shrinks the digit, below 1 enlarges it',
      '        zoom_y=1 + uniform(zoom_range),',
      '    )',
      '',
      '',
      'def transform_images(images, p):',
      '    """Moves each image [n, 28, 28, 1] by its own transform in p; bilinear, black outside, clipped to [0, 1]."""',
      '    n, height, width = images.shape[:3]',
      '    rotation, shear = np.deg2rad(p["rotation"]), np.deg2rad(p["shear"])',
      '    cos, sin, tan = np.cos(rotation), np.sin(rotation), np.tan(shear)',
      '    # For every output pixel, the input point it shows: undo the shift, the rotation, the shear, then the zoom.',
      '    m00, m01 = p["zoom_x"] * (cos + tan * sin), p["zoom_x"] * (tan * cos - sin)',
      '    m10, m11 = p["zoom_y"] * sin, p["zoom_y"] * cos',
      '    cx, cy = (width - 1) / 2, (height - 1) / 2',
      '    out_y, out_x = np.mgrid[0:height, 0:width]',
      '    dx = out_x[None] - cx - (p["shift_x"] * width)[:, None, None]',
      '    dy = out_y[None] - cy - (p["shift_y"] * height)[:, None, None]',
      '    src_x = cx + m00[:, None, None] * dx + m01[:, None, None] * dy',
      '    src_y = cy + m10[:, None, None] * dx + m11[:, None, None] * dy',
      '    # Bilinear: a weighted mean of the four nearest pixels; a pixel outside the image counts as black.',
      '    x0, y0 = np.floor(src_x).astype(int), np.floor(src_y).astype(int)',
      '    fx, fy = src_x - x0, src_y - y0',
      '    batch = np.arange(n)[:, None, None]',
      '',
      '    def pixel(y, x):',
      '        inside = (y >= 0) & (y < height) & (x >= 0) & (x < width)',
      '        return np.where(inside, images[batch, np.clip(y, 0, height - 1), np.clip(x, 0, width - 1), 0], 0.0)',
      '',
      '    top = (1 - fx) * pixel(y0, x0) + fx * pixel(y0, x0 + 1)',
      '    bottom = (1 - fx) * pixel(y0 + 1, x0) + fx * pixel(y0 + 1, x0 + 1)',
      '    return np.clip((1 - fy) * top + fy * bottom, 0, 1)[..., np.newaxis].astype("float32")',
      '',
      '',
      'class AugmentedBatches(keras.utils.PyDataset):',
      '    """The training images in batches, in a new order every epoch, every image freshly changed each time."""',
      '',
      '    def __init__(self, x, y, batch_size, seed):',
      '        super().__init__()',
      '        self.x, self.y, self.batch_size = x, y, batch_size',
      '        self.rng = np.random.default_rng(seed)',
      '        self.order = self.rng.permutation(len(x))',
      '',
      '    def __len__(self):',
      '        return -(-len(self.x) // self.batch_size)  # batches per epoch; the last one may be smaller',
      '',
      '    def __getitem__(self, index):',
      '        chosen = self.order[index * self.batch_size : (index + 1) * self.batch_size]',
      '        params = random_affine_params(len(chosen), self.rng, **AUGMENT)',
      '        return transform_images(self.x[chosen], params), self.y[chosen]',
      '',
      '    def on_epoch_end(self):',
      '        self.order = self.rng.permutation(len(self.x))',
    ),
  ];
  if (target === 'notebook') {
    cells.push(
      md('Twelve random versions of the first training digit: would you still read every one as the same digit?'),
      code(
        'variants = transform_images(np.repeat(x_train[:1], 12, axis=0), random_affine_params(12, np.random.default_rng(SEED), **AUGMENT))',
        'figure, axes = plt.subplots(1, 12, figsize=(12, 1.4))',
        'for ax, image in zip(axes, variants):',
        '    ax.imshow(image[..., 0], cmap="gray", vmin=0, vmax=1)',
        '    ax.axis("off")',
        'plt.show()',
      ),
    );
  }
  return cells;
}
