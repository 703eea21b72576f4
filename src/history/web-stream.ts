/**
 * A web `ReadableStream` that pulls from an async iterable one item at a time (so a slow reader
 * holds back the source) and stops the source when the reader cancels. Works wherever
 * `ReadableStream` is global: Node ≥ 18, Deno, Bun, browsers, edge runtimes.
 *
 * @example
 * ```ts
 * declare const chunks: AsyncIterable<Uint8Array>;
 * const response = new Response(toReadableStream(chunks), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
 * ```
 */
export function toReadableStream<T>(source: AsyncIterable<T>): ReadableStream<T> {
  let iterator: AsyncIterator<T> | undefined;
  return new ReadableStream<T>(
    {
      async pull(controller) {
        iterator ??= source[Symbol.asyncIterator]();
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await iterator?.return?.(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
