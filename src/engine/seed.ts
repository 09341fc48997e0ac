const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The seed that training and evaluation of a solution version use: FNV-1a (32-bit) over the UTF-8
 * bytes of `text`, normally the solution version ARN. It is a contract, not a detail: the emulator
 * evaluates a version with `seedOf(solutionVersionArn)` and the report reproduces its per-user
 * metrics locally with the same seed, so changing it changes every reported number.
 */
export function seedOf(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}
