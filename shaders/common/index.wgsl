// Linear invocation index for 1-D grids spread over x and y (see grid1d in launch.ts):
// flat = global x + global y · (workgroups in x · workgroup size).
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>, wg_size: u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg_size;
}
