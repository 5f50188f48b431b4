//! Saving bytes the app made (a pcap, the event log) as a file download.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `name`. Does nothing if the browser
/// refuses (there is nothing useful to do then, and the app must not panic).
pub fn save(name: &str, mime: &str, bytes: &[u8]) {
    let _ = try_save(name, mime, bytes);
}

fn try_save(name: &str, mime: &str, bytes: &[u8]) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
