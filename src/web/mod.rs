//! The browser app (feature `web`): Yew components that show the simulation
//! core's world and drive it. No TCP rule lives here; every byte, state and
//! event on screen is read from [`crate::sim`].
//!
//! State follows the reducer pattern: [`state::State`] with an
//! [`state::Action`] enum and `impl Reducible`, held by `use_reducer` at the
//! root component. The URL query ([`query`]) is parsed into the initial state
//! without ever panicking: the release build aborts on panic, so bad input
//! becomes a message on screen instead.

pub mod components;
pub mod compress;
pub mod download;
pub mod html;
pub mod i18n;
pub mod json;
pub mod query;
pub mod relative;
pub mod state;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
