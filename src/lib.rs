//! sockscope: see how a TCP client and server talk.
//!
//! One crate with two faces. Built with the `web` feature (by trunk, to
//! WebAssembly) it is a Yew app that animates a simulated multi-threaded TCP
//! server, its clients and every socket's kernel buffers. Built with the
//! `native` feature it is a terminal binary: a real threaded echo server and
//! static web server, a client, and a headless runner of the simulation.
//!
//! # Layout
//!
//! - [`sim`]: the simulation core. Sans-IO and deterministic: no clock, no
//!   socket, no thread, no DOM, no unseeded randomness. Time is an argument.
//!   Both shells only call into it. Always compiled.
//! - [`echo`]: the echo protocol (reply text, encodings, console lines) shared
//!   by the simulated server program and the real one.
//! - [`gbk`]: the GBK codec of the Encoding Standard, from tables generated
//!   at build time (the browser bundle stays small).
//! - [`pyrepr`]: Python's `repr()` of strings, bytes and addresses.
//! - [`text`]: the two languages and the [`text::Text`] that holds both.
//! - [`http`]: HTTP/1.1 messages, URL parts and path resolution, shared by the
//!   simulated static web server and the real one.
//! - `web` (feature `web`): the Yew components, the app state and its reducer.
//! - `native` (feature `native`): real sockets and threads: `serve`, `client`,
//!   and the `sim` runner.

pub mod echo;
pub mod gbk;
pub mod http;
pub mod pyrepr;
pub mod sim;
pub mod text;

#[cfg(feature = "web")]
pub mod web;

#[cfg(feature = "native")]
pub mod native;
