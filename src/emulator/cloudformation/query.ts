/**
 * A query-protocol request (`Action=...&Version=...&Foo.member.1.Bar=...`) with typed accessors
 * for the list shapes CloudFormation uses.
 */
export class QueryParams {
  private readonly values: URLSearchParams;

  constructor(body: string) {
    this.values = new URLSearchParams(body);
  }

  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** `Name.member.1`, `Name.member.2`... until the first gap. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; this.values.has(`${name}.member.${i}`); i++) out.push(this.values.get(`${name}.member.${i}`) ?? '');
    return out;
  }

  /** `Name.member.N.Field` structures, as records of their fields. */
  structs(name: string, fields: readonly string[]): Record<string, string | undefined>[] {
    const out: Record<string, string | undefined>[] = [];
    for (let i = 1; fields.some((f) => this.values.has(`${name}.member.${i}.${f}`)); i++) {
      const entry: Record<string, string | undefined> = {};
      for (const f of fields) entry[f] = this.values.get(`${name}.member.${i}.${f}`) ?? undefined;
      out.push(entry);
    }
    return out;
  }
}
