// Embedding backward, pass 2 of 4: exclusive prefix sum of hist, in place, in one workgroup.
// Afterwards hist[id · chunks + chunk] is where that chunk's positions of that id start in the
// sorted order, hist[id · chunks] is where id's bucket starts, and hist[V · chunks] = total.
//   hist: [L + 1] u32, L = V · chunks (the last entry receives the total)
// Each invocation owns one contiguous range (two passes over it, two barriers per level of the
// scan of the range sums), which beats tile-by-tile scanning where barriers are expensive.

struct Params { len: u32 }

@group(0) @binding(0) var<storage, read_write> hist: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

override WG: u32 = 256u;

var<workgroup> sums: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let per = (params.len + WG - 1u) / WG;
  let begin = min(lid * per, params.len);
  let end = min(begin + per, params.len);
  var own = 0u;
  for (var k = begin; k < end; k++) { own += hist[k]; }
  sums[lid] = own;
  workgroupBarrier();
  // Hillis–Steele inclusive scan of the range sums.
  for (var offset = 1u; offset < WG; offset <<= 1u) {
    var add = 0u;
    if (lid >= offset) { add = sums[lid - offset]; }
    workgroupBarrier();
    sums[lid] += add;
    workgroupBarrier();
  }
  var running = sums[lid] - own;
  for (var k = begin; k < end; k++) {
    let count = hist[k];
    hist[k] = running;
    running += count;
  }
  if (lid == WG - 1u) { hist[params.len] = sums[WG - 1u]; }
}
