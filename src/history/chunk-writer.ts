const encoder = new TextEncoder();

/**
 * Cuts text into UTF-8 chunks of `size` bytes, never splitting a character: the stored chunks
 * of a backup file (R26). Holds one chunk at a time.
 *
 * @example
 * ```ts
 * declare const text: string;
 * const chunks = new ChunkWriter(64 * 1024);
 * let seq = 0;
 * for (const chunk of chunks.write(text)) await store.appendBackupChunk('acme', 'job.1', seq++, chunk);
 * const last = chunks.finish();
 * if (last) await store.appendBackupChunk('acme', 'job.1', seq++, last);
 * ```
 */
export class ChunkWriter {
  private buffer: Uint8Array;
  private used = 0;

  constructor(private readonly size: number) {
    this.buffer = new Uint8Array(size);
  }

  /** Adds text; yields every chunk it filled (a chunk may be up to 3 bytes short so a character is never split). */
  *write(text: string): Generator<Uint8Array, void, undefined> {
    let rest = text;
    while (rest.length > 0) {
      const { read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      // Full, or the next character does not fit in what is left.
      yield this.take();
    }
  }

  /** The last, partly filled chunk, or `null` when there is none. */
  finish(): Uint8Array | null {
    return this.used > 0 ? this.take() : null;
  }

  private take(): Uint8Array {
    const chunk = this.used === this.size ? this.buffer : this.buffer.slice(0, this.used);
    this.buffer = new Uint8Array(this.size);
    this.used = 0;
    return chunk;
  }
}
