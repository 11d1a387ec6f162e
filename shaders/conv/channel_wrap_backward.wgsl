// Channel window with wrap-around, backward (see channel_wrap_forward.wgsl): every input channel
// gathers the outputs that copied it, in a fixed order (no atomics):
//   dx[row, i] += Σ_{j < N, (OFF + j) mod CIN = i} dy[row, j].
// dy: [ROWS, N]; dx: [ROWS, CIN]. Accumulates.
// #include "common/index.wgsl"

struct Params { total: u32, cin: u32, n: u32, off: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.total) { return; }
  let row = i / params.cin;
  let ch = i % params.cin;
  var s = 0.0;
  var j = (ch + params.cin - params.off % params.cin) % params.cin;
  loop {
    if (j >= params.n) { break; }
    s = s + dy[row * params.n + j];
    j = j + params.cin;
  }
  dx[i] = dx[i] + s;
}
