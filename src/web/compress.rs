//! The learner's programs in a share link: compressed by the browser's own
//! `CompressionStream('deflate-raw')` and written in base64url, read back by
//! `DecompressionStream`. Nothing of a compressor is linked into the wasm
//! bundle; the price is that both directions are asynchronous.

use super::query::EditedCode;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
const CAP = 200000;
export function deflate_b64url(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Response(stream).arrayBuffer().then((buf) => {
    const bytes = new Uint8Array(buf);
    let bin = '';
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  });
}
export function inflate_b64url(b64) {
  return Promise.resolve().then(async () => {
    const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const parts = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > CAP) { reader.cancel(); throw new Error('too long'); }
      parts.push(value);
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(await new Blob(parts).arrayBuffer());
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn deflate_b64url(text: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn inflate_b64url(b64: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The programs as a `code=` value.
pub async fn compress(code: &EditedCode) -> Option<String> {
    let promise = deflate_b64url(&code.to_json()).ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// A `code=` value read back; `None` if it is not one this app wrote (bad
/// base64, not deflate, not UTF-8, too long, not the programs' JSON).
pub async fn decompress(b64: &str) -> Option<EditedCode> {
    let promise = inflate_b64url(b64).ok()?;
    let text = JsFuture::from(promise).await.ok()?.as_string()?;
    EditedCode::from_json(&text)
}
