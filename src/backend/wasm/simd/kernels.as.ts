// AssemblyScript, not TypeScript: compiled to WebAssembly by scripts/build-kernels.mjs (which see), never by tsc.
//
// Kernels for tfjs's WASM backend, written for WebAssembly SIMD: a convolution and its filter gradient (NHWC,
// stride 1, float32), and a fused Adam step (at the end). They read and write the backend's own heap (the memory
// is imported), so a tensor is passed as its byte offset and nothing is copied. The convolutions each keep a 4 × 8 block of its output in eight vector registers and adds one product per
// input value, with a fused multiply-add where the engine has relaxed SIMD (ASC_FEATURE_RELAXED_SIMD, one of two
// builds) and a multiply and an add where it has not.
//
// Why: XNNPACK in tfjs 4.22 runs a convolution at about 23 GFLOP/s on one core here and has no kernel for the
// filter gradient, which the lab composes from transposes and a forward convolution at 9-15 GFLOP/s. These run at
// 28-35 GFLOP/s (relaxed) and 22-30 (plain) on the classic net's 3×3 layers. No allocation, no runtime, no data.

@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(f32x4.mul(a, b), acc);
}

/**
 * y[b, oy, ox, o] = act(bias[o] + Σ_{i, j, c} x[b, oy + i - top, ox + j - left, c] · w[i, j, c, o])
 *
 * x [n, h, w, ci], w [kh, kw, ci, co], bias [co] or 0, y [n, oh, ow, co]; co a multiple of 8, ow at least 4.
 * Taps that fall in the padding read `zero` (ci zeros) instead, so the inner loop has no branch. relu: 1 to clamp
 * at 0. A row's last block of 4 columns starts at ow - 4 and may recompute columns the one before it wrote.
 */
export function conv(x: usize, wt: usize, bias: usize, y: usize, zero: usize, n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, top: i32, left: i32, relu: i32): void {
  const cs = <usize>ci << 2;
  const os = <usize>co << 2;
  const zeros = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let xt = 0; xt < ow; xt += 4) {
        const x0 = min(xt, ow - 4);
        for (let o0 = 0; o0 < co; o0 += 8) {
          let a00 = zeros, a01 = zeros;
          if (bias) {
            a00 = v128.load(bias + (<usize>o0 << 2));
            a01 = v128.load(bias + (<usize>o0 << 2), 16);
          }
          let a10 = a00, a11 = a01, a20 = a00, a21 = a01, a30 = a00, a31 = a01;
          for (let i = 0; i < kh; i++) {
            const iy = oy + i - top;
            if (iy < 0 || iy >= h) continue;
            const row = x + <usize>((b * h + iy) * w) * cs;
            for (let j = 0; j < kw; j++) {
              const ix = x0 + j - left;
              const p0 = ix >= 0 && ix < w ? row + <usize>ix * cs : zero;
              const p1 = ix + 1 >= 0 && ix + 1 < w ? row + <usize>(ix + 1) * cs : zero;
              const p2 = ix + 2 >= 0 && ix + 2 < w ? row + <usize>(ix + 2) * cs : zero;
              const p3 = ix + 3 >= 0 && ix + 3 < w ? row + <usize>(ix + 3) * cs : zero;
              let pw = wt + (<usize>((i * kw + j) * ci) * co << 2) + (<usize>o0 << 2);
              for (let off: usize = 0; off < cs; off += 4) {
                const w0 = v128.load(pw);
                const w1 = v128.load(pw, 16);
                let s = v128.load32_splat(p0 + off);
                a00 = madd(s, w0, a00);
                a01 = madd(s, w1, a01);
                s = v128.load32_splat(p1 + off);
                a10 = madd(s, w0, a10);
                a11 = madd(s, w1, a11);
                s = v128.load32_splat(p2 + off);
                a20 = madd(s, w0, a20);
                a21 = madd(s, w1, a21);
                s = v128.load32_splat(p3 + off);
                a30 = madd(s, w0, a30);
                a31 = madd(s, w1, a31);
                pw += os;
              }
            }
          }
          if (relu) {
            a00 = f32x4.max(a00, zeros); a01 = f32x4.max(a01, zeros);
            a10 = f32x4.max(a10, zeros); a11 = f32x4.max(a11, zeros);
            a20 = f32x4.max(a20, zeros); a21 = f32x4.max(a21, zeros);
            a30 = f32x4.max(a30, zeros); a31 = f32x4.max(a31, zeros);
          }
          const out = y + (<usize>(((b * oh + oy) * ow + x0) * co + o0) << 2);
          v128.store(out, a00); v128.store(out, a01, 16);
          v128.store(out + os, a10); v128.store(out + os, a11, 16);
          v128.store(out + 2 * os, a20); v128.store(out + 2 * os, a21, 16);
          v128.store(out + 3 * os, a30); v128.store(out + 3 * os, a31, 16);
        }
      }
    }
  }
}

