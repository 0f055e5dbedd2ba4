/**
 * The notebook's cells after training: the test (with the lab's own figure beside Keras'), the confusion matrix,
 * the curves, and the cell that loads the lab's trained weights into the same model.
 */
import { KERAS_LOSS } from './keras-model';
import type { ExportCell } from './notebook';
import { pyNumber, pyString } from './python';
import { code, count, md, show, TEST_DIGITS, type CheckedRun, type Target } from './keras-cells';

export function resultCells(run: CheckedRun, target: Target): ExportCell[] {
  return [
    md(
      '## The test',
      '',
      'The 10,000 test digits were written by other people and never shown during training: the honest measure of',
      'what the network learned. Rows of the confusion matrix are the true digit, columns what the network answered.',
    ),
    code(
      `LAB_TEST_ACCURACY = ${run.testAccuracy === null ? 'None' : pyNumber(run.testAccuracy, 'The test accuracy')}  # what the lab measured for this run${run.testCount < TEST_DIGITS ? `, on its first ${count(run.testCount)} test digits` : ''}`,
      '',
      'test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)',
      'print(f"Test accuracy: {test_accuracy:.2%} on {len(x_test):,} digits the network never saw (loss {test_loss:.4f})")',
      'if LAB_TEST_ACCURACY is not None:',
      '    print(f"The lab measured {LAB_TEST_ACCURACY:.2%} (other images and random numbers: expect a small difference)")',
      '',
      'predicted = model.predict(x_test, verbose=0).argmax(axis=1)',
      'confusion = np.zeros((10, 10), dtype=int)',
      'np.add.at(confusion, (y_test, predicted), 1)',
      'mistakes = confusion * (1 - np.eye(10, dtype=int))',
      'for true, answer in zip(*np.unravel_index(np.argsort(mistakes, axis=None)[::-1][:3], mistakes.shape)):',
      '    print(f"{mistakes[true, answer]} times a {true} was read as a {answer}")',
      '',
      'figure, ax = plt.subplots(figsize=(6, 6))',
      'ax.imshow(confusion, cmap="Blues")',
      'for true in range(10):',
      '    for answer in range(10):',
      '        dark = confusion[true, answer] > confusion.max() / 2',
      '        ax.text(answer, true, confusion[true, answer], ha="center", va="center", fontsize=8, color="white" if dark else "black")',
      'ax.set(xlabel="the network answered", ylabel="true digit", xticks=range(10), yticks=range(10), title="Confusion matrix")',
      ...show(target, '-confusion.png'),
    ),
    md(
      '## The curves',
      '',
      'Training loss and accuracy after every batch, and validation after every epoch. A loss that falls and then',
      'flattens is normal; validation accuracy far below training accuracy means the network memorises.',
    ),
    code(
      'batches_per_epoch = -(-len(x_train) // BATCH_SIZE)',
      'seen = np.arange(1, len(batch_log.loss) + 1) / batches_per_epoch  # in epochs',
      'epoch_ends = np.arange(1, len(history.history["loss"]) + 1)',
      'figure, axes = plt.subplots(1, 2, figsize=(11, 4))',
      'for ax, key in zip(axes, ["loss", "accuracy"]):',
      '    ax.plot(seen, getattr(batch_log, key), label=f"training {key}")',
      '    if "val_" + key in history.history:',
      '        ax.plot(epoch_ends, history.history["val_" + key], "o-", label=f"validation {key}")',
      '    ax.set(xlabel="epoch", title=key.capitalize())',
      '    ax.legend()',
      ...show(target, '-curves.png'),
    ),
  ];
}

export function weightsCells(target: Target): ExportCell[] {
  return [
    md(
      "## The lab's own weights",
      '',
      "In the lab, **Download weights for Keras** saves this run's trained weights as a Keras file. Put it next to this",
      `${target}${target === 'notebook' ? ' (in Colab: the folder icon on the left, then Upload) and run this cell' : ' and run it'}: it builds the same model, loads`,
      "the lab's weights into it and measures it on the test digits. It should score what the lab measured, up to",
      'rounding: the same network, the same numbers, in another library.',
    ),
    code(
      'WEIGHTS_FILE = RUN_NAME + ".weights.h5"',
      '',
      'if os.path.exists(WEIGHTS_FILE):',
      '    lab_model = build_model()',
      "    lab_model.load_weights(WEIGHTS_FILE)  # before compile: the file holds the layers' weights, not the optimizer's",
      `    lab_model.compile(loss=${pyString(KERAS_LOSS)}, metrics=["accuracy"])`,
      '    _, lab_weights_accuracy = lab_model.evaluate(x_test, y_test, verbose=0)',
      '    print(f"The lab\'s weights in Keras: {lab_weights_accuracy:.2%} on the {len(x_test):,} test digits")',
      '    if LAB_TEST_ACCURACY is not None:',
      '        print(f"The lab measured {LAB_TEST_ACCURACY:.2%}: {100 * abs(lab_weights_accuracy - LAB_TEST_ACCURACY):.2f} points apart")',
      'else:',
      '    print(f"No {WEIGHTS_FILE} here: download it from the lab (Download weights for Keras) and put it next to this file")',
    ),
    md(
      '## Things to try',
      '',
      '- Train longer: set `EPOCHS` to 10 and `TRAIN_IMAGES` to 60000. On Colab, a GPU runtime (Runtime → Change runtime',
      '  type) makes that quick even for the classic model.',
      '- Save your model with `model.save(RUN_NAME + ".keras")` and load it back with `keras.saving.load_model`.',
      "- Swap the NumPy augmentation for Keras' `RandomRotation`, `RandomTranslation` and `RandomZoom` layers. Does the",
      '  accuracy change?',
    ),
  ];
}
