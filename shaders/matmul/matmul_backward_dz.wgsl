// First step of matmul's backward pass, fused over one read of dY:
//   dz = dy ∘ act'(z)        (only when ACT is not OP_IDENTITY; else dZ is dY itself)
//   dbias += Σ_rows dz       (only when HAS_BIAS)
//   z, dy, dz: [R, N] with R = BATCH·M rows   f32 (z, dz: placeholders when unused)
//   dbias:     [N]                              f32 (a placeholder when unused)
// Grid: x over column blocks of WG_X, y over row chunks of params.rows_per_group (one chunk
// when HAS_BIAS). Each invocation walks rows lid.y, lid.y + WG_Y, … of its chunk; the bias sum
// then adds the WG_Y partial sums in a fixed order: deterministic, no float atomics.
// #include "common/activations.wgsl"

struct Params {
  R: u32,
  N: u32,
  rows_per_group: u32,
}

// Overrides, not uniforms: SwiftShader runs both sides of a branch under a lane mask.
override ACT: u32 = 8u; // op code of common/activations.wgsl; OP_IDENTITY: dZ is dY, nothing written
override HAS_BIAS: bool = false;

@group(0) @binding(0) var<storage, read_write> z: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dz: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG_X: u32 = 32u;
override WG_Y: u32 = 8u; // WG_X · WG_Y ≤ 256 (size of partial)

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let N = params.N;
  let n = wid.x * WG_X + lid.x;
  let r0 = wid.y * params.rows_per_group;
  let r1 = min(params.R, r0 + params.rows_per_group);
  var sum = 0.0;
  if (n < N) {
    for (var r = r0 + lid.y; r < r1; r += WG_Y) {
      let i = r * N + n;
      var g = dy[i];
      if (ACT != OP_IDENTITY) {
        g *= unary_derivative(ACT, z[i], 1.0);
        dz[i] = g;
      }
      sum += g;
    }
  }
  if (HAS_BIAS) {
    partial[lid.y * WG_X + lid.x] = sum;
    workgroupBarrier();
    if (lid.y == 0u && n < N) {
      var total = 0.0;
      for (var j = 0u; j < WG_Y; j++) { total += partial[j * WG_X + lid.x]; }
      dbias[n] = dbias[n] + total;
    }
  }
}
