import { describe, expect, it } from 'vitest';
import { gpuIsSoftware, isSoftwareAdapter, isSoftwareRenderer } from '../../../src/backend/gpu-info';

describe('the software-GPU detector', () => {
  it('knows the software rasterisers by their renderer names', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA H200 (0x00002335) Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });

  it('treats a fallback WebGPU adapter, or none, as software', () => {
    expect(isSoftwareAdapter(null)).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false } })).toBe(false);
  });

  it('answers in Node, where there is no GPU to probe, without throwing', async () => {
    // No navigator.gpu: no adapter, so WebGPU here cannot be a hardware GPU; no WebGL context: not known to be software.
    await expect(gpuIsSoftware('webgpu')).resolves.toBe(true);
    await expect(gpuIsSoftware('webgl')).resolves.toBe(false);
  });
});
