/**
 * "Fastest available", decided by measurement: the training worker times a few training steps of this network at
 * this batch size on every backend that can start here (src/train/trainer.ts, `pickFastest`), and the lab trains on
 * the fastest. The answer is kept per device and network in IndexedDB, like the throughput calibrations
 * (src/train/calibration.ts), so the probe runs once. A fixed order is wrong both ways: on a 16-core machine with
 * an H200, WebAssembly beat WebGPU for the small net, while WebGPU won for the classic net.
 */
import { BACKEND_LABELS, type BackendName } from '../backend/backend';
import type { ModelSpec } from '../model/spec';
import { loadPersisted, savePersisted } from '../state/idb';
import { workloadKey } from './calibration';
import type { TrainSettings } from './settings';

/** One backend's result in the pick: a measured speed, or why it was not measured. */
export interface BackendMeasurement {
  backend: BackendName;
  /** Training images per second, or null when not measured. */
  trainImagesPerSecond: number | null;
  /** Why it was not measured ("not available here", "renders in software here", the error). */
  note: string | null;
  /** WebAssembly: 2 when splitting each batch between two workers measured faster than one (data-parallel.ts). */
  workers?: number;
}

export interface BackendPick {
  backend: BackendName;
  measurements: BackendMeasurement[];
  /** The device the measurements were taken on (cores, isolation, GPU), part of the cache key. */
  device: string;
  measuredAt: number;
}

/** The measured backend with the most training images per second; null when none was measured. */
export function fastestMeasured(measurements: readonly BackendMeasurement[]): BackendName | null {
  let best: BackendMeasurement | null = null;
  for (const m of measurements) {
    if (m.trainImagesPerSecond !== null && (!best || m.trainImagesPerSecond > (best.trainImagesPerSecond ?? 0))) best = m;
  }
  return best?.backend ?? null;
}

const speed = (imagesPerSecond: number) => `${Math.round(imagesPerSecond).toLocaleString('en-US')} images/s`;
const named = (m: BackendMeasurement) => BACKEND_LABELS[m.backend] + ((m.workers ?? 1) > 1 ? ` on ${m.workers} workers` : '');

/**
 * Why the lab trains where it does, in one sentence for the training cell: "Fastest available, measured on this
 * device for this network at batch 32: WebAssembly, 152 images/s (WebGL: renders in software here, not measured;
 * WebGPU: not available here)." WebAssembly that trains on two workers says so ("WebAssembly on 2 workers").
 */
export function describePick(pick: BackendPick, batchSize: number): string {
  const winner = pick.measurements.find((m) => m.backend === pick.backend);
  const others = pick.measurements
    .filter((m) => m.backend !== pick.backend)
    .map((m) => `${named(m)}: ${m.trainImagesPerSecond !== null ? speed(m.trainImagesPerSecond) : m.note}`);
  const head = `Fastest available, measured on this device for this network at batch ${batchSize}: ${winner ? named(winner) : BACKEND_LABELS[pick.backend]}`;
  return `${head}${winner?.trainImagesPerSecond ? `, ${speed(winner.trainImagesPerSecond)}` : ''}${others.length ? ` (${others.join('; ')})` : ''}.`;
}

/** Per device and network: the same layers, batch size and augmentation share a pick whatever the network's name. */
export function pickKey(spec: ModelSpec, settings: Pick<TrainSettings, 'batchSize' | 'augment'>, device: string): string {
  return `${device}|${workloadKey(spec, settings)}`;
}

const STORE_KEY = 'backend-picks';

function isPick(value: unknown): value is BackendPick {
  const v = value as Partial<BackendPick> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.backend === 'string' &&
    typeof v.device === 'string' &&
    Array.isArray(v.measurements) &&
    v.measurements.every((m: Partial<BackendMeasurement>) => typeof m?.backend === 'string' && (m.trainImagesPerSecond === null || (typeof m.trainImagesPerSecond === 'number' && m.trainImagesPerSecond > 0)))
  );
}

/** Picks by key, kept in IndexedDB (damaged entries are dropped on read). */
export class BackendPickBook {
  private readonly entries = new Map<string, BackendPick>();
  private loaded: Promise<void> | null = null;

  load(): Promise<void> {
    this.loaded ??= loadPersisted<Record<string, unknown>>(STORE_KEY)
      .then((raw) => {
        if (typeof raw !== 'object' || raw === null) return;
        for (const [key, value] of Object.entries(raw)) if (isPick(value) && !this.entries.has(key)) this.entries.set(key, value);
      })
      .catch(() => {});
    return this.loaded;
  }

  get(key: string): BackendPick | null {
    return this.entries.get(key) ?? null;
  }

  set(key: string, pick: BackendPick): void {
    this.entries.set(key, pick);
    void savePersisted(STORE_KEY, Object.fromEntries(this.entries)).catch(() => {});
  }

  /** Forgets a pick whose backend no longer starts (the next estimate or run measures again). */
  forget(key: string): void {
    if (this.entries.delete(key)) void savePersisted(STORE_KEY, Object.fromEntries(this.entries)).catch(() => {});
  }
}
