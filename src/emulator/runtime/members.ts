import { invalid } from './protocol.ts';

/** Typed reads of a request body's members; a wrong type or length is an InvalidInputException naming the member. */
export class Members {
  constructor(
    private readonly body: Readonly<Record<string, unknown>>,
    /** Prefix for member names in messages, such as `eventList[2].`. */
    private readonly path = '',
  ) {}

  optString(name: string, max = 256): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(this.path + name, 'must be a string');
    if (value.length < 1 || value.length > max) throw invalid(this.path + name, `must be 1 to ${max} characters long`);
    return value;
  }

  string(name: string, max = 256): string {
    const value = this.optString(name, max);
    if (value === undefined) throw invalid(this.path + name, 'is required');
    return value;
  }

  optNumber(name: string): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(this.path + name, 'must be a number');
    return value;
  }

  number(name: string): number {
    const value = this.optNumber(name);
    if (value === undefined) throw invalid(this.path + name, 'is required');
    return value;
  }

  optStringMap(name: string): Record<string, string> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(this.path + name, 'must be a map of strings');
    for (const [key, entry] of Object.entries(value)) if (typeof entry !== 'string') throw invalid(`${this.path}${name}.${key}`, 'must be a string');
    return value as Record<string, string>;
  }

  optStringList(name: string, max: number): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(this.path + name, 'must be a list of strings');
    if (value.length > max) throw invalid(this.path + name, `holds at most ${max} entries`);
    return value as string[];
  }

  /** A required list of structures, each read through its own Members. */
  structures(name: string, min: number, max: number): Members[] {
    const value = this.body[name];
    if (value === undefined || value === null) throw invalid(this.path + name, 'is required');
    if (!Array.isArray(value)) throw invalid(this.path + name, 'must be a list');
    if (value.length < min || value.length > max) throw invalid(this.path + name, `must hold ${min} to ${max} entries`);
    return value.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`${this.path}${name}[${i}]`, 'must be a structure');
      return new Members(entry as Record<string, unknown>, `${this.path}${name}[${i}].`);
    });
  }

  /** A member as sent, unchecked; undefined when absent or null. */
  optJsonValue(name: string): unknown {
    const value = this.body[name];
    return value === null ? undefined : value;
  }

  /** A JSON-encoded object member (`properties`), parsed. */
  optJsonObject(name: string, max: number): Record<string, unknown> | undefined {
    const text = this.optString(name, max);
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid(this.path + name, 'must be a JSON object encoded as a string');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(this.path + name, 'must be a JSON object encoded as a string');
    return value as Record<string, unknown>;
  }
}
