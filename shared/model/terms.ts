/**
 * The words Wirelens uses, the same way everywhere (code, UI, docs).
 *
 * - **connection**: one TCP (or TLS-over-TCP) stream between a client and the proxy, or
 *   between the sender and a server. Many exchanges can travel on one connection.
 * - **exchange**: one request and (maybe) its response. What other tools call a "session"
 *   or a "flow". Identified by a number unique in a store.
 * - **message**: a request or a response, as bytes: start line, header block, body.
 * - **start line**: the request line (`GET /a HTTP/1.1`) or the status line
 *   (`HTTP/1.1 200 OK`), without its line ending.
 * - **header block**: the header lines after the start line, up to and including the empty
 *   line that ends the head.
 * - **head**: start line + header block, i.e. everything before the body.
 * - **body**: the bytes after the head, *as on the wire*: chunk-size lines, chunk
 *   extensions and trailers included when the body is chunked. "Decoded" body = de-chunked
 *   and decompressed; it is a view, never stored.
 * - **target**: where bytes are sent: host, port, TLS or not. Separate from the Host header.
 * - **span**: a byte range `[start, end)` into a raw message.
 * - **source**: who produced an exchange: the `proxy` (captured), the `composer` (the
 *   sender), or an `import` (HAR or capture file).
 */
export {};
