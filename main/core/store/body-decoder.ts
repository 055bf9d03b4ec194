/**
 * The decoded body view: main/core/content's decodeBody (de-chunking, then gzip, deflate,
 * br, zstd), guarded so a decoder bug shows as a `decodeError` on the slice instead of a
 * failed request; the raw view stays available either way.
 */
import type { BodyFraming, RawHeaders } from '../../../shared/model/exchange';
import { decodeBody, type DecodedBody } from '../content/decode-body';

export type { DecodedBody };

export function decodeForView(
  rawBody: Uint8Array,
  headers: RawHeaders,
  framing: BodyFraming,
): DecodedBody {
  try {
    return decodeBody(rawBody, headers, framing);
  } catch (error) {
    return {
      bytes: rawBody,
      decodedFrom: [],
      error: `Could not decode the body: ${(error as Error).message}`,
    };
  }
}
