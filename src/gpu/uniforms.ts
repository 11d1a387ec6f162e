// Uniform structs defined once, in TS: a small schema gives the byte offsets under WGSL's layout
// rules for the uniform address space, the WGSL `struct` declaration to paste into shaders, and a
// packer that writes values at those offsets. Shader and host cannot disagree on a layout, because
// both come from the same schema.

import { alignUp } from './arena.ts';

export type ScalarType = 'u32' | 'i32' | 'f32';
export type UniformFieldType = ScalarType | `vec2<${ScalarType}>` | `vec4<${ScalarType}>`;
export type UniformFields = Readonly<Record<string, UniformFieldType>>;

type FieldValue<T extends UniformFieldType> = T extends ScalarType
  ? number
  : T extends `vec2<${ScalarType}>`
    ? readonly [number, number]
    : readonly [number, number, number, number];

export type UniformValues<F extends UniformFields> = { readonly [K in keyof F]: FieldValue<F[K]> };

export interface UniformField {
  readonly name: string;
  readonly type: UniformFieldType;
  readonly scalar: ScalarType;
  readonly components: 1 | 2 | 4;
  readonly offset: number;
}

export interface UniformStruct<F extends UniformFields> {
  readonly name: string;
  readonly fields: readonly UniformField[];
  readonly offsets: { readonly [K in keyof F]: number };
  /** Rounded up to 16 bytes, the alignment of a struct in the uniform address space. */
  readonly byteSize: number;
  /** The WGSL `struct` declaration, with each member's offset in a comment. */
  readonly wgsl: string;
  /** Writes `values` into `target` (a fresh buffer when omitted; pass one to allocate nothing). */
  pack(values: UniformValues<F>, target?: ArrayBuffer): ArrayBuffer;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function defineUniformStruct<const F extends UniformFields>(name: string, schema: F): UniformStruct<F> {
  checkIdentifier(name, 'struct');
  const fields: UniformField[] = [];
  const offsets: Record<string, number> = {};
  let end = 0;
  for (const [fieldName, type] of Object.entries(schema)) {
    checkIdentifier(fieldName, `field of ${name}`);
    const { scalar, components } = parseType(type);
    // WGSL: a scalar aligns to 4 bytes, vec2 to 8, vec4 to 16; each is 4 bytes per component.
    const offset = alignUp(end, 4 * components);
    fields.push({ name: fieldName, type, scalar, components, offset });
    offsets[fieldName] = offset;
    end = offset + 4 * components;
  }
  if (fields.length === 0) throw new Error(`uniform struct ${name} has no fields (WGSL forbids empty structs)`);
  const byteSize = alignUp(end, 16);
  const members = fields.map((f) => `  ${f.name}: ${f.type}, // offset ${f.offset}`);
  const wgsl = `struct ${name} {\n${members.join('\n')}\n}\n`;

  return {
    name,
    fields,
    offsets: offsets as { readonly [K in keyof F]: number },
    byteSize,
    wgsl,
    pack(values, target = new ArrayBuffer(byteSize)) {
      if (target.byteLength < byteSize) {
        throw new RangeError(`${name}.pack: target holds ${target.byteLength} bytes, needs ${byteSize}`);
      }
      const view = new DataView(target);
      const record = values as Readonly<Record<string, number | readonly number[]>>;
      for (const field of fields) {
        const value = record[field.name];
        const parts = typeof value === 'number' ? [value] : (value ?? []);
        if (parts.length !== field.components) {
          const got = parts.length;
          throw new RangeError(`${name}.${field.name}: ${field.type} takes ${field.components} value(s), got ${got}`);
        }
        const where = `${name}.${field.name}`;
        parts.forEach((part, i) => writeScalar(view, field.offset + 4 * i, field.scalar, part, where));
      }
      return target;
    },
  };
}

function parseType(type: UniformFieldType): { scalar: ScalarType; components: 1 | 2 | 4 } {
  if (type === 'u32' || type === 'i32' || type === 'f32') return { scalar: type, components: 1 };
  const scalar = type.slice(5, 8) as ScalarType;
  return { scalar, components: type.startsWith('vec2') ? 2 : 4 };
}

// Integer fields are checked because a fractional or out-of-range value would be silently wrapped
// by DataView, and a wrong loop bound in a shader is much harder to find than this error.
function writeScalar(view: DataView, offset: number, scalar: ScalarType, value: number, where: string): void {
  if (scalar === 'f32') {
    view.setFloat32(offset, value, true);
    return;
  }
  const [min, max] = scalar === 'u32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${where}: ${value} is not a valid ${scalar}`);
  }
  if (scalar === 'u32') view.setUint32(offset, value, true);
  else view.setInt32(offset, value, true);
}

function checkIdentifier(name: string, what: string): void {
  if (!IDENTIFIER.test(name) || name.startsWith('__')) {
    throw new Error(`"${name}" is not a valid WGSL identifier for a ${what}`);
  }
}

