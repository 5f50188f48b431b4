//! JSON for share links and the event-log download.
//!
//! In the browser the text is parsed and written by the browser's own `JSON`
//! object, and `serde-wasm-bindgen` moves values between it and Rust. This
//! keeps a JSON parser and writer (with their float tables) out of the wasm
//! bundle. Natively, where the app's logic is unit-tested, `serde_json` does
//! the same job; both give the same JSON for the app's types (a wasm test in
//! `tests/web.rs` checks a share link round trip and hostile input there).

use serde::{de::DeserializeOwned, Serialize};

/// Parses `text` as JSON into a `T`; `None` if it is not JSON or not a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    imp::from_str(text)
}

/// Writes `value` as compact JSON (one line).
pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    imp::to_string(value, false)
}

/// Writes `value` as indented JSON, for a file a person may read.
pub fn to_string_pretty<T: Serialize>(value: &T) -> Option<String> {
    imp::to_string(value, true)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsValue;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
        let value = js_sys::JSON::parse(text).ok()?;
        serde_wasm_bindgen::from_value(value).ok()
    }

    pub fn to_string<T: Serialize>(value: &T, pretty: bool) -> Option<String> {
        // Plain objects and null, not ES Maps and undefined: what JSON holds.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = value.serialize(&serializer).ok()?;
        let text = if pretty {
            js_sys::JSON::stringify_with_replacer_and_space(
                &value,
                &JsValue::NULL,
                &JsValue::from(2),
            )
        } else {
            js_sys::JSON::stringify(&value)
        };
        text.ok()?.as_string()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
        serde_json::from_str(text).ok()
    }

    pub fn to_string<T: Serialize>(value: &T, pretty: bool) -> Option<String> {
        if pretty {
            serde_json::to_string_pretty(value).ok()
        } else {
            serde_json::to_string(value).ok()
        }
    }
}
