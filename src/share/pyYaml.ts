// YAML text that PyYAML's safe_load (YAML 1.1, what mad-lab uses) reads back as the same values.
// A general YAML 1.2 writer is not enough: YAML 1.1 reads `1e-05` (no '.') as a string and
// `on`/`yes` as booleans, so floats always get a '.' and strings are always quoted.

type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

function scalar(value: null | boolean | number | string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a mad-lab config value`);
  const text = String(value);
  if (Number.isInteger(value) && !text.includes('e')) return text;
  // PyYAML's float needs a '.' in the mantissa and a sign in the exponent: 1e-12 → 1.0e-12.
  const [mantissa, exponent] = text.split('e') as [string, string | undefined];
  const withPoint = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withPoint : `${withPoint}e${exponent.startsWith('-') || exponent.startsWith('+') ? exponent : `+${exponent}`}`;
}

function flow(value: Value): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, Value>)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')}}`;
  }
  return scalar(value as null | boolean | number | string);
}

/** Block mappings for nested objects, flow style for lists; keys are written as given (mad-lab's are plain words). */
export function toPyYaml(mapping: Readonly<Record<string, unknown>>, indent = ''): string {
  return Object.entries(mapping)
    .map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`cannot write config key ${JSON.stringify(key)} for mad-lab`);
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
        return `${indent}${key}:\n${toPyYaml(value as Record<string, unknown>, `${indent}  `)}`;
      }
      return `${indent}${key}: ${flow(value as Value)}\n`;
    })
    .join('');
}
