//! The lessons, one file each, and the table that lists them.
//!
//! A lesson is a [`Lesson`]: its id in URLs and on the command line, its
//! title and intro in both languages, the seed it is shown with, the panels
//! the screen needs beside the stage, the [`WorldConfig`] it runs, and the
//! checkpoints it pauses at to ask what happens next ([`crate::sim::quiz`]).
//!
//! # Adding a lesson
//!
//! Write `src/sim/lessons/my_lesson.rs` with a `pub(super) const LESSON:
//! Lesson` (copy `echo.rs`), then add one line, `MyLesson => my_lesson,` to
//! the table below. That line declares the module, the [`LessonId`]
//! variant, and its place in the picker. The snapshot, property and CLI
//! tests loop over [`LessonId::ALL`], so the new lesson is tested at once
//! (run `cargo insta review` to read and accept its first snapshots).

pub mod code;

pub use buffers::at_linux_sizes as buffers_at_linux_sizes;

use super::quiz::Checkpoint;
use super::world::{World, WorldConfig};
use crate::text::{Lang, Text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares the lesson modules, [`LessonId`] and [`LessonId::ALL`] from one
/// table: `Variant => module`, in the picker's order.
macro_rules! lessons {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Which lesson. Serialized as its slug (`"multi-client"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum LessonId {
            $($variant),*
        }

        impl LessonId {
            /// Every lesson, in the picker's order.
            pub const ALL: [LessonId; <[&str]>::len(&[$(stringify!($variant)),*])] =
                [$(LessonId::$variant),*];

            /// The lesson itself.
            pub fn info(self) -> &'static Lesson {
                match self {
                    $(LessonId::$variant => &$module::LESSON),*
                }
            }
        }
    };
}

lessons! {
    Echo => echo,
    MultiClient => multi_client,
    Buffers => buffers,
    ByteStream => byte_stream,
    Loss => loss,
    Http => http,
    Select => select,
    Processes => processes,
    Reset => reset,
    HalfClose => half_close,
    BusyLoop => busy_loop,
    Daemon => daemon,
    Backlog => backlog,
    ReuseAddr => reuse_addr,
    Sandbox => sandbox,
}

/// Where the picker files a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The course's chapter, numbered in the picker.
    Course,
    /// Beyond the course's chapter: the designs it leads to (one thread
    /// for many sockets, a process per client).
    Further,
    /// Common mistakes with sockets, and what the kernel does about them:
    /// a reset connection, a half-close, a busy loop, daemon threads, a
    /// full backlog, a port still in TIME-WAIT.
    Mistakes,
    /// The free sandbox.
    Sandbox,
}

/// The panels a lesson needs beside the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Panels {
    /// A mock browser (address bar, page) and the Network panel.
    pub browser: bool,
    /// The stream graphs: cwnd, bytes in flight and the peer's window over
    /// time (shown in any lesson once the network loses a segment).
    pub congestion: bool,
}

impl Panels {
    /// The stage and the consoles only.
    pub const NONE: Panels = Panels {
        browser: false,
        congestion: false,
    };
}

/// What a lesson is.
#[derive(Debug, Clone, Serialize)]
pub struct Lesson {
    /// The id in URLs and on the command line: `multi-client`.
    pub slug: &'static str,
    pub group: Group,
    pub title: Text,
    /// What to watch.
    pub intro: Text,
    pub default_seed: u64,
    pub panels: Panels,
    /// The world it runs, its programs in a language (the seed is set by
    /// [`LessonId::config`]).
    #[serde(skip)]
    pub config: fn(Lang) -> WorldConfig,
    /// The questions it pauses to ask (see [`crate::sim::quiz`]), in the
    /// order they come up.
    pub checkpoints: &'static [Checkpoint],
}

impl LessonId {
    pub fn slug(self) -> &'static str {
        self.info().slug
    }

    pub fn from_slug(slug: &str) -> Option<LessonId> {
        LessonId::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// The lesson's world configuration for a seed, its programs in `lang`.
    pub fn config(self, seed: u64, lang: Lang) -> WorldConfig {
        WorldConfig {
            seed,
            ..(self.info().config)(lang)
        }
    }

    /// A fresh world for the lesson, its programs in English.
    pub fn world(self, seed: u64) -> World {
        World::new(self.config(seed, Lang::En))
    }
}

impl Serialize for LessonId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for LessonId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let slug = String::deserialize(d)?;
        LessonId::from_slug(&slug)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown lesson \"{slug}\"")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_round_trip_and_match_serde() {
        for l in LessonId::ALL {
            assert_eq!(LessonId::from_slug(l.slug()), Some(l));
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.slug()));
            assert_eq!(serde_json::from_str::<LessonId>(&json).unwrap(), l);
        }
        assert!(serde_json::from_str::<LessonId>("\"nope\"").is_err());
    }

    #[test]
    fn every_lesson_has_both_languages_and_a_natural_end() {
        for l in LessonId::ALL {
            let info = l.info();
            for text in [info.title, info.intro] {
                assert!(!text.zh.is_empty() && !text.en.is_empty() && text.zh != text.en);
            }
            let mut w = l.world(info.default_seed);
            let mut steps = 0;
            while w.step() {
                steps += 1;
                assert!(steps < 20_000, "{l:?} does not end");
            }
            assert!(w.is_finished());
        }
    }
}
