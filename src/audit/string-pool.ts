/**
 * One copy of each distinct string across the decoded facts of a whole fleet.
 *
 * Each host's probe record is parsed on its own, so the strings that every
 * member of a cluster repeats (its managers' node ids and addresses, its
 * overlay networks' ids, names, subnets and options, the engine version,
 * "tcp", "0.0.0.0") would otherwise be held once per host, for as long as the
 * audit holds the facts (through evaluation). Strings are immutable: sharing
 * one copy changes nothing any check or report reads. The pool itself lives
 * only while a fleet is decoded (decodeAll), so it adds nothing to the peak.
 * Measured on the bench's 10,000 hosts (packages/bench/BENCH.md).
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pool's copy of `text`: the first equal string it was given. */
  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  /**
   * Replaces, in place, every string held by `value`'s plain objects and
   * arrays (at any depth) with the pool's copy, and returns `value`. Anything
   * else (a Date, a Map, a class instance) is left as it is.
   */
  share<T>(value: T): T {
    const holder: unknown = value;
    if (Array.isArray(holder)) {
      for (let i = 0; i < holder.length; i++) holder[i] = this.shared(holder[i]);
    } else if (isPlainObject(holder)) {
      for (const key of Object.keys(holder)) holder[key] = this.shared(holder[key]);
    }
    return value;
  }

  private shared(value: unknown): unknown {
    return typeof value === 'string' ? this.intern(value) : this.share(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