/**
 * dw[i, j, c, o] = Σ_{b, oy, ox} x[b, oy + i - top, ox + j - left, c] · dy[b, oy, ox, o]
 *
 * x [n, h, w, ci], dy [n, oh, ow, co], dw [kh, kw, ci, co]; ci a multiple of 4, co of 8. Each 4 × 8 block of dw
 * is summed over `rows` output rows at a time, so that the rows of x and dy it reads stay in the cache for the
 * next block; taps in the padding are skipped by narrowing each row's range of columns.
 */
export function filterGrad(x: usize, dy: usize, dw: usize, n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, top: i32, left: i32, rows: i32): void {
  memory.fill(dw, 0, <usize>(kh * kw * ci * co) << 2);
  const cs = <usize>ci << 2;
  const os = <usize>co << 2;
  for (let b = 0; b < n; b++) {
    for (let y0 = 0; y0 < oh; y0 += rows) {
      const y1 = min(y0 + rows, oh);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const x0 = max(0, left - j);
          const x1 = min(ow, w + left - j);
          if (x1 <= x0) continue;
          for (let c0 = 0; c0 < ci; c0 += 4) {
            for (let o0 = 0; o0 < co; o0 += 8) {
              const out = dw + (<usize>(((i * kw + j) * ci + c0) * co + o0) << 2);
              let a00 = v128.load(out), a01 = v128.load(out, 16);
              let a10 = v128.load(out + os), a11 = v128.load(out + os, 16);
              let a20 = v128.load(out + 2 * os), a21 = v128.load(out + 2 * os, 16);
              let a30 = v128.load(out + 3 * os), a31 = v128.load(out + 3 * os, 16);
              for (let oy = y0; oy < y1; oy++) {
                const iy = oy + i - top;
                if (iy < 0 || iy >= h) continue;
                let px = x + (<usize>(((b * h + iy) * w + (x0 + j - left)) * ci + c0) << 2);
                let pd = dy + (<usize>(((b * oh + oy) * ow + x0) * co + o0) << 2);
                for (let ox = x0; ox < x1; ox++) {
                  const d0 = v128.load(pd);
                  const d1 = v128.load(pd, 16);
                  let s = v128.load32_splat(px);
                  a00 = madd(s, d0, a00);
                  a01 = madd(s, d1, a01);
                  s = v128.load32_splat(px, 4);
                  a10 = madd(s, d0, a10);
                  a11 = madd(s, d1, a11);
                  s = v128.load32_splat(px, 8);
                  a20 = madd(s, d0, a20);
                  a21 = madd(s, d1, a21);
                  s = v128.load32_splat(px, 12);
                  a30 = madd(s, d0, a30);
                  a31 = madd(s, d1, a31);
                  px += cs;
                  pd += os;
                }
              }
              v128.store(out, a00); v128.store(out, a01, 16);
              v128.store(out + os, a10); v128.store(out + os, a11, 16);
              v128.store(out + 2 * os, a20); v128.store(out + 2 * os, a21, 16);
              v128.store(out + 3 * os, a30); v128.store(out + 3 * os, a31, 16);
            }
          }
        }
      }
    }
  }
}

/**
 * One Adam step over `size` weights, fused: tfjs's AdamOptimizer runs it as ten tensor operations, each a pass over
 * memory. The same float32 operations in the same order (no fused multiply-add), so the result is tfjs's to the bit:
 *   m' = m·β1 + g·(1 - β1)        v' = v·β2 + g²·(1 - β2)
 *   w' = (m' / c1) / (√(v' / c2) + ε) · (-lr) + w          c1 = 1 - β1^t, c2 = 1 - β2^t
 * oneMinusBeta1, oneMinusBeta2 and negLr are passed as tfjs computes them (in float64, then rounded to float32).
 */
export function adam(w: usize, g: usize, m: usize, v: usize, wOut: usize, mOut: usize, vOut: usize, size: i32, negLr: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, c2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32): void {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), e = f32x4.splat(epsilon), n = f32x4.splat(negLr);
  const k1 = f32x4.splat(oneMinusBeta1), k2 = f32x4.splat(oneMinusBeta2), d1 = f32x4.splat(c1), d2 = f32x4.splat(c2);
  const vectors = <usize>(size >> 2) << 4;
  for (let at: usize = 0; at < vectors; at += 16) {
    const gv = v128.load(g + at);
    const mv = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(gv, k1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(gv, gv), k2));
    const step = f32x4.div(f32x4.div(mv, d1), f32x4.add(f32x4.sqrt(f32x4.div(vv, d2)), e));
    v128.store(wOut + at, f32x4.add(f32x4.mul(step, n), v128.load(w + at)));
    v128.store(mOut + at, mv);
    v128.store(vOut + at, vv);
  }
  for (let at = vectors; at < (<usize>size << 2); at += 4) {
    const gs = load<f32>(g + at);
    const ms = load<f32>(m + at) * beta1 + gs * oneMinusBeta1;
    const vs = load<f32>(v + at) * beta2 + gs * gs * oneMinusBeta2;
    const step = ms / c1 / (Mathf.sqrt(vs / c2) + epsilon);
    store<f32>(wOut + at, step * negLr + load<f32>(w + at));
    store<f32>(mOut + at, ms);
    store<f32>(vOut + at, vs);
  }
}

