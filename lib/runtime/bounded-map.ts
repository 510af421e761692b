// A Map that keeps at most `limit` entries: setting a key makes it the newest, and setting
// one more than the limit drops the oldest. For the per-process hints of the hot paths (the
// datapoints castVote last read, whose session each token was, the current votes castVote
// wrote), each of which is checked again wherever it is acted on.
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
    if (!(limit >= 1)) throw new RangeError("a BoundedMap keeps at least one entry");
  }

  override set(key: K, value: V): this {
    super.delete(key);
    if (this.size >= this.limit) super.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}
