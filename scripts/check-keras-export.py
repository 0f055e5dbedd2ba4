"""Python half of scripts/check-keras-export.ts: runs the exported Keras script and compares it with the lab.

Reads DIR/expected.json (written by the TypeScript half), runs DIR/<script> as __main__ in DIR with
keras.datasets.mnist.load_data answering from the lab's own copy of MNIST (the same original files; no download),
then checks the Keras model holding the lab's weights against the lab's figures. Prints one JSON line of figures.
"""

import argparse
import gzip
import json
import os
import runpy
import sys
import time

import keras
import numpy as np

PROBABILITY_TOLERANCE = 1e-4
ACCURACY_TOLERANCE_POINTS = 0.1
AUGMENT_TOLERANCE = 1e-4


def lab_mnist(folder):
    def read(name, shape):
        with gzip.open(os.path.join(folder, name)) as f:
            return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)

    return (
        (read("train-images.u8z", (60000, 28, 28)), read("train-labels.u8z", (60000,))),
        (read("test-images.u8z", (10000, 28, 28)), read("test-labels.u8z", (10000,))),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.dir, "expected.json")) as f:
        expected = json.load(f)

    data = lab_mnist(args.data)
    keras.datasets.mnist.load_data = lambda path="mnist.npz": data
    os.chdir(args.dir)
    started = time.time()
    ns = runpy.run_path(expected["script"], run_name="__main__")
    seconds = time.time() - started

    failures = []
    if "lab_model" not in ns:
        failures.append("the script did not load the lab's weights")
        print(json.dumps({"failures": failures}))
        return 1
    x_test, y_test = ns["x_test"], ns["y_test"]
    lab = np.array(expected["probabilities"], dtype=np.float32)
    keras_probabilities = ns["lab_model"].predict(x_test[: len(lab)], verbose=0)
    probability_difference = float(np.max(np.abs(keras_probabilities - lab)))
    accuracy_points = 100 * (ns["lab_weights_accuracy"] - expected["labTestAccuracy"])

    aug = expected["augmentation"]
    names = {"rotation": "rotation", "shiftX": "shift_x", "shiftY": "shift_y", "shear": "shear", "zoomX": "zoom_x", "zoomY": "zoom_y"}
    params = {ours: np.array([p[theirs] for p in aug["params"]]) for theirs, ours in names.items()}
    numpy_augmented = ns["transform_images"](np.array(aug["images"], dtype=np.float32), params)
    augment_difference = float(np.max(np.abs(numpy_augmented - np.array(aug["lab"], dtype=np.float32))))

    if not probability_difference <= PROBABILITY_TOLERANCE:
        failures.append(f"probabilities differ by {probability_difference:.2e} (> {PROBABILITY_TOLERANCE})")
    if not abs(accuracy_points) <= ACCURACY_TOLERANCE_POINTS:
        failures.append(f"test accuracy differs by {accuracy_points:+.2f} points (> {ACCURACY_TOLERANCE_POINTS})")
    if not augment_difference <= AUGMENT_TOLERANCE:
        failures.append(f"augmented pixels differ by {augment_difference:.2e} (> {AUGMENT_TOLERANCE})")
    figures = {
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "script_seconds": round(seconds, 1),
        "script_test_accuracy": round(float(ns["test_accuracy"]), 4),
        "lab_test_accuracy": expected["labTestAccuracy"],
        "lab_weights_in_keras_test_accuracy": round(float(ns["lab_weights_accuracy"]), 4),
        "accuracy_difference_points": round(accuracy_points, 3),
        "max_probability_difference_100_digits": probability_difference,
        "max_augmented_pixel_difference": augment_difference,
        "failures": failures,
    }
    print(json.dumps(figures))
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
