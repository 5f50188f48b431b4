//! One component per file.
pub mod app;
pub mod header;
pub mod stage;
