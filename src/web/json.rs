//! Reading the JSON of a share link's actions. (Writing it, and the event-log
//! download, is `serde_json`'s.)
//!
//! In the browser, reading is split in two, to keep a JSON parser (and its
//! float tables and float formatting) out of the wasm bundle: the browser's own `JSON.parse` reads
//! the text, its result is copied into a [`Tree`], and the `Tree` is a serde
//! `Deserializer`. Natively, where the app's logic is unit-tested,
//! `serde_json` reads it. Tests in `tests/sim_hostile_links.rs` check that a
//! `Tree` reads what `serde_json` writes and refuses what it refuses; a wasm
//! test in `tests/web.rs` checks the browser's half.
//!
//! A share link holds only integers, strings, booleans, arrays and objects.
//! A `Tree` has no fractions: a number that is not an integer JavaScript
//! can hold exactly makes the whole document unreadable. The browser's
//! reading is a little more lenient than serde_json's where JavaScript
//! cannot tell the difference: `1.0` and `1e3` are integers to it, a
//! duplicated member keeps its last value, and a lone surrogate in a string
//! becomes U+FFFD. None of these can make a link read as something its
//! writer did not write.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// Parses `text` as JSON into a `T`; `None` if it is not JSON or not a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    #[cfg(target_arch = "wasm32")]
    {
        let value = js_sys::JSON::parse(text).ok()?;
        T::deserialize(Tree::from_js(&value, 0)?).ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).ok()
    }
}

/// How deeply arrays and objects may nest in a document read into a [`Tree`]
/// (a share link's actions nest three deep).
pub const MAX_DEPTH: u32 = 32;

/// A parsed JSON document, as serde reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    Null,
    Bool(bool),
    Unsigned(u64),
    Negative(i64),
    Str(String),
    Array(Vec<Tree>),
    /// Members in document order.
    Object(Vec<(String, Tree)>),
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Tree {
    /// A JSON number as a `Tree`: `None` unless it is an integer that
    /// JavaScript holds exactly.
    pub fn number(n: f64) -> Option<Tree> {
        if n.fract() != 0.0 || n.abs() > MAX_SAFE_INTEGER {
            None
        } else if n >= 0.0 {
            Some(Tree::Unsigned(n as u64))
        } else {
            Some(Tree::Negative(n as i64))
        }
    }

    /// Copies what `JSON.parse` returned. `None` for anything JSON cannot
    /// hold, a number that is not a safe integer, or nesting deeper than
    /// [`MAX_DEPTH`].
    #[cfg(target_arch = "wasm32")]
    fn from_js(value: &wasm_bindgen::JsValue, depth: u32) -> Option<Tree> {
        use wasm_bindgen::JsCast;
        if depth > MAX_DEPTH {
            return None;
        }
        if value.is_null() {
            Some(Tree::Null)
        } else if let Some(b) = value.as_bool() {
            Some(Tree::Bool(b))
        } else if let Some(n) = value.as_f64() {
            Tree::number(n)
        } else if let Some(s) = value.as_string() {
            Some(Tree::Str(s))
        } else if js_sys::Array::is_array(value) {
            let items: js_sys::Array = value.clone().unchecked_into();
            items
                .iter()
                .map(|v| Tree::from_js(&v, depth + 1))
                .collect::<Option<_>>()
                .map(Tree::Array)
        } else if value.is_object() {
            let entries = js_sys::Object::entries(value.unchecked_ref());
            let mut members = Vec::with_capacity(entries.length() as usize);
            for entry in entries.iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                members.push((
                    pair.get(0).as_string()?,
                    Tree::from_js(&pair.get(1), depth + 1)?,
                ));
            }
            Some(Tree::Object(members))
        } else {
            None
        }
    }
}

/// Why a [`Tree`] is not the value asked for. It carries no message: the app
/// only reports which parameter it could not read, and formatting serde's
/// messages would link float formatting into the wasm bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the JSON does not hold the value expected")
    }
}

impl std::error::Error for Rejected {}

impl de::Error for Rejected {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Rejected
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Rejected
    }
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Rejected
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Rejected
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Rejected
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Rejected
    }
    fn missing_field(_: &'static str) -> Self {
        Rejected
    }
    fn duplicate_field(_: &'static str) -> Self {
        Rejected
    }
}

impl<'de> IntoDeserializer<'de, Rejected> for Tree {
    type Deserializer = Tree;
    fn into_deserializer(self) -> Tree {
        self
    }
}

impl<'de> de::Deserializer<'de> for Tree {
    type Error = Rejected;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Rejected> {
        match self {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(b),
            Tree::Unsigned(n) => visitor.visit_u64(n),
            Tree::Negative(n) => visitor.visit_i64(n),
            Tree::Str(s) => visitor.visit_string(s),
            Tree::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Tree::Object(members) => {
                let mut map = MapDeserializer::new(members.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Rejected> {
        match self {
            Tree::Null => visitor.visit_none(),
            some => visitor.visit_some(some),
        }
    }

    /// Unit variants are strings, as `serde_json` writes them.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Rejected> {
        match self {
            Tree::Str(s) => visitor.visit_enum(s.into_deserializer()),
            _ => Err(Rejected),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Rejected> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

// The tests that compare a `Tree` with serde_json, on hostile and on random
// recordings, are in tests/sim_hostile_links.rs, beside the other share-link
// tests and their strategies.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_safe_integers_or_nothing() {
        assert_eq!(Tree::number(3.0), Some(Tree::Unsigned(3)));
        assert_eq!(Tree::number(-3.0), Some(Tree::Negative(-3)));
        assert_eq!(Tree::number(1.5), None);
        assert_eq!(Tree::number(1e300), None);
        assert_eq!(Tree::number(f64::NAN), None);
        assert_eq!(
            Tree::number(MAX_SAFE_INTEGER),
            Some(Tree::Unsigned(MAX_SAFE_INTEGER as u64))
        );
    }
}
