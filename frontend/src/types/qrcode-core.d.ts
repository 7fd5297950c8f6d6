/**
 * `qrcode`'s core (the matrix, no renderers): what deposit-qr loads. The package's entry also pulls in its PNG, canvas
 * and terminal renderers, and in the server build (Node resolution, no `browser` field) `pngjs` with them.
 */
declare module 'qrcode/lib/core/qrcode' {
  export { create } from 'qrcode';
}