/**
 * Batch norm's gradient, first pass (batch-norm-grad.ts has the maths): per channel, Σ dy into sums[c] and Σ dy·x
 * into sums[channels + c], as float64. x and dy are [rows, channels], channels a multiple of 4; each block of 64 rows
 * is summed in float32 vectors (the block stays in cache) and then added in float64.
 */
export function batchNormGradSums(x: usize, dy: usize, sums: usize, rows: i32, channels: i32): void {
  memory.fill(sums, 0, <usize>channels << 4);
  const rowBytes = <usize>channels << 2;
  const products = sums + (<usize>channels << 3);
  for (let r0 = 0; r0 < rows; r0 += 64) {
    const r1 = min(r0 + 64, rows);
    for (let c = 0; c < channels; c += 4) {
      let g = f32x4.splat(0);
      let s = f32x4.splat(0);
      let o = (<usize>r0 * rowBytes) + (<usize>c << 2);
      for (let r = r0; r < r1; r++) {
        const d = v128.load(dy + o);
        g = f32x4.add(g, d);
        s = madd(d, v128.load(x + o), s);
        o += rowBytes;
      }
      const at = <usize>c << 3;
      v128.store(sums + at, f64x2.add(v128.load(sums + at), f64x2.promote_low_f32x4(g)));
      v128.store(sums + at, f64x2.add(v128.load(sums + at, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 2, 3))), 16);
      v128.store(products + at, f64x2.add(v128.load(products + at), f64x2.promote_low_f32x4(s)));
      v128.store(products + at, f64x2.add(v128.load(products + at, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 2, 3))), 16);
    }
  }
}

/**
 * Batch norm's gradient, second pass: dx = a·dy + b·(x − μ) + k per channel (x centred first: float32 would lose
 * b·x + k to cancellation where μ is large); coefficients [a | b | k | μ], each [channels].
 */
export function batchNormGradApply(x: usize, dy: usize, dx: usize, coefficients: usize, rows: i32, channels: i32): void {
  const rowBytes = <usize>channels << 2;
  const b = coefficients + rowBytes;
  const k = b + rowBytes;
  const mu = k + rowBytes;
  let o: usize = 0;
  for (let r = 0; r < rows; r++) {
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const value = madd(v128.load(b + c), f32x4.sub(v128.load(x + o + c), v128.load(mu + c)), v128.load(k + c));
      v128.store(dx + o + c, madd(v128.load(coefficients + c), v128.load(dy + o + c), value));
    }
    o += rowBytes;
  }
}

/**
 * The gradient of a 2×2 max pool with stride 2 and no padding, over images whose height and width are even: each
 * window's output gradient goes to its first largest input (rows, then columns, as tfjs's cpu backend), the other
 * three get 0, so dx is written whole. x and dx [n, h, w, channels], dy [n, h/2, w/2, channels]; channels a
 * multiple of 4.
 */
export function maxPool2x2Grad(x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, channels: i32): void {
  const pixel = <usize>channels << 2;
  const row = <usize>w * pixel;
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y += 2) {
      const top = (<usize>(b * h + y)) * row;
      for (let xx = 0; xx < w; xx += 2) {
        const a00 = top + <usize>xx * pixel;
        const a01 = a00 + pixel;
        const a10 = a00 + row;
        const a11 = a10 + pixel;
        for (let c: usize = 0; c < pixel; c += 16) {
          const v00 = v128.load(x + a00 + c), v01 = v128.load(x + a01 + c);
          const v10 = v128.load(x + a10 + c), v11 = v128.load(x + a11 + c);
          const best = f32x4.max(f32x4.max(v00, v01), f32x4.max(v10, v11));
          const d = v128.load(g + c);
          const m00 = f32x4.eq(v00, best);
          const m01 = v128.andnot(f32x4.eq(v01, best), m00);
          const taken = v128.or(m00, m01);
          const m10 = v128.andnot(f32x4.eq(v10, best), taken);
          const m11 = v128.not(v128.or(taken, m10));
          v128.store(dx + a00 + c, v128.and(d, m00));
          v128.store(dx + a01 + c, v128.and(d, m01));
          v128.store(dx + a10 + c, v128.and(d, m10));
          v128.store(dx + a11 + c, v128.and(d, m11));
        }
        g += pixel;
      }
    }
  }
}

/** y = x·s + t per channel, in one pass: x and y [rows, channels], channels a multiple of 4; coefficients [s | t]. */
export function scaleShift(x: usize, coefficients: usize, y: usize, rows: i32, channels: i32): void {
  const rowBytes = <usize>channels << 2;
  const shift = coefficients + rowBytes;
  let o: usize = 0;
  for (let r = 0; r < rows; r++) {
    for (let c: usize = 0; c < rowBytes; c += 16) {
      v128.store(y + o + c, madd(v128.load(x + o + c), v128.load(coefficients + c), v128.load(shift + c)));
    }
    o += rowBytes;
  }
}
