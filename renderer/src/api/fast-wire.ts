/**
 * The page side of the web transport's byte encoding: the shared table-driven codec
 * (shared/bytes/base64.ts), under the names the WebSocket client uses.
 */
export {
  encodeWire as encodeWireFast,
  decodeWire as decodeWireFast,
  parseWire as parseWireFast,
  bytesToBase64 as encodeBase64,
  base64ToBytes as decodeBase64,
} from '../../../shared/api/wire-encoding';
