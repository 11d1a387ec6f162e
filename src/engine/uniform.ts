// Packs a uniform struct made only of 4-byte scalars (u32, i32, f32), in declaration order —
// the layout WGSL gives such a struct (each member at 4·index, size rounded up to 16 bytes).

export type ScalarType = 'u32' | 'i32' | 'f32';

export function packUniform(fields: readonly (readonly [ScalarType, number])[]): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const buffer = new ArrayBuffer(bytes);
  const view = new DataView(buffer);
  fields.forEach(([type, value], i) => {
    if (type === 'f32') view.setFloat32(i * 4, value, true);
    else if (type === 'i32') view.setInt32(i * 4, value, true);
    else {
      if (!Number.isInteger(value) || value < 0) throw new Error(`u32 uniform field ${i} got ${value}`);
      view.setUint32(i * 4, value, true);
    }
  });
  return buffer;
}
